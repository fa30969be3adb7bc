package contract

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// An application is in at most one connector group, only when its
// on-premises publishing is on, and reports the default group when it is
// assigned to none. These checks move the one application the target
// names (Target.Application), and try to assign the one it names without
// publishing (Target.UnpublishedApplication); each is put back by the
// cleanup (applications_cleanup.go).

// noApplication is why the application checks that write are skipped
// without -application.
const noApplication = "no -application was given, so the application checks that write are skipped: name an application published through Application Proxy to run them"

// checkStatefulApplicationAssignment assigns the application to the run's
// group from the group's side, tries to change that group's region and to
// delete it while it holds only the application, moves it to Group from
// the application's side, and removes its assignment: afterwards it
// reports the default group.
func checkStatefulApplicationAssignment(ctx context.Context, s *session) Result {
	app := s.target.Application
	if app == "" {
		return skip(noApplication)
	}
	made := s.scratch(ctx)
	if made.fail != nil {
		return skip("there is no group to assign the application to (see "+CheckStatefulCreate+")", *made.fail)
	}
	var t trail
	published, e, ok := s.readApplication(ctx, "the application", app)
	if !ok {
		t.failEvidence(&e)
		return t.result("")
	}
	if !published {
		return skip(fmt.Sprintf("application %s has no on-premises publishing (its onPremisesPublishing is null), so it cannot be assigned: pass one published through Application Proxy as -application, and this one as -unpublished-application", app), e)
	}
	t.saw(e)
	home := s.appHomeOf(ctx, app)
	switch {
	case home.fail != nil:
		t.failEvidence(home.fail)
		return t.result("")
	case home.none:
		t.fail(home.seen, fmt.Sprintf("application %s is published, yet reports no group: a published application reports the group it is assigned to, or the default one", app))
		return t.result("")
	}
	if blocked := s.beforeAppChange(ctx, app); blocked != nil {
		t.failEvidence(blocked)
		return t.result("")
	}
	detail, ok := s.assignMoveUnassign(ctx, &t, app, home, made.id)
	if !ok {
		// Put it back now, so that the checks after this one start where
		// it did (the run's group must be empty to be deleted); the
		// cleanup's step finds it there.
		s.restoreApplication(app, home)(ctx, &t)
	}
	return t.result(detail)
}

// assignMoveUnassign is stateful_application_assignment's steps, from the
// application's home to the run's group, to Group, to none; ok is false
// at the first that goes wrong.
func (s *session) assignMoveUnassign(ctx context.Context, t *trail, app string, home appHome, made string) (string, bool) {
	note := "assign the application to the new group through the group's applications/$ref"
	ex := s.send(ctx, s.call(note, http.MethodPost, graph.GroupApplicationsRefPath(made), reference(graph.ApplicationLinkAt(s.base, app))))
	if !t.expect(ex, note, http.StatusNoContent) || !s.sawAssigned(ctx, t, app, home.group, made) {
		return "", false
	}
	held, ok := s.heldByApplicationOnly(ctx, t, made)
	if !ok {
		return "", false
	}
	to := s.target.Group
	note = "move the application to Group through its connectorGroup/$ref"
	ex = s.send(ctx, s.call(note, http.MethodPut, graph.ApplicationConnectorGroupRefPath(app), reference(graph.ConnectorGroupLinkAt(s.base, to))))
	if !t.expect(ex, note, http.StatusNoContent) || !s.sawAssigned(ctx, t, app, made, to) {
		return "", false
	}
	note = "remove the application's assignment"
	if !t.expect(s.send(ctx, s.call(note, http.MethodDelete, graph.ApplicationConnectorGroupRefPath(app), nil)), note, http.StatusNoContent) {
		return "", false
	}
	now, e := s.reportedGroup(ctx, "the application's group after its assignment was removed", app)
	switch {
	case now.fail != nil:
		t.failEvidence(now.fail)
		return "", false
	case now.none || !now.isDefault:
		t.fail(e, fmt.Sprintf("the application reports %s: once its assignment is removed, an application reports the default group, as the live service's do", now))
		return "", false
	}
	t.saw(e)
	if idKey(now.group) != idKey(to) {
		if in, l := s.listsApplication(ctx, "Group's applications after the assignment was removed", to, app); l.fail != nil {
			t.failEvidence(l.fail)
		} else if in {
			t.fail(evidenceOf(l.pages[len(l.pages)-1].ex, "Group's applications after the assignment was removed", "applications without it", nil),
				fmt.Sprintf("group %s still lists application %s, which reports the default group %s", to, app, now.group))
		} else {
			t.saw(l.evidence("Group's applications after the assignment was removed")...)
		}
	}
	return fmt.Sprintf("application %s went from %s to the new group %s (applications/$ref), to group %s (connectorGroup/$ref), then, unassigned, to the default group %s; each time listed by the group it reports and by no other%s",
		app, home, made, to, now.group, held), len(t.failures) == 0
}

