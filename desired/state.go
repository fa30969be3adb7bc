package desired

import (
	"context"
	"fmt"

	"github.com/connectorgroups/connectorgroups/client"
)

// state is the service as read at one moment: every group, the
// connectors in each, and the applications each reports.
type state struct {
	groups     []client.ConnectorGroup
	connectors []client.Connector
	members    map[string][]client.Connector   // group id → its connectors
	apps       map[string][]client.Application // group id → the applications that report it
	defaultID  string                          // "" when no group says it is the default
}

// readState reads the service: one list of groups and of connectors, and
// for each group its members and applications. A tenant has few groups,
// so this is a handful of requests, each bounded by the client's limits.
func readState(ctx context.Context, c *client.Client) (*state, error) {
	groups, err := c.ListConnectorGroups(ctx)
	if err != nil {
		return nil, err
	}
	connectors, err := c.ListConnectors(ctx)
	if err != nil {
		return nil, err
	}
	s := &state{
		groups:     groups,
		connectors: connectors,
		members:    make(map[string][]client.Connector, len(groups)),
		apps:       make(map[string][]client.Application, len(groups)),
	}
	for _, g := range groups {
		if g.IsDefault {
			if s.defaultID != "" {
				return nil, fmt.Errorf("desired: the service reports two default groups, %s and %s", s.defaultID, g.ID)
			}
			s.defaultID = g.ID
		}
		if s.members[g.ID], err = c.ListMembers(ctx, g.ID); err != nil {
			return nil, err
		}
		if s.apps[g.ID], err = c.ListGroupApplications(ctx, g.ID); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// group is the service's group with this id.
func (s *state) group(id string) (client.ConnectorGroup, bool) {
	for _, g := range s.groups {
		if g.ID == id {
			return g, true
		}
	}
	return client.ConnectorGroup{}, false
}

// prunable reports whether prune may delete the group: not the default,
// and one the system did not make for another purpose. A group whose type
// the service does not say is an Application Proxy group, the only type
// today's metadata knows.
func prunable(g client.ConnectorGroup) bool {
	return !g.IsDefault && (g.ConnectorGroupType == "" || g.ConnectorGroupType == client.ConnectorGroupTypeApplicationProxy)
}
