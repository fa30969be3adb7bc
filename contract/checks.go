package contract

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// The names of the server-side checks, as reports and -only use them.
const (
	CheckIgnoredAuth       = "ignored_auth"
	CheckNegativeData      = "negative_data_rejection"
	CheckPositiveData      = "positive_data_acceptance"
	CheckStatefulDuplicate = "stateful_duplicate_rejection"
	CheckStatusCode        = "status_code_conformance"
	CheckContentType       = "content_type_conformance"
	CheckResponseSchema    = "response_schema_conformance"
	CheckResponseHeaders   = "response_headers_conformance"
	CheckNotAServerError   = "not_a_server_error"
)

// Check is one named server-side check, in the spirit of Schemathesis.
type Check struct {
	Name        string
	Description string
	run         func(ctx context.Context, s *session) Result
}

// Checks lists the server-side checks in the order they run. The server
// is stateful, so the checks that must not change it come first, then the
// one add and its repeat, and last the checks that judge every exchange
// the others made.
func Checks() []Check {
	return []Check{
		{CheckIgnoredAuth, "no token, an empty token or a junk token gets 401 InvalidAuthenticationToken; a token without the scopes gets 403, whatever its code (needs a reader token)", checkIgnoredAuth},
		{CheckNegativeData, "bodies generated to break the request schema get 400 (a URL-shaped reference that names nothing may get 404, the huge body 413, text/plain 415); no other status", checkNegativeData},
		{CheckPositiveData, "the doc's example request gets 201 (or 204, as today's service answers) with the connector", checkPositiveData},
		{CheckStatefulDuplicate, "adding the same connector again gets Graph's duplicate 400, whose message says the reference \"already exist\"s (its code varies across workloads)", checkStatefulDuplicate},
		{CheckStatusCode, "every status is declared for its operation", checkStatusCode},
		{CheckContentType, "every response's Content-Type is declared for its status; a response declared without content has no body", checkContentType},
		{CheckResponseSchema, "every response body matches its declared schema: the 201 connector, Graph's ODataError", checkResponseSchema},
		{CheckResponseHeaders, "every response carries request-id and client-request-id (echoed unchanged), a 201 OData-Version; a Retry-After, when sent, is whole seconds", checkResponseHeaders},
		{CheckNotAServerError, "no request gets a 5xx", checkNotAServerError},
	}
}

// Run runs the checks named in only (all when none) against t, in the order
// of Checks, and reports each. Blank names are ignored, but names that are
// all blank select nothing, and that is an error: a run that judges nothing
// must not read as a pass. An error means the run could not start: a bad
// target, an unknown check name or no check selected. A server that cannot
// be reached fails the checks, with the error as evidence.
func Run(ctx context.Context, t Target, only ...string) (Report, error) {
	if err := t.validate(); err != nil {
		return Report{}, err
	}
	checks, err := selectChecks(only)
	if err != nil {
		return Report{}, err
	}
	s, err := newSession(t)
	if err != nil {
		return Report{}, err
	}
	var rep Report
	for _, c := range checks {
		res := c.run(ctx, s)
		res.Check = c.Name
		rep.add(res)
	}
	return rep, nil
}

func selectChecks(only []string) ([]Check, error) {
	all := Checks()
	if len(only) == 0 {
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
	for _, c := range all {
		if want[c.Name] {
			out = append(out, c)
			delete(want, c.Name)
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
