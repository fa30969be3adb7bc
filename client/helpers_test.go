package client

import (
	"github.com/connectorgroups/connectorgroups/internal/graph"

	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorgroups/connectorgroups/contract"
)

// Well-known ids of the tests; the same as the reference server's seed.
const (
	testGroup     = "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21"
	testConnector = "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"
	testToken     = "dev-token"
	// addPattern is where AddConnector posts by default, today's path;
	// docAddPattern is the doc page's, where it posts WithDocPath.
	addPattern    = "POST /beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/{id}/members/$ref"
	docAddPattern = "POST /beta/connectorGroups/{id}/members/$ref"
)

// env is one test's stand-in for Graph: an httptest server with a mux, a
// client pointed at it whose every request goes through the contract
// suite's validating transport, and the fake clock the client waits on.
type env struct {
	client *Client
	mux    *http.ServeMux
	srv    *httptest.Server
	tr     *contract.Transport
	clock  *fakeClock
}

// setup starts the server and builds a client with the fake clock, a
// jitter of 0.5 and the given options (which may override both).
func setup(t *testing.T, opts ...Option) *env {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return newEnv(t, mux, srv, srv.Client().Transport, opts...)
}

// newEnv is setup's second half, for tests that start the server or
// shape the transport themselves: rt is what the validating transport
// sends through.
func newEnv(t *testing.T, mux *http.ServeMux, srv *httptest.Server, rt http.RoundTripper, opts ...Option) *env {
	t.Helper()
	e := &env{mux: mux, srv: srv, clock: newFakeClock()}
	e.tr = newContractTransport(t, rt)
	base := []Option{
		WithBaseURL(srv.URL + "/beta"),
		WithHTTPClient(&http.Client{Transport: e.tr}),
		WithTokenSource(StaticToken(testToken)),
		withClock(e.clock, func() float64 { return 0.5 }),
	}
	c, err := NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	e.client = c
	return e
}

func newContractTransport(t *testing.T, base http.RoundTripper) *contract.Transport {
	t.Helper()
	tr, err := contract.NewTransport(base)
	if err != nil {
		t.Fatalf("contract.NewTransport: %v", err)
	}
	return tr
}

// assertValidTraffic checks that requests were sent and that neither they
// nor the answers broke the spec.
func assertValidTraffic(t *testing.T, tr *contract.Transport) {
	t.Helper()
	if tr.Exchanges() == 0 {
		t.Fatal("no request went through the validating transport")
	}
	for _, v := range tr.Violations() {
		t.Errorf("contract violation: %s", v)
	}
}

// assertValidRequests is assertValidTraffic for handlers that answer off
// the spec on purpose (text/plain 502, HTTP-date Retry-After, ...): only
// the client's requests must be valid.
func assertValidRequests(t *testing.T, tr *contract.Transport) {
	t.Helper()
	if tr.Exchanges() == 0 {
		t.Fatal("no request went through the validating transport")
	}
	for _, v := range tr.Violations() {
		if v.Direction == contract.DirectionRequest {
			t.Errorf("request violation: %s", v)
		}
	}
}

// fakeClock advances only when the client waits, and never sleeps.
// onWait, when set, is called for each wait; returning false makes that
// wait never end (the test then cancels the context).
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	waits  []time.Duration
	onWait func(d time.Duration) bool
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Now()} }

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) After(d time.Duration) <-chan time.Time {
	f.mu.Lock()
	f.waits = append(f.waits, d)
	f.now = f.now.Add(d)
	now, onWait := f.now, f.onWait
	f.mu.Unlock()
	ch := make(chan time.Time, 1)
	if onWait != nil && !onWait(d) {
		return ch
	}
	ch <- now
	return ch
}

func (f *fakeClock) Waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// graphHeaders sets the headers every Graph answer carries, echoing the
// caller's client-request-id.
func graphHeaders(w http.ResponseWriter, r *http.Request, requestID string) {
	w.Header().Set("request-id", requestID)
	crid := r.Header.Get("client-request-id")
	if crid == "" {
		crid = requestID
	}
	w.Header().Set("client-request-id", crid)
}

