package client

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/connectorgroups/connectorgroups/gen/api"
)

// Connector is an Application Proxy connector
// (openapi/connectorgroups.yaml#/components/schemas/Connector).
type Connector struct {
	ID          string          `json:"id"`
	MachineName string          `json:"machineName,omitempty"`
	ExternalIP  string          `json:"externalIp,omitempty"`
	Status      ConnectorStatus `json:"status,omitempty"`
	Version     string          `json:"version,omitempty"`
}

// ConnectorStatus says whether a connector is active. The service may send
// a value this package does not know (tenants have sent enum values
// missing from the metadata); it is kept as sent, and never fails a call.
type ConnectorStatus string

// The connector statuses the spec knows.
const (
	ConnectorActive   ConnectorStatus = "active"
	ConnectorInactive ConnectorStatus = "inactive"
)

// connectorFromWire converts the generated type, so that a change of the
// spec's schema shows here at compile time.
func connectorFromWire(c api.Connector) Connector {
	return Connector{
		ID:          c.Id,
		MachineName: c.MachineName,
		ExternalIP:  c.ExternalIp,
		Status:      ConnectorStatus(c.Status),
		Version:     deref(c.Version),
	}
}

// ListConnectors returns every connector of the tenant, following
// @odata.nextLink to the last page:
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectors/get.
func (c *Client) ListConnectors(ctx context.Context) ([]Connector, error) {
	first := func() (*http.Request, error) { return api.NewListConnectorsRequest(c.server, nil) }
	return listAll(ctx, c, "connectors", first, connectorFromWire)
}

// GetConnector returns one connector; one that does not exist is an
// *Error matching ErrNotFound:
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectors~1{id}/get.
func (c *Client) GetConnector(ctx context.Context, id string) (*Connector, error) {
	if err := checkID("connector id", id); err != nil {
		return nil, err
	}
	resp, body, err := c.send(ctx, replayAndFlag, func() (*http.Request, error) {
		return api.NewGetConnectorRequest(c.server, id, nil)
	})
	if err != nil {
		return nil, err
	}
	var got api.Connector
	if err := decode(resp, body, "a connector", "", &got); err != nil {
		return nil, err
	}
	conn := connectorFromWire(got)
	return &conn, nil
}

// GetConnectorGroupOf returns the one group a connector is in, from its
// memberOf collection:
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectors~1{id}~1memberOf/get.
// A connector is always in exactly one group, so a collection (all its
// pages) that holds none or several is an error that says what came.
func (c *Client) GetConnectorGroupOf(ctx context.Context, connectorID string) (*ConnectorGroup, error) {
	if err := checkID("connector id", connectorID); err != nil {
		return nil, err
	}
	first := func() (*http.Request, error) { return api.NewListConnectorMemberOfRequest(c.server, connectorID, nil) }
	groups, err := listAll(ctx, c, "the connector's groups", first, groupFromWire)
	if err != nil {
		return nil, err
	}
	if len(groups) != 1 {
		ids := make([]string, len(groups))
		for i, g := range groups {
			ids[i] = fmt.Sprintf("%q", g.ID)
		}
		return nil, fmt.Errorf("client: connector %q is in %d groups [%s], want exactly one: a connector is always in one group",
			connectorID, len(groups), strings.Join(ids, ", "))
	}
	return &groups[0], nil
}
