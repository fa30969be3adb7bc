package client

import (
	"bytes"
	"context"
	"errors"
	"net/http"

	"github.com/connectorgroups/connectorgroups/gen/api"
)

// ListConnectorGroups returns every connector group of the tenant,
// following @odata.nextLink to the last page (see the package doc on
// paging): openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups/get.
func (c *Client) ListConnectorGroups(ctx context.Context) ([]ConnectorGroup, error) {
	first := func() (*http.Request, error) { return api.NewListConnectorGroupsRequest(c.server, nil) }
	return listAll(ctx, c, "connector groups", first, groupFromWire)
}

// GetConnectorGroup returns one group; a group that does not exist is an
// *Error matching ErrNotFound:
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups~1{id}/get.
func (c *Client) GetConnectorGroup(ctx context.Context, id string) (*ConnectorGroup, error) {
	if err := checkID("group id", id); err != nil {
		return nil, err
	}
	resp, body, err := c.send(ctx, replayAndFlag, func() (*http.Request, error) {
		return api.NewGetConnectorGroupRequest(c.server, id, nil)
	})
	if err != nil {
		return nil, err
	}
	var got api.ConnectorGroup
	if err := decode(resp, body, "a connector group", "", &got); err != nil {
		return nil, err
	}
	g := groupFromWire(got)
	return &g, nil
}

// CreateConnectorGroup creates a group and returns it as the service
// does, its id included:
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups/post.
// The doc page answers 201 Created, the live service has answered 200
// OK; both carry the group.
//
// Creating is not idempotent: a repeat makes a second group. So the call
// is retried only after attempts that surely did not create one (a 429 or
// 503, or a request that never left); after one that may have (a dropped
// connection, a 500), it ends with that attempt's error, saying it was
// not retried. List the groups to learn whether it was created.
func (c *Client) CreateConnectorGroup(ctx context.Context, group NewConnectorGroup) (*ConnectorGroup, error) {
	if group.Name == "" {
		return nil, errors.New("client: CreateConnectorGroup: the group needs a name")
	}
	resp, body, err := c.send(ctx, replayNever, func() (*http.Request, error) {
		return api.NewCreateConnectorGroupRequest(c.server, nil, group.wire())
	})
	if err != nil {
		return nil, err
	}
	var got api.ConnectorGroup
	if err := decode(resp, body, "a connector group", "the connector group was created", &got); err != nil {
		return nil, err
	}
	g := groupFromWire(got)
	return &g, nil
}

// UpdateConnectorGroup changes a group's name or region, the fields of
// update that are not empty, or clears its region (ClearRegion):
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups~1{id}/patch.
// The live service answers 204 No Content, the doc page 200 OK with the
// group; any body is ignored (GetConnectorGroup reads the group). A
// region change of a group that holds connectors is refused with a 400.
// It is retried like a read: setting the same values twice changes
// nothing more.
func (c *Client) UpdateConnectorGroup(ctx context.Context, id string, update ConnectorGroupUpdate) error {
	if err := checkID("group id", id); err != nil {
		return err
	}
	body, err := update.body()
	if err != nil {
		return err
	}
	_, _, err = c.send(ctx, replayAndFlag, func() (*http.Request, error) {
		return api.NewUpdateConnectorGroupRequestWithBody(c.server, id, nil, "application/json", bytes.NewReader(body))
	})
	return err
}

// DeleteConnectorGroup deletes an empty group, answered 204 No Content:
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups~1{id}/delete.
// A group that holds connectors, and the default group, are refused with
// a 400; move the connectors out first (MoveConnector).
//
// It is retried like a read. When an attempt failed ambiguously (it may
// have deleted the group) and the retry is answered 404, the call ends
// with that 404, an *Error matching ErrNotFound with
// AfterAmbiguousAttempt set: most likely the earlier attempt deleted the
// group, and a caller that wants it gone may take it as done. The client
// does not decide that for the caller: the id may also have been wrong.
func (c *Client) DeleteConnectorGroup(ctx context.Context, id string) error {
	if err := checkID("group id", id); err != nil {
		return err
	}
	_, _, err := c.send(ctx, replayAndFlag, func() (*http.Request, error) {
		return api.NewDeleteConnectorGroupRequest(c.server, id, nil)
	})
	return err
}
