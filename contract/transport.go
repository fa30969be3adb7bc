package contract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Transport is an http.RoundTripper that validates every request it sends
// and every response it receives against the spec, and records each
// violation. It works under the generated client and under any other
// client built on net/http. It never changes what is sent or received.
//
// It holds each body whole to validate it, so each is bounded: a response
// body by graph.MaxResponseBytes after decompression (Go's transport
// inflates a gzip body it asked for, and the bound is on what comes out),
// a request body by maxRequestBytes. A larger one ends the round trip in
// a *graph.TooLargeError that names the operation; nothing past the bound
// is read. A request body sent gzip-compressed (Content-Encoding: gzip, as
// Microsoft's SDKs send every body) is validated as it inflates, held to
// maxRequestBytes once inflated too, and forwarded as it was sent.
type Transport struct {
	base        http.RoundTripper
	validator   *Validator
	onViolation func(Violation)
	onExchange  func(Exchange)

	mu         sync.Mutex
	violations []Violation
	exchanges  int
}

// TransportOption configures a Transport.
type TransportOption func(*Transport)

// WithOnViolation calls f for each violation as it is found, for example to
// log it or to fail a test at once.
func WithOnViolation(f func(Violation)) TransportOption {
	return func(t *Transport) { t.onViolation = f }
}

// WithOnExchange calls f after each round trip with what was sent, what
// came back and what broke the spec, so that a caller can judge the traffic
// as a whole (the server-side checks do).
func WithOnExchange(f func(Exchange)) TransportOption {
	return func(t *Transport) { t.onExchange = f }
}

// NewTransport wraps base (http.DefaultTransport when nil).
func NewTransport(base http.RoundTripper, opts ...TransportOption) (*Transport, error) {
	v, err := NewValidator()
	if err != nil {
		return nil, err
	}
	if base == nil {
		base = http.DefaultTransport
	}
	t := &Transport{base: base, validator: v}
	for _, o := range opts {
		o(t)
	}
	return t, nil
}

// RoundTrip validates req, sends it through the wrapped transport, and
// validates the response. Violations are recorded, not returned: the
// exchange goes on exactly as it would without the Transport.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	op := t.validator.OperationID(req)
	body, hasBody, err := drainBody(req, op)
	if err != nil {
		return nil, fmt.Errorf("contract: %w", err)
	}
	ctx := req.Context()
	readable, readableOK, codingViolations := readableBody(op, req.Header, body)
	ex := Exchange{
		Operation:     op,
		Method:        req.Method,
		URL:           req.URL.Redacted(),
		RequestHeader: redactedHeader(req.Header),
		RequestBody:   readable,
	}
	checked := req.Clone(ctx)
	checked.Header.Del(graph.HeaderContentEncoding)
	checked.Body = bodyReader(readable, hasBody)
	ex.Violations = t.validator.ValidateRequest(ctx, checked)
	if !readableOK {
		ex.Violations = withoutBodyViolations(ex.Violations)
	}
	ex.Violations = append(codingViolations, ex.Violations...)

	// RoundTrip must not change the caller's request: send a copy that
	// carries the bytes read above.
	out := req.Clone(ctx)
	out.Body = bodyReader(body, hasBody)
	if hasBody {
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	resp, err := t.base.RoundTrip(out)
	if err != nil {
		ex.Err = err
		t.record(ex)
		return nil, err
	}

	what := "the response to " + operationLabel(op, req)
	respBody, readErr := graph.ReadAtMost(resp.Body, graph.MaxResponseBytes, what)
	_ = resp.Body.Close()
	ex.Status = resp.StatusCode
	ex.ResponseHeader = redactedHeader(resp.Header) // Set-Cookie from a proxy, say
	if readErr != nil {
		if _, tooLarge := errors.AsType[*graph.TooLargeError](readErr); tooLarge {
			ex.Err = fmt.Errorf("contract: %w", readErr)
		} else {
			ex.Err = fmt.Errorf("contract: reading %s: %w", what, readErr)
		}
		t.record(ex)
		return nil, ex.Err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	ex.ResponseBody = respBody
	if t.validator.routes(req) { // an unrouted request was already reported
		ex.Violations = append(ex.Violations, t.validator.ValidateResponse(ctx, req, resp.StatusCode, resp.Header, respBody)...)
	}
	t.record(ex)
	return resp, nil
}

func (t *Transport) record(ex Exchange) {
	t.mu.Lock()
	t.exchanges++
	t.violations = append(t.violations, ex.Violations...)
	t.mu.Unlock()
	if t.onViolation != nil {
		for _, v := range ex.Violations {
			t.onViolation(v)
		}
	}
	if t.onExchange != nil {
		t.onExchange(ex)
	}
}

// Violations returns a copy of every violation recorded so far.
func (t *Transport) Violations() []Violation {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Violation(nil), t.violations...)
}

// Exchanges counts the round trips seen, so that a caller can tell "no
// violations" from "no traffic".
func (t *Transport) Exchanges() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.exchanges
}

// Reset forgets the recorded violations and exchanges.
func (t *Transport) Reset() {
	t.mu.Lock()
	t.violations, t.exchanges = nil, 0
	t.mu.Unlock()
}

// maxRequestBytes bounds a request body the Transport holds to validate
// and forward: the response's bound, which is well above the largest body
// this project sends (negative_data_rejection's huge body, just over the
// 1 MiB Graph-like services take).
const maxRequestBytes = graph.MaxResponseBytes

// drainBody reads and closes req.Body, which a RoundTripper may consume,
// holding at most maxRequestBytes. hasBody tells an empty body from none.
func drainBody(req *http.Request, op string) (body []byte, hasBody bool, err error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, false, nil
	}
	what := "the request body of " + operationLabel(op, req)
	body, err = graph.ReadAtMost(req.Body, maxRequestBytes, what)
	_ = req.Body.Close()
	if _, tooLarge := errors.AsType[*graph.TooLargeError](err); err != nil && !tooLarge {
		err = fmt.Errorf("reading %s: %w", what, err)
	}
	return body, true, err
}

// operationLabel names a request's operation for an error: its
// operationId and "METHOD path", or "METHOD path" alone when the spec has
// no such operation (op is then that already). No host, no query: they
// may carry credentials.
func operationLabel(op string, req *http.Request) string {
	where := req.Method + " " + req.URL.EscapedPath()
	if op == where {
		return where
	}
	return op + " (" + where + ")"
}

func bodyReader(body []byte, hasBody bool) io.ReadCloser {
	if !hasBody {
		return http.NoBody
	}
	return io.NopCloser(bytes.NewReader(body))
}
