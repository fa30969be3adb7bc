package client

import (
	"context"
	"net/http"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Application is the part of Graph's application that Application Proxy
// needs (openapi/connectorgroups.yaml#/components/schemas/Application).
// Its JSON names are Graph's.
type Application struct {
	// ID is the application's object id, which the paths take; AppID its
	// application (client) id.
	ID          string `json:"id"`
	AppID       string `json:"appId"`
	DisplayName string `json:"displayName"`
	// OnPremisesPublishing is nil when the application's on-premises
	// publishing is off (Graph sends null, or nothing): such an
	// application has no connector group and cannot be given one.
	OnPremisesPublishing *OnPremisesPublishing `json:"onPremisesPublishing"`
}

// OnPremisesPublishing is how Application Proxy publishes an application
// (openapi/connectorgroups.yaml#/components/schemas/OnPremisesPublishing):
// the properties this package reads. Graph sends more.
type OnPremisesPublishing struct {
	ExternalURL string `json:"externalUrl,omitempty"`
	InternalURL string `json:"internalUrl,omitempty"`
	// ExternalAuthenticationType is passthru or aadPreAuthentication
	// today; another value is kept as sent.
	ExternalAuthenticationType string `json:"externalAuthenticationType,omitempty"`
	// Enabled is nil when the service did not say.
	Enabled *bool `json:"isOnPremPublishingEnabled,omitempty"`
}

// Published reports whether the application's on-premises publishing is
// on: whether it can be in a connector group.
func (a Application) Published() bool { return a.OnPremisesPublishing != nil }

// applicationFromWire converts the generated type, so that a change of
// the spec's schema shows here at compile time.
func applicationFromWire(a api.Application) Application {
	out := Application{ID: a.Id, AppID: a.AppId, DisplayName: deref(a.DisplayName)}
	if p := a.OnPremisesPublishing; p != nil {
		out.OnPremisesPublishing = &OnPremisesPublishing{
			ExternalURL:                deref(p.ExternalUrl),
			InternalURL:                deref(p.InternalUrl),
			ExternalAuthenticationType: deref(p.ExternalAuthenticationType),
			Enabled:                    p.IsOnPremPublishingEnabled,
		}
	}
	return out
}

// ListApplications returns every application of the tenant, following
// @odata.nextLink to the last page:
// openapi/connectorgroups.yaml#/paths/~1applications/get.
func (c *Client) ListApplications(ctx context.Context) ([]Application, error) {
	first := func() (*http.Request, error) { return api.NewListApplicationsRequest(c.server, nil) }
	return listAll(ctx, c, "applications", first, applicationFromWire)
}

// GetApplication returns one application, by its object id (not its
// appId); one that does not exist is an *Error matching ErrNotFound:
// openapi/connectorgroups.yaml#/paths/~1applications~1{id}/get.
func (c *Client) GetApplication(ctx context.Context, id string) (*Application, error) {
	if err := checkID("application id", id); err != nil {
		return nil, err
	}
	resp, body, err := c.send(ctx, replayAndFlag, func() (*http.Request, error) {
		return api.NewGetApplicationRequest(c.server, id, nil)
	})
	if err != nil {
		return nil, err
	}
	var got api.Application
	if err := decode(resp, body, "an application", "", &got); err != nil {
		return nil, err
	}
	a := applicationFromWire(got)
	return &a, nil
}

// ListGroupApplications returns every application assigned to a group,
// following @odata.nextLink to the last page, as ListMembers returns its
// connectors:
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups~1{id}~1applications/get.
func (c *Client) ListGroupApplications(ctx context.Context, groupID string) ([]Application, error) {
	if err := checkID("group id", groupID); err != nil {
		return nil, err
	}
	first := func() (*http.Request, error) {
		return api.NewListConnectorGroupApplicationsRequest(c.server, groupID, nil)
	}
	return listAll(ctx, c, "the group's applications", first, applicationFromWire)
}

// GetApplicationConnectorGroup returns the one connector group an
// application is in: the one it was assigned to or, when it is not
// assigned, the tenant's default group, as the live service answers after
// an assignment is removed:
// openapi/connectorgroups.yaml#/paths/~1applications~1{id}~1connectorGroup/get.
// An application whose on-premises publishing is off has none: an *Error
// matching ErrPublishingNotEnabled (and ErrNotFound).
func (c *Client) GetApplicationConnectorGroup(ctx context.Context, applicationID string) (*ConnectorGroup, error) {
	if err := checkID("application id", applicationID); err != nil {
		return nil, err
	}
	return c.readGroup(ctx, func() (*http.Request, error) {
		return api.NewGetApplicationConnectorGroupRequest(c.server, applicationID, nil)
	})
}

// AddApplication adds an application to a connector group: it posts a
// link to the application, {"@odata.id": "{root}/{ver}/applications/{id}"},
// to the group's applications
// (openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups~1{id}~1applications~1$ref/post),
// answered 204 No Content. An application is in at most one group, so this
// moves it out of the group it was in. "Add" is the verb of AddConnector,
// the same kind of $ref add on the same resource; its arguments come in
// AddConnector's order, the group first.
//
// An application already in the group gets ErrAlreadyMember; one whose
// on-premises publishing is off, ErrPublishingNotEnabled. It is retried
// as AddConnector is, with the same AfterAmbiguousAttempt. {root} and
// {ver} come from the base URL, as in AddConnector's links.
func (c *Client) AddApplication(ctx context.Context, groupID, applicationID string) error {
	if err := checkID("group id", groupID); err != nil {
		return err
	}
	if err := checkID("application id", applicationID); err != nil {
		return err
	}
	_, _, err := c.send(ctx, replayAndFlag, func() (*http.Request, error) {
		ref := api.ApplicationReferenceCreate{OdataId: graph.ApplicationLinkAt(c.base.String(), applicationID)}
		return api.NewAddConnectorGroupApplicationRequest(c.server, groupID, nil, ref)
	})
	return err
}

// AddApplicationViaConnectorGroup puts an application into a connector
// group from the application's side, as AddConnectorViaMemberOf does for a
// connector: it PUTs the group's link to the application's connectorGroup
// (openapi/connectorgroups.yaml#/paths/~1applications~1{id}~1connectorGroup~1$ref/put),
// answered 204 No Content. This is today's documented way, and the one
// the live service was seen to answer; AddApplication is the group's side
// of the same link. A PUT sets the link, so the application moves out of
// the group it was in, and putting it into the group it is in succeeds.
// Being idempotent, it is retried like a read. One whose on-premises
// publishing is off gets ErrPublishingNotEnabled.
func (c *Client) AddApplicationViaConnectorGroup(ctx context.Context, groupID, applicationID string) error {
	if err := checkID("group id", groupID); err != nil {
		return err
	}
	if err := checkID("application id", applicationID); err != nil {
		return err
	}
	_, _, err := c.send(ctx, replayAndFlag, func() (*http.Request, error) {
		ref := api.ConnectorGroupReferenceCreate{OdataId: graph.ConnectorGroupLinkAt(c.base.String(), groupID)}
		return api.NewSetApplicationConnectorGroupRequest(c.server, applicationID, nil, ref)
	})
	return err
}

// RemoveApplicationConnectorGroup removes an application's assignment to
// a group: DELETE of its connectorGroup link
// (openapi/connectorgroups.yaml#/paths/~1applications~1{id}~1connectorGroup~1$ref/delete),
// answered 204 No Content. The application then reports the tenant's
// default group (GetApplicationConnectorGroup), as the live service does;
// removing it again changes nothing. It is retried like a read. One whose
// on-premises publishing is off gets ErrPublishingNotEnabled.
func (c *Client) RemoveApplicationConnectorGroup(ctx context.Context, applicationID string) error {
	if err := checkID("application id", applicationID); err != nil {
		return err
	}
	_, _, err := c.send(ctx, replayAndFlag, func() (*http.Request, error) {
		return api.NewRemoveApplicationConnectorGroupRequest(c.server, applicationID, nil)
	})
	return err
}
