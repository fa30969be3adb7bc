package contract

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// A run must leave the server as it found it: every group it creates is
// deleted again, and the connector it moves goes back to the group it
// started in. Before each request that could change something (even one a
// correct server refuses), the check pushes the step that would undo it
// onto the session's cleanup stack; Run runs the stack after the checks,
// whether they passed, failed or were cut short, on a context of its own,
// and reports it as the report's Cleanup.

// CleanupTimeout bounds the cleanup that follows a run. It runs on a fresh
// context, so that a run cancelled or timed out still puts things back.
const CleanupTimeout = 2 * time.Minute

// cleanupStep undoes one change. It records what it sent in t (failures
// included) and says what it did, or what its failure leaves.
type cleanupStep struct {
	key string
	// first steps run before the others: the connector goes back before
	// any group is deleted, since a group that holds it cannot be.
	first bool
	undo  func(ctx context.Context, t *trail) undone
}

// undone is what a cleanup step did, or what its failure leaves.
type undone struct {
	did string
	// left says what a failed step leaves on the server: "group X
	// ("name"), which this run created, is left behind".
	left string
	// known is true when the server's answers say so; false when it is
	// only feared (no answer came, or one that does not say).
	known bool
}

func did(format string, a ...any) undone { return undone{did: fmt.Sprintf(format, a...)} }

func leaves(known bool, format string, a ...any) undone {
	return undone{left: fmt.Sprintf(format, a...), known: known}
}

// The headlines of a failed cleanup. The server is said to be left
// changed only when its answers say so and it accepted a write of this
// run; otherwise, that it may be.
const (
	leftChanged      = "THE SERVER IS LEFT CHANGED"
	mayBeLeftChanged = "THE SERVER MAY BE LEFT CHANGED"
)

// cleanupStack holds the steps, the latest last. Pushing a key again
// moves its step to the top, so each change is undone once.
type cleanupStack struct{ steps []cleanupStep }

func (c *cleanupStack) push(step cleanupStep) {
	c.drop(step.key)
	c.steps = append(c.steps, step)
}

// pushOnce pushes step unless its key is on the stack already.
func (c *cleanupStack) pushOnce(step cleanupStep) {
	if !slices.ContainsFunc(c.steps, func(s cleanupStep) bool { return s.key == step.key }) {
		c.steps = append(c.steps, step)
	}
}

// drop forgets a step whose change a check undid itself.
func (c *cleanupStack) drop(key string) {
	c.steps = slices.DeleteFunc(c.steps, func(s cleanupStep) bool { return s.key == key })
}

// order is the order the steps run in: the first ones, then the others,
// each latest first.
func (c *cleanupStack) order() []cleanupStep {
	var first, rest []cleanupStep
	for i := len(c.steps) - 1; i >= 0; i-- {
		if c.steps[i].first {
			first = append(first, c.steps[i])
		} else {
			rest = append(rest, c.steps[i])
		}
	}
	return append(first, rest...)
}

// cleanup runs the stack and reports it; nil when the run pushed nothing.
// When no write of the run may have changed anything (each was refused,
// by the server with a 4xx or by the guard, or never reached it), there
// is nothing to undo, and it says so without sending anything. Otherwise
// it runs every step; a failed one says what it leaves.
func (s *session) cleanup(ctx context.Context) *Result {
	steps := s.cleanups.order()
	if len(steps) == 0 {
		return nil
	}
	s.cleanups = cleanupStack{}
	if !s.guard.writes.mayHaveChanged() {
		return &Result{Check: CleanupName, Status: StatusPass, Detail: "nothing to undo: " + s.guard.writes.noneAccepted()}
	}
	var t trail
	var done, left []string
	known := false
	for _, step := range steps {
		u := step.undo(ctx, &t)
		if u.did != "" {
			done = append(done, u.did)
		}
		if u.left != "" {
			left = append(left, u.left)
			known = known || u.known
		}
	}
	res := t.result(strings.Join(done, "; "))
	res.Check = CleanupName
	if res.Status == StatusFail || len(left) > 0 {
		headline := mayBeLeftChanged
		if known && s.guard.writes.accepted > 0 {
			headline = leftChanged
		}
		if len(left) == 0 {
			left = []string{"a step failed"}
		}
		first := res.Detail
		if res.Status != StatusFail {
			first = ""
		}
		res.Status = StatusFail
		res.Detail = headline + ": " + strings.Join(left, "; ")
		if first != "" {
			res.Detail += "; the first failed step: " + first
		}
		if len(done) > 0 {
			res.Detail += "; undone: " + strings.Join(done, "; ")
		}
	}
	return &res
}