// sawAssigned reads the relationship from both sides after the
// application went from one group to another: it reports the new group,
// which lists it, and the old group no longer does.
func (s *session) sawAssigned(ctx context.Context, t *trail, app, from, to string) bool {
	now, e := s.reportedGroup(ctx, "the application's group after the assignment", app)
	switch {
	case now.fail != nil:
		t.failEvidence(now.fail)
		return false
	case now.none || idKey(now.group) != idKey(to):
		t.fail(e, fmt.Sprintf("the application reports %s, not group %s, the one it was assigned to", now, to))
		return false
	}
	t.saw(e)
	in, l := s.listsApplication(ctx, "the new group's applications", to, app)
	switch {
	case l.fail != nil:
		t.failEvidence(l.fail)
		return false
	case !in:
		t.fail(evidenceOf(l.pages[len(l.pages)-1].ex, "the new group's applications", "applications listing it", nil),
			fmt.Sprintf("group %s does not list application %s, which reports it", to, app))
		return false
	}
	t.saw(l.evidence("the new group's applications")...)
	if idKey(from) == idKey(to) {
		return true
	}
	in, l = s.listsApplication(ctx, "the old group's applications", from, app)
	switch {
	case l.fail != nil:
		t.failEvidence(l.fail)
		return false
	case in:
		t.fail(evidenceOf(l.pages[len(l.pages)-1].ex, "the old group's applications", "applications without it", nil),
			fmt.Sprintf("group %s still lists application %s, which is in group %s now: an application is in one group at most", from, app, to))
		return false
	}
	t.saw(l.evidence("the old group's applications")...)
	return true
}

// heldByApplicationOnly tries to change the region of the run's group and
// to delete it while it holds the application and no connector: 400 each
// time, and the group stays as it was. When the group holds a connector
// too (an earlier check left it there), the rule for applications alone
// cannot be told apart, and it says so in what it returns.
func (s *session) heldByApplicationOnly(ctx context.Context, t *trail, group string) (string, bool) {
	members := s.list(ctx, "the new group's connectors", graph.MembersPath(group), 0)
	if members.fail != nil {
		t.failEvidence(members.fail)
		return "", false
	}
	t.saw(members.evidence("the new group's connectors")...)
	if len(members.ids()) > 0 {
		return "; the region and delete rules for a group holding applications alone were not tried: the group holds a connector too", true
	}
	before, e, ok := s.get(ctx, "the new group, holding only the application", graph.ConnectorGroupPath(group))
	if !ok {
		t.failEvidence(&e)
		return "", false
	}
	t.saw(e)
	note := "change the region of a group that holds only an application"
	ex := s.send(ctx, s.call(note, http.MethodPatch, graph.ConnectorGroupPath(group), map[string]any{"region": s.region(before.region())}))
	if !t.expect(ex, note, http.StatusBadRequest) {
		return "", false
	}
	after, e, ok := s.get(ctx, "the group after the refused PATCH", graph.ConnectorGroupPath(group))
	switch {
	case !ok:
		t.failEvidence(&e)
		return "", false
	case after.region() != before.region():
		t.fail(e, fmt.Sprintf("the region is %s, not %s: the refused PATCH changed it", after.region(), before.region()))
		return "", false
	}
	t.saw(e)
	if !s.refusedDelete(ctx, t, group, "the new group, holding only an application") {
		if s.made != nil && s.made.id == group {
			if gone := s.send(ctx, s.call("the new group, read back", http.MethodGet, graph.ConnectorGroupPath(group), nil)); gone.Err == nil && gone.Status == http.StatusNotFound {
				s.scratchDeleted(group)
			}
		}
		return "", false
	}
	return "; while it held only the application, the new group kept its region and was not deleted (400 each)", true
}

