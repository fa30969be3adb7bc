package contract

import (
	"context"
	"fmt"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Before a run's first write it records what exists on the server: the
// objects it must leave as it found them. The write guard (guard.go)
// refuses every PATCH and DELETE of one of them, whatever the server
// answers later; a create answered with one of their ids fails loudly.

// recordedKind is one kind of object a snapshot records: every object of
// the kind is listed, all pages, before the first write.
type recordedKind struct {
	// collection is the path segment before an object's id, as in
	// …/connectorGroups/{id}: a write whose path names one is a write to
	// that object.
	collection string
	what       string        // "group", for reports
	list       func() string // the collection's path
}

// groupKind is the connector groups: the kind a run creates, and the
// one whose isDefault the guard heeds.
var groupKind = recordedKind{collection: "connectorGroups", what: "group", list: graph.ConnectorGroupsPath}

// recordedKinds are the kinds a snapshot records. The applications
// (/applications, each in at most one connector group) join this list the
// day the spec has them: the guard then protects them the same way.
var recordedKinds = []recordedKind{groupKind}

// maxSnapshotAttempts bounds the tries at a snapshot: each write that
// finds none tries again (a throttled list may answer the next time), and
// every write is refused until one succeeds.
const maxSnapshotAttempts = 3

// snapshot is what existed before the run's first write, by collection
// and id, as the server listed it.
type snapshot struct {
	objects map[string]map[string]entity
}

// find returns the object collection/id as it was, and its id as the
// server spelled it, if it existed; ids are compared as idKey does.
func (sn *snapshot) find(collection, id string) (string, entity, bool) {
	if sn == nil {
		return "", entity{}, false
	}
	if e, ok := sn.objects[collection][id]; ok {
		return id, e, true
	}
	key := idKey(id)
	for existing, e := range sn.objects[collection] {
		if idKey(existing) == key {
			return existing, e, true
		}
	}
	return "", entity{}, false
}

// defaults are the ids of the groups that said isDefault true.
func (sn *snapshot) defaults() []string {
	var out []string
	for id, e := range sn.objects[groupKind.collection] {
		if e.IsDefault != nil && *e.IsDefault {
			out = append(out, id)
		}
	}
	return out
}

// takeSnapshot lists every recorded kind, all pages in pages of
// graph.MaxPageSize (bounded by maxPages and maxListingBytes). When a list
// cannot be read whole, it returns the walk, whose fail says why.
func (s *session) takeSnapshot(ctx context.Context) (*snapshot, listing) {
	sn := &snapshot{objects: map[string]map[string]entity{}}
	for _, k := range recordedKinds {
		note := fmt.Sprintf("every %s that exists, recorded before the first write", k.what)
		l := s.list(ctx, note, k.list(), graph.MaxPageSize)
		if l.fail != nil {
			return nil, l
		}
		byID := map[string]entity{}
		for _, e := range l.entities() {
			if e.ID != "" {
				byID[e.ID] = e
			}
		}
		sn.objects[k.collection] = byID
	}
	return sn, listing{}
}
