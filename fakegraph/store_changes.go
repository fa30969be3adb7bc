package fakegraph

import "github.com/connectorgroups/connectorgroups/internal/graph"

// The store's changes. Each takes the lock once, checks everything before
// it writes anything, and is all or nothing: a move, the one change of
// several writes, undoes itself if it is interrupted by a panic.

// checkOrder says which 404 a move reports when neither the group nor the
// connector exists: the resource of the request's path comes first.
type checkOrder bool

const (
	groupFirst     checkOrder = false // POST connectorGroups/{id}/members/$ref
	connectorFirst checkOrder = true  // POST connectors/{id}/memberOf/$ref
)

// Move puts the connector into the group and takes it out of the one it
// was in, as Graph's add does ("add or move connectors", the
// connectorGroup resource page, beta), and
// returns the connector. Moving it into the group it is in already is
// ErrAlreadyMember, and changes nothing. Of many concurrent moves of one
// connector, each is applied whole, one after another.
func (s *store) Move(groupID, connectorID string) (Connector, error) {
	return s.move(groupID, connectorID, groupFirst)
}

func (s *store) move(groupID, connectorID string, order checkOrder) (Connector, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	to, groupOK := s.groups[groupID]
	i, connectorOK := s.index[connectorID]
	switch {
	case order == connectorFirst && !connectorOK:
		return Connector{}, ErrConnectorNotFound
	case !groupOK:
		return Connector{}, ErrGroupNotFound
	case !connectorOK:
		return Connector{}, ErrConnectorNotFound
	}
	from := s.groupOf[i]
	if from == to {
		return Connector{}, ErrAlreadyMember
	}

	// Three writes. Should anything between them panic, the deferred undo
	// (run before the unlock) puts the connector back where it was.
	done := false
	defer func() {
		if !done {
			to.members.remove(i)
			from.members.add(i)
			s.groupOf[i] = from
		}
	}()
	from.members.remove(i)
	if s.testHookBeforeInsert != nil {
		s.testHookBeforeInsert()
	}
	to.members.add(i)
	s.groupOf[i] = to
	done = true
	return s.connectorList[i], nil
}

// CreateGroup adds a group with a fresh id, the type applicationProxy and
// isDefault false, which the system sets, and returns it. region "" is
// none. The caller has checked name and region against the spec.
func (s *store) CreateGroup(name, region string) ConnectorGroup {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newID()
	for s.groups[id] != nil { // a UUID does not repeat; a test's newID might
		id = s.newID()
	}
	rec := &groupRecord{
		group: ConnectorGroup{ID: id, Name: name, ConnectorGroupType: graph.GroupTypeApplicationProxy, Region: region},
		ids:   s.connectorIDs,
	}
	s.groups[id] = rec
	s.groupIDs = insertSorted(s.groupIDs, id)
	return rec.snapshot()
}

// groupPatch is what an update changes; nil leaves a property as it is.
// A region of "" clears it (Graph's region is nullable).
type groupPatch struct {
	name   *string
	region *string
}

// UpdateGroup changes the group's name or region. The region can change
// only while the group holds no connectors (ErrRegionLocked) and no
// applications (ErrRegionLockedByApplications); setting it to the value it
// has is no change, and allowed. Nothing is written unless everything is
// allowed.
func (s *store) UpdateGroup(id string, p groupPatch) (ConnectorGroup, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.groups[id]
	if !ok {
		return ConnectorGroup{}, ErrGroupNotFound
	}
	next := rec.group
	if p.name != nil {
		next.Name = *p.name
	}
	if p.region != nil && *p.region != next.Region {
		if rec.members.count > 0 {
			return ConnectorGroup{}, ErrRegionLocked
		}
		if s.holdsApplications(rec) {
			return ConnectorGroup{}, ErrRegionLockedByApplications
		}
		next.Region = *p.region
	}
	rec.group = next
	return rec.snapshot(), nil
}

// DeleteGroup removes an empty group that is not the default one: no
// connectors (ErrGroupNotEmpty) and no applications
// (ErrGroupHoldsApplications). The default group is refused first,
// whether or not it is empty.
func (s *store) DeleteGroup(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.groups[id]
	switch {
	case !ok:
		return ErrGroupNotFound
	case rec.group.IsDefault:
		return ErrDefaultGroup
	case rec.members.count > 0:
		return ErrGroupNotEmpty
	case s.holdsApplications(rec):
		return ErrGroupHoldsApplications
	}
	delete(s.groups, id)
	s.groupIDs = removeSorted(s.groupIDs, id)
	return nil
}
