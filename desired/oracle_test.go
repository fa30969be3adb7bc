package desired_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/connectorgroups/connectorgroups/desired"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// The oracle: a model of the package doc's rules, written apart from the
// package, that says from the fake's state before a run whether a file
// must be refused, and if not, where every group, connector and
// application must stand after it.

// world is the fake's state before a run, read through its state API.
type world struct {
	groups    []fakegraph.ConnectorGroup
	byID      map[string]fakegraph.ConnectorGroup
	defaultID string
	conns     []fakegraph.Connector
	connGroup map[string]string // connector id → group id
	apps      []fakegraph.Application
	appGroup  map[string]string // published application id → the group it reports
}

func readWorld(t *testing.T, fake *fakegraph.Server) *world {
	t.Helper()
	snap := fake.Snapshot()
	w := &world{groups: snap.Groups, byID: map[string]fakegraph.ConnectorGroup{}, conns: snap.Connectors,
		connGroup: map[string]string{}, apps: snap.Applications, appGroup: map[string]string{}}
	for _, g := range snap.Groups {
		w.byID[g.ID] = g
		if g.IsDefault {
			w.defaultID = g.ID
		}
		for _, m := range g.Members {
			w.connGroup[m] = g.ID
		}
	}
	for _, a := range snap.Applications {
		g, err := fake.ApplicationGroup(a.ID)
		switch {
		case errors.Is(err, fakegraph.ErrPublishingNotEnabled):
		case err != nil:
			t.Fatalf("ApplicationGroup(%s): %v", a.ID, err)
		default:
			w.appGroup[a.ID] = g.ID
		}
	}
	return w
}

// groupsNamed is the service's groups of that exact name.
func (w *world) groupsNamed(name string) []fakegraph.ConnectorGroup {
	var out []fakegraph.ConnectorGroup
	for _, g := range w.groups {
		if g.Name == name {
			out = append(out, g)
		}
	}
	return out
}

// sendableRegions are the regions Graph takes in a request.
var sendableRegions = []string{"nam", "eur", "aus", "asia", "ind"}

// A refusal's kind, for the counts that keep the property test from
// passing on refusals alone.
const (
	refuseRegionNotEmpty = "region change of a group that would not be empty"
	refuseRegionCycle    = "region changes that wait on each other"
	refuseRegionValue    = "region Graph does not take"
	refuseAmbiguousName  = "name of several groups"
	refuseConnector      = "connector unknown, ambiguous or listed twice"
	refuseApplication    = "application unknown or unpublished"
)

// resolved is the file read against the world.
type resolved struct {
	refusals map[string][]string // kind → what

	// groupID is the service group each file group is, "" for one to
	// create.
	groupID []string
	// connTarget and appTarget are the file group that lists each
	// connector and application.
	connTarget map[string]int
	appTarget  map[string]int
}

func (r *resolved) refuse(kind, format string, args ...any) {
	if r.refusals == nil {
		r.refusals = map[string][]string{}
	}
	r.refusals[kind] = append(r.refusals[kind], fmt.Sprintf(format, args...))
}