// writeCreated answers 201 with a connector, as the doc page says.
func writeCreated(w http.ResponseWriter, r *http.Request, body string) {
	graphHeaders(w, r, "11111111-2222-4333-8444-555555555555")
	w.Header().Set("Content-Type", graph.ContentTypeEntity)
	w.Header().Set(graph.HeaderODataVersion, graph.ODataVersion)
	w.WriteHeader(http.StatusCreated)
	io.WriteString(w, body)
}

// writeGraphError answers with Graph's ODataError JSON.
func writeGraphError(w http.ResponseWriter, r *http.Request, status int, code, message, requestID string) {
	graphHeaders(w, r, requestID)
	body, _ := json.Marshal(map[string]any{"error": map[string]any{
		"code":    code,
		"message": message,
		"innerError": map[string]any{
			"date":              "2026-11-27T10:15:30",
			"request-id":        requestID,
			"client-request-id": r.Header.Get("client-request-id"),
		},
	}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}

const (
	connectorJSON = `{"id":"d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30","machineName":"CONNECTOR-01.contoso.com","externalIp":"203.0.113.10","status":"active","version":"1.5.3437.0"}`
	alreadyMember = "One or more added object references already exist for the following modified properties: 'members'."
)

// sequence answers the n-th request (from 1) with handlers[n-1], and the
// last handler for every request after those. It counts the requests.
type sequence struct {
	n        atomic.Int32
	handlers []http.HandlerFunc
}

func (s *sequence) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(s.n.Add(1)) - 1
	s.handlers[min(i, len(s.handlers)-1)](w, r)
}

func (s *sequence) Count() int { return int(s.n.Load()) }

// hangUp closes the connection without an answer: a transport error after
// the request was sent, the ambiguous kind.
func hangUp(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		conn.Close()
	}
}

func graphErrorHandler(status int, code, message string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		writeGraphError(w, r, status, code, message, fmt.Sprintf("00000000-0000-4000-8000-%012d", status))
	}
}

func createdHandler(w http.ResponseWriter, r *http.Request) { writeCreated(w, r, connectorJSON) }

// writeJSON answers a success with a body, as Graph does: its media type,
// OData-Version and the correlation headers.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, body string) {
	graphHeaders(w, r, "33333333-4444-4555-8666-777777777777")
	w.Header().Set("Content-Type", graph.ContentTypeEntity)
	w.Header().Set(graph.HeaderODataVersion, graph.ODataVersion)
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// jsonHandler answers every request with status and body.
func jsonHandler(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { writeJSON(w, r, status, body) }
}

// noContent answers 204, as today's service answers $ref POSTs, PATCH and
// DELETE.
func noContent(w http.ResponseWriter, r *http.Request) {
	graphHeaders(w, r, "7c1a3e52-9b0d-4c6f-8e21-3f5d6a9b0c14")
	w.WriteHeader(http.StatusNoContent)
}

// testMethod, testHeader and testBody check what a handler received, in
// go-github's manner.
func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if r.Method != want {
		t.Errorf("request method = %s, want %s", r.Method, want)
	}
}

func testHeader(t *testing.T, r *http.Request, header, want string) {
	t.Helper()
	if got := r.Header.Get(header); got != want {
		t.Errorf("header %s = %q, want %q", header, got, want)
	}
}

// testBody reads the body and compares it with want, as JSON when want is
// not empty (so that key order does not matter).
func testBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	got, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("reading the request body: %v", err)
	}
	if want == "" {
		if len(got) != 0 {
			t.Errorf("request body = %s, want none", got)
		}
		return
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("request body %s is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want %s: %v", want, err)
	}
	gj, _ := json.Marshal(g)
	wj, _ := json.Marshal(w)
	if string(gj) != string(wj) {
		t.Errorf("request body = %s, want %s", got, want)
	}
}

// testCommonHeaders checks what every request carries.
func testCommonHeaders(t *testing.T, r *http.Request) {
	t.Helper()
	testHeader(t, r, "Authorization", "Bearer "+testToken)
	testHeader(t, r, "Accept", "application/json")
	testHeader(t, r, "User-Agent", DefaultUserAgent)
	if id := r.Header.Get("client-request-id"); !uuidV4.MatchString(id) {
		t.Errorf("client-request-id = %q, want a UUID v4", id)
	}
}

// readAll reads a request's body.
func readAll(t *testing.T, r *http.Request) []byte {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("reading the request body: %v", err)
	}
	return b
}

func jsonMarshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
