package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/connectorgroups/connectorgroups/gen/api"
)

// ConnectorGroup is an Application Proxy connector group
// (openapi/connectorgroups.yaml#/components/schemas/ConnectorGroup). Its
// JSON names are Graph's, so that it prints as Graph writes it.
type ConnectorGroup struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// ConnectorGroupType and IsDefault are set by the system; exactly one
	// group of a tenant is the default, and it cannot be deleted.
	ConnectorGroupType ConnectorGroupType `json:"connectorGroupType,omitempty"`
	IsDefault          bool               `json:"isDefault"`
	// Region is "" when the service sent null or nothing.
	Region ConnectorGroupRegion `json:"region,omitempty"`
}

// ConnectorGroupType is the kind of a group. Today's beta metadata knows
// one, but real tenants also answer "syncFabric" for the groups of AD Sync
// Fabric: a value this package does not know is kept as sent, and never
// fails a call.
type ConnectorGroupType string

// The connector group types the spec knows.
const (
	ConnectorGroupTypeApplicationProxy ConnectorGroupType = "applicationProxy"
)

// ConnectorGroupRegion is where a group's traffic is served from. Graph's
// enums grow, and a real tenant has sent "japan", which the metadata does
// not list: a value this package does not know is kept as sent, and never
// fails a call. The client sends what it is given, unchecked, for the
// same reason; the service refuses what it does not take.
type ConnectorGroupRegion string

// The regions the spec knows
// (openapi/connectorgroups.yaml#/components/schemas/ConnectorGroupRegion).
const (
	RegionNorthAmerica       ConnectorGroupRegion = "nam"
	RegionEurope             ConnectorGroupRegion = "eur"
	RegionAustralia          ConnectorGroupRegion = "aus"
	RegionAsia               ConnectorGroupRegion = "asia"
	RegionIndia              ConnectorGroupRegion = "ind"
	RegionUnknownFutureValue ConnectorGroupRegion = "unknownFutureValue"
)

// NewConnectorGroup is what CreateConnectorGroup sends
// (openapi/connectorgroups.yaml#/components/schemas/ConnectorGroupCreate).
type NewConnectorGroup struct {
	Name string // required
	// Region is left out of the request when empty; the service then
	// chooses.
	Region ConnectorGroupRegion
}

// ConnectorGroupUpdate is what UpdateConnectorGroup changes
// (openapi/connectorgroups.yaml#/components/schemas/ConnectorGroupUpdate).
// An empty field is left as it is; an update with no field set changes
// nothing. Region can change only while the group holds no connectors.
type ConnectorGroupUpdate struct {
	Name   string
	Region ConnectorGroupRegion
	// ClearRegion sends "region": null, which leaves the group with no
	// region (Graph's property is nullable). It cannot go with a Region.
	ClearRegion bool
}

// groupFromWire converts the generated type, so that a change of the
// spec's schema shows here at compile time.
func groupFromWire(g api.ConnectorGroup) ConnectorGroup {
	return ConnectorGroup{
		ID:                 g.Id,
		Name:               g.Name,
		ConnectorGroupType: ConnectorGroupType(g.ConnectorGroupType),
		IsDefault:          g.IsDefault,
		Region:             ConnectorGroupRegion(deref(g.Region)),
	}
}

func (n NewConnectorGroup) wire() api.ConnectorGroupCreate {
	return api.ConnectorGroupCreate{Name: n.Name, Region: optional(api.ConnectorGroupRegion(n.Region))}
}

// body is the PATCH body. The generated type cannot hold an explicit
// null (its omitempty pointer reads nil as absent), so the clearing form
// is written here, with the spec's property names.
func (u ConnectorGroupUpdate) body() ([]byte, error) {
	if u.ClearRegion && u.Region != "" {
		return nil, errors.New("client: an update cannot both set and clear the region")
	}
	if !u.ClearRegion {
		return json.Marshal(api.ConnectorGroupUpdate{Name: optional(u.Name), Region: optional(api.ConnectorGroupRegion(u.Region))})
	}
	return json.Marshal(struct {
		Name   *string `json:"name,omitempty"`
		Region *string `json:"region"`
	}{Name: optional(u.Name)})
}

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
	return c.readGroup(ctx, func() (*http.Request, error) {
		return api.NewGetConnectorGroupRequest(c.server, id, nil)
	})
}

// readGroup sends a read that answers one connector group, built by
// build: a group by its id, or the group an application is in.
func (c *Client) readGroup(ctx context.Context, build func() (*http.Request, error)) (*ConnectorGroup, error) {
	resp, body, err := c.send(ctx, replayAndFlag, build)
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
// a 400; move the connectors out first (AddConnector, to another group).
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

// optional is nil for the zero value, so that omitempty leaves it out.
func optional[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}
