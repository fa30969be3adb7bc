package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// An application the run changes goes back to what GET
// applications/{id}/connectorGroup answered before the run changed it:
// the same group, or none. What that answer cannot tell apart, it does not
// need to: the live service answers the default group both for an
// application assigned to it and for one whose assignment was removed
// (terraform-provider-microsoft365 PR #3213), so an application that
// reported the default group goes back by removing its assignment, which
// makes it report the default group again; one that reported another
// group goes back by being assigned to it; one that reported none (its
// publishing is off) has any assignment a faulty server made removed.

// appHome is the group an application reported before the run changed
// it.
type appHome struct {
	group     string // the group's id, "" when it reported none
	isDefault bool   // the group said isDefault true
	none      bool   // GET connectorGroup answered 404: no group
	fail      *Evidence
	seen      Evidence // the read it comes from
}

func (h appHome) String() string {
	switch {
	case h.none:
		return "no group"
	case h.isDefault:
		return "group " + h.group + " (the default)"
	}
	return "group " + h.group
}

// same reports whether now is where the application was.
func (h appHome) same(now appHome) bool {
	return h.none == now.none && idKey(h.group) == idKey(now.group)
}

// reportedGroup reads the group an application reports: a group, none
// (404), or why it could not be read.
func (s *session) reportedGroup(ctx context.Context, note, app string) (appHome, Evidence) {
	ex := s.send(ctx, s.call(note, http.MethodGet, graph.ApplicationConnectorGroupPath(app), nil))
	e := evidenceOf(ex, note, "200 with a group, or 404", nil)
	switch {
	case ex.Err == nil && ex.Status == http.StatusNotFound:
		return appHome{none: true, seen: e}, e
	case ex.Err == nil && ex.Status == http.StatusOK:
		if g, ok := decodeEntity(ex.ResponseBody); ok {
			return appHome{group: g.ID, isDefault: g.IsDefault != nil && *g.IsDefault, seen: e}, e
		}
		e.Note += "; the body names no group"
		e.Violations = ex.ResponseViolations()
	default:
		e = refusal(e, ex)
	}
	return appHome{fail: &e, seen: e}, e
}

// appHomeOf is the group the application reported when the run first
// asked, read once: where the cleanup puts it back.
func (s *session) appHomeOf(ctx context.Context, app string) appHome {
	key := idKey(app)
	if s.appHomes[key] == nil {
		h, _ := s.reportedGroup(ctx, "the application's group, to put it back to", app)
		s.appHomes[key] = &h
	}
	return *s.appHomes[key]
}

// beforeAppChange must be called before any request that could change
// the application's group: it makes sure cleanup will put it back. When
// its group cannot be read, it returns why, and the caller sends nothing
// that could change it.
func (s *session) beforeAppChange(ctx context.Context, app string) *Evidence {
	home := s.appHomeOf(ctx, app)
	if home.fail != nil {
		e := *home.fail
		e.Note += "; so nothing that could change the application's group is sent: it could not be put back"
		return &e
	}
	s.cleanups.push(cleanupStep{key: "application " + idKey(app), first: true, undo: s.restoreApplication(app, home)})
	return nil
}

// afterAppChange pushes what puts the application back after a request
// that a correct server refuses (ignored_auth's, without a token) but a
// faulty one may have taken: only when it was taken, or may have been, so
// that a run whose writes were all refused has nothing to undo. Its group
// was read before the request (appHomeOf).
func (s *session) afterAppChange(app string, ex Exchange) {
	home := s.appHomeOf(context.Background(), app) // read already: no request
	if home.fail != nil {
		return
	}
	switch outcomeOf(ex) {
	case writeAccepted, writeUnknown:
		s.cleanups.push(cleanupStep{key: "application " + idKey(app), first: true, undo: s.restoreApplication(app, home)})
	}
}

// restoreApplication puts the application back where home says, unless
// it is there, then reads where it is to see that it worked. home may be
// a group that existed before the run, even the default: this changes the
// application's link, nothing of the group's own.
func (s *session) restoreApplication(app string, home appHome) func(context.Context, *trail) undone {
	return func(ctx context.Context, t *trail) undone {
		now, e := s.reportedGroup(ctx, "cleanup: the application's group", app)
		t.saw(e)
		if now.fail == nil && home.same(now) {
			return did("application %s reports %s, as before the run", app, home)
		}
		remove := s.call("cleanup: remove the application's assignment", http.MethodDelete, graph.ApplicationConnectorGroupRefPath(app), nil)
		put := s.call("cleanup: put the application back through connectorGroup/$ref", http.MethodPut, graph.ApplicationConnectorGroupRefPath(app),
			reference(graph.ConnectorGroupLinkAt(s.base, home.group)))
		post := s.call("cleanup: put the application back through the group's applications/$ref", http.MethodPost, graph.GroupApplicationsRefPath(home.group),
			reference(graph.ApplicationLinkAt(s.base, app)))
		attempts := []probe{put, post, remove}
		if home.none || home.isDefault {
			attempts = []probe{remove, put}
			if home.none {
				attempts = attempts[:1]
			}
		}
		for _, p := range attempts {
			ex := s.send(ctx, p)
			e := evidenceOf(ex, p.note, "2xx, or the duplicate 400", nil)
			if ex.Err == nil && (ex.Status/100 == 2 || isDuplicate(ex)) {
				t.saw(e)
				if now, _ = s.reportedGroup(ctx, "cleanup: the application's group, read back", app); now.fail == nil && home.same(now) {
					break
				}
				continue
			}
			t.saw(refusal(e, ex)) // the next way may work; the read below decides
		}
		now, e = s.reportedGroup(ctx, "cleanup: the application's group after putting it back", app)
		switch {
		case now.fail != nil:
			t.failEvidence(now.fail)
			return leaves(false, "it is not known which group application %s reports (it reported %s before the run): its connectorGroup could not be read", app, home)
		case !home.same(now):
			t.fail(e, fmt.Sprintf("the application reports %s, not %s as before the run", now, home))
			return leaves(true, "application %s is left in %s; it reported %s before the run", app, now, home)
		}
		t.saw(e)
		return did("put application %s back: it reports %s, as before the run", app, home)
	}
}

// readApplication reads one application and whether its on-premises
// publishing is on (onPremisesPublishing is an object, not null).
func (s *session) readApplication(ctx context.Context, note, app string) (published bool, _ Evidence, ok bool) {
	ex := s.send(ctx, s.call(note, http.MethodGet, graph.ApplicationPath(app), nil))
	e := evidenceOf(ex, note, "200 with the application", nil)
	if ex.Err != nil || ex.Status != http.StatusOK {
		return false, refusal(e, ex), false
	}
	var got struct {
		ID                   string          `json:"id"`
		OnPremisesPublishing json.RawMessage `json:"onPremisesPublishing"`
	}
	if json.Unmarshal(ex.ResponseBody, &got) != nil || idKey(got.ID) != idKey(app) {
		e.Note += fmt.Sprintf("; the body names application %q", got.ID)
		e.Violations = ex.ResponseViolations()
		return false, e, false
	}
	p := string(got.OnPremisesPublishing)
	return p != "" && p != "null", e, true
}
