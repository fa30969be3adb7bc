package contract

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// The names of the server-side checks, as reports and -only use them.
const (
	CheckIgnoredAuth           = "ignored_auth"
	CheckReads                 = "read_acceptance"
	CheckPaging                = "paging_consistency"
	CheckNegativeData          = "negative_data_rejection"
	CheckPositiveData          = "positive_data_acceptance"
	CheckStatefulDuplicate     = "stateful_duplicate_rejection"
	CheckStatefulDocPath       = "stateful_doc_path_membership"
	CheckStatefulCreate        = "stateful_create_read"
	CheckStatefulUpdate        = "stateful_update"
	CheckStatefulSystemSet     = "stateful_system_set_ignored"
	CheckStatefulMove          = "stateful_move"
	CheckStatefulAppAssign     = "stateful_application_assignment"
	CheckStatefulAppPublishing = "stateful_application_publishing"
	CheckStatefulDelete        = "stateful_delete_rules"
	CheckStatusCode            = "status_code_conformance"
	CheckContentType           = "content_type_conformance"
	CheckResponseSchema        = "response_schema_conformance"
	CheckResponseHeaders       = "response_headers_conformance"
	CheckNotAServerError       = "not_a_server_error"
)

// Check is one named server-side check, in the spirit of Schemathesis.
type Check struct {
	Name        string
	Description string
	// ReadOnly checks change nothing: they send GETs, and requests without
	// a valid token, or nothing at all. Target.ReadOnly runs only these.
	ReadOnly bool
	run      func(ctx context.Context, s *session) Result
}

// Checks lists the server-side checks in the order they run. The server
// is stateful, so the checks that change nothing come first; then the
// doc's add and its repeat; then the checks that create, change, move and
// delete, each undone by the cleanup that follows the run; and last the
// checks that judge every exchange the others made.
func Checks() []Check {
	return []Check{
		{CheckIgnoredAuth, "every operation without a token gets 401 InvalidAuthenticationToken (the doc's also with an empty and a junk token); a token without Directory.ReadWrite.All gets 403, whatever its code, reads included, as the pages say, but for reading applications, which the directory's read permissions allow (needs a reader token; with -read-only, on reads only). Writes name objects that do not exist, or the one application -application names, so a server that ignored the token changes nothing the cleanup cannot undo; without -application the application's writes are not sent", true, checkIgnoredAuth},
		{CheckReads, "every read with the target's ids gets 200: the groups (Group among them, exactly one default), Group, its members, the connectors (Connector among them), Connector, and its memberOf, which names exactly one group whose members list it; up to 10 listed groups, those with a region or type beyond the published enums first, read by id as the list has them (name, type, default, region); the applications and Group's applications (with -application: it is listed, and the group it reports lists it; with -unpublished-application: it reports no group, 404); an id no object has gets 404", true, checkReads},
		{CheckPaging, "each list walked with $top=1 (larger for long lists) to its last page holds every item of a one-page listing exactly once: no repeats, no drops; pages hold at most $top items; @odata.nextLink is absolute, on the server's origin, and absent on the last page", true, checkPaging},
		{CheckNegativeData, "bodies generated to break each write's request schema get 400: the doc's and today's $ref adds, memberOf/$ref, create and update, and with -application the application's applications/$ref and connectorGroup/$ref (a missing or empty name, the system-set id, an isDefault that is no boolean, an unknown property, a bad region, a link of the wrong kind). A URL-shaped reference that names nothing may get 404, the huge body 413, text/plain 415; no other status", false, checkNegativeData},
		{CheckPositiveData, "the doc's example request gets 201 (or 204, as today's service answers) with the connector", false, checkPositiveData},
		{CheckStatefulDuplicate, "adding the same connector again gets Graph's duplicate 400, whose message says the reference \"already exist\"s (its code varies across workloads)", false, checkStatefulDuplicate},
		{CheckStatefulDocPath, "after the doc's add, today's paths see the same membership: Group's members list the connector, its memberOf names Group, and the group it came from no longer lists it", false, checkStatefulDocPath},
		{CheckStatefulCreate, "a create gets 200 (as the live service answers) or 201 (as the doc page says) with the group as sent, not the default; GET then reads it, and the list, followed through @odata.nextLink, holds it", false, checkStatefulCreate},
		{CheckStatefulUpdate, "a PATCH of the new group's name and region gets 204 (as the live service answers) or 200 with the group (as the doc page says), and GET reads the change", false, checkStatefulUpdate},
		{CheckStatefulSystemSet, "the system-set isDefault and connectorGroupType are accepted and ignored, as the live service takes them: a create of a group of the run's own that sends them (\"isDefault\": false; never true, which a wrong server could honour at the tenant's cost) gets 200 or 201 with a group that is not the default, a PATCH of it with both gets 204 (or 200), GET reads it unchanged each time, and the tenant's default group is the one it was before the run", false, checkStatefulSystemSet},
		{CheckStatefulMove, "adding the connector to the new group through today's members/$ref moves it: gone from its old group's members, listed in the new group's, memberOf names the new group; while the group holds it, its region cannot change (400); the same move back through memberOf/$ref", false, checkStatefulMove},
		{CheckStatefulAppAssign, "needs -application, a published application: assigning it to the new group through the group's applications/$ref gets 204, and it then reports that group, which lists it, while the group it came from does not; while the group holds only the application, its region cannot change and it cannot be deleted (400 each); a PUT of its connectorGroup/$ref moves it to Group the same way; removing the assignment gets 204, and it then reports the default group. The cleanup puts it back to the group it reported before", false, checkStatefulApplicationAssignment},
		{CheckStatefulAppPublishing, "needs -unpublished-application, an application whose onPremisesPublishing is null: it reports no group (404), and assigning it from either side gets 404 with \"OnPremisesPublishing is not enabled\" and changes nothing", false, checkStatefulApplicationPublishing},
		{CheckStatefulDelete, "deleting a group that holds a connector gets 400 and the group stays readable; deleting the emptied group gets 204, then GET gets 404 and the list no longer holds it (the default group is never sent a DELETE: a wrong answer would be irreversible)", false, checkStatefulDelete},
		{CheckStatusCode, "every status is declared for its operation: a 200 with a body where only 204 is declared is a violation", true, checkStatusCode},
		{CheckContentType, "every response's Content-Type is declared for its status; a response declared without content has no body", true, checkContentType},
		{CheckResponseSchema, "every response body matches its declared schema: connectors, groups, collections (value required), Graph's ODataError; a group's region and connectorGroupType are strings, so \"japan\" and \"syncFabric\", which real tenants answer, are no violation; a connector's status outside its enum is", true, checkResponseSchema},
		{CheckResponseHeaders, "every response carries request-id and client-request-id (echoed unchanged), every success body OData-Version 4.0; a Retry-After, when sent, is whole seconds", true, checkResponseHeaders},
		{CheckNotAServerError, "no request gets a 5xx", true, checkNotAServerError},
	}
}

