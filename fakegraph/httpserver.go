package fakegraph

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestServer is the fake on a loopback port: the httptest.Server (URL,
// Client, Close) and the Server behind it, whose state API (Groups,
// AddMember, Reset, ...) a test may use without HTTP.
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

// NewHTTPServer wraps h in an http.Server with timeouts and a header limit,
// so that a slow or hostile client cannot hold connections open forever.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}
