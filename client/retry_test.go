package client

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// throttled answers 429 with Retry-After, as Graph does.
func throttled(retryAfter string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", retryAfter)
		writeGraphError(w, r, http.StatusTooManyRequests, "TooManyRequests", "Too many requests.", "2c7f4b93-1d6e-4a08-9f35-b8e0d2a6c417")
	}
}

// recordRequests wraps h and keeps each request's client-request-id and
// body, to show that every attempt sends the whole body again.
type recorder struct {
	mu     sync.Mutex
	ids    []string
	bodies []string
	tokens []string
}

func (rec *recorder) wrap(h http.Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.ids = append(rec.ids, r.Header.Get("client-request-id"))
		rec.bodies = append(rec.bodies, string(b))
		rec.tokens = append(rec.tokens, r.Header.Get("Authorization"))
		rec.mu.Unlock()
		h.ServeHTTP(w, r)
	}
}

func TestRetry_429RetryAfterSeconds(t *testing.T) {
	e := setup(t)
	seq := &sequence{handlers: []http.HandlerFunc{throttled("7"), createdHandler}}
	rec := &recorder{}
	e.mux.HandleFunc(addPattern, rec.wrap(seq))
	tokens := 0
	e.client.tokens = TokenFunc(func(context.Context) (string, error) {
		tokens++
		return testToken, nil
	})

	conn, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
	if err != nil {
		t.Fatalf("AddConnector: %v", err)
	}
	if conn.MachineName != "CONNECTOR-01.contoso.com" {
		t.Errorf("connector = %+v", conn)
	}
	if got := e.clock.Waits(); !slices.Equal(got, []time.Duration{7 * time.Second}) {
		t.Errorf("waits = %v, want [7s]", got)
	}
	if seq.Count() != 2 || tokens != 2 {
		t.Errorf("%d requests, %d tokens; want 2 and 2 (a token per attempt)", seq.Count(), tokens)
	}
	wantBody := `{"@odata.id":"` + graph.ConnectorLinkAt(e.srv.URL+"/beta", testConnector) + `"}`
	for i := range rec.ids {
		if rec.ids[i] != rec.ids[0] || rec.bodies[i] != wantBody {
			t.Errorf("attempt %d: client-request-id %q (first %q), body %q", i+1, rec.ids[i], rec.ids[0], rec.bodies[i])
		}
	}
	assertValidTraffic(t, e.tr)
}

func TestRetry_RetryAfterHTTPDate(t *testing.T) {
	e := setup(t)
	date := e.clock.Now().Add(30 * time.Second).UTC().Truncate(time.Second)
	seq := &sequence{handlers: []http.HandlerFunc{throttled(date.Format(http.TimeFormat)), createdHandler}}
	e.mux.Handle(addPattern, seq)

	if _, err := e.client.AddConnector(context.Background(), testGroup, testConnector); err != nil {
		t.Fatalf("AddConnector: %v", err)
	}
	waits := e.clock.Waits()
	if len(waits) != 1 || waits[0] > 30*time.Second || waits[0] <= 29*time.Second {
		t.Errorf("waits = %v, want one of (29s, 30s]", waits)
	}
	// The spec declares Retry-After in seconds; only the requests must be valid.
	assertValidRequests(t, e.tr)
}

// 503 is retried like 429; without Retry-After, after a backoff.
func TestRetry_503(t *testing.T) {
	unavailable := func(retryAfter string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			writeGraphError(w, r, 503, "serviceNotAvailable", "The service is temporarily unavailable.", "4e9a0c26-8b3f-4d71-a5e8-6f1b3d9c2a50")
		}
	}
	tests := []struct {
		retryAfter string
		want       time.Duration
	}{
		{"3", 3 * time.Second},
		{"", 375 * time.Millisecond}, // 500ms, half of it jittered by 0.5
	}
	for _, tt := range tests {
		t.Run("Retry-After "+tt.retryAfter, func(t *testing.T) {
			e := setup(t)
			seq := &sequence{handlers: []http.HandlerFunc{unavailable(tt.retryAfter), createdHandler}}
			e.mux.Handle(addPattern, seq)
			if _, err := e.client.AddConnector(context.Background(), testGroup, testConnector); err != nil {
				t.Fatalf("AddConnector: %v", err)
			}
			if got := e.clock.Waits(); !slices.Equal(got, []time.Duration{tt.want}) {
				t.Errorf("waits = %v, want [%v]", got, tt.want)
			}
			assertValidTraffic(t, e.tr)
		})
	}
}