// Run runs the checks named in only (all when none) against t, in the order
// of Checks, and reports each. Blank names are ignored, but names that are
// all blank select nothing, and that is an error: a run that judges nothing
// must not read as a pass. With t.ReadOnly only the read-only checks run,
// and naming another is an error. An error means the run could not start:
// a bad target, an unknown check name or no check selected. A server that
// cannot be reached fails the checks, with the error as evidence.
//
// Whatever the checks did is undone before Run returns, even when one
// failed or ctx was cancelled mid-run: the cleanup runs on a fresh context
// bounded by CleanupTimeout, and Report.Cleanup says what it did. When ctx
// ends, the checks not yet run are skipped and Report.Interrupted says why.
func Run(ctx context.Context, t Target, only ...string) (rep Report, _ error) {
	if err := t.validate(); err != nil {
		return Report{}, err
	}
	checks, err := selectChecks(only, t.ReadOnly)
	if err != nil {
		return Report{}, err
	}
	s, err := newSession(t)
	if err != nil {
		return Report{}, err
	}
	// Deferred, so that even a panicking check leaves nothing behind.
	defer func() {
		cctx, cancel := cleanupContext(ctx)
		defer cancel()
		rep.Cleanup = s.cleanup(cctx)
	}()
	for _, c := range checks {
		if err := ctx.Err(); err != nil {
			if rep.Interrupted == "" {
				rep.Interrupted = err.Error()
			}
			rep.add(Result{Check: c.Name, Status: StatusSkip, Detail: "not run: the run was interrupted: " + err.Error()})
			continue
		}
		res := c.run(ctx, s)
		res.Check = c.Name
		rep.add(res)
	}
	if err := ctx.Err(); err != nil && rep.Interrupted == "" {
		rep.Interrupted = err.Error() // the last check was cut short
	}
	return rep, nil
}

