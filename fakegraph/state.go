package fakegraph

import "slices"

// The state API: what tests read and change without HTTP, in the spirit
// of fake-gcs-server. Every method takes the store's lock once and returns
// copies, so a test never sees, or leaves, a half-written change, and may
// keep or change what it got. The sentinels are the ones the HTTP answers
// are made from (errors.go).

// Groups returns every connector group with its members, sorted by id.
func (s *Server) Groups() []ConnectorGroup { return s.store.Groups() }

// Group returns one connector group with its members, or ErrGroupNotFound.
func (s *Server) Group(id string) (ConnectorGroup, error) { return s.store.Group(id) }

// Connectors returns every connector, sorted by id.
func (s *Server) Connectors() []Connector { return s.store.Connectors() }

// Connector returns one connector, or ErrConnectorNotFound.
func (s *Server) Connector(id string) (Connector, error) { return s.store.Connector(id) }

// Members returns the group's connectors, sorted by id, or
// ErrGroupNotFound.
func (s *Server) Members(groupID string) ([]Connector, error) { return s.store.Members(groupID) }

// GroupOf returns the one group the connector is in (its memberOf), or
// ErrConnectorNotFound.
func (s *Server) GroupOf(connectorID string) (ConnectorGroup, error) {
	return s.store.GroupOf(connectorID)
}

// MoveConnector does what every add does, by any path, without HTTP: it
// puts the connector into the group and takes it out of the one it was in,
// and returns it; or it returns ErrGroupNotFound, ErrConnectorNotFound or
// ErrAlreadyMember (it is in that group already) and changes nothing.
func (s *Server) MoveConnector(groupID, connectorID string) (Connector, error) {
	return s.store.Move(groupID, connectorID)
}

// Snapshot is the whole state at one moment: every group with its sorted
// member ids, and every connector, each sorted by id. It shares nothing
// with the server, and two snapshots of the same state are equal
// (assert.Equal), so a test can take one before a request and one after
// and compare them.
type Snapshot struct {
	Groups     []ConnectorGroup
	Connectors []Connector
	// Applications are each with the group it is assigned to, if any.
	Applications []Application
}

// Snapshot copies the whole state, under one lock.
func (s *Server) Snapshot() Snapshot {
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	return Snapshot{
		Groups:       s.store.groupsOf(s.store.groupIDs),
		Connectors:   s.store.connectorsOf(s.store.connectorIDs),
		Applications: s.store.applicationsOf(s.store.appIDs),
	}
}

// StateAsSeed is the whole state now as a seed, with the tokens the server
// was built from: a server built from it (or `serve -seed` on its JSON)
// starts where this one stands. `serve -state-out` writes it on stop, for
// post-mortems and for tests that check what a stopped server kept.
func (s *Server) StateAsSeed() *Seed {
	snap := s.Snapshot()
	seed := &Seed{
		Connectors:      make([]SeedConnector, len(snap.Connectors)),
		ConnectorGroups: make([]SeedConnectorGroup, len(snap.Groups)),
		Tokens:          cloneTokens(s.seed.Tokens),
	}
	for i, c := range snap.Connectors {
		seed.Connectors[i] = SeedConnector(c) // the same fields, with the JSON tags
	}
	for i, g := range snap.Groups {
		members := g.Members
		if members == nil {
			members = []string{}
		}
		seed.ConnectorGroups[i] = SeedConnectorGroup{ID: g.ID, Name: g.Name, ConnectorGroupType: g.ConnectorGroupType, IsDefault: g.IsDefault, Region: g.Region, Members: members}
	}
	seed.Applications = seedApplications(snap.Applications)
	return seed
}

// Reset puts the state back to the seed the server was built from: groups
// created since are gone, deleted ones back, every connector where the
// seed placed it, every application assigned as the seed assigned it.
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
	for _, a := range seed.Applications {
		a.OnPremisesPublishing = slices.Clone(a.OnPremisesPublishing)
		out.Applications = append(out.Applications, a)
	}
	return out
}
