package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Every write a run makes, a check's or the cleanup's, passes through the
// session's writeGuard (session.send), which holds what the run may touch:
//
//   - Before the first write it records what exists (snapshot.go); until
//     it has that record, it sends no write at all.
//   - It never sends a PATCH or a DELETE to an object that existed before
//     the run, nor to a group any answer called the default (isDefault
//     true), whatever the server says later: it refuses it, and the
//     refusal is the exchange's error, so the check or cleanup that asked
//     reports it. A PATCH or DELETE whose path names no recorded kind,
//     or an id that is not letters, digits and hyphens, is refused too,
//     and so is a POST that is neither a create nor a $ref add, and a PUT
//     that sets no link (…/$ref).
//   - Of a kind the run writes to only by name (the applications), it
//     admits only writes to the links (…/$ref) of the objects the target
//     names, and a $ref add whose @odata.id names one of them; any write
//     to another, or to the object itself, is refused.
//   - It admits a created group as the run's own only when the create's
//     2xx answer names a new id: one that did not exist before the run and
//     that no earlier create of this run got (admitCreated).
//   - It tallies what came of the writes it sent, so that the cleanup can
//     say what is known (nothing to undo when no write was accepted).
//
// POSTs that add the connector to a group (members/$ref, memberOf/$ref,
// the doc's path) move the connector, Target.Connector: that changes the
// connector's membership, not the group's own properties, so they may
// name a group that existed before the run (Group, and the group the
// connector started in, where the cleanup moves it back).
//
// A run is one goroutine, so the guard needs no lock.
type writeGuard struct {
	base     string // the target's base URL, no trailing slash
	before   *snapshot
	attempts int
	// lastFail says why the last snapshot failed, and lastFailed is the
	// exchange it stopped at (its body cut to maxBodyKept).
	lastFail   *Evidence
	lastFailed Exchange

	made           map[string]bool // groups this run created: new ids a create answered
	claimedDefault map[string]bool // groups an answer said were the default
	// named holds, by collection, the ids (idKey) of a named kind's
	// objects the target names: the only ones of the kind it may change.
	named  map[string]map[string]bool
	writes writeTally
}

func newWriteGuard(base string, t Target) *writeGuard {
	g := &writeGuard{base: base, made: map[string]bool{}, claimedDefault: map[string]bool{}, named: map[string]map[string]bool{}}
	for _, k := range recordedKinds {
		if k.named == nil {
			continue
		}
		g.named[k.collection] = map[string]bool{}
		for _, id := range k.named(t) {
			g.named[k.collection][idKey(id)] = true
		}
	}
	return g
}

// idKey is the form ids are compared in: Graph's ids are GUIDs, which it
// matches without regard to case, braces or surrounding space, so a
// server that answered with the upper-case id of an existing group must
// not get it past the guard.
func idKey(id string) string {
	return strings.ToLower(strings.Trim(strings.TrimSpace(id), "{}"))
}

// refusedWrite is the error of a write the guard did not send.
type refusedWrite struct {
	reason     string
	unrecorded bool // refused because there is no record of what existed
}

func (e *refusedWrite) Error() string { return "not sent: verify's guard refused it: " + e.reason }

// isRefused reports whether err is the guard's refusal, and its reason.
func isRefused(err error) (string, bool) {
	if r, ok := errors.AsType[*refusedWrite](err); ok {
		return r.reason, true
	}
	return "", false
}

// unrecorded reports whether err is the guard's refusal of a write for
// want of a record of what existed.
func unrecorded(err error) bool {
	r, ok := errors.AsType[*refusedWrite](err)
	return ok && r.unrecorded
}

// unrecordedFailure is one failure for the n writes of a check the guard
// refused for want of a record: the list that could not be read, once,
// instead of one failure per write.
func (g *writeGuard) unrecordedFailure(n int) Evidence {
	var e Evidence
	if g.lastFail != nil {
		e = *g.lastFail
	}
	were := "were"
	if n == 1 {
		were = "was"
	}
	e.Note += fmt.Sprintf("; so %s of this check %s not sent: verify sends no write before it has read every group that exists", count(n, "write"), were)
	return e
}

// needsSnapshot reports whether a write must wait for a snapshot to be
// tried (again).
func (g *writeGuard) needsSnapshot() bool {
	return g.before == nil && g.attempts < maxSnapshotAttempts
}

// recordSnapshot keeps the outcome of an attempt at a snapshot.
func (g *writeGuard) recordSnapshot(sn *snapshot, failed listing) {
	g.attempts++
	if sn == nil {
		g.lastFail, g.lastFailed = failed.fail, failed.failed
		g.lastFailed.ResponseBody = keptBody(g.lastFailed.ResponseBody)
		return
	}
	g.before = sn
	for _, id := range sn.defaults() {
		g.claimedDefault[idKey(id)] = true
	}
}