func TestRetry_GivesUpAfterMaxAttempts(t *testing.T) {
	e := setup(t, WithRetry(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Second, MaxBackoff: 10 * time.Second}))
	seq := &sequence{handlers: []http.HandlerFunc{graphErrorHandler(500, "generalException", "General exception while processing.")}}
	e.mux.Handle(addPattern, seq)

	_, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
	var ge *Error
	if !errors.As(err, &ge) || ge.StatusCode != 500 || ge.Attempts != 3 {
		t.Fatalf("err = %v, want a 500 *Error after 3 attempts", err)
	}
	if !strings.Contains(err.Error(), "3 attempts") {
		t.Errorf("Error() = %q does not count the attempts", err)
	}
	if seq.Count() != 3 {
		t.Errorf("%d requests, want 3", seq.Count())
	}
	// Backoffs of 1s and 2s, each half fixed and half jittered by 0.5.
	if got, want := e.clock.Waits(), []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond}; !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
	assertValidTraffic(t, e.tr)
}

func TestRetry_TransportErrorsGiveUp(t *testing.T) {
	e := setup(t, WithRetry(RetryPolicy{MaxAttempts: 2}))
	seq := &sequence{handlers: []http.HandlerFunc{hangUp(t)}}
	e.mux.Handle(addPattern, seq)

	_, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
	var ge *Error
	if err == nil || errors.As(err, &ge) {
		t.Fatalf("err = %v, want a transport error", err)
	}
	if !strings.Contains(err.Error(), "2 attempts") || seq.Count() != 2 {
		t.Errorf("err = %q after %d requests; want 2 attempts", err, seq.Count())
	}
	assertValidRequests(t, e.tr)
}

// The add is not idempotent: an attempt that fails after the request may
// have reached the service, then "already a member", is ErrAlreadyMember
// marked AfterAmbiguousAttempt.
func TestRetry_AlreadyMemberAfterAmbiguousFailure(t *testing.T) {
	tests := []struct {
		name          string
		first         http.HandlerFunc
		wantAmbiguous bool
	}{
		{"connection dropped", hangUp(t), true},
		{"502", graphErrorHandler(502, "BadGateway", "Bad gateway."), true},
		{"429, never carried out", throttled("1"), false},
		{"503, never carried out", graphErrorHandler(503, "serviceNotAvailable", "The service is temporarily unavailable."), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			seq := &sequence{handlers: []http.HandlerFunc{tt.first, graphErrorHandler(400, "Request_BadRequest", alreadyMember)}}
			e.mux.Handle(addPattern, seq)

			_, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
			assertSentinel(t, err, "ErrAlreadyMember")
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("err = %v", err)
			}
			if ge.AfterAmbiguousAttempt != tt.wantAmbiguous || ge.Attempts != 2 {
				t.Errorf("AfterAmbiguousAttempt = %v, Attempts = %d; want %v, 2", ge.AfterAmbiguousAttempt, ge.Attempts, tt.wantAmbiguous)
			}
			if got := strings.Contains(err.Error(), "may have added it"); got != tt.wantAmbiguous {
				t.Errorf("Error() = %q", err)
			}
			assertValidRequests(t, e.tr)
		})
	}
}

