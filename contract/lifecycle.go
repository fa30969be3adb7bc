package contract

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The lifecycle checks work on one group the run creates (session.scratch)
// and deletes again, so that a real tenant's groups are only read.

// checkStatefulCreate judges the run's create, then reads the group back
// by id and in the list.
func checkStatefulCreate(ctx context.Context, s *session) Result {
	var t trail
	made := s.scratch(ctx)
	if made.alarm != "" {
		return alarmed(verdict([]Evidence{*made.fail}, nil, ""), made.alarm)
	}
	if made.fail != nil {
		t.failEvidence(made.fail)
		return t.result("")
	}
	e := evidenceOf(made.ex, "create a group", "200 or 201 with the group", nil)
	got, _ := decodeEntity(made.ex.ResponseBody)
	switch {
	case got.name() != made.name:
		t.fail(e, fmt.Sprintf("the body names it %q, not %q as sent", got.name(), made.name))
	case got.IsDefault == nil || *got.IsDefault:
		t.fail(e, "the new group says it is the default, or does not say")
	default:
		t.saw(e)
	}
	read, e, ok := s.get(ctx, "get the new group", graph.ConnectorGroupPath(made.id))
	switch {
	case !ok:
		t.failEvidence(&e)
	case read.ID != made.id || read.name() != made.name:
		t.fail(e, fmt.Sprintf("GET reads group %q named %q", read.ID, read.name()))
	default:
		t.saw(e)
	}
	l := s.list(ctx, "list the groups", graph.ConnectorGroupsPath(), 0)
	switch {
	case l.fail != nil:
		t.failEvidence(l.fail)
	case !slices.Contains(l.ids(), made.id):
		t.fail(evidenceOf(l.pages[len(l.pages)-1].ex, "list the groups", "a list holding the new group", nil), fmt.Sprintf("no page lists group %s", made.id))
	default:
		t.saw(l.evidence("list the groups")...)
	}
	return t.result(fmt.Sprintf("created group %s (%d), read it back, and found it in the list (%s)", made.id, made.ex.Status, count(len(l.pages), "page")))
}

// checkStatefulUpdate renames the run's group and sets its region while
// it is empty, then reads it back.
func checkStatefulUpdate(ctx context.Context, s *session) Result {
	var t trail
	made := s.scratch(ctx)
	if made.fail != nil {
		return skip("there is no group to update (see "+CheckStatefulCreate+")", *made.fail)
	}
	name, region := s.runName("renamed"), s.region("")
	note := "rename the new group and set its region"
	ex := s.send(ctx, s.call(note, http.MethodPatch, graph.ConnectorGroupPath(made.id), map[string]any{"name": name, "region": region}))
	if !t.expect(ex, note, http.StatusNoContent, http.StatusOK) {
		return t.result("")
	}
	if ex.Status == http.StatusOK {
		if got, _ := decodeEntity(ex.ResponseBody); got.name() != name || got.region() != region {
			t.fail(t.probed[len(t.probed)-1], fmt.Sprintf("the 200's group is named %q in region %s", got.name(), got.region()))
			return t.result("")
		}
	}
	got, e, ok := s.get(ctx, "the renamed group, read back", graph.ConnectorGroupPath(made.id))
	switch {
	case !ok:
		t.failEvidence(&e)
	case got.name() != name || got.region() != region:
		t.fail(e, fmt.Sprintf("GET reads name %q and region %s, not %q and %s as sent", got.name(), got.region(), name, region))
	default:
		t.saw(e)
	}
	return t.result(fmt.Sprintf("PATCH %d, and GET reads the new name and region %s", ex.Status, region))
}

// regionSchema is the spec's enum of the regions a request may send, the
// published ones; responses may carry others, such as "japan".
const regionSchema = "ConnectorGroupRegion"

// region is a region of the spec's enum other than not ("" for any).
func (s *session) region(not string) string {
	for _, r := range s.validator.enum(regionSchema) {
		if r != not && r != "unknownFutureValue" {
			return r
		}
	}
	return ""
}

