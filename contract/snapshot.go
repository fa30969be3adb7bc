package contract

import (
	"context"
	"fmt"
	"net/http"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Before a run's first write it records what exists on the server: the
// objects it must leave as it found them. The write guard (guard.go)
// refuses every PATCH and DELETE of one of them, whatever the server
// answers later; a create answered with one of their ids fails loudly.

// recordedKind is one kind of object a snapshot records before the first
// write: every object of the kind, listed, all pages; or, for a kind the
// run writes to only by name, each object the target names.
type recordedKind struct {
	// collection is the path segment before an object's id, as in
	// …/connectorGroups/{id}: a write whose path names one is a write to
	// that object.
	collection string
	what       string        // "group", for reports
	list       func() string // the collection's path
	// creates: the run may create objects of the kind (POST to list()).
	creates bool
	// named, when set, makes the kind one the run writes to only by
	// name: the snapshot reads each object the target names (get), rather
	// than listing the kind, and the guard admits writes to the links of
	// those objects (…/{id}/…/$ref) and refuses every other write to the
	// kind, to any other object, whether or not it existed.
	named func(Target) []string
	get   func(id string) string
}

// groupKind is the connector groups: the kind a run creates, and the
// one whose isDefault the guard heeds.
var groupKind = recordedKind{collection: "connectorGroups", what: "group", list: graph.ConnectorGroupsPath, creates: true}

// applicationKind is the applications (/applications, each in at most
// one connector group). A tenant may have thousands, and the run changes
// the group of the one or two the user names (Target.Application,
// Target.UnpublishedApplication) and nothing else of any: so those are
// read, not the whole list, and every write to another is refused.
var applicationKind = recordedKind{collection: "applications", what: "application", list: graph.ApplicationsPath, get: graph.ApplicationPath,
	named: func(t Target) []string { return nonEmpty(t.Application, t.UnpublishedApplication) }}

// recordedKinds are the kinds a snapshot records, by the collection
// segment that names them.
var recordedKinds = []recordedKind{groupKind, applicationKind}

// nonEmpty is the strings that are not empty.
func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

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
// graph.MaxPageSize (bounded by maxPages and maxListingBytes), or reads
// each object the target names of a named kind. When a list or an object
// cannot be read, it returns the walk, whose fail says why.
func (s *session) takeSnapshot(ctx context.Context) (*snapshot, listing) {
	sn := &snapshot{objects: map[string]map[string]entity{}}
	for _, k := range recordedKinds {
		if k.named != nil {
			byID, fail := s.readNamed(ctx, k)
			if fail != nil {
				return nil, *fail
			}
			sn.objects[k.collection] = byID
			continue
		}
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

// readNamed reads each object of k that the target names: one that exists
// is recorded, one the server answers 404 for is not (it names nothing, so
// a write to it changes nothing), and any other answer stops the snapshot.
func (s *session) readNamed(ctx context.Context, k recordedKind) (map[string]entity, *listing) {
	byID := map[string]entity{}
	for _, id := range k.named(s.target) {
		note := fmt.Sprintf("the %s this run may change, recorded before the first write", k.what)
		ex := s.send(ctx, s.call(note, http.MethodGet, k.get(id), nil))
		switch e, ok := decodeEntity(ex.ResponseBody); {
		case ex.Err == nil && ex.Status == http.StatusNotFound:
		case ex.Err == nil && ex.Status == http.StatusOK && ok:
			byID[e.ID] = e
		default:
			fail := refusal(evidenceOf(ex, note, "200, or 404", nil), ex)
			return nil, &listing{fail: &fail, failed: ex}
		}
	}
	return byID, nil
}
