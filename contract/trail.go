package contract

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// trail collects the evidence of a check made of steps: what each step
// sent and got (probed, shown on a pass) and the steps that went wrong
// (failures). A stateful check stops at its first failed step, because
// the steps after it build on it.
type trail struct {
	probed, failures []Evidence
}

// expect records ex and reports whether its status is one of want.
func (t *trail) expect(ex Exchange, note string, want ...int) bool {
	e := evidenceOf(ex, note, statuses(want), nil)
	t.probed = append(t.probed, e)
	if ex.Err != nil || !slices.Contains(want, ex.Status) {
		t.failures = append(t.failures, refusal(e, ex))
		return false
	}
	return true
}

// saw records evidence of a step that went right.
func (t *trail) saw(e ...Evidence) { t.probed = append(t.probed, e...) }

// fail records a step that went wrong, with what was wrong in its note.
func (t *trail) fail(e Evidence, problem string) {
	if problem != "" {
		e.Note += "; " + problem
	}
	t.failures = append(t.failures, e)
}

// failEvidence records evidence that already says what went wrong.
func (t *trail) failEvidence(e *Evidence) { t.failures = append(t.failures, *e) }

// result is the check's verdict: a pass with detail, or a fail led by the
// first failure.
func (t *trail) result(detail string) Result { return verdict(t.failures, t.probed, detail) }

// statuses renders the wanted statuses for the evidence: "204 or 201".
func statuses(want []int) string {
	parts := make([]string, len(want))
	for i, s := range want {
		parts[i] = strconv.Itoa(s)
	}
	return strings.Join(parts, " or ")
}

// refusal completes the evidence of an exchange that got the wrong
// answer: the response's violations, and for a 401 the note that the
// token was refused, with Graph's code and message.
func refusal(e Evidence, ex Exchange) Evidence {
	e.Violations = ex.ResponseViolations()
	if ex.Err == nil && ex.Status == 401 {
		code, msg := graphError(ex.ResponseBody)
		e.Note += fmt.Sprintf("; the token was rejected: 401 %s %q", code, graph.OneLine(msg, 120))
	}
	return e
}
