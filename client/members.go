package client

import (
	"context"
	"net/http"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// ListMembers returns every connector of a group, following
// @odata.nextLink to the last page:
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups~1{id}~1members/get.
func (c *Client) ListMembers(ctx context.Context, groupID string) ([]Connector, error) {
	if err := checkID("group id", groupID); err != nil {
		return nil, err
	}
	first := func() (*http.Request, error) { return api.NewListConnectorGroupMembersRequest(c.server, groupID, nil) }
	return listAll(ctx, c, "the group's members", first, connectorFromWire)
}

// AddConnector adds a connector to a connector group. A connector is
// always in exactly one group, so this moves it out of the group it was
// in; adding it to the group it is in gets ErrAlreadyMember.
//
// By default it posts to today's path,
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups~1{id}~1members~1$ref/post,
// a link in today's form, {"@odata.id": "{root}/{ver}/onPremisesPublishingProfiles/applicationProxy/connectors/{id}"}:
// the default base URL is the live service, which has no other path.
// WithDocPath makes it post the doc page's path and link form instead
// (openapi/connectorgroups.yaml#/paths/~1connectorGroups~1{id}~1members~1$ref/post).
// {root} is the base URL's scheme and host, a national cloud's or a
// fake's as much as graph.microsoft.com, and {ver} the version the base
// URL ends with, beta or v1.0, and beta when it ends with neither
// (graph.LinkRoot).
//
// Both of Graph's success answers are a success here:
//   - 201 Created, as the doc page says: the Connector is the one the
//     service returned.
//   - 204 No Content, as today's service answers $ref POSTs: there is no
//     body, so the Connector has only ID set, to connectorID. Fetch the
//     connector if you need its other fields.
//
// Any other answer is an *Error; match it with errors.Is against
// ErrNotFound, ErrAlreadyMember, ErrUnauthorized, ErrForbidden or
// ErrThrottled. A redirect (3xx) is not followed, so that the token goes
// nowhere but the base URL: it is an *Error too, with the Location.
// Unusable ids are refused with ErrInvalidID, and unusable tokens with
// ErrInvalidToken, before anything is sent.
//
// Adding a member is not idempotent, but a repeat is harmless: the service
// answers it "already a member". So the call is retried, and when an
// attempt failed ambiguously (the add may have happened) and a retry is
// then told the connector is already a member, the error matches
// ErrAlreadyMember and has AfterAmbiguousAttempt set; the connector is
// most likely in the group, added by the earlier attempt.
func (c *Client) AddConnector(ctx context.Context, groupID, connectorID string) (*Connector, error) {
	if err := checkID("group id", groupID); err != nil {
		return nil, err
	}
	if err := checkID("connector id", connectorID); err != nil {
		return nil, err
	}
	build := func() (*http.Request, error) {
		ref := api.ReferenceCreate{OdataId: graph.ConnectorLinkAt(c.base.String(), connectorID)}
		return api.NewAddConnectorGroupMemberRequest(c.server, groupID, nil, ref)
	}
	if c.docPath {
		build = func() (*http.Request, error) {
			ref := api.ReferenceCreate{OdataId: graph.DocConnectorLinkAt(c.base.String(), connectorID)}
			return api.NewAddConnectorToConnectorGroupRequest(c.server, groupID, nil, ref)
		}
	}
	resp, body, err := c.send(ctx, replayAndFlag, build)
	if err != nil {
		return nil, err
	}
	if len(body) == 0 { // 204 No Content, or an empty 201
		return &Connector{ID: connectorID}, nil
	}
	var got api.Connector
	if err := decode(resp, body, "a connector", "the connector was added to the group", &got); err != nil {
		return nil, err
	}
	conn := connectorFromWire(got)
	return &conn, nil
}

// AddConnectorViaMemberOf adds a connector to a connector group, as
// AddConnector does, through the connector's side of the link: it posts the
// group's link in today's form to the connector's memberOf
// (openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectors~1{id}~1memberOf~1$ref/post),
// answered 204 No Content, so there is no connector to return. The
// connector moves exactly as with AddConnector, the call fails as
// AddConnector's does (a connector already in the group gets
// ErrAlreadyMember), and it is retried as AddConnector is, with the same
// AfterAmbiguousAttempt. It is its own method because it is its own
// operation of the spec, on its own path, which Entra PowerShell moves
// connectors with; a program needs only one of the two.
//
// Its arguments come in AddConnector's order, the group first, as do the
// fake's: ids are all strings, so one order everywhere is what keeps a
// swap from compiling into a 404.
func (c *Client) AddConnectorViaMemberOf(ctx context.Context, groupID, connectorID string) error {
	if err := checkID("group id", groupID); err != nil {
		return err
	}
	if err := checkID("connector id", connectorID); err != nil {
		return err
	}
	_, _, err := c.send(ctx, replayAndFlag, func() (*http.Request, error) {
		ref := api.ConnectorGroupReferenceCreate{OdataId: graph.ConnectorGroupLinkAt(c.base.String(), groupID)}
		return api.NewAddConnectorMemberOfRequest(c.server, connectorID, nil, ref)
	})
	return err
}