// CleanupName names the cleanup's line in a report.
const CleanupName = "cleanup"

// cleanupContext is the context cleanup runs on: ctx's values, none of its
// cancellation, and a deadline of its own.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), CleanupTimeout)
}

// homeResult is the group the connector was in when the run found it.
type homeResult struct {
	id   string
	fail *Evidence
}

// home is the connector's group before the run moved it, read once from
// its memberOf: where cleanup moves it back to.
func (s *session) home(ctx context.Context) (string, *Evidence) {
	if s.homeSeen == nil {
		id, _, fail := s.groupOf(ctx, "the connector's group, to move it back to", s.target.Connector)
		s.homeSeen = &homeResult{id: id, fail: fail}
	}
	return s.homeSeen.id, s.homeSeen.fail
}

// beforeMove must be called before any request that could move the
// connector: it makes sure cleanup will move it back. When the
// connector's group cannot be read, it returns why, and the caller sends
// nothing that could move it.
func (s *session) beforeMove(ctx context.Context) *Evidence {
	home, fail := s.home(ctx)
	if fail != nil {
		e := *fail
		e.Note += "; so nothing that could move the connector is sent: it could not be moved back"
		return &e
	}
	s.cleanups.push(cleanupStep{key: "connector", first: true, undo: s.restoreConnector(home)})
	return nil
}

// reference is an OData link body.
func reference(link string) map[string]string { return map[string]string{"@odata.id": link} }

// restoreConnector moves the connector back to home unless it is there:
// through memberOf/$ref, else today's members/$ref, else the doc's path,
// then reads memberOf to see that it worked. home may be a group that
// existed before the run, even the default: this moves the run's
// connector, it changes nothing of the group's own.
func (s *session) restoreConnector(home string) func(context.Context, *trail) undone {
	return func(ctx context.Context, t *trail) undone {
		c := s.target.Connector
		now, l, fail := s.groupOf(ctx, "cleanup: the connector's group", c)
		if fail == nil && now == home {
			t.saw(l.evidence("cleanup: the connector's group")...)
			return did("connector %s is in group %s, where it started", c, home)
		}
		if fail != nil {
			t.saw(*fail) // moving it back is tried all the same
		} else {
			t.saw(l.evidence("cleanup: the connector's group")...)
		}
		attempts := []probe{
			s.call("cleanup: move the connector back through memberOf/$ref", http.MethodPost, graph.MemberOfRefPath(c), reference(graph.ConnectorGroupLinkAt(s.base, home))),
			s.call("cleanup: move the connector back through members/$ref", http.MethodPost, graph.MembersRefPath(home), reference(graph.ConnectorLinkAt(s.base, c))),
			s.call("cleanup: move the connector back through the doc's path", http.MethodPost, graph.DocMembersRefPath(home), reference(graph.DocConnectorLinkAt(s.base, c))),
		}
		for _, p := range attempts {
			ex := s.send(ctx, p)
			e := evidenceOf(ex, p.note, "2xx, or the duplicate 400", nil)
			if ex.Err == nil && (ex.Status/100 == 2 || isDuplicate(ex)) {
				t.saw(e)
				break
			}
			t.saw(refusal(e, ex)) // the next way may work; the read below decides
		}
		now, l, fail = s.groupOf(ctx, "cleanup: the connector's group after moving it back", c)
		switch {
		case fail != nil:
			t.failEvidence(fail)
			return leaves(false, "it is not known which group connector %s is in (it started in group %s): its memberOf could not be read", c, home)
		case now != home:
			last := l.pages[len(l.pages)-1].ex
			t.fail(evidenceOf(last, "cleanup: the connector's group after moving it back", "group "+home, nil),
				fmt.Sprintf("the connector is in group %s, not in %s where it started", now, home))
			return leaves(true, "connector %s is left in group %s; it started in group %s", c, now, home)
		}
		t.saw(l.evidence("cleanup: the connector's group after moving it back")...)
		return did("moved connector %s back to group %s", c, home)
	}
}