func selectChecks(only []string, readOnly bool) ([]Check, error) {
	all := Checks()
	if len(only) == 0 {
		if readOnly {
			return slices.DeleteFunc(all, func(c Check) bool { return !c.ReadOnly }), nil
		}
		return all, nil
	}
	want := map[string]bool{}
	for _, name := range only {
		if name = strings.TrimSpace(name); name != "" {
			want[name] = true
		}
	}
	if len(want) == 0 {
		return nil, fmt.Errorf("contract: no check selected (%q names none); known: %s", only, strings.Join(CheckNames(), ", "))
	}
	var out []Check
	var writes []string
	for _, c := range all {
		if want[c.Name] {
			out = append(out, c)
			delete(want, c.Name)
			if readOnly && !c.ReadOnly {
				writes = append(writes, c.Name)
			}
		}
	}
	if len(want) > 0 {
		var unknown []string
		for name := range want {
			unknown = append(unknown, name)
		}
		sort.Strings(unknown)
		return nil, fmt.Errorf("contract: unknown check(s) %s; known: %s", strings.Join(unknown, ", "), strings.Join(CheckNames(), ", "))
	}
	if len(writes) > 0 {
		return nil, fmt.Errorf("contract: %s change(s) the server, so cannot run read-only; the read-only checks: %s", strings.Join(writes, ", "), strings.Join(readOnlyNames(), ", "))
	}
	return out, nil
}

// CheckNames lists the checks' names in run order.
func CheckNames() []string {
	var names []string
	for _, c := range Checks() {
		names = append(names, c.Name)
	}
	return names
}

func readOnlyNames() []string {
	var names []string
	for _, c := range Checks() {
		if c.ReadOnly {
			names = append(names, c.Name)
		}
	}
	return names
}

// verdict turns the evidence of the failures into a result: a pass with
// passDetail when there are none, else a fail led by the first.
func verdict(failures, probed []Evidence, passDetail string) Result {
	if len(failures) == 0 {
		return Result{Status: StatusPass, Detail: passDetail, Evidence: probed}
	}
	detail := failures[0].String()
	if n := len(failures) - 1; n > 0 {
		detail += fmt.Sprintf(" (+%d more)", n)
	}
	return Result{Status: StatusFail, Detail: detail, Evidence: failures}
}

// alarmed makes res a failure led by alarms: what a server did that
// verify refused to build on (a create answered with a group that was
// not new), ahead of anything else the check found.
func alarmed(res Result, alarms ...string) Result {
	if len(alarms) == 0 {
		return res
	}
	res.Status = StatusFail
	res.Detail = strings.Join(alarms, "; ") + "; " + res.Detail
	return res
}

func skip(detail string, evidence ...Evidence) Result {
	return Result{Status: StatusSkip, Detail: detail, Evidence: evidence}
}

// evidenceOf describes ex for a report; vs are the violations that matter
// to the check.
func evidenceOf(ex Exchange, note, want string, vs []Violation) Evidence {
	e := Evidence{Request: describeRequest(ex), Note: note, Status: ex.Status, Want: want, Violations: vs}
	if ex.Err != nil {
		e.Error = ex.Err.Error()
	}
	return e
}

const maxBodyInEvidence = 96

// describeRequest is "METHOD path body", with the body cut short; a report
// names the path, not the host, and never a header.
func describeRequest(ex Exchange) string {
	path := ex.URL
	if u, err := url.Parse(ex.URL); err == nil {
		path = u.EscapedPath()
		if u.RawQuery != "" {
			path += "?" + u.RawQuery
		}
	}
	s := ex.Method + " " + path
	if len(ex.RequestBody) == 0 {
		return s
	}
	raw := ex.RequestBody
	if len(raw) > 4*maxBodyInEvidence {
		raw = raw[:4*maxBodyInEvidence] // a huge body is cut before it is tidied
	}
	body := strings.Join(strings.Fields(string(raw)), " ")
	if len(body) > maxBodyInEvidence || len(raw) < len(ex.RequestBody) {
		cut := min(len(body), maxBodyInEvidence)
		for cut > 0 && cut < len(body) && !utf8.RuneStart(body[cut]) {
			cut--
		}
		body = fmt.Sprintf("%s… (%d bytes)", body[:cut], len(ex.RequestBody))
	}
	return s + " " + body
}
