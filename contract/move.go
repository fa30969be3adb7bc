package contract

import (
	"context"
	"fmt"
	"net/http"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// A connector is always in exactly one group, and adding it to another
// moves it: these checks move the target's connector and read every side
// of the model afterwards.

// checkStatefulMove moves the connector into the run's group through
// today's members/$ref, tries to change that group's region while it
// holds the connector, and moves it back through memberOf/$ref.
func checkStatefulMove(ctx context.Context, s *session) Result {
	var t trail
	made := s.scratch(ctx)
	if made.fail != nil {
		return skip("there is no group to move the connector into (see "+CheckStatefulCreate+")", *made.fail)
	}
	c := s.target.Connector
	from, l, fail := s.groupOf(ctx, "the connector's group before the move", c)
	if fail != nil {
		t.failEvidence(fail)
		return t.result("")
	}
	t.saw(l.evidence("the connector's group before the move")...)
	if from == made.id {
		return skip("the connector is in the run's group already, left there by an earlier check", t.probed...)
	}
	if blocked := s.beforeMove(ctx); blocked != nil {
		t.failEvidence(blocked)
		return t.result("")
	}

	note := "move the connector into the new group through today's members/$ref"
	ex := s.send(ctx, s.call(note, http.MethodPost, graph.MembersRefPath(made.id), reference(graph.ConnectorLinkAt(s.base, c))))
	if !t.expect(ex, note, http.StatusNoContent, http.StatusCreated) || !s.sawMove(ctx, &t, from, made.id) {
		return t.result("")
	}
	if !s.regionLocked(ctx, &t, made.id) {
		return t.result("")
	}
	note = "move it back through memberOf/$ref"
	ex = s.send(ctx, s.call(note, http.MethodPost, graph.MemberOfRefPath(c), reference(graph.ConnectorGroupLinkAt(s.base, from))))
	if !t.expect(ex, note, http.StatusNoContent) || !s.sawMove(ctx, &t, made.id, from) {
		return t.result("")
	}
	return t.result(fmt.Sprintf("connector %s moved from group %s to %s through members/$ref and back through memberOf/$ref; each time gone from the old group, listed in the new, memberOf naming it; the region stayed while the group held it", c, from, made.id))
}

// sawMove reads the model after the connector moved from one group to
// another: gone from the old group's members, in the new group's, and
// memberOf names the new group.
func (s *session) sawMove(ctx context.Context, t *trail, from, to string) bool {
	c := s.target.Connector
	inOld, l := s.hasMember(ctx, "the old group's members after the move", from, c)
	switch {
	case l.fail != nil:
		t.failEvidence(l.fail)
		return false
	case inOld:
		t.fail(evidenceOf(l.pages[len(l.pages)-1].ex, "the old group's members after the move", "members without the connector", nil),
			fmt.Sprintf("group %s still lists connector %s: the add copied it instead of moving it", from, c))
		return false
	}
	t.saw(l.evidence("the old group's members after the move")...)
	inNew, l := s.hasMember(ctx, "the new group's members after the move", to, c)
	switch {
	case l.fail != nil:
		t.failEvidence(l.fail)
		return false
	case !inNew:
		t.fail(evidenceOf(l.pages[len(l.pages)-1].ex, "the new group's members after the move", "members listing the connector", nil),
			fmt.Sprintf("group %s does not list connector %s", to, c))
		return false
	}
	t.saw(l.evidence("the new group's members after the move")...)
	now, l, fail := s.groupOf(ctx, "the connector's memberOf after the move", c)
	switch {
	case fail != nil:
		t.failEvidence(fail)
		return false
	case now != to:
		t.fail(evidenceOf(l.pages[len(l.pages)-1].ex, "the connector's memberOf after the move", "the new group", nil),
			fmt.Sprintf("memberOf names group %s, not %s, the group it moved to", now, to))
		return false
	}
	t.saw(l.evidence("the connector's memberOf after the move")...)
	return true
}

// regionLocked tries to change the region of a group that holds a
// connector: 400, and the region stays.
func (s *session) regionLocked(ctx context.Context, t *trail, group string) bool {
	before, e, ok := s.get(ctx, "the new group, holding the connector", graph.ConnectorGroupPath(group))
	if !ok {
		t.failEvidence(&e)
		return false
	}
	t.saw(e)
	note := "change the region of a group that holds a connector"
	region := s.region(before.region())
	ex := s.send(ctx, s.call(note, http.MethodPatch, graph.ConnectorGroupPath(group), map[string]any{"region": region}))
	if !t.expect(ex, note, http.StatusBadRequest) {
		return false
	}
	after, e, ok := s.get(ctx, "the group after the refused PATCH", graph.ConnectorGroupPath(group))
	switch {
	case !ok:
		t.failEvidence(&e)
		return false
	case after.region() != before.region():
		t.fail(e, fmt.Sprintf("the region is %s, not %s: the refused PATCH changed it", after.region(), before.region()))
		return false
	}
	t.saw(e)
	return true
}

// checkStatefulDocPath reads, through today's paths, the membership the
// doc's add made: one model serves both paths.
func checkStatefulDocPath(ctx context.Context, s *session) Result {
	first, blocked := s.firstAdd(ctx)
	if blocked != nil {
		return skip("the doc's add was not sent (see "+CheckPositiveData+")", *blocked)
	}
	if first.Err != nil || first.Status/100 != 2 {
		return skip("the doc's add did not succeed (see "+CheckPositiveData+")", evidenceOf(first, "the doc's add", "2xx", nil))
	}
	var t trail
	t.saw(evidenceOf(first, "the doc's add", "2xx", nil))
	g, c := s.target.Group, s.target.Connector
	in, l := s.hasMember(ctx, "Group's members through today's path", g, c)
	switch {
	case l.fail != nil:
		t.failEvidence(l.fail)
	case !in:
		t.fail(evidenceOf(l.pages[len(l.pages)-1].ex, "Group's members through today's path", "members listing the connector", nil),
			fmt.Sprintf("the doc's path added connector %s to group %s, but today's path does not list it there", c, g))
	default:
		t.saw(l.evidence("Group's members through today's path")...)
	}
	now, l, fail := s.groupOf(ctx, "the connector's memberOf", c)
	switch {
	case fail != nil:
		t.failEvidence(fail)
	case now != g:
		t.fail(evidenceOf(l.pages[len(l.pages)-1].ex, "the connector's memberOf", "Group", nil), fmt.Sprintf("memberOf names group %s, not %s", now, g))
	default:
		t.saw(l.evidence("the connector's memberOf")...)
	}
	if home, fail := s.home(ctx); fail == nil && home != g {
		inHome, l := s.hasMember(ctx, "the members of the group it came from", home, c)
		switch {
		case l.fail != nil:
			t.failEvidence(l.fail)
		case inHome:
			t.fail(evidenceOf(l.pages[len(l.pages)-1].ex, "the members of the group it came from", "members without the connector", nil),
				fmt.Sprintf("group %s still lists connector %s after the doc's add moved it", home, c))
		default:
			t.saw(l.evidence("the members of the group it came from")...)
		}
	}
	return t.result(fmt.Sprintf("after the doc's add, today's paths list connector %s in group %s only", c, g))
}