// admit returns the refusal of a write, or nil when it may be sent; body
// is the request's, which a $ref add's @odata.id is read from.
func (g *writeGuard) admit(method, target string, body []byte) error {
	if g.before == nil {
		why := "the groups that existed before the run could not be read, so no write is sent"
		if g.lastFail != nil {
			why += ": " + g.lastFail.String()
		}
		return &refusedWrite{reason: why, unrecorded: true}
	}
	switch method {
	case http.MethodPost:
		if g.isCreate(target) {
			return nil
		}
		if g.isReferenceAdd(target) {
			return g.admitLinked(body) // an add that moves the connector or an application
		}
		return &refusedWrite{reason: fmt.Sprintf("verify POSTs only to create a group or to add a reference (…/$ref) on the target, and %s is neither", describeURL(target))}
	case http.MethodPut:
		if !g.isReferenceAdd(target) {
			return &refusedWrite{reason: fmt.Sprintf("verify sends no PUT but to set a link (…/$ref), and %s is none", describeURL(target))}
		}
	case http.MethodPatch, http.MethodDelete:
	default:
		return &refusedWrite{reason: "verify sends no " + method}
	}
	kind, id, ok := g.objectOf(target)
	if !ok {
		return &refusedWrite{reason: fmt.Sprintf("%s changes or deletes only what this run created, and %s names no object of a kind recorded before the run", method, describeURL(target))}
	}
	if rel, _ := g.relative(target); kind.named != nil && !strings.HasSuffix(rel, "/$ref") {
		return &refusedWrite{reason: fmt.Sprintf("verify changes only the links (…/$ref) of an %s, never the %s itself, and %s is not one", kind.what, kind.what, describeURL(target))}
	}
	if method == http.MethodPut && kind.named == nil {
		return &refusedWrite{reason: fmt.Sprintf("verify sends a PUT only to set an application's link, and %s names a %s", describeURL(target), kind.what)}
	}
	if why := g.protected(kind, id); why != "" {
		return &refusedWrite{reason: why + ": verify will not change or delete it"}
	}
	return nil
}

// relative is target's path under the base URL, without its query; ok is
// false when target is not under it.
func (g *writeGuard) relative(target string) (string, bool) {
	rest, ok := strings.CutPrefix(target, g.base+"/")
	rest, _, _ = strings.Cut(rest, "?")
	return "/" + rest, ok
}

// isCreate reports whether target is the collection of a kind the run
// creates.
func (g *writeGuard) isCreate(target string) bool {
	rel, ok := g.relative(target)
	return ok && slices.ContainsFunc(recordedKinds, func(k recordedKind) bool { return k.creates && rel == k.list() })
}

// admitLinked judges the object a $ref add's body links to: of a named
// kind (an application), only one the target names may be linked.
// Connectors and groups are not judged here: the run adds one connector,
// and a move changes no group's own properties.
func (g *writeGuard) admitLinked(body []byte) error {
	var ref struct {
		ID string `json:"@odata.id"`
	}
	if json.Unmarshal(body, &ref) != nil {
		return nil // a body that names nothing moves nothing
	}
	id, err := graph.ParseApplicationLink(ref.ID)
	if err != nil {
		return nil
	}
	if why := g.protected(applicationKind, id); why != "" {
		return &refusedWrite{reason: why + ": verify will not assign it"}
	}
	return nil
}

// isReferenceAdd reports whether target adds a reference on the target:
// a path that ends in /$ref.
func (g *writeGuard) isReferenceAdd(target string) bool {
	rel, ok := g.relative(target)
	return ok && strings.HasSuffix(rel, "/$ref")
}

// objectOf finds the object a write's URL names: the first recorded
// collection in its path, and the id after it.
func (g *writeGuard) objectOf(target string) (recordedKind, string, bool) {
	rel, ok := g.relative(target)
	if !ok {
		return recordedKind{}, "", false
	}
	segs := strings.Split(rel, "/")
	for i, seg := range segs[:len(segs)-1] {
		for _, k := range recordedKinds {
			if seg != k.collection {
				continue
			}
			id, err := url.PathUnescape(segs[i+1])
			if err != nil || !plainID(id) {
				return recordedKind{}, "", false
			}
			return k, id, true
		}
	}
	return recordedKind{}, "", false
}

