package contract

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The conformance checks send nothing: they judge every exchange the other
// checks made, whatever its operation, so that a new operation's checks are
// judged by them for free.

// judgeTraffic runs inspect on each exchange that got a response; inspect
// returns the violations it finds there.
func judgeTraffic(s *session, want string, inspect func(ex tracked) []Violation) (Result, []tracked) {
	exs := s.exchanges()
	if len(exs) == 0 {
		return skip("no exchanges to judge: select a check that sends requests as well"), nil
	}
	var failures []Evidence
	for _, ex := range exs {
		if vs := inspect(ex); len(vs) > 0 {
			failures = append(failures, evidenceOf(ex.Exchange, ex.note, want, vs))
		}
	}
	return verdict(failures, nil, fmt.Sprintf("(%d exchanges, %d operations)", len(exs), countOperations(exs))), exs
}

// responseViolations keeps the response violations whose field keep
// accepts.
func responseViolations(ex Exchange, keep func(field string) bool) []Violation {
	var out []Violation
	for _, v := range ex.ResponseViolations() {
		if keep(v.Field) {
			out = append(out, v)
		}
	}
	return out
}

func isContentTypeField(field string) bool { return strings.EqualFold(field, "header/Content-Type") }

// exchangeRequest rebuilds enough of ex's request to find its operation.
func exchangeRequest(ex Exchange) *http.Request {
	req, err := http.NewRequest(ex.Method, ex.URL, nil)
	if err != nil {
		return nil
	}
	return req
}

func checkStatusCode(_ context.Context, s *session) Result {
	res, _ := judgeTraffic(s, "a status the spec declares", func(ex tracked) []Violation {
		vs := responseViolations(ex.Exchange, func(f string) bool { return f == "status" })
		if len(vs) == 0 && ex.Status != 0 {
			// openapi3filter never judges 301, 304, 307 or 308.
			if req := exchangeRequest(ex.Exchange); req != nil && s.validator.routes(req) && s.validator.declaredResponse(req, ex.Status) == nil {
				vs = append(vs, Violation{Operation: ex.Operation, Direction: DirectionResponse, Field: "status",
					Reason: fmt.Sprintf("status %d is not declared", ex.Status)})
			}
		}
		return vs
	})
	return res
}

func checkContentType(_ context.Context, s *session) Result {
	res, _ := judgeTraffic(s, "a declared Content-Type", func(ex tracked) []Violation {
		vs := responseViolations(ex.Exchange, isContentTypeField)
		req := exchangeRequest(ex.Exchange)
		if req == nil {
			return vs
		}
		if declared := s.validator.declaredResponse(req, ex.Status); declared != nil && len(declared.Content) == 0 && ex.responseBytes > 0 {
			vs = append(vs, Violation{Operation: ex.Operation, Direction: DirectionResponse, Field: "body",
				Reason: fmt.Sprintf("the spec declares no content for %d, but the response has %d bytes of %q", ex.Status, ex.responseBytes, ex.ResponseHeader.Get("Content-Type"))})
		}
		return vs
	})
	return res
}

func checkResponseSchema(_ context.Context, s *session) Result {
	res, _ := judgeTraffic(s, "a body matching the declared schema", func(ex tracked) []Violation {
		return responseViolations(ex.Exchange, func(f string) bool { return f == "body" || strings.HasPrefix(f, "body/") })
	})
	return res
}

func checkResponseHeaders(_ context.Context, s *session) Result {
	res, exs := judgeTraffic(s, "the declared headers", func(ex tracked) []Violation {
		vs := responseViolations(ex.Exchange, func(f string) bool { return strings.HasPrefix(f, "header/") && !isContentTypeField(f) })
		sent := ex.RequestHeader.Get(graph.HeaderClientRequestID)
		if got := ex.ResponseHeader.Get(graph.HeaderClientRequestID); sent != "" && got != "" && got != sent {
			vs = append(vs, Violation{Operation: ex.Operation, Direction: DirectionResponse, Field: "header/client-request-id",
				Reason: fmt.Sprintf("the caller's client-request-id %q came back as %q", sent, got)})
		}
		return vs
	})
	if res.Status == StatusPass {
		if n := countStatus(exs, http.StatusTooManyRequests); n > 0 {
			res.Detail = fmt.Sprintf("(%d exchanges, %d operations, %d with 429, %d of them with Retry-After)", len(exs), countOperations(exs), n, countRetryAfter(exs))
		} else {
			res.Detail = fmt.Sprintf("(%d exchanges, %d operations; no 429 came, so Retry-After was not exercised)", len(exs), countOperations(exs))
		}
	}
	return res
}

func checkNotAServerError(_ context.Context, s *session) Result {
	res, _ := judgeTraffic(s, "not 5xx", func(ex tracked) []Violation {
		if ex.Status < 500 {
			return nil
		}
		code, message := graphError(ex.ResponseBody)
		return []Violation{{Operation: ex.Operation, Direction: DirectionResponse, Field: "status",
			Reason: strings.TrimSpace(fmt.Sprintf("server error %d %s %s", ex.Status, code, message))}}
	})
	return res
}

// countRetryAfter counts the 429s that said when to come back.
func countRetryAfter(exs []tracked) int {
	n := 0
	for _, ex := range exs {
		if ex.Status == http.StatusTooManyRequests && ex.ResponseHeader.Get("Retry-After") != "" {
			n++
		}
	}
	return n
}

func countStatus(exs []tracked, status int) int {
	n := 0
	for _, ex := range exs {
		if ex.Status == status {
			n++
		}
	}
	return n
}

// countOperations counts the spec's operations the exchanges reached.
func countOperations(exs []tracked) int {
	seen := map[string]bool{}
	for _, ex := range exs {
		if slices.Contains(graph.Operations(), ex.Operation) {
			seen[ex.Operation] = true
		}
	}
	return len(seen)
}