// checkStatefulDelete tries the delete rules in the order that leaves
// nothing behind: the run's group is refused while it holds the
// connector, and the emptied group goes.
//
// It never sends a DELETE for the default group, although Graph refuses
// one: against a real tenant a server that wrongly accepted it would lose
// the tenant's default group, which no cleanup can bring back. The fake's
// own tests prove that rule (fakegraph/groups_test.go).
func checkStatefulDelete(ctx context.Context, s *session) Result {
	var t trail
	made := s.scratch(ctx)
	if made.fail != nil {
		return skip("there is no group to delete (see "+CheckStatefulCreate+")", *made.fail)
	}
	c := s.target.Connector
	from, l, fail := s.groupOf(ctx, "the connector's group", c)
	if fail != nil {
		t.failEvidence(fail)
		return t.result("")
	}
	t.saw(l.evidence("the connector's group")...)
	back := from
	if from == made.id {
		back, _ = s.home(ctx)
	}
	if blocked := s.beforeMove(ctx); blocked != nil {
		t.failEvidence(blocked)
		return t.result("")
	}
	if from != made.id {
		note := "move the connector into the new group through memberOf/$ref"
		ex := s.send(ctx, s.call(note, http.MethodPost, graph.MemberOfRefPath(c), reference(graph.ConnectorGroupLinkAt(s.base, made.id))))
		if !t.expect(ex, note, http.StatusNoContent) {
			return t.result("")
		}
	}
	if !s.refusedDelete(ctx, &t, made.id, "the new group, holding the connector") {
		return t.result("")
	}
	note := "move the connector back out through memberOf/$ref"
	ex := s.send(ctx, s.call(note, http.MethodPost, graph.MemberOfRefPath(c), reference(graph.ConnectorGroupLinkAt(s.base, back))))
	if !t.expect(ex, note, http.StatusNoContent) {
		return t.result("")
	}

	note = "delete the emptied group"
	if !t.expect(s.send(ctx, s.call(note, http.MethodDelete, graph.ConnectorGroupPath(made.id), nil)), note, http.StatusNoContent) {
		return t.result("")
	}
	note = "the deleted group, read back"
	if !t.expect(s.send(ctx, s.call(note, http.MethodGet, graph.ConnectorGroupPath(made.id), nil)), note, http.StatusNotFound) {
		return t.result("")
	}
	s.scratchDeleted(made.id)
	after := s.list(ctx, "list the groups after the delete", graph.ConnectorGroupsPath(), 0)
	switch {
	case after.fail != nil:
		t.failEvidence(after.fail)
	case slices.Contains(after.ids(), made.id):
		t.fail(evidenceOf(after.pages[len(after.pages)-1].ex, "list the groups after the delete", "a list without the deleted group", nil), fmt.Sprintf("group %s is still listed", made.id))
	default:
		t.saw(after.evidence("list the groups after the delete")...)
	}
	return t.result(fmt.Sprintf("the group %s was refused while it held a connector and stayed; emptied, it was deleted, then 404 and unlisted", made.id))
}

// refusedDelete deletes a group that must not go, wants 400, and reads it
// back. A group deleted against the rules that the run did not create
// cannot be brought back: cleanup then says so, and the run fails.
func (s *session) refusedDelete(ctx context.Context, t *trail, id, what string) bool {
	note := "delete " + what
	ex := s.send(ctx, s.call(note, http.MethodDelete, graph.ConnectorGroupPath(id), nil))
	if !t.expect(ex, note, http.StatusBadRequest) {
		if ex.Err == nil && ex.Status/100 == 2 && (s.made == nil || s.made.id != id) {
			lost := evidenceOf(ex, note, "400", nil)
			s.cleanups.push(cleanupStep{key: "lost " + id, undo: func(_ context.Context, ct *trail) undone {
				ct.fail(lost, fmt.Sprintf("the server deleted %s (%s) against its rules; no cleanup can bring it back", what, id))
				return leaves(true, "group %s (%s) is gone: the server deleted it against its rules, and no cleanup can bring it back", id, what)
			}})
		}
		return false
	}
	_, e, ok := s.get(ctx, what+", read back after the refused delete", graph.ConnectorGroupPath(id))
	if !ok {
		t.failEvidence(&e)
		return false
	}
	t.saw(e)
	return true
}
