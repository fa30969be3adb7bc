package contract

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Status is a check's verdict.
type Status string

// The verdicts. A check is skipped when it cannot judge, for example when
// the exchange it builds on did not happen.
const (
	StatusPass Status = "pass"
	StatusFail Status = "fail"
	StatusSkip Status = "skip"
)

// Evidence is one exchange a verdict rests on: what was sent, what came
// back, what was wanted and what broke the spec. It never holds a token.
type Evidence struct {
	Request    string      `json:"request"`         // "POST /beta/connectorGroups/…/members/$ref {body}", truncated
	Note       string      `json:"note,omitempty"`  // what is special about the request, e.g. "no Authorization header"
	Status     int         `json:"status"`          // 0 when no response came back
	Want       string      `json:"want,omitempty"`  // what the check expected, e.g. "401"
	Error      string      `json:"error,omitempty"` // the round trip failed
	Violations []Violation `json:"violations,omitempty"`
}

// String renders the evidence on one line:
// `POST /beta/… (no Authorization header) → 201, want 401: reason`.
func (e Evidence) String() string {
	var b strings.Builder
	b.WriteString(e.Request)
	if e.Note != "" {
		fmt.Fprintf(&b, " (%s)", e.Note)
	}
	switch {
	case e.Error != "":
		fmt.Fprintf(&b, " → error: %s", e.Error)
	default:
		fmt.Fprintf(&b, " → %d", e.Status)
	}
	if e.Want != "" {
		fmt.Fprintf(&b, ", want %s", e.Want)
	}
	if len(e.Violations) > 0 {
		v := e.Violations[0]
		fmt.Fprintf(&b, ": %s %s: %s", v.Direction, v.Field, v.Reason)
		if n := len(e.Violations) - 1; n > 0 {
			fmt.Fprintf(&b, " (+%d more)", n)
		}
	}
	return b.String()
}

// Result is one check's verdict with its evidence. On a failure the
// evidence is the failing exchanges; on a pass, what was probed.
type Result struct {
	Check    string     `json:"check"`
	Status   Status     `json:"status"`
	Detail   string     `json:"detail"`
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Report is the outcome of a run, in the order the checks ran.
type Report struct {
	Results []Result `json:"results"`
	Passed  int      `json:"passed"`
	Failed  int      `json:"failed"`
	Skipped int      `json:"skipped"`
	// Cleanup is what the run did to put the server back as it found it
	// (Check is "cleanup"); nil when the run sent nothing that could
	// change the server. It passes with "nothing to undo" when the server
	// accepted no write. A failed cleanup's Detail starts with "THE SERVER
	// IS LEFT CHANGED" when the server's answers say what is left, or "THE
	// SERVER MAY BE LEFT CHANGED" when that is not known, then says what
	// is left: a group this run created, the connector in another group.
	Cleanup *Result `json:"cleanup,omitempty"`
	// Interrupted is why the run stopped before its last check (its
	// context's error); empty when every check ran.
	Interrupted string `json:"interrupted,omitempty"`
}

// OK reports whether the run verified something and found nothing wrong:
// no check failed, at least one passed, the run was not cut short and its
// cleanup put everything back. A run of skips judged nothing, so it is
// not OK.
func (r Report) OK() bool {
	return r.Failed == 0 && r.Passed > 0 && r.Interrupted == "" && !r.CleanupFailed()
}

// CleanupFailed reports whether the cleanup could not put everything
// back: the server is, or may be, left changed.
func (r Report) CleanupFailed() bool { return r.Cleanup != nil && r.Cleanup.Status == StatusFail }

// cleanupHeadline is what a failed cleanup says of the server, in lower
// case: "the server is left changed" or "the server may be left changed".
func (r Report) cleanupHeadline() string {
	if strings.HasPrefix(r.Cleanup.Detail, leftChanged) {
		return strings.ToLower(leftChanged)
	}
	return strings.ToLower(mayBeLeftChanged)
}

// Result returns the named check's result, if the run included it.
func (r Report) Result(check string) (Result, bool) {
	for _, res := range r.Results {
		if res.Check == check {
			return res, true
		}
	}
	return Result{}, false
}

// FailedChecks names the checks that failed, in run order.
func (r Report) FailedChecks() []string {
	var out []string
	for _, res := range r.Results {
		if res.Status == StatusFail {
			out = append(out, res.Check)
		}
	}
	return out
}

func (r *Report) add(res Result) {
	r.Results = append(r.Results, res)
	switch res.Status {
	case StatusPass:
		r.Passed++
	case StatusFail:
		r.Failed++
	default:
		r.Skipped++
	}
}

// Summary is the last line of the text report; it names a failed
// cleanup and an interruption too.
func (r Report) Summary() string {
	s := fmt.Sprintf("%d passed, %d failed, %d skipped", r.Passed, r.Failed, r.Skipped)
	if r.Interrupted != "" {
		s += "; interrupted: " + r.Interrupted
	}
	if r.CleanupFailed() {
		s += "; CLEANUP FAILED: " + r.cleanupHeadline()
	}
	return s
}

// WriteText writes one line per check, the cleanup's line when the run
// changed something, then the summary line. With verbose, each piece of
// evidence follows its check, indented.
func (r Report) WriteText(w io.Writer, verbose bool) error {
	lines := r.Results
	if r.Cleanup != nil {
		lines = append(slices.Clip(lines), *r.Cleanup)
	}
	width := 0
	for _, res := range lines {
		width = max(width, len(res.Check))
	}
	var b strings.Builder
	for _, res := range lines {
		fmt.Fprintf(&b, "%-4s  %-*s  %s\n", strings.ToUpper(string(res.Status)), width, res.Check, res.Detail)
		if verbose {
			for _, e := range res.Evidence {
				fmt.Fprintf(&b, "      %s\n", e)
			}
		}
	}
	b.WriteString(r.Summary())
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the report as indented JSON.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
