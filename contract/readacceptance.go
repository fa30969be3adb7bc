package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

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
	if groups.fail == nil {
		s.readBack(ctx, &t, groups)
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

	s.readApplications(ctx, &t)

	for _, nothing := range []struct{ note, path string }{
		{"get a group no object is", graph.ConnectorGroupPath(noSuchID)},
		{"get a connector no object is", graph.ConnectorPath(noSuchID)},
		{"get an application no object is", graph.ApplicationPath(noSuchID)},
	} {
		t.expect(s.send(ctx, s.call(nothing.note, http.MethodGet, nothing.path, nil)), nothing.note, http.StatusNotFound)
	}
	return t.result(fmt.Sprintf("%d reads answered as the model says: Group and Connector listed and readable, one default group, listed groups read the same by id, memberOf's group lists the connector, the applications and Group's applications listed%s, unknown ids 404", len(t.probed), s.applicationReadsSaid()))
}

// maxReadBack bounds the listed groups read again by id, so that a
// tenant of many groups costs a bounded number of reads.
const maxReadBack = 10

// readBack GETs the listed groups by id, at most maxReadBack: those whose
// region or connectorGroupType is beyond the published enums first (a
// server whose typed model knows only the published values may drop
// them on one path and not the other, as the official Go SDK reads
// "japan" as no region), then the others in list order. Each must read
// as the list has it: the same name, type, default and region.
func (s *session) readBack(ctx context.Context, t *trail, groups listing) {
	published := s.validator.enum(regionSchema)
	var beyond, others []json.RawMessage
	for _, p := range groups.pages {
		for _, raw := range p.items {
			e, ok := decodeEntity(raw)
			switch {
			case !ok:
			case e.groupType() != graph.GroupTypeApplicationProxy || (e.Region != nil && !slices.Contains(published, *e.Region)):
				beyond = append(beyond, raw)
			default:
				others = append(others, raw)
			}
		}
	}
	for _, raw := range append(beyond, others...)[:min(len(beyond)+len(others), maxReadBack)] {
		listed, _ := decodeEntity(raw)
		note := "get listed group " + listed.ID
		ex := s.send(ctx, s.call(note, http.MethodGet, graph.ConnectorGroupPath(listed.ID), nil))
		e := evidenceOf(ex, note, "200 with the group as the list has it", nil)
		if ex.Err != nil || ex.Status != http.StatusOK {
			refused := refusal(e, ex)
			t.failEvidence(&refused)
			continue
		}
		if diff := groupDifferences(raw, ex.ResponseBody); len(diff) > 0 {
			t.fail(e, "it reads otherwise by id than in the list: "+strings.Join(diff, "; "))
			continue
		}
		t.saw(e)
	}
}

// groupDifferences lists the properties of a group whose values differ
// between two bodies that both carry them: "region \"japan\" in the
// list, null by id".
func groupDifferences(listed, read []byte) []string {
	var a, b map[string]json.RawMessage
	if json.Unmarshal(listed, &a) != nil || json.Unmarshal(read, &b) != nil {
		return []string{"a body is not a JSON object"}
	}
	var out []string
	for _, name := range []string{"name", "connectorGroupType", "isDefault", "region"} {
		va, inA := a[name]
		vb, inB := b[name]
		if !inA || !inB {
			continue
		}
		var x, y any
		if json.Unmarshal(va, &x) != nil || json.Unmarshal(vb, &y) != nil || !reflect.DeepEqual(x, y) {
			out = append(out, fmt.Sprintf("%s %s in the list, %s by id", name, graph.OneLine(string(va), 80), graph.OneLine(string(vb), 80)))
		}
	}
	return out
}

// readApplications reads the applications' side of the model: the list
// of applications and Group's; with Target.Application, that it is
// listed, and that the group it reports lists it; with
// Target.UnpublishedApplication, that it reports no group.
func (s *session) readApplications(ctx context.Context, t *trail) {
	apps := s.list(ctx, "list the applications", graph.ApplicationsPath(), 0)
	if apps.fail != nil {
		t.failEvidence(apps.fail)
	} else {
		t.saw(apps.evidence("list the applications")...)
		for _, named := range nonEmpty(s.target.Application, s.target.UnpublishedApplication) {
			if !slices.ContainsFunc(apps.ids(), func(id string) bool { return idKey(id) == idKey(named) }) {
				t.fail(evidenceOf(apps.pages[len(apps.pages)-1].ex, "list the applications", "a list holding it", nil), fmt.Sprintf("application %s is not listed", named))
			}
		}
	}
	if l := s.list(ctx, "list Group's applications", graph.GroupApplicationsPath(s.target.Group), 0); l.fail != nil {
		t.failEvidence(l.fail)
	} else {
		t.saw(l.evidence("list Group's applications")...)
	}
	if app := s.target.Application; app != "" {
		if published, e, ok := s.readApplication(ctx, "get Application", app); !ok {
			t.failEvidence(&e)
		} else if t.saw(e); published {
			home := s.appHomeOf(ctx, app)
			switch {
			case home.fail != nil:
				t.failEvidence(home.fail)
			case home.none:
				t.fail(home.seen, "a published application reports no group: it reports the one it is assigned to, or the default group")
			default:
				t.saw(home.seen)
				if in, l := s.listsApplication(ctx, "the applications of the group it reports", home.group, app); l.fail != nil {
					t.failEvidence(l.fail)
				} else if !in {
					t.fail(evidenceOf(l.pages[len(l.pages)-1].ex, "the applications of the group it reports", "applications listing it", nil),
						fmt.Sprintf("application %s reports %s, whose applications do not list it", app, home))
				} else {
					t.saw(l.evidence("the applications of the group it reports")...)
				}
			}
		}
	}
	if app := s.target.UnpublishedApplication; app != "" {
		if published, e, ok := s.readApplication(ctx, "get UnpublishedApplication", app); !ok {
			t.failEvidence(&e)
		} else if t.saw(e); !published {
			want := expectation{status: http.StatusNotFound, message: graph.IsPublishingNotEnabled, messageWant: graph.MsgPublishingNotEnabled}
			note := "the group of an application without on-premises publishing"
			ex := s.send(ctx, s.call(note, http.MethodGet, graph.ApplicationConnectorGroupPath(app), nil))
			e := evidenceOf(ex, note, want.String(), nil)
			if miss := want.unmet(ex); miss != "" {
				t.failures = append(t.failures, failed(e, ex, miss))
			} else {
				t.saw(e)
			}
		}
	}
}

// applicationReadsSaid says, for the report, which named applications
// read_acceptance read.
func (s *session) applicationReadsSaid() string {
	var said []string
	if s.target.Application != "" {
		said = append(said, "Application's group lists it")
	}
	if s.target.UnpublishedApplication != "" {
		said = append(said, "UnpublishedApplication reports no group")
	}
	if len(said) == 0 {
		return ""
	}
	return " (" + strings.Join(said, "; ") + ")"
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
