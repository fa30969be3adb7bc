package fakegraph

import (
	"errors"
	"slices"
	"sync"

	"github.com/google/uuid"
)

// Sentinel errors of the store and the state API (state.go). errors.go
// turns them into Graph errors; the store itself knows nothing of HTTP.
var (
	ErrGroupNotFound     = errors.New("fakegraph: connector group not found")
	ErrConnectorNotFound = errors.New("fakegraph: connector not found")
	ErrAlreadyMember     = errors.New("fakegraph: connector is already a member of the group")
	// ErrDefaultGroup: the tenant's default group cannot be deleted.
	ErrDefaultGroup = errors.New("fakegraph: the default connector group cannot be deleted")
	// ErrGroupNotEmpty: a group that holds connectors cannot be deleted.
	ErrGroupNotEmpty = errors.New("fakegraph: the connector group still holds connectors")
	// ErrRegionLocked: a group's region cannot change while it holds
	// connectors.
	ErrRegionLocked = errors.New("fakegraph: the region cannot change while the group holds connectors")
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
	ConnectorGroupType string // applicationProxy
	IsDefault          bool
	Region             string // "" when none: Graph's region is nullable
	Members            []string
}

// store is the fake's whole state: every connector is in exactly one
// group (graph-facts: "always part of a connector group"). Every method
// takes the lock once and returns copies, so a caller never sees, or
// leaves, a half-written change.
type store struct {
	mu         sync.RWMutex
	connectors map[string]Connector
	// connectorIDs is every connector id, sorted; connectors are never
	// added or removed, only moved.
	connectorIDs []string
	groups       map[string]*groupRecord
	// groupIDs is every group id, sorted, for paging.
	groupIDs []string
	// groupOf is the one group each connector is in; groups' member lists
	// agree with it under the lock.
	groupOf map[string]string

	// newID makes the id of a created group.
	newID func() string

	// testHookBeforeInsert runs under the lock in the middle of a move:
	// after the connector has left its old group and before it joins the
	// new one. Tests panic there to prove a move is all or nothing.
	testHookBeforeInsert func()
}

type groupRecord struct {
	group   ConnectorGroup // Members unused here; see members
	members []string       // sorted
}

// newStore copies a validated seed into a fresh store, every connector
// where Seed.Placed puts it: one that no seeded group lists starts in the
// default group, as Graph's connectors do. It places them itself, with
// groupOf as the one map of who is where, rather than through Placed,
// which would build another map of every connector: a seed of a million
// connectors starts in a second less.
func newStore(seed *Seed) *store {
	s := &store{
		connectors:   make(map[string]Connector, len(seed.Connectors)),
		connectorIDs: make([]string, 0, len(seed.Connectors)),
		groups:       make(map[string]*groupRecord, len(seed.ConnectorGroups)),
		groupIDs:     make([]string, 0, len(seed.ConnectorGroups)),
		groupOf:      make(map[string]string, len(seed.Connectors)),
		newID:        uuid.NewString,
	}
	for _, c := range seed.Connectors {
		s.connectors[c.ID] = Connector{ID: c.ID, MachineName: c.MachineName, ExternalIP: c.ExternalIP, Status: c.Status, Version: c.Version}
		s.connectorIDs = append(s.connectorIDs, c.ID)
	}
	sortIDs(s.connectorIDs)
	var def *groupRecord
	for _, g := range seed.ConnectorGroups {
		rec := &groupRecord{
			group:   ConnectorGroup{ID: g.ID, Name: g.Name, ConnectorGroupType: g.ConnectorGroupType, IsDefault: g.IsDefault, Region: g.Region},
			members: slices.Clone(g.Members),
		}
		if rec.members == nil {
			rec.members = []string{}
		}
		if g.IsDefault && def == nil {
			def = rec
		}
		s.groups[g.ID] = rec
		s.groupIDs = append(s.groupIDs, g.ID)
		for _, m := range g.Members {
			s.groupOf[m] = g.ID
		}
	}
	if def != nil {
		for _, c := range seed.Connectors {
			if _, listed := s.groupOf[c.ID]; !listed {
				s.groupOf[c.ID] = def.group.ID
				def.members = append(def.members, c.ID)
			}
		}
	}
	for _, rec := range s.groups {
		sortIDs(rec.members)
	}
	sortIDs(s.groupIDs)
	return s
}

// sortIDs sorts ids, first checking in one pass whether they are sorted
// already, as a generated seed's are.
func sortIDs(ids []string) {
	if !slices.IsSorted(ids) {
		slices.Sort(ids)
	}
}

// reset replaces the whole state with fresh's, under the lock. The test
// hook stays.
func (s *store) reset(fresh *store) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.connectors, s.connectorIDs = fresh.connectors, fresh.connectorIDs
	s.groups, s.groupIDs = fresh.groups, fresh.groupIDs
	s.groupOf = fresh.groupOf
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
	return s.connectorsOf(s.connectorIDs)
}

// Members returns the group's member connectors, sorted by id.
func (s *store) Members(groupID string) ([]Connector, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, ok := s.groups[groupID]
	if !ok {
		return nil, ErrGroupNotFound
	}
	return s.connectorsOf(g.members), nil
}

// GroupOf returns the one group the connector is in.
func (s *store) GroupOf(connectorID string) (ConnectorGroup, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	groupID, ok := s.groupOf[connectorID]
	if !ok {
		return ConnectorGroup{}, ErrConnectorNotFound
	}
	return s.groups[groupID].snapshot(), nil
}

// Groups returns every group with its members, sorted by id.
func (s *store) Groups() []ConnectorGroup {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.groupsOf(s.groupIDs)
}

// connectorsOf copies the connectors with these ids; the caller holds
// the lock.
func (s *store) connectorsOf(ids []string) []Connector {
	out := make([]Connector, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.connectors[id])
	}
	return out
}

// groupsOf copies the groups with these ids; the caller holds the lock.
func (s *store) groupsOf(ids []string) []ConnectorGroup {
	out := make([]ConnectorGroup, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.groups[id].snapshot())
	}
	return out
}

// snapshot copies the group with its members, sorted.
func (g *groupRecord) snapshot() ConnectorGroup {
	cp := g.group
	cp.Members = append(make([]string, 0, len(g.members)), g.members...)
	return cp
}

// insertSorted adds id to the sorted ids, which must not hold it.
func insertSorted(ids []string, id string) []string {
	i, _ := slices.BinarySearch(ids, id)
	return slices.Insert(ids, i, id)
}

// removeSorted takes id out of the sorted ids, if there.
func removeSorted(ids []string, id string) []string {
	if i, found := slices.BinarySearch(ids, id); found {
		return slices.Delete(ids, i, i+1)
	}
	return ids
}
