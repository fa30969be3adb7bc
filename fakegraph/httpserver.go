package fakegraph

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestServer is the fake on a loopback port: the httptest.Server (URL,
// Client, Close) and the Server behind it, whose state API (Groups,
// MoveConnector, Reset, ...) a test may use without HTTP.
type TestServer struct {
	*httptest.Server
	Fake *Server
}

// NewTestServer starts the fake on a loopback port for a test and closes it
// when the test ends. A nil seed means DefaultSeed; an invalid seed or
// option fails the test. Point clients at srv.URL + "/beta".
func NewTestServer(tb testing.TB, seed *Seed, opts ...Option) *TestServer {
	tb.Helper()
	s, err := New(seed, opts...)
	if err != nil {
		tb.Fatalf("fakegraph.NewTestServer: %v", err)
		return nil // only reached if tb's Fatalf returns
	}
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	return &TestServer{Server: srv, Fake: s}
}

// MaxHeaderBytes bounds a request's line and headers; net/http answers a
// longer one 431 itself, in plain text (see docs/hardening.md's table of
// the answers net/http writes).
const MaxHeaderBytes = 64 << 10

// Timeouts bound how long a connection may take, so that a slow or hostile
// client (slowloris headers, a trickled body) is cut off rather than
// holding a connection, and a goroutine, forever.
type Timeouts struct {
	// ReadHeader bounds the request line and headers; a connection that
	// has not sent them whole by then is closed without an answer.
	ReadHeader time.Duration
	// Read bounds the whole request, body included, from its first byte.
	// A body still arriving then is answered 400 (graph.MsgBodyTimeout)
	// and the connection closed.
	Read time.Duration
	// Write bounds the response, from the end of the request's headers.
	// It is raised to Read plus writeAfterRead when shorter: net/http
	// starts it when the headers have arrived, so a Write no longer than
	// Read would expire with the body's read deadline, and the 400 that
	// says the body timed out would never go out.
	Write time.Duration
	// Idle bounds a keep-alive connection between requests.
	Idle time.Duration
}

// DefaultTimeouts are the timeouts of NewHTTPServer and NewDrainingServer:
// 5 s for headers, 30 s for a request, 40 s for its response, 2 min idle.
func DefaultTimeouts() Timeouts {
	return Timeouts{ReadHeader: 5 * time.Second, Read: 30 * time.Second, Write: 40 * time.Second, Idle: 2 * time.Minute}
}

// writeAfterRead is how long, at least, the response may still take once
// the request's read deadline has passed.
const writeAfterRead = 5 * time.Second

// NewHTTPServer wraps h in an http.Server with DefaultTimeouts and a header
// limit, so that a slow or hostile client cannot hold connections open
// forever.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return newHTTPServer(addr, h, DefaultTimeouts())
}

func newHTTPServer(addr string, h http.Handler, t Timeouts) *http.Server {
	if t.Read > 0 && t.Write > 0 && t.Write < t.Read+writeAfterRead {
		t.Write = t.Read + writeAfterRead
	}
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    MaxHeaderBytes,
		// OPTIONS * goes to h, which answers it as Graph's 400 for a path
		// that names nothing, rather than net/http's bodiless 200.
		DisableGeneralOptionsHandler: true,
	}
}

// DrainingServer serves a handler with NewHTTPServer's limits, and stops
// the way a server run from a terminal should: at once, unless a request
// is being handled.
//
// A request is in flight from the moment its whole body has arrived and its
// handler starts until its response has been written out. Before that,
// nothing of it has been applied, so Shutdown may drop it safely: it drops
// idle keep-alive connections, connections that sent nothing, and requests
// whose headers or body are still arriving. Requests in flight finish; a
// request that arrives complete while the server drains is answered 503
// serviceNotAvailable with Retry-After: 1 and Connection: close, without
// reaching the handler.
//
// It holds at most MaxConns connections open (WithMaxConns; by default
// DefaultMaxConns, below the process's file limit). While all are open,
// the next client waits to be accepted, and the server makes room: it
// closes the connection idle the longest (a keep-alive connection between
// requests), or else the next one to go idle. A client is never refused
// for the bound; it waits at most until a connection goes idle, finishes
// its request (bounded by the timeouts) or is closed.
type DrainingServer struct {
	srv      *http.Server
	refusal  http.Handler
	maxConns int

	mu       sync.Mutex
	draining bool
	conns    map[net.Conn]*connWork
	// roomWanted: every slot is taken and a client waits, and no
	// connection was idle; the next to go idle is closed for it.
	roomWanted bool
}

// connWork is whether a connection has a request in flight. The handler
// sets it, under DrainingServer.mu and only while not draining; the
// connection's return to idle, which comes after the response is written
// out, clears it. idleSince is when it last went idle between requests,
// zero while it is not.
type connWork struct {
	inFlight  bool
	idleSince time.Time
}

type connWorkKey struct{}

// DrainingOption configures a DrainingServer.
type DrainingOption func(*drainingConfig)

type drainingConfig struct {
	timeouts Timeouts
	maxConns int
}

// WithTimeouts sets the server's timeouts; a zero field keeps its default
// (DefaultTimeouts), so tests can make one short without turning the
// others off.
func WithTimeouts(t Timeouts) DrainingOption {
	return func(c *drainingConfig) {
		keep := func(dst *time.Duration, v time.Duration) {
			if v != 0 {
				*dst = v
			}
		}
		keep(&c.timeouts.ReadHeader, t.ReadHeader)
		keep(&c.timeouts.Read, t.Read)
		keep(&c.timeouts.Write, t.Write)
		keep(&c.timeouts.Idle, t.Idle)
	}
}