// An attempt that never got a connection wrote nothing: it is retried, but
// a later "already a member" is not put down to it. Real failures, through
// net/http and a TLS server; only the first dial fails.
func TestRetry_UnsentAttemptsAreNotAmbiguous(t *testing.T) {
	closed := closedLoopbackAddr(t)
	tests := []struct {
		name          string
		firstDial     func(ctx context.Context) (net.Conn, error) // nil: dial the server
		first         http.HandlerFunc                            // the first request's answer, if it gets through
		wantAmbiguous bool
	}{
		{"connection refused", func(ctx context.Context) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", closed)
		}, nil, false},
		{"DNS failure", func(context.Context) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "graph.microsoft.com", IsNotFound: true}}
		}, nil, false},
		{"closed during the TLS handshake", func(context.Context) (net.Conn, error) {
			client, server := net.Pipe()
			server.Close()
			return client, nil
		}, nil, false},
		// The control: a connection dropped once the request was sent.
		{"dropped after the request", nil, hangUp(t), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			srv := httptest.NewTLSServer(mux)
			t.Cleanup(srv.Close)
			rt := srv.Client().Transport.(*http.Transport).Clone()
			var dials atomic.Int32
			rt.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
				if dials.Add(1) == 1 && tt.firstDial != nil {
					return tt.firstDial(ctx)
				}
				var d net.Dialer
				return d.DialContext(ctx, network, addr)
			}
			e := newEnv(t, mux, srv, rt)
			handlers := []http.HandlerFunc{graphErrorHandler(400, "Request_BadRequest", alreadyMember)}
			if tt.first != nil {
				handlers = append([]http.HandlerFunc{tt.first}, handlers...)
			}
			seq := &sequence{handlers: handlers}
			mux.Handle(addPattern, seq)

			_, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
			assertSentinel(t, err, "ErrAlreadyMember")
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("err = %v", err)
			}
			if ge.AfterAmbiguousAttempt != tt.wantAmbiguous || ge.Attempts != 2 {
				t.Errorf("AfterAmbiguousAttempt = %v, Attempts = %d; want %v, 2", ge.AfterAmbiguousAttempt, ge.Attempts, tt.wantAmbiguous)
			}
			if want := len(handlers); seq.Count() != want || e.tr.Exchanges() != 2 {
				t.Errorf("%d requests served, %d sent; want %d and 2", seq.Count(), e.tr.Exchanges(), want)
			}
			if got := e.clock.Waits(); len(got) != 1 {
				t.Errorf("waits = %v, want one backoff", got)
			}
			assertValidRequests(t, e.tr)
		})
	}
}

// closedLoopbackAddr is a loopback address where nothing listens.
func closedLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// With every dial refused, the call is retried up to MaxAttempts and ends
// with the transport error, counted.
func TestRetry_ConnectionRefused(t *testing.T) {
	e := setup(t, WithRetry(RetryPolicy{MaxAttempts: 3}), WithBaseURL("http://"+closedLoopbackAddr(t)+"/beta"))

	_, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "dial" || !strings.Contains(err.Error(), "3 attempts") {
		t.Fatalf("err = %v, want a dial error after 3 attempts", err)
	}
	if n := e.tr.Exchanges(); n != 3 || len(e.clock.Waits()) != 2 {
		t.Errorf("%d attempts, waits %v; want 3 and two backoffs", n, e.clock.Waits())
	}
	assertValidRequests(t, e.tr)
}

// The client waits on the fake clock; the context is cancelled meanwhile.
func TestRetry_ContextCancelledDuringWait(t *testing.T) {
	e := setup(t)
	seq := &sequence{handlers: []http.HandlerFunc{throttled("10"), createdHandler}}
	e.mux.Handle(addPattern, seq)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.clock.onWait = func(time.Duration) bool {
		cancel()
		return false // the wait never ends by itself
	}

	conn, err := e.client.AddConnector(ctx, testGroup, testConnector)
	if conn != nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("AddConnector = %v, %v; want context.Canceled", conn, err)
	}
	var ge *Error
	if !errors.As(err, &ge) || ge.StatusCode != 429 || ge.RetryAfter != 10*time.Second {
		t.Errorf("err = %v; want it to carry the 429", err)
	}
	if seq.Count() != 1 {
		t.Errorf("%d requests, want 1", seq.Count())
	}
	assertValidTraffic(t, e.tr)
}

// cancelingClock is the real clock, but cancels the call's context as the
// loop asks it for a timer, so that the wait can only end by ctx.Done.
type cancelingClock struct {
	realClock
	cancel context.CancelFunc
	mu     sync.Mutex
	waits  []time.Duration
}

func (c *cancelingClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.mu.Unlock()
	c.cancel()
	return c.realClock.After(d)
}

func (c *cancelingClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.waits)
}

