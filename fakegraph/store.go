package fakegraph

import (
	"errors"
	"math/bits"
	"slices"
	"strings"
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
// group ("always part of a connector group", the connectorGroup resource
// page, beta). Every method takes the lock once and returns copies, so a
// caller never sees, or leaves, a half-written change.
//
// Connectors are never added or removed, only moved, so each has a fixed
// index: its place in connectorIDs, sorted. A group's members are a set of
// those indexes (memberSet), so that a move costs the same in a tenant of
// ten connectors as in one of a million, and a page of members is read in
// id order without sorting.
type store struct {
	mu sync.RWMutex
	// connectorIDs is every connector id, sorted; connectorList the
	// connectors in the same order; index maps an id to its place in both.
	connectorIDs  []string
	connectorList []Connector
	index         map[string]int
	// connectorJSON is each connector's JSON in a page, by index.
	connectorJSON connectorJSONCache
	groups        map[string]*groupRecord
	// groupIDs is every group id, sorted, for paging.
	groupIDs []string
	// groupOf is the one group each connector is in, by index; the
	// groups' member sets agree with it under the lock.
	groupOf []*groupRecord
	// defaultGroup is the tenant's default group, which applications
	// that are not assigned report.
	defaultGroup *groupRecord
	// apps is every application by id, appIDs their ids sorted
	// (store_applications.go).
	apps   map[string]*appRecord
	appIDs []string

	// newID makes the id of a created group.
	newID func() string

	// testHookBeforeInsert runs under the lock in the middle of a move:
	// after the connector has left its old group and before it joins the
	// new one. Tests panic there to prove a move is all or nothing.
	testHookBeforeInsert func()
}

type groupRecord struct {
	group   ConnectorGroup // Members unused here; see members
	members memberSet
	// ids is the store's connectorIDs, which members index.
	ids []string
}

// newStore copies a validated seed into a fresh store, every connector
// where Seed.Placed puts it: one that no seeded group lists starts in the
// default group, as Graph's connectors do. It places them itself, by
// index, rather than through Placed, which builds a map of every
// connector: a seed of a million connectors starts in a second less.
func newStore(seed *Seed) *store {
	n := len(seed.Connectors)
	s := &store{
		connectorIDs:  make([]string, n),
		connectorList: make([]Connector, n),
		index:         make(map[string]int, n),
		connectorJSON: newConnectorJSONCache(n),
		groups:        make(map[string]*groupRecord, len(seed.ConnectorGroups)),
		groupIDs:      make([]string, 0, len(seed.ConnectorGroups)),
		groupOf:       make([]*groupRecord, n),
		newID:         uuid.NewString,
	}
	for i, c := range seed.Connectors {
		s.connectorList[i] = Connector(c) // the same fields, without the JSON tags
	}
	byID := func(a, b Connector) int { return strings.Compare(a.ID, b.ID) }
	if !slices.IsSortedFunc(s.connectorList, byID) { // a generated seed's are
		slices.SortFunc(s.connectorList, byID)
	}
	for i, c := range s.connectorList {
		s.connectorIDs[i] = c.ID
		s.index[c.ID] = i
	}
	var def *groupRecord
	for _, g := range seed.ConnectorGroups {
		rec := &groupRecord{
			group: ConnectorGroup{ID: g.ID, Name: g.Name, ConnectorGroupType: g.ConnectorGroupType, IsDefault: g.IsDefault, Region: g.Region},
			ids:   s.connectorIDs,
		}
		if g.IsDefault && def == nil {
			def = rec
		}
		s.groups[g.ID] = rec
		s.groupIDs = append(s.groupIDs, g.ID)
		for _, m := range g.Members {
			i := s.index[m]
			rec.members.add(i)
			s.groupOf[i] = rec
		}
	}
	if def != nil {
		for i, g := range s.groupOf {
			if g == nil {
				def.members.add(i)
				s.groupOf[i] = def
			}
		}
	}
	slices.Sort(s.groupIDs)
	s.defaultGroup = def
	s.addApplications(seed.Applications)
	return s
}

// reset replaces the whole state with fresh's, under the lock. The test
// hook stays.
func (s *store) reset(fresh *store) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.connectorIDs, s.connectorList, s.index = fresh.connectorIDs, fresh.connectorList, fresh.index
	s.connectorJSON = fresh.connectorJSON
	s.groups, s.groupIDs = fresh.groups, fresh.groupIDs
	s.groupOf = fresh.groupOf
	s.defaultGroup, s.apps, s.appIDs = fresh.defaultGroup, fresh.apps, fresh.appIDs
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
	i, ok := s.index[id]
	if !ok {
		return Connector{}, ErrConnectorNotFound
	}
	return s.connectorList[i], nil
}

