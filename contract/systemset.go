package contract

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// checkStatefulSystemSet sends the system-set isDefault and
// connectorGroupType as clients that send a whole group do: in a create
// and in an update of that group. Both must be accepted and ignored: the
// group is not the default, its type is the system's, and the tenant's
// default group is the one it was before the run.
//
// It sends "isDefault": false, never true, although the live service was
// seen ignoring true (terraform-provider-microsoft365 PR #3213): a server
// that wrongly honoured true would take the default from the tenant's
// group, which no cleanup could give back. That a create ignores true is
// the fake's to prove, in its own tests. It works on a group of its own,
// so that a server that mishandles the properties harms no other check.
func checkStatefulSystemSet(ctx context.Context, s *session) Result {
	var t trail
	name := s.runName("system-set")
	note := `create a group, sending "isDefault": false and "connectorGroupType"`
	ex := s.send(ctx, s.call(note, http.MethodPost, graph.ConnectorGroupsPath(),
		map[string]any{"name": name, "isDefault": false, "connectorGroupType": graph.GroupTypeApplicationProxy}))
	alarm := s.afterCreate(ex)
	if !t.expect(ex, note, http.StatusOK, http.StatusCreated) {
		return alarmed(t.result(""), nonEmpty(alarm)...)
	}
	made, ok := decodeEntity(ex.ResponseBody)
	e := t.probed[len(t.probed)-1]
	switch {
	case !ok:
		e.Violations = ex.ResponseViolations()
		t.fail(e, "the body names no group")
	case alarm != "":
		return alarmed(verdict([]Evidence{e}, nil, ""), alarm)
	case made.isDefault():
		t.fail(e, "the new group says it is the default: a create must ignore isDefault")
	case made.IsDefault == nil:
		t.fail(e, "the new group does not say whether it is the default")
	}
	if len(t.failures) > 0 {
		return t.result("")
	}
	kind := made.groupType()
	if kind == "" {
		kind = graph.GroupTypeApplicationProxy
	}
	if !s.readsUnchanged(ctx, &t, "the new group, read back", made.ID, name, kind) {
		return t.result("")
	}

	note = `update the new group, sending "isDefault": false and "connectorGroupType"`
	ex = s.send(ctx, s.call(note, http.MethodPatch, graph.ConnectorGroupPath(made.ID), map[string]any{"isDefault": false, "connectorGroupType": kind}))
	if !t.expect(ex, note, http.StatusNoContent, http.StatusOK) {
		return t.result("")
	}
	if got, ok := decodeEntity(ex.ResponseBody); ex.Status == http.StatusOK && (!ok || got.isDefault()) {
		t.fail(t.probed[len(t.probed)-1], "the 200's group says it is the default, or names no group: an update must ignore isDefault")
		return t.result("")
	}
	if !s.readsUnchanged(ctx, &t, "the updated group, read back", made.ID, name, kind) {
		return t.result("")
	}

	note = "list the groups: the default is the one it was"
	l := s.list(ctx, note, graph.ConnectorGroupsPath(), 0)
	if l.fail != nil {
		t.failEvidence(l.fail)
		return t.result("")
	}
	before, after := keys(s.guard.before.defaults()), keys(defaultGroups(l))
	if !slices.Equal(before, after) {
		t.fail(evidenceOf(l.pages[len(l.pages)-1].ex, note, "the default group of before the run", nil),
			fmt.Sprintf("the default groups were %q before the run and are %q now", before, after))
		return t.result("")
	}
	t.saw(l.evidence(note)...)
	return t.result(fmt.Sprintf("a create (%d) and an update took \"isDefault\": false and \"connectorGroupType\" %q and ignored them: group %s is not the default, and the default is still %s",
		t.statusOf(0), kind, made.ID, strings.Join(after, ", ")))
}

// readsUnchanged GETs the group and wants it as made: named name, of
// type kind, and not the default.
func (s *session) readsUnchanged(ctx context.Context, t *trail, note, id, name, kind string) bool {
	got, e, ok := s.get(ctx, note, graph.ConnectorGroupPath(id))
	switch {
	case !ok:
		t.failEvidence(&e)
	case got.isDefault() || got.IsDefault == nil:
		t.fail(e, "GET says the group is the default, or does not say: isDefault must be ignored")
	case got.groupType() != kind:
		t.fail(e, fmt.Sprintf("GET reads connectorGroupType %q, not %q as the system set it", got.groupType(), kind))
	case got.name() != name:
		t.fail(e, fmt.Sprintf("GET reads the name %q, not %q", got.name(), name))
	default:
		t.saw(e)
		return true
	}
	return false
}

// statusOf is the status of the i-th exchange the trail saw.
func (t *trail) statusOf(i int) int { return t.probed[i].Status }

// keys are ids as the guard compares them, sorted.
func keys(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = idKey(id)
	}
	slices.Sort(out)
	return out
}