// plainID reports whether id is made of letters, digits and hyphens
// only, as Graph's GUIDs are: an id with anything else (a slash, a dot,
// a brace, space) might name another object once a server decodes or
// normalises it, so the guard never writes to one.
func plainID(id string) bool {
	if id == "" {
		return false
	}
	for _, r := range id {
		if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// protected says why the run must not change or delete kind's object id,
// or "" when it may: `group X ("Default"), which existed before this run
// (the default group)`.
func (g *writeGuard) protected(kind recordedKind, id string) string {
	if kind.named != nil {
		if g.named[kind.collection][idKey(id)] {
			return ""
		}
		return fmt.Sprintf("%s %s is not one this run was given (-application, -unpublished-application): verify changes no other %s", kind.what, graph.OneLine(id, 80), kind.what)
	}
	if existing, e, ok := g.before.find(kind.collection, id); ok {
		s := fmt.Sprintf("%s %s%s, which existed before this run", kind.what, existing, quotedName(e))
		if g.claimedDefault[idKey(id)] {
			s += " (the default group)"
		}
		return s
	}
	if g.claimedDefault[idKey(id)] {
		return fmt.Sprintf("%s %s, which the server called the default group", kind.what, id)
	}
	return ""
}

// quotedName is ` ("name")`, or "" for an object without one.
func quotedName(e entity) string {
	if e.name() == "" {
		return ""
	}
	return fmt.Sprintf(" (%q)", e.name())
}

// admitCreated judges the id a create's 2xx answer names. A new id is
// admitted as the run's own (ok): its cleanup deletes it, if the guard
// lets it. An id that existed before the run, or that an earlier create
// of this run already got, is not, and alarm says what the server did.
func (g *writeGuard) admitCreated(id string) (ok bool, alarm string) {
	if g.before == nil {
		return false, "" // the guard sent no create
	}
	if !plainID(id) {
		return false, fmt.Sprintf("the server answered the create with the id %q, which is not made of letters, digits and hyphens as Graph's ids are: verify will not change or delete a group by it", graph.OneLine(id, 80))
	}
	if _, _, existed := g.before.find(groupKind.collection, id); existed {
		return false, fmt.Sprintf("the server answered the create with the id of %s: verify will not change or delete it", g.protected(groupKind, id))
	}
	if g.made[idKey(id)] {
		return false, fmt.Sprintf("the server answered the create with the id of group %s, which an earlier create of this run already got: a create must make a new group, and verify deletes this one once", id)
	}
	g.made[idKey(id)] = true
	return true, ""
}

// observe notes every group an answer calls the default: the guard
// protects it from then on, whatever later answers say.
func (g *writeGuard) observe(ex Exchange) {
	if ex.Err != nil || ex.Status/100 != 2 || len(ex.ResponseBody) == 0 {
		return
	}
	type claim struct {
		ID        string `json:"id"`
		IsDefault *bool  `json:"isDefault"`
	}
	var body struct {
		claim
		Value []claim `json:"value"`
	}
	if json.Unmarshal(ex.ResponseBody, &body) != nil {
		return
	}
	for _, c := range append(slices.Clip(body.Value), body.claim) {
		if c.ID != "" && c.IsDefault != nil && *c.IsDefault {
			g.claimedDefault[idKey(c.ID)] = true
		}
	}
}

// writeOutcome is what is known of one write's effect.
type writeOutcome int

const (
	writeUnsent   writeOutcome = iota // the guard refused it, or it never reached the server
	writeRefused                      // the server answered 4xx: it changed nothing
	writeAccepted                     // the server answered 2xx
	writeUnknown                      // sent, but neither: a 5xx, a redirect, or no answer
)

// outcomeOf classifies a write's exchange.
func outcomeOf(ex Exchange) writeOutcome {
	switch {
	case ex.Status/100 == 2:
		return writeAccepted // even when its body was too large to read
	case ex.Status/100 == 4:
		return writeRefused
	case ex.Status != 0:
		return writeUnknown
	}
	if _, refused := isRefused(ex.Err); refused || neverSent(ex.Err) {
		return writeUnsent
	}
	return writeUnknown
}

// neverSent reports whether err says the request never left: no
// connection could be made, or the client gave up before the Transport
// saw it.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return errors.Is(err, errNoRoundTrip)
}

// writeTally counts the writes of a run by outcome.
type writeTally struct {
	unsent, refused, accepted, unknown int
}

func (w *writeTally) add(o writeOutcome) {
	switch o {
	case writeUnsent:
		w.unsent++
	case writeRefused:
		w.refused++
	case writeAccepted:
		w.accepted++
	default:
		w.unknown++
	}
}

// mayHaveChanged reports whether a write may have changed the server.
func (w writeTally) mayHaveChanged() bool { return w.accepted > 0 || w.unknown > 0 }

// noneAccepted says what came of the writes when none may have changed
// anything: "the server accepted none of the 12 writes this run tried
// (10 answered 4xx, 2 not sent: …)".
func (w writeTally) noneAccepted() string {
	total := w.unsent + w.refused + w.accepted + w.unknown
	if total == 0 {
		return "the run sent no write"
	}
	var parts []string
	if w.refused > 0 {
		parts = append(parts, fmt.Sprintf("%d answered 4xx", w.refused))
	}
	if w.unsent > 0 {
		parts = append(parts, fmt.Sprintf("%d not sent: refused by verify's guard, or the server could not be reached", w.unsent))
	}
	if total == 1 {
		return fmt.Sprintf("the server did not accept the one write this run tried (%s)", strings.Join(parts, "; "))
	}
	return fmt.Sprintf("the server accepted none of the %d writes this run tried (%s)", total, strings.Join(parts, "; "))
}

// describeURL is a URL's path and query, for a report: no host, no user.
func describeURL(target string) string {
	return describeRequest(Exchange{URL: target})[1:]
}