// WithMaxConns bounds the connections the server holds open at once at n
// (see DrainingServer); n below 1 keeps DefaultMaxConns. CheckMaxConns
// says whether n fits under the process's file limit.
func WithMaxConns(n int) DrainingOption {
	return func(c *drainingConfig) {
		if n >= 1 {
			c.maxConns = n
		}
	}
}

// NewDrainingServer returns a server for h; start it with Serve.
func NewDrainingServer(h http.Handler, opts ...DrainingOption) *DrainingServer {
	cfg := drainingConfig{timeouts: DefaultTimeouts(), maxConns: DefaultMaxConns()}
	for _, o := range opts {
		o(&cfg)
	}
	s := &DrainingServer{
		maxConns: cfg.maxConns,
		conns:    map[net.Conn]*connWork{},
		refusal: withRequestIDs(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Connection", "close")
			writeGraphError(w, r, faultError(http.StatusServiceUnavailable, 1))
		})),
	}
	s.srv = newHTTPServer("", s.track(h), cfg.timeouts)
	s.srv.ConnContext = s.connContext
	s.srv.ConnState = s.connState
	return s
}

// Serve accepts connections on ln until Shutdown, when it returns
// http.ErrServerClosed; at most MaxConns are open at once.
func (s *DrainingServer) Serve(ln net.Listener) error {
	return s.srv.Serve(newConnLimiter(ln, s.maxConns, s.makeRoom))
}

// MaxConns is the most connections the server holds open at once.
func (s *DrainingServer) MaxConns() int { return s.maxConns }

// makeRoom is the listener's call while every slot is taken (needed) and
// once it has one again: it closes the connection idle the longest, which
// gives its slot back at once, or, when none is idle, asks connState to
// close the next one that goes idle.
func (s *DrainingServer) makeRoom(needed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roomWanted = false
	if !needed {
		return
	}
	var oldest net.Conn
	var since time.Time
	for c, work := range s.conns {
		if !work.inFlight && !work.idleSince.IsZero() && (oldest == nil || work.idleSince.Before(since)) {
			oldest, since = c, work.idleSince
		}
	}
	if oldest != nil {
		s.closeForRoom(oldest)
		return
	}
	s.roomWanted = true
}

// closeForRoom closes an idle connection, which gives its slot back at
// once, and forgets it at once too: its StateClosed comes later, from its
// own goroutine, and until then a second makeRoom would pick it again and
// free nothing. The caller holds s.mu.
func (s *DrainingServer) closeForRoom(c net.Conn) {
	delete(s.conns, c)
	c.Close()
}

// Shutdown stops accepting, closes at once every connection without a
// request in flight, and waits for the requests in flight to finish. If ctx
// ends first, it closes every connection and returns an error saying how
// many requests were cut off.
func (s *DrainingServer) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.draining = true
	for c, work := range s.conns {
		if !work.inFlight {
			c.Close()
		}
	}
	s.mu.Unlock()

	// http.Server.Shutdown closes the listeners, then waits for every
	// connection to close; a connection whose request finishes closes
	// after its response, as keep-alives end with the shutdown.
	err := s.srv.Shutdown(ctx)
	if err == nil {
		return nil
	}
	s.mu.Lock()
	cut := 0
	for _, work := range s.conns {
		if work.inFlight {
			cut++
		}
	}
	s.mu.Unlock()
	_ = s.srv.Close()
	return fmt.Errorf("fakegraph: stopping: %d request(s) still in flight: %w", cut, err)
}

func (s *DrainingServer) connContext(ctx context.Context, c net.Conn) context.Context {
	work := &connWork{}
	s.mu.Lock()
	if s.draining {
		// Accepted as the listener closed: drop it.
		c.Close()
	} else {
		s.conns[c] = work
	}
	s.mu.Unlock()
	return context.WithValue(ctx, connWorkKey{}, work)
}

func (s *DrainingServer) connState(c net.Conn, state http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch state {
	case http.StateActive:
		if work := s.conns[c]; work != nil {
			work.idleSince = time.Time{}
		}
	case http.StateIdle:
		// The response is written out.
		if work := s.conns[c]; work != nil {
			work.inFlight = false
			work.idleSince = time.Now()
		}
		if s.roomWanted {
			// A client waits for a slot: this one, idle now, makes room.
			s.roomWanted = false
			s.closeForRoom(c)
		}
	case http.StateClosed, http.StateHijacked:
		delete(s.conns, c)
	}
}

// track reads the whole body (as much as MaxBodyBytes allows) before the
// request counts as in flight, then runs next, unless the server drains.
func (s *DrainingServer) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength <= MaxBodyBytes {
			// A body declared too big is refused unread; see limitBody.
			r.Body = prefetch(r.Body)
		}
		work, _ := r.Context().Value(connWorkKey{}).(*connWork)
		s.mu.Lock()
		draining := s.draining
		if !draining && work != nil {
			work.inFlight = true
		}
		s.mu.Unlock()
		if draining {
			s.refusal.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// prefetch reads body up to one byte past MaxBodyBytes and returns a body
// that yields what the original would have: the same bytes, then the rest
// of the stream, or the error that stopped the read.
func prefetch(body io.ReadCloser) io.ReadCloser {
	if body == nil || body == http.NoBody {
		return body
	}
	buf, err := io.ReadAll(io.LimitReader(body, MaxBodyBytes+1))
	rest := io.Reader(body)
	if err != nil {
		rest = errReader{err}
	}
	return readCloser{Reader: io.MultiReader(bytes.NewReader(buf), rest), Closer: body}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

type readCloser struct {
	io.Reader
	io.Closer
}
