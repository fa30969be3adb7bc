package fakegraph

import "slices"

// The state API: what tests read and change without HTTP, in the spirit
// of fake-gcs-server. Every method takes the store's lock once and returns
// copies, so a test never sees, or leaves, a half-written change. The
// sentinels are the ones the HTTP answers are made from (errors.go).

// Groups returns every connector group with its members, sorted by id.
func (s *Server) Groups() []ConnectorGroup { return s.store.Groups() }

// Group returns one connector group with its members, or ErrGroupNotFound.
func (s *Server) Group(id string) (ConnectorGroup, error) { return s.store.Group(id) }

// Connectors returns every connector, sorted by id.
func (s *Server) Connectors() []Connector { return s.store.Connectors() }

// Connector returns one connector, or ErrConnectorNotFound.
func (s *Server) Connector(id string) (Connector, error) { return s.store.Connector(id) }

// AddMember does what the doc's POST does, without HTTP: it makes the
// connector a member of the group, or returns ErrGroupNotFound,
// ErrConnectorNotFound or ErrAlreadyMember and changes nothing.
func (s *Server) AddMember(groupID, connectorID string) (Connector, error) {
	return s.store.AddMember(groupID, connectorID)
}

// Reset puts the state back to the seed the server was built from.
func (s *Server) Reset() { s.store.reset(newStore(s.seed)) }

// cloneSeed copies a validated seed deeply.
func cloneSeed(seed *Seed) *Seed {
	out := &Seed{
		Connectors:      slices.Clone(seed.Connectors),
		ConnectorGroups: make([]SeedConnectorGroup, len(seed.ConnectorGroups)),
		Tokens:          cloneTokens(seed.Tokens),
	}
	for i, g := range seed.ConnectorGroups {
		g.Members = slices.Clone(g.Members)
		out.ConnectorGroups[i] = g
	}
	return out
}