// listsApplication reads the group's applications, all pages, and
// reports whether they list app.
func (s *session) listsApplication(ctx context.Context, note, group, app string) (bool, listing) {
	l := s.list(ctx, note, graph.GroupApplicationsPath(group), 0)
	return slices.ContainsFunc(l.ids(), func(id string) bool { return idKey(id) == idKey(app) }), l
}

// checkStatefulApplicationPublishing tries to assign the application
// whose on-premises publishing is off, from both sides: 404 with Graph's
// "OnPremisesPublishing is not enabled" each time, and it still reports
// no group.
func checkStatefulApplicationPublishing(ctx context.Context, s *session) Result {
	app := s.target.UnpublishedApplication
	if app == "" {
		return skip("no -unpublished-application was given, so this check is skipped: name an application whose on-premises publishing is off to run it")
	}
	made := s.scratch(ctx)
	if made.fail != nil {
		return skip("there is no group to try to assign the application to (see "+CheckStatefulCreate+")", *made.fail)
	}
	var t trail
	published, e, ok := s.readApplication(ctx, "the application without on-premises publishing", app)
	if !ok {
		t.failEvidence(&e)
		return t.result("")
	}
	if published {
		return skip(fmt.Sprintf("application %s has on-premises publishing on: pass one whose onPremisesPublishing is null as -unpublished-application", app), e)
	}
	t.saw(e)
	home := s.appHomeOf(ctx, app)
	switch {
	case home.fail != nil:
		t.failEvidence(home.fail)
		return t.result("")
	case !home.none:
		t.fail(home.seen, fmt.Sprintf("application %s has no on-premises publishing, yet reports %s: it has no connector group (404 Application_NotFound)", app, home))
		return t.result("")
	}
	if blocked := s.beforeAppChange(ctx, app); blocked != nil {
		t.failEvidence(blocked)
		return t.result("")
	}
	want := expectation{status: http.StatusNotFound, message: graph.IsPublishingNotEnabled, messageWant: graph.MsgPublishingNotEnabled}
	for _, p := range []probe{
		s.call("assign it through its connectorGroup/$ref", http.MethodPut, graph.ApplicationConnectorGroupRefPath(app), reference(graph.ConnectorGroupLinkAt(s.base, made.id))),
		s.call("assign it through the group's applications/$ref", http.MethodPost, graph.GroupApplicationsRefPath(made.id), reference(graph.ApplicationLinkAt(s.base, app))),
	} {
		ex := s.send(ctx, p)
		e := evidenceOf(ex, p.note, want.String(), nil)
		if miss := want.unmet(ex); miss != "" {
			t.failures = append(t.failures, failed(e, ex, miss))
			continue
		}
		t.saw(e)
	}
	now, e := s.reportedGroup(ctx, "its group after the refused assignments", app)
	switch {
	case now.fail != nil:
		t.failEvidence(now.fail)
	case !now.none:
		t.fail(e, fmt.Sprintf("it reports %s: a refused assignment changed it", now))
	default:
		t.saw(e)
	}
	if in, l := s.listsApplication(ctx, "the new group's applications", made.id, app); l.fail != nil {
		t.failEvidence(l.fail)
	} else if in {
		t.fail(evidenceOf(l.pages[len(l.pages)-1].ex, "the new group's applications", "applications without it", nil), fmt.Sprintf("group %s lists application %s, which cannot be assigned", made.id, app))
	} else {
		t.saw(l.evidence("the new group's applications")...)
	}
	return t.result(fmt.Sprintf("application %s, without on-premises publishing, was refused from both sides (404, %q) and still reports no group", app, graph.MsgPublishingNotEnabled))
}
