package fakegraph

import (
	"errors"
	"slices"
	"strings"
	"sync"
)

// Sentinel errors of the store and the state API (state.go). errors.go
// turns them into Graph errors; the store itself knows nothing of HTTP.
var (
	ErrGroupNotFound     = errors.New("fakegraph: connector group not found")
	ErrConnectorNotFound = errors.New("fakegraph: connector not found")
	ErrAlreadyMember     = errors.New("fakegraph: connector is already a member of the group")
)

// Connector is the fake's record of an Application Proxy connector.
type Connector struct {
	ID          string
	MachineName string
	ExternalIP  string
	Status      string // active or inactive
	Version     string
}

// ConnectorGroup is the fake's record of a connector group, with its member
// connector ids sorted.
type ConnectorGroup struct {
	ID                 string
	Name               string
	ConnectorGroupType string
	IsDefault          bool
	Region             string
	Members            []string
}

// store is the fake's whole state. Every method takes the lock once and
// returns copies, so a caller never sees, or leaves, a half-written change.
type store struct {
	mu         sync.RWMutex
	connectors map[string]Connector
	groups     map[string]*groupRecord

	// testHookBeforeInsert runs under the lock after every check of
	// AddMember and before the insert. Tests use it to panic mid-operation.
	testHookBeforeInsert func()
}

type groupRecord struct {
	group   ConnectorGroup // Members unused here; see members
	members map[string]struct{}
}

// newStore copies a validated seed into a fresh store.
func newStore(seed *Seed) *store {
	s := &store{
		connectors: make(map[string]Connector, len(seed.Connectors)),
		groups:     make(map[string]*groupRecord, len(seed.ConnectorGroups)),
	}
	for _, c := range seed.Connectors {
		s.connectors[c.ID] = Connector{ID: c.ID, MachineName: c.MachineName, ExternalIP: c.ExternalIP, Status: c.Status, Version: c.Version}
	}
	for _, g := range seed.ConnectorGroups {
		rec := &groupRecord{
			group:   ConnectorGroup{ID: g.ID, Name: g.Name, ConnectorGroupType: g.ConnectorGroupType, IsDefault: g.IsDefault, Region: g.Region},
			members: make(map[string]struct{}, len(g.Members)),
		}
		for _, m := range g.Members {
			rec.members[m] = struct{}{}
		}
		s.groups[g.ID] = rec
	}
	return s
}

// AddMember makes connectorID a member of groupID and returns the connector.
// The checks and the insert happen under one lock: of many concurrent adds
// of the same connector, exactly one succeeds.
func (s *store) AddMember(groupID, connectorID string) (Connector, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[groupID]
	if !ok {
		return Connector{}, ErrGroupNotFound
	}
	c, ok := s.connectors[connectorID]
	if !ok {
		return Connector{}, ErrConnectorNotFound
	}
	if _, ok := g.members[connectorID]; ok {
		return Connector{}, ErrAlreadyMember
	}
	if s.testHookBeforeInsert != nil {
		s.testHookBeforeInsert()
	}
	g.members[connectorID] = struct{}{}
	return c, nil
}

// reset replaces the whole state with fresh's, under the lock.
func (s *store) reset(fresh *store) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.connectors, s.groups = fresh.connectors, fresh.groups
}

// Group returns one group with its members sorted.
func (s *store) Group(id string) (ConnectorGroup, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, ok := s.groups[id]
	if !ok {
		return ConnectorGroup{}, ErrGroupNotFound
	}
	return g.snapshot(), nil
}

// Connector returns one connector.
func (s *store) Connector(id string) (Connector, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.connectors[id]
	if !ok {
		return Connector{}, ErrConnectorNotFound
	}
	return c, nil
}

// Connectors returns every connector, sorted by id.
func (s *store) Connectors() []Connector {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Connector, 0, len(s.connectors))
	for _, c := range s.connectors {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Connector) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Members returns the group's member connectors, sorted by id.
func (s *store) Members(groupID string) ([]Connector, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, ok := s.groups[groupID]
	if !ok {
		return nil, ErrGroupNotFound
	}
	out := make([]Connector, 0, len(g.members))
	for id := range g.members {
		out = append(out, s.connectors[id])
	}
	slices.SortFunc(out, func(a, b Connector) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// Groups returns every group with its members, sorted by id.
func (s *store) Groups() []ConnectorGroup {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]ConnectorGroup, 0, len(s.groups))
	for _, g := range s.groups {
		out = append(out, g.snapshot())
	}
	slices.SortFunc(out, func(a, b ConnectorGroup) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// snapshot copies the group with its members, sorted.
func (g *groupRecord) snapshot() ConnectorGroup {
	cp := g.group
	cp.Members = make([]string, 0, len(g.members))
	for id := range g.members {
		cp.Members = append(cp.Members, id)
	}
	slices.Sort(cp.Members)
	return cp
}
