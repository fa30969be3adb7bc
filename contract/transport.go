package contract

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// Transport is an http.RoundTripper that validates every request it sends
// and every response it receives against the spec, and records each
// violation. It works under the generated client and under any other
// client built on net/http. It never changes what is sent or received.
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
	body, hasBody, err := drainBody(req)
	if err != nil {
		return nil, fmt.Errorf("contract: reading the request body: %w", err)
	}
	ctx := req.Context()
	ex := Exchange{
		Operation:     t.validator.OperationID(req),
		Method:        req.Method,
		URL:           req.URL.Redacted(),
		RequestHeader: redactedHeader(req.Header),
		RequestBody:   body,
	}
	checked := req.Clone(ctx)
	checked.Body = bodyReader(body, hasBody)
	ex.Violations = t.validator.ValidateRequest(ctx, checked)

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

	respBody, readErr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if readErr != nil {
		ex.Err = fmt.Errorf("contract: reading the response body: %w", readErr)
		t.record(ex)
		return nil, ex.Err
	}
	ex.Status = resp.StatusCode
	ex.ResponseHeader = redactedHeader(resp.Header) // Set-Cookie from a proxy, say
	ex.ResponseBody = respBody
	if t.validator.Routes(req) { // an unrouted request was already reported
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

// drainBody reads and closes req.Body, which a RoundTripper may consume.
// hasBody tells an empty body from none.
func drainBody(req *http.Request) (body []byte, hasBody bool, err error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, false, nil
	}
	var buf bytes.Buffer
	if req.ContentLength > 0 && req.ContentLength < 64<<20 {
		buf.Grow(int(req.ContentLength) + bytes.MinRead) // one allocation, even for a huge body
	}
	_, err = buf.ReadFrom(req.Body)
	_ = req.Body.Close()
	return buf.Bytes(), true, err
}

func bodyReader(body []byte, hasBody bool) io.ReadCloser {
	if !hasBody {
		return http.NoBody
	}
	return io.NopCloser(bytes.NewReader(body))
}
