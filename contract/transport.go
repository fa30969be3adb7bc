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
	body, err := snapshotBody(req)
	if err != nil {
		return nil, fmt.Errorf("contract: reading the request body: %w", err)
	}
	checked := req.Clone(req.Context())
	checked.Body = io.NopCloser(bytes.NewReader(body))
	reqViolations := t.validator.ValidateRequest(req.Context(), checked)

	out := req
	if req.Body != nil && req.Body != http.NoBody {
		// RoundTrip must not change the caller's request; send a copy
		// carrying the bytes read above.
		out = req.Clone(req.Context())
		out.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := t.base.RoundTrip(out)
	if err != nil {
		t.record(reqViolations)
		return nil, err
	}

	respBody, readErr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if readErr != nil {
		t.record(reqViolations)
		return nil, fmt.Errorf("contract: reading the response body: %w", readErr)
	}
	var respViolations []Violation
	if t.validator.Routes(req) { // an unrouted request was already reported
		respViolations = t.validator.ValidateResponse(req.Context(), req, resp.StatusCode, resp.Header, respBody)
	}
	t.record(append(reqViolations, respViolations...))
	return resp, nil
}

func (t *Transport) record(vs []Violation) {
	t.mu.Lock()
	t.exchanges++
	t.violations = append(t.violations, vs...)
	t.mu.Unlock()
	if t.onViolation != nil {
		for _, v := range vs {
			t.onViolation(v)
		}
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

// snapshotBody returns the request body's bytes without consuming the
// caller's body: through GetBody when the request has one.
func snapshotBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	b, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	req.Body = io.NopCloser(bytes.NewReader(b))
	return b, err
}