// Connectors returns every connector, sorted by id.
func (s *store) Connectors() []Connector {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.connectorList)
}

// Members returns the group's member connectors, sorted by id.
func (s *store) Members(groupID string) ([]Connector, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, ok := s.groups[groupID]
	if !ok {
		return nil, ErrGroupNotFound
	}
	out := make([]Connector, 0, g.members.count)
	for i := g.members.next(0); i >= 0; i = g.members.next(i + 1) {
		out = append(out, s.connectorList[i])
	}
	return out, nil
}

// GroupOf returns the one group the connector is in.
func (s *store) GroupOf(connectorID string) (ConnectorGroup, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.index[connectorID]
	if !ok {
		return ConnectorGroup{}, ErrConnectorNotFound
	}
	return s.groupOf[i].snapshot(), nil
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
		out = append(out, s.connectorList[s.index[id]])
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

// groupIDOf is the id of the one group the connector is in; the caller
// holds the lock.
func (s *store) groupIDOf(connectorID string) (string, bool) {
	i, ok := s.index[connectorID]
	if !ok {
		return "", false
	}
	return s.groupOf[i].group.ID, true
}

// membersAfter is the page of the group's member ids, sorted, that starts
// strictly after after ("" for the first page) and holds at most limit
// ids, and whether more follow it, as pageAfter is of a sorted list; the
// caller holds the lock.
func (s *store) membersAfter(g *groupRecord, after string, limit int) ([]string, bool) {
	idx, more := s.memberIndexesAfter(g, after, limit)
	ids := make([]string, len(idx))
	for k, i := range idx {
		ids[k] = s.connectorIDs[i]
	}
	return ids, more
}

// memberIndexesAfter is membersAfter's page as store indexes.
func (s *store) memberIndexesAfter(g *groupRecord, after string, limit int) ([]int, bool) {
	start := 0
	if after != "" {
		i, found := slices.BinarySearch(s.connectorIDs, after)
		if found {
			i++
		}
		start = i
	}
	var idx []int
	i := g.members.next(start)
	for ; i >= 0 && len(idx) < limit; i = g.members.next(i + 1) {
		idx = append(idx, i)
	}
	return idx, i >= 0
}

// snapshot copies the group with its members, sorted.
func (g *groupRecord) snapshot() ConnectorGroup {
	cp := g.group
	cp.Members = g.memberIDs()
	return cp
}

// memberIDs is the group's member ids, sorted: in index order.
func (g *groupRecord) memberIDs() []string {
	out := make([]string, 0, g.members.count)
	for i := g.members.next(0); i >= 0; i = g.members.next(i + 1) {
		out = append(out, g.ids[i])
	}
	return out
}

// memberSet is a set of connector indexes, a bit each.
type memberSet struct {
	words []uint64
	count int
}

func (m *memberSet) add(i int) {
	w := i / 64
	if w >= len(m.words) {
		m.words = append(m.words, make([]uint64, w+1-len(m.words))...)
	}
	if bit := uint64(1) << (i % 64); m.words[w]&bit == 0 {
		m.words[w] |= bit
		m.count++
	}
}

func (m *memberSet) remove(i int) {
	w := i / 64
	if w >= len(m.words) {
		return
	}
	if bit := uint64(1) << (i % 64); m.words[w]&bit != 0 {
		m.words[w] &^= bit
		m.count--
	}
}

// next is the smallest index in the set that is at least i, or -1.
func (m *memberSet) next(i int) int {
	w := i / 64
	if w >= len(m.words) || i < 0 {
		return -1
	}
	if rest := m.words[w] >> (i % 64); rest != 0 {
		return i + bits.TrailingZeros64(rest)
	}
	for w++; w < len(m.words); w++ {
		if m.words[w] != 0 {
			return w*64 + bits.TrailingZeros64(m.words[w])
		}
	}
	return -1
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