// The same with a real 30s timer: the wait is a select on ctx.Done too,
// and the retry is never sent.
func TestRetry_ContextCancelledDuringRealWait(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cl := &cancelingClock{cancel: cancel}
	e := setup(t, withClock(cl, func() float64 { return 0 }))
	seq := &sequence{handlers: []http.HandlerFunc{throttled("30"), createdHandler}}
	e.mux.Handle(addPattern, seq)

	_, err := e.client.AddConnector(ctx, testGroup, testConnector)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "waiting 30s to retry") {
		t.Fatalf("err = %v, want context.Canceled during the 30s wait", err)
	}
	var ge *Error
	if !errors.As(err, &ge) || ge.StatusCode != 429 {
		t.Errorf("err = %v; want it to carry the 429", err)
	}
	if got := cl.Waits(); !slices.Equal(got, []time.Duration{30 * time.Second}) {
		t.Errorf("waits = %v, want [30s]", got)
	}
	if seq.Count() != 1 || e.tr.Exchanges() != 1 {
		t.Errorf("%d requests served, %d sent; want 1 and 1", seq.Count(), e.tr.Exchanges())
	}
	assertValidTraffic(t, e.tr)
}

// A wait that would outlast the context's deadline is not started.
func TestRetry_WaitBeyondDeadline(t *testing.T) {
	e := setup(t)
	seq := &sequence{handlers: []http.HandlerFunc{throttled("30"), createdHandler}}
	e.mux.Handle(addPattern, seq)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	_, err := e.client.AddConnector(ctx, testGroup, testConnector)
	assertSentinel(t, err, "ErrThrottled")
	if seq.Count() != 1 || len(e.clock.Waits()) != 0 {
		t.Errorf("%d requests, waits %v; want 1 request and no wait", seq.Count(), e.clock.Waits())
	}
	assertValidTraffic(t, e.tr)
}

// A Retry-After beyond MaxRetryAfter ends the call; RetryAfter says when.
func TestRetry_RetryAfterBeyondPolicy(t *testing.T) {
	e := setup(t, WithRetry(RetryPolicy{MaxRetryAfter: 2 * time.Minute}))
	seq := &sequence{handlers: []http.HandlerFunc{throttled("3600"), createdHandler}}
	e.mux.Handle(addPattern, seq)

	_, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
	var ge *Error
	if !errors.As(err, &ge) || ge.RetryAfter != time.Hour {
		t.Fatalf("err = %v, want a 429 *Error with RetryAfter 1h", err)
	}
	if seq.Count() != 1 || len(e.clock.Waits()) != 0 {
		t.Errorf("%d requests, waits %v", seq.Count(), e.clock.Waits())
	}
	assertValidTraffic(t, e.tr)
}

// 4xx answers, 501, and failures of the token source are not retried.
func TestRetry_NotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 413, 415, 501} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			e := setup(t)
			seq := &sequence{handlers: []http.HandlerFunc{graphErrorHandler(status, "Code", "Message."), createdHandler}}
			e.mux.Handle(addPattern, seq)
			if _, err := e.client.AddConnector(context.Background(), testGroup, testConnector); err == nil {
				t.Fatal("AddConnector succeeded; want the first answer's error")
			}
			if seq.Count() != 1 {
				t.Errorf("%d requests, want 1", seq.Count())
			}
			assertValidTraffic(t, e.tr)
		})
	}
}

func TestWithoutRetry(t *testing.T) {
	e := setup(t, WithoutRetry())
	seq := &sequence{handlers: []http.HandlerFunc{throttled("1"), createdHandler}}
	e.mux.Handle(addPattern, seq)
	_, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
	assertSentinel(t, err, "ErrThrottled")
	if seq.Count() != 1 {
		t.Errorf("%d requests, want 1", seq.Count())
	}
	assertValidTraffic(t, e.tr)
}

