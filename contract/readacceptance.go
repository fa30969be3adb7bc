package contract

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// checkReads sends every read operation with the target's ids and judges
// what the model says: Group and Connector exist and are listed, the
// tenant has exactly one default group, and the connector's one group
// (memberOf) lists it among its members. Each read stands alone, so every
// failure is reported, not only the first.
func checkReads(ctx context.Context, s *session) Result {
	var t trail
	g, c := s.target.Group, s.target.Connector

	groups := s.list(ctx, "list the groups", graph.ConnectorGroupsPath(), 0)
	if groups.fail != nil {
		t.failEvidence(groups.fail)
	} else {
		t.saw(groups.evidence("list the groups")...)
		last := groups.pages[len(groups.pages)-1].ex
		if !slices.Contains(groups.ids(), g) {
			t.fail(evidenceOf(last, "list the groups", "a list holding Group", nil), fmt.Sprintf("group %s is not listed", g))
		}
		if defaults := defaultGroups(groups); len(defaults) != 1 {
			t.fail(evidenceOf(last, "list the groups", "exactly one default group", nil), fmt.Sprintf("%d groups have isDefault true: %q", len(defaults), defaults))
		}
	}
	if got, e, ok := s.get(ctx, "get Group", graph.ConnectorGroupPath(g)); !ok {
		t.failEvidence(&e)
	} else if got.ID != g {
		t.fail(e, fmt.Sprintf("the body names group %q", got.ID))
	} else {
		t.saw(e)
	}
	if members := s.list(ctx, "list Group's members", graph.MembersPath(g), 0); members.fail != nil {
		t.failEvidence(members.fail)
	} else {
		t.saw(members.evidence("list Group's members")...)
	}

	connectors := s.list(ctx, "list the connectors", graph.ConnectorsPath(), 0)
	if connectors.fail != nil {
		t.failEvidence(connectors.fail)
	} else {
		t.saw(connectors.evidence("list the connectors")...)
		if !slices.Contains(connectors.ids(), c) {
			last := connectors.pages[len(connectors.pages)-1].ex
			t.fail(evidenceOf(last, "list the connectors", "a list holding Connector", nil), fmt.Sprintf("connector %s is not listed", c))
		}
	}
	if got, e, ok := s.get(ctx, "get Connector", graph.ConnectorPath(c)); !ok {
		t.failEvidence(&e)
	} else if got.ID != c {
		t.fail(e, fmt.Sprintf("the body names connector %q", got.ID))
	} else {
		t.saw(e)
	}

	if home, fail := s.home(ctx); fail != nil {
		t.failEvidence(fail)
	} else if in, l := s.hasMember(ctx, "list the members of the connector's group", home, c); l.fail != nil {
		t.failEvidence(l.fail)
	} else if !in {
		last := l.pages[len(l.pages)-1].ex
		t.fail(evidenceOf(last, "list the members of the connector's group", "members listing Connector", nil),
			fmt.Sprintf("memberOf names group %s, whose members do not list connector %s", home, c))
	} else {
		t.saw(l.evidence("list the members of the connector's group")...)
	}

	for _, nothing := range []struct{ note, path string }{
		{"get a group no object is", graph.ConnectorGroupPath(noSuchID)},
		{"get a connector no object is", graph.ConnectorPath(noSuchID)},
	} {
		t.expect(s.send(ctx, s.call(nothing.note, http.MethodGet, nothing.path, nil)), nothing.note, http.StatusNotFound)
	}
	return t.result(fmt.Sprintf("%d reads answered as the model says: Group and Connector listed and readable, one default group, memberOf's group lists the connector, unknown ids 404", len(t.probed)))
}

// defaultGroups are the ids of the listed groups with isDefault true.
func defaultGroups(l listing) []string {
	var out []string
	for _, e := range l.entities() {
		if e.IsDefault != nil && *e.IsDefault {
			out = append(out, e.ID)
		}
	}
	return out
}
