package desired_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// The checks of the fake's state after a run, read through its state
// API: assertWhole for what must hold after any run, finished or not;
// assertConverged for where a finished run must have put everything.

// assertWhole checks that nothing was lost or broken: the default group
// is the one it was, every connector is in exactly one group, and every
// application is still there, a published one reporting a group that
// exists.
func assertWhole(t *testing.T, fake *fakegraph.Server, w *world) {
	t.Helper()
	snap := fake.Snapshot()
	groups := map[string]fakegraph.ConnectorGroup{}
	var defaults []string
	in := map[string]string{}
	for _, g := range snap.Groups {
		groups[g.ID] = g
		if g.IsDefault {
			defaults = append(defaults, g.ID)
		}
		for _, m := range g.Members {
			if other, dup := in[m]; dup {
				t.Errorf("connector %s is in groups %s and %s", m, other, g.ID)
			}
			in[m] = g.ID
		}
	}
	if len(defaults) != 1 || defaults[0] != w.defaultID {
		t.Errorf("the default groups are %v; want the one default group %s", defaults, w.defaultID)
	}
	if len(snap.Connectors) != len(w.conns) {
		t.Errorf("%d connectors; there were %d", len(snap.Connectors), len(w.conns))
	}
	for _, c := range w.conns {
		if _, ok := in[c.ID]; !ok {
			t.Errorf("connector %s (%s) is in no group", c.ID, c.MachineName)
		}
	}
	if len(in) != len(w.conns) {
		t.Errorf("the groups hold %d connectors; there are %d", len(in), len(w.conns))
	}
	if len(snap.Applications) != len(w.apps) {
		t.Errorf("%d applications; there were %d", len(snap.Applications), len(w.apps))
	}
	for _, a := range w.apps {
		g, err := fake.ApplicationGroup(a.ID)
		_, published := w.appGroup[a.ID]
		switch {
		case !published && !errors.Is(err, fakegraph.ErrPublishingNotEnabled):
			t.Errorf("unpublished application %s: ApplicationGroup = %v, %v; want ErrPublishingNotEnabled", a.ID, g.ID, err)
		case published && err != nil:
			t.Errorf("application %s: %v", a.ID, err)
		case published && groups[g.ID].ID == "":
			t.Errorf("application %s reports group %s, which does not exist", a.ID, g.ID)
		}
	}
}

// assertConverged checks the state against the expectation: exactly the
// expected groups, each with its name, type, region and isDefault, and
// every connector and published application in its expected group.
func assertConverged(t *testing.T, fake *fakegraph.Server, w *world, e *expectation) {
	t.Helper()
	snap := fake.Snapshot()
	key := func(g fakegraph.ConnectorGroup) groupKey {
		if _, was := w.byID[g.ID]; was {
			return existing(g.ID)
		}
		return created(g.Name)
	}
	got := make([]expectedGroup, 0, len(snap.Groups))
	keyOf := map[string]groupKey{}
	for _, g := range snap.Groups {
		k := key(g)
		keyOf[g.ID] = k
		got = append(got, expectedGroup{Key: k, Name: g.Name, Type: g.ConnectorGroupType, Region: g.Region, IsDefault: g.IsDefault})
	}
	slices.SortFunc(got, func(a, b expectedGroup) int { return strings.Compare(string(a.Key), string(b.Key)) })
	if !slices.Equal(got, e.groups) {
		t.Errorf("groups:\n got %s\nwant %s", showGroups(got), showGroups(e.groups))
	}
	gotConn := map[string]groupKey{}
	for _, g := range snap.Groups {
		for _, m := range g.Members {
			gotConn[m] = keyOf[g.ID]
		}
	}
	for _, id := range slices.Sorted(maps.Keys(e.connectors)) {
		if gotConn[id] != e.connectors[id] {
			t.Errorf("connector %s is in %s; want %s", id, gotConn[id], e.connectors[id])
		}
	}
	for _, id := range slices.Sorted(maps.Keys(e.apps)) {
		g, err := fake.ApplicationGroup(id)
		if err != nil {
			t.Errorf("application %s: %v", id, err)
			continue
		}
		if keyOf[g.ID] != e.apps[id] {
			t.Errorf("application %s reports %s (%s); want %s", id, keyOf[g.ID], g.ID, e.apps[id])
		}
	}
}

func showGroups(gs []expectedGroup) string {
	parts := make([]string, len(gs))
	for i, g := range gs {
		def := ""
		if g.IsDefault {
			def = " default"
		}
		parts[i] = fmt.Sprintf("\n    %s %q %s region=%q%s", g.Key, g.Name, g.Type, g.Region, def)
	}
	return strings.Join(parts, "")
}