func (r *resolved) String() string {
	var lines []string
	for kind, whats := range r.refusals {
		lines = append(lines, kind+": "+strings.Join(whats, "; "))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// resolve matches the file to the world as the package doc says: the
// default group by isDefault, others by exact name; a connector by id,
// else by machineName; and it finds every reason to refuse the file.
func resolve(w *world, f *desired.File) *resolved {
	r := &resolved{groupID: make([]string, len(f.ConnectorGroups)), connTarget: map[string]int{}, appTarget: map[string]int{}}
	for i, g := range f.ConnectorGroups {
		if g.Default {
			r.groupID[i] = w.defaultID
			continue
		}
		switch named := w.groupsNamed(g.Name); len(named) {
		case 0:
		case 1:
			r.groupID[i] = named[0].ID
		default:
			r.refuse(refuseAmbiguousName, "%q names %d groups", g.Name, len(named))
		}
	}
	for i, g := range f.ConnectorGroups {
		for _, ref := range g.Connectors {
			id, ok := r.connector(w, ref)
			if !ok {
				continue
			}
			if prev, dup := r.connTarget[id]; dup {
				r.refuse(refuseConnector, "connector %s is listed twice (groups %d and %d)", id, prev, i)
				continue
			}
			r.connTarget[id] = i
		}
		for _, id := range g.Applications {
			if !slices.ContainsFunc(w.apps, func(a fakegraph.Application) bool { return a.ID == id }) {
				r.refuse(refuseApplication, "application %s is unknown", id)
				continue
			}
			if _, published := w.appGroup[id]; !published {
				r.refuse(refuseApplication, "application %s is not published", id)
				continue
			}
			r.appTarget[id] = i
		}
	}
	changing := map[int]bool{}
	for i, g := range f.ConnectorGroups {
		if g.Region == nil {
			continue
		}
		want := *g.Region
		id := r.groupID[i]
		current := ""
		if id != "" {
			current = w.byID[id].Region
		}
		if id != "" && want == current {
			continue // kept, whatever it is
		}
		if want != "" && !slices.Contains(sendableRegions, want) {
			r.refuse(refuseRegionValue, "group %q: region %q", g.Name, want)
			continue
		}
		if id == "" {
			continue // created with it
		}
		// The group must be empty once the moves out of it are made:
		// what stays in it, listed under it or not listed at all, blocks.
		stays := false
		for _, c := range w.conns {
			if w.connGroup[c.ID] != id {
				continue
			}
			if to, listed := r.connTarget[c.ID]; !listed || to == i {
				r.refuse(refuseRegionNotEmpty, "group %q keeps connector %s", g.Name, c.ID)
				stays = true
			}
		}
		for _, a := range w.apps {
			if from, published := w.appGroup[a.ID]; !published || from != id {
				continue
			}
			if to, listed := r.appTarget[a.ID]; !listed || to == i {
				r.refuse(refuseRegionNotEmpty, "group %q keeps application %s", g.Name, a.ID)
				stays = true
			}
		}
		if !stays {
			changing[i] = true
		}
	}
	r.refuseRegionCycles(w, f, changing)
	return r
}

// refuseRegionCycles refuses region changes that wait on each other. A
// move into a group whose region changes comes after that change, and a
// group is empty for its own change only once its moves out are made;
// so a group waits for every changing group its contents move into, and
// groups that wait in a ring can never each be empty in turn.
func (r *resolved) refuseRegionCycles(w *world, f *desired.File, changing map[int]bool) {
	waitsFor := map[int]map[int]bool{}
	for i := range changing {
		waitsFor[i] = map[int]bool{}
		for _, c := range w.conns {
			if to, listed := r.connTarget[c.ID]; listed && w.connGroup[c.ID] == r.groupID[i] && to != i && changing[to] {
				waitsFor[i][to] = true
			}
		}
		for id, from := range w.appGroup {
			if to, listed := r.appTarget[id]; listed && from == r.groupID[i] && to != i && changing[to] {
				waitsFor[i][to] = true
			}
		}
	}
	// Take away, again and again, the groups that wait for none left;
	// what remains waits in a ring.
	left := maps.Clone(changing)
	for progress := true; progress; {
		progress = false
		for i := range left {
			free := true
			for j := range waitsFor[i] {
				if left[j] {
					free = false
				}
			}
			if free {
				delete(left, i)
				progress = true
			}
		}
	}
	for _, i := range slices.Sorted(maps.Keys(left)) {
		r.refuse(refuseRegionCycle, "group %q waits for the region change of a group that waits for it", f.ConnectorGroups[i].Name)
	}
}

// connector finds the connector a file's entry names, or refuses it.
func (r *resolved) connector(w *world, ref string) (string, bool) {
	for _, c := range w.conns {
		if c.ID == ref {
			return c.ID, true
		}
	}
	var found []string
	for _, c := range w.conns {
		if strings.EqualFold(c.MachineName, ref) {
			found = append(found, c.ID)
		}
	}
	switch len(found) {
	case 1:
		return found[0], true
	case 0:
		r.refuse(refuseConnector, "connector %q is unknown", ref)
	default:
		r.refuse(refuseConnector, "machineName %q names %d connectors", ref, len(found))
	}
	return "", false
}

// groupKey names a group across a run: "id:" and its id for a group that
// was there before, "new:" and its name for one the run creates.
type groupKey string

func existing(id string) groupKey  { return groupKey("id:" + id) }
func created(name string) groupKey { return groupKey("new:" + name) }

// expectedGroup is a group as it must stand after a run.
type expectedGroup struct {
	Key       groupKey
	Name      string
	Type      string
	Region    string
	IsDefault bool
}

// expectation is the whole state after a successful run.
type expectation struct {
	groups     []expectedGroup // sorted by key
	connectors map[string]groupKey
	apps       map[string]groupKey // published applications
	pruned     []string            // ids of the groups Prune deletes
}

// expect is where everything stands after a run of f (which resolve
// does not refuse) with prune.
func expect(w *world, f *desired.File, prune bool) *expectation {
	r := resolve(w, f)
	e := &expectation{connectors: map[string]groupKey{}, apps: map[string]groupKey{}}
	keys := make([]groupKey, len(f.ConnectorGroups))
	inFile := map[string]bool{}
	for i, g := range f.ConnectorGroups {
		id := r.groupID[i]
		if id == "" {
			keys[i] = created(g.Name)
			e.groups = append(e.groups, expectedGroup{Key: keys[i], Name: g.Name, Type: "applicationProxy", Region: deref(g.Region)})
			continue
		}
		inFile[id] = true
		keys[i] = existing(id)
		old := w.byID[id]
		region := old.Region
		if g.Region != nil {
			region = *g.Region
		}
		e.groups = append(e.groups, expectedGroup{Key: keys[i], Name: g.Name, Type: old.ConnectorGroupType, Region: region, IsDefault: old.IsDefault})
	}
	pruned := map[string]bool{}
	for _, g := range w.groups {
		switch {
		case inFile[g.ID]:
		case prune && !g.IsDefault && g.ConnectorGroupType == "applicationProxy":
			pruned[g.ID] = true
			e.pruned = append(e.pruned, g.ID)
		default:
			e.groups = append(e.groups, expectedGroup{Key: existing(g.ID), Name: g.Name, Type: g.ConnectorGroupType, Region: g.Region, IsDefault: g.IsDefault})
		}
	}
	slices.SortFunc(e.groups, func(a, b expectedGroup) int { return strings.Compare(string(a.Key), string(b.Key)) })
	stay := func(from string) groupKey {
		if pruned[from] {
			return existing(w.defaultID)
		}
		return existing(from)
	}
	for _, c := range w.conns {
		if i, listed := r.connTarget[c.ID]; listed {
			e.connectors[c.ID] = keys[i]
		} else {
			e.connectors[c.ID] = stay(w.connGroup[c.ID])
		}
	}
	for id, from := range w.appGroup {
		if i, listed := r.appTarget[id]; listed {
			e.apps[id] = keys[i]
		} else {
			e.apps[id] = stay(from)
		}
	}
	return e
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