func isDuplicate(ex Exchange) bool {
	_, msg := graphError(ex.ResponseBody)
	return ex.Err == nil && graph.IsAlreadyExists(ex.Status, msg)
}

// runPrefix starts the name of every group this run creates, so that
// cleanup can find one whose create was answered oddly.
func (s *session) runPrefix() string { return "connectorgroups-verify-" + s.runID + "-" }

func (s *session) runName(what string) string { return s.runPrefix() + what }

// afterCreate pushes what undoes a create: the delete of the group it
// made, and a sweep for groups of this run whose create said nothing
// usable. A create that was refused (a 4xx, or not sent) made nothing.
// The id a 2xx answer names is the run's only when the guard admits it as
// new; otherwise nothing is pushed for it, and alarm says what the server
// did, for the check that sent the create to lead its failure with.
func (s *session) afterCreate(ex Exchange) (alarm string) {
	switch outcomeOf(ex) {
	case writeUnsent, writeRefused:
		return ""
	}
	s.cleanups.pushOnce(cleanupStep{key: "sweep", undo: s.sweep})
	if ex.Err != nil || ex.Status/100 != 2 {
		return ""
	}
	e, ok := decodeEntity(ex.ResponseBody)
	if !ok {
		return ""
	}
	ours, alarm := s.guard.admitCreated(e.ID)
	if ours {
		createdAs := ""
		if e.name() != "" {
			createdAs = fmt.Sprintf(" (created as %q)", e.name())
		}
		s.cleanups.push(cleanupStep{key: deleteKey(e.ID), undo: s.deleteMade(e.ID, createdAs, "which this run created")})
	}
	return alarm
}

func deleteKey(id string) string { return "delete " + idKey(id) }

// deleteMade deletes a group this run created (as the guard admitted it,
// or as the sweep found it: new, with this run's name), and reads it
// back; name, " (…)" or "", helps a reader find it. The guard refuses it
// for a group the server called the default, or one that existed before
// the run.
func (s *session) deleteMade(id, name, why string) func(context.Context, *trail) undone {
	return func(ctx context.Context, t *trail) undone {
		s.cleanupTried[idKey(id)] = true
		group := "group " + id + name
		note := "cleanup: delete group " + id + ", " + why
		ex := s.send(ctx, s.call(note, http.MethodDelete, graph.ConnectorGroupPath(id), nil))
		if reason, refused := isRefused(ex.Err); refused {
			t.fail(evidenceOf(ex, note, "204", nil), "")
			if _, _, existed := s.guard.before.find(groupKind.collection, id); existed {
				return leaves(false, "the server lists %s, under this run's name: verify did not rename it, and will not delete it", strings.TrimSuffix(reason, ": verify will not change or delete it"))
			}
			return leaves(true, "%s, %s, is left behind: verify's guard refused its DELETE: %s", group, why, reason)
		}
		switch {
		case ex.Err == nil && ex.Status == http.StatusNotFound:
			t.saw(evidenceOf(ex, note, "204", nil))
			return did("group %s was gone already", id)
		case !t.expect(ex, note, http.StatusNoContent, http.StatusOK):
			if outcomeOf(ex) == writeRefused {
				return leaves(true, "%s, %s, is left behind: its DELETE got %d", group, why, ex.Status)
			}
			if ex.Status != 0 {
				return leaves(false, "%s, %s, may be left behind: its DELETE got %d", group, why, ex.Status)
			}
			return leaves(false, "%s, %s, may be left behind: its DELETE got no answer", group, why)
		}
		back := s.send(ctx, s.call("cleanup: the deleted group, read back", http.MethodGet, graph.ConnectorGroupPath(id), nil))
		if !t.expect(back, "cleanup: the deleted group, read back", http.StatusNotFound) {
			if back.Err == nil && back.Status == http.StatusOK {
				return leaves(true, "%s, %s, is left behind: the server answered its DELETE %d but still serves it", group, why, ex.Status)
			}
			return leaves(false, "%s, %s, may be left behind: its DELETE got %d, but reading it back did not get 404", group, why, ex.Status)
		}
		return did("deleted group %s", id)
	}
}

