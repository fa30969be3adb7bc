package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// expectation is what a probe must get back: a status and, for errors,
// Graph's code, or a test of its message where the code varies.
type expectation struct {
	status int
	code   string
	// message, when set, must accept Graph's message; messageWant says
	// what it wants, for the report.
	message     func(status int, message string) bool
	messageWant string
}

func (w expectation) String() string {
	s := strconv.Itoa(w.status)
	if w.code != "" {
		s += " " + w.code
	}
	if w.messageWant != "" {
		s += " (" + w.messageWant + ")"
	}
	return s
}

// unmet says how ex misses w, or "" when it meets it.
func (w expectation) unmet(ex Exchange) string {
	switch {
	case ex.Err != nil:
		return "no response"
	case ex.Status != w.status:
		return "status " + strconv.Itoa(ex.Status)
	}
	code, message := graphError(ex.ResponseBody)
	switch {
	case w.code != "" && code != w.code:
		return fmt.Sprintf("error code %q", code)
	case w.message != nil && !w.message(ex.Status, message):
		return fmt.Sprintf("error message %q", message)
	}
	return ""
}

// failed completes the evidence of an unmet expectation: a wrong code or
// message goes into the note (the status shows anyway), and the response's
// violations come along.
func failed(e Evidence, ex Exchange, miss string) Evidence {
	if ex.Err == nil && ex.Status != 0 && !strings.HasPrefix(miss, "status") {
		e.Note += "; got " + miss
	}
	e.Violations = ex.ResponseViolations()
	return e
}

// graphError reads Graph's error body tolerantly (graph.DecodeError);
// empty strings when the body is not one.
func graphError(body []byte) (code, message string) {
	e, _ := graph.DecodeError(body)
	// The server's text reaches a report: one line, no control characters.
	return graph.OneLine(e.Code, 200), graph.OneLine(e.Message, 1000)
}

// checkPositiveData makes the doc's example request. The spec declares 201
// with the connector (the doc) and 204 (today's service); both pass.
func checkPositiveData(ctx context.Context, s *session) Result {
	ex, blocked := s.firstAdd(ctx)
	if blocked != nil {
		return verdict([]Evidence{*blocked}, nil, "")
	}
	want := "201 or 204"
	e := evidenceOf(ex, "the doc's example request", want, nil)
	switch {
	case ex.Err != nil:
		return verdict([]Evidence{e}, nil, "")
	case ex.Status == http.StatusNoContent:
		return verdict(nil, []Evidence{e}, "the doc's example request → 204 (today's service; the doc says 201)")
	case ex.Status == http.StatusUnauthorized:
		code, msg := graphError(ex.ResponseBody)
		e.Note += fmt.Sprintf("; the token was rejected: 401 %s %q", code, graph.OneLine(msg, 120))
		return verdict([]Evidence{e}, nil, "")
	case ex.Status != http.StatusCreated:
		e.Violations = ex.ResponseViolations()
		if _, msg := graphError(ex.ResponseBody); graph.IsAlreadyExists(ex.Status, msg) {
			e.Note += "; the connector is already a member of the group: pass a group it is not in"
		}
		return verdict([]Evidence{e}, nil, "")
	}
	var got struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(ex.ResponseBody, &got); err != nil || got.ID != s.target.Connector {
		e.Want = fmt.Sprintf("201 with connector %q", s.target.Connector)
		e.Note += fmt.Sprintf("; the body names connector %q", got.ID)
		return verdict([]Evidence{e}, nil, "")
	}
	return verdict(nil, []Evidence{e}, "the doc's example request → 201 with connector "+got.ID)
}

// checkStatefulDuplicate repeats the add that positive_data_acceptance made
// (making it first when that check was not selected).
func checkStatefulDuplicate(ctx context.Context, s *session) Result {
	first, blocked := s.firstAdd(ctx)
	if blocked != nil {
		return skip("the first add was not sent, so there is nothing to repeat (see "+CheckPositiveData+")", *blocked)
	}
	firstEvidence := evidenceOf(first, "the first add", "2xx", nil)
	if first.Err != nil || first.Status/100 != 2 {
		return skip("the first add did not succeed, so there is nothing to repeat (see "+CheckPositiveData+")", firstEvidence)
	}
	// The code of a duplicate $ref add varies across Graph's workloads
	// (Request_BadRequest in the directory's); the message is what they
	// share, so that is what is judged.
	want := expectation{status: http.StatusBadRequest, message: graph.IsAlreadyExists, messageWant: `a message saying the reference "already exist"s`}
	if blocked := s.beforeMove(ctx); blocked != nil {
		return skip("the connector's group cannot be read, so the add is not repeated", *blocked)
	}
	ex := s.send(ctx, s.docProbe("the same add again"))
	e := evidenceOf(ex, "the same add again", want.String(), nil)
	if miss := want.unmet(ex); miss != "" {
		return verdict([]Evidence{failed(e, ex, miss)}, nil, "")
	}
	code, _ := graphError(ex.ResponseBody)
	return verdict(nil, []Evidence{firstEvidence, e}, fmt.Sprintf("the same add again → 400 %s, already exists", code))
}