func TestBackoff(t *testing.T) {
	const first, ceiling = 500 * time.Millisecond, 8 * time.Second
	tests := []struct {
		attempt int
		r       float64
		want    time.Duration
	}{
		{1, 0, 250 * time.Millisecond},
		{1, 0.999, 499750 * time.Microsecond},
		{2, 0, 500 * time.Millisecond},
		{3, 0.5, 1500 * time.Millisecond},
		{5, 1, 8 * time.Second},
		{6, 0, 4 * time.Second}, // capped: 16s becomes 8s
		{1000, 0.5, 6 * time.Second},
	}
	for _, tt := range tests {
		if got := backoff(tt.attempt, first, ceiling, tt.r); got != tt.want {
			t.Errorf("backoff(%d, r=%v) = %v, want %v", tt.attempt, tt.r, got, tt.want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"120", 2 * time.Minute, true},
		{" 5 ", 5 * time.Second, true},
		{"0", 0, true},
		{"-3", 0, true},
		{"99999999999999999", time.Duration(1<<63 - 1).Truncate(time.Second), true},
		{"Fri, 27 Nov 2026 10:01:00 GMT", time.Minute, true},
		{"Fri, 27 Nov 2026 09:00:00 GMT", 0, true}, // in the past
		{"Friday, 27-Nov-26 10:00:10 GMT", 10 * time.Second, true},
		{"1.5", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.value != "" {
			h.Set("Retry-After", tt.value)
		}
		got, ok := retryAfter(h, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.value, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestShouldRetryAndIsAmbiguous(t *testing.T) {
	dial := &url.Error{Op: "Post", URL: "http://x", Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}}
	read := &url.Error{Op: "Post", URL: "http://x", Err: io.ErrUnexpectedEOF}
	dns := &url.Error{Op: "Post", URL: "http://x", Err: &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}}
	proxy := &url.Error{Op: "Post", URL: "http://x", Err: &net.OpError{Op: "proxyconnect", Net: "tcp", Err: errors.New("connection refused")}}
	reset := &url.Error{Op: "Post", URL: "http://x", Err: &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}}
	tests := []struct {
		name          string
		status        int
		err           error
		wantRetry     bool
		wantAmbiguous bool
	}{
		{"dial error", 0, dial, true, false},
		{"DNS error, not wrapped by the dialer", 0, dns, true, false},
		{"proxy unreachable", 0, proxy, true, false},
		{"no connection, seen by httptrace", 0, &unsentError{read}, true, false},
		{"dropped connection", 0, read, true, true},
		{"connection reset", 0, reset, true, true},
		{"cancelled", 0, &url.Error{Op: "Post", Err: context.Canceled}, false, true},
		{"token source", 0, &permanentError{errors.New("no token")}, false, false},
		{"429", 429, nil, true, false},
		{"500", 500, nil, true, true},
		// Graph's "come back later", like 429: not carried out.
		{"503", 503, nil, true, false},
		{"502", 502, nil, true, true},
		{"504", 504, nil, true, true},
		{"501", 501, nil, false, true},
		{"404", 404, nil, false, false},
	}
	for _, tt := range tests {
		var resp *http.Response
		if tt.err == nil {
			resp = &http.Response{StatusCode: tt.status}
		}
		if got := shouldRetry(resp, tt.err); got != tt.wantRetry {
			t.Errorf("%s: shouldRetry = %v, want %v", tt.name, got, tt.wantRetry)
		}
		if got := isAmbiguous(resp, tt.err); got != tt.wantAmbiguous {
			t.Errorf("%s: isAmbiguous = %v, want %v", tt.name, got, tt.wantAmbiguous)
		}
	}
}

func TestWithRetry_Defaults(t *testing.T) {
	var cfg config
	if err := WithRetry(RetryPolicy{MaxAttempts: 2})(&cfg); err != nil {
		t.Fatal(err)
	}
	want := DefaultRetryPolicy()
	want.MaxAttempts = 2
	if cfg.retry != want {
		t.Errorf("policy = %+v, want %+v", cfg.retry, want)
	}
	if err := WithRetry(RetryPolicy{MinBackoff: 20 * time.Second})(&cfg); err != nil || cfg.retry.MaxBackoff != 20*time.Second {
		t.Errorf("MinBackoff above the default MaxBackoff: %v, %+v", err, cfg.retry)
	}
}

// A context cancelled while an attempt is in flight ends the call instead
// of a retry, whichever way the cancellation reaches the client.
func TestRetry_ContextCancelledDuringAttempt(t *testing.T) {
	e := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seq := &sequence{handlers: []http.HandlerFunc{func(w http.ResponseWriter, r *http.Request) {
		cancel()
		graphErrorHandler(503, "serviceNotAvailable", "Unavailable.")(w, r)
	}, createdHandler}}
	e.mux.Handle(addPattern, seq)

	_, err := e.client.AddConnector(ctx, testGroup, testConnector)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if seq.Count() != 1 || len(e.clock.Waits()) != 0 {
		t.Errorf("%d requests, waits %v; want 1 and none", seq.Count(), e.clock.Waits())
	}
	assertValidRequests(t, e.tr)
}