// sweep deletes every group left whose name says this run created it. It
// says that none is left only when it read the whole list.
func (s *session) sweep(ctx context.Context, t *trail) undone {
	note := "cleanup: the groups, for any this run created"
	l := s.list(ctx, note, graph.ConnectorGroupsPath(), 0)
	if l.fail != nil {
		t.failEvidence(l.fail)
		return leaves(false, "it is not known whether a group this run created is left: the groups could not be listed")
	}
	t.saw(l.evidence(note)...)
	var out undone
	var done, left []string
	tried := 0
	for _, e := range l.entities() {
		if !strings.HasPrefix(e.name(), s.runPrefix()) {
			continue
		}
		if s.cleanupTried[idKey(e.ID)] {
			tried++ // its delete was sent, and reported, by an earlier step
			continue
		}
		u := s.deleteMade(e.ID, quotedName(e), "which carries this run's name")(ctx, t)
		if u.did != "" {
			done = append(done, u.did)
		}
		if u.left != "" {
			left = append(left, u.left)
			out.known = out.known || u.known
		}
	}
	switch {
	case len(done) == 0 && len(left) == 0 && tried > 0:
		return did("no other group of this run is listed")
	case len(done) == 0 && len(left) == 0:
		return did("no group of this run is left")
	}
	out.did, out.left = strings.Join(done, "; "), strings.Join(left, "; ")
	return out
}

// scratchResult is the group the stateful checks create and work on.
type scratchResult struct {
	id, name string
	ex       Exchange
	fail     *Evidence
	alarm    string // what the server did, when its create answered a group that was not new
}

// scratch creates the run's group once and returns it; the create's
// exchange is judged by stateful_create_read.
func (s *session) scratch(ctx context.Context) scratchResult {
	if s.made == nil {
		name := s.runName("scratch")
		note := "create a group for the stateful checks"
		ex := s.send(ctx, s.call(note, http.MethodPost, graph.ConnectorGroupsPath(), map[string]any{"name": name}))
		alarm := s.afterCreate(ex)
		r := scratchResult{name: name, ex: ex}
		e := evidenceOf(ex, note, "200 or 201 with a new group", nil)
		if ex.Err != nil || (ex.Status != http.StatusCreated && ex.Status != http.StatusOK) {
			e = refusal(e, ex)
			r.fail = &e
		} else if got, ok := decodeEntity(ex.ResponseBody); !ok {
			e.Note += "; the body names no group"
			e.Violations = ex.ResponseViolations()
			r.fail = &e
		} else if alarm != "" {
			r.fail, r.alarm = &e, alarm
		} else {
			r.id = got.ID
		}
		s.made = &r
	}
	return *s.made
}

// scratchDeleted forgets the run's group once a check deleted it.
func (s *session) scratchDeleted(id string) {
	s.cleanups.drop(deleteKey(id))
	if s.made != nil && s.made.id == id {
		s.made = &scratchResult{name: s.made.name, ex: s.made.ex, fail: &Evidence{Request: "POST " + graph.ConnectorGroupsPath(), Note: "the run's group was deleted by " + CheckStatefulDelete}}
	}
}
