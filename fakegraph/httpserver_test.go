package fakegraph

import (
	"bufio"
	"context"
	"errors"
	"github.com/connectorgroups/connectorgroups/internal/graph"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A generous bound on anything a test waits for; never asserted on.
const drainTestDeadline = 10 * time.Second

// slowHandler answers /slow once released, and counts the requests that
// reach it.
type slowHandler struct {
	started chan struct{} // closed when the first /slow begins
	release chan struct{} // closed by letGo
	once    sync.Once
	reached atomic.Int32
}

// newSlowHandler returns a handler that the test's end lets go, so that a
// failed test does not leave a handler blocked.
func newSlowHandler(t *testing.T) *slowHandler {
	h := &slowHandler{started: make(chan struct{}), release: make(chan struct{})}
	t.Cleanup(h.letGo)
	return h
}

// letGo lets /slow answer.
func (h *slowHandler) letGo() { h.once.Do(func() { close(h.release) }) }

func (h *slowHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.reached.Add(1)
	_, _ = io.Copy(io.Discard, r.Body)
	if r.URL.Path == "/slow" {
		select {
		case <-h.started:
		default:
			close(h.started)
		}
		<-h.release
	}
	_, _ = io.WriteString(w, "done "+r.URL.Path)
}

// startDraining serves h on a loopback port; the test's end shuts it down.
// served returns what Serve returned.
func startDraining(t *testing.T, h http.Handler) (ds *DrainingServer, addr string, served func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ds = NewDrainingServer(h)
	// No read timeouts (5 s for headers, 30 s in all): only Shutdown may
	// close a held connection here, so a test cannot pass by waiting.
	ds.srv.ReadHeaderTimeout, ds.srv.ReadTimeout = 0, 0
	done := make(chan error, 1)
	go func() { done <- ds.Serve(ln) }()
	var once sync.Once
	var serveErr error
	served = func() error {
		once.Do(func() {
			select {
			case serveErr = <-done:
			case <-time.After(drainTestDeadline):
				serveErr = errors.New("Serve did not return")
			}
		})
		return serveErr
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), drainTestDeadline)
		defer cancel()
		_ = ds.Shutdown(ctx)
		_ = served()
	})
	return ds, ln.Addr().String(), served
}

// await fails the test if ch does not deliver within drainTestDeadline.
func await[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(drainTestDeadline):
		t.Fatalf("%s: not within %v", what, drainTestDeadline)
		var zero T
		return zero
	}
}

func awaitClosed(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(drainTestDeadline):
		t.Fatalf("%s: not within %v", what, drainTestDeadline)
	}
}

// shutdownAsync starts Shutdown and returns its result's channel.
func shutdownAsync(ds *DrainingServer, ctx context.Context) <-chan error {
	done := make(chan error, 1)
	go func() { done <- ds.Shutdown(ctx) }()
	return done
}

// awaitDraining waits until the listener is closed, which Shutdown does
// once it has begun draining.
func awaitDraining(t *testing.T, addr string) {
	t.Helper()
	require.Eventually(t, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err != nil
	}, drainTestDeadline, 5*time.Millisecond, "new connections are refused while draining")
}

// requireClosedByServer reads conn to its end: the server must close it
// (cleanly, or with a reset when it left bytes unread) with nothing on it.
func requireClosedByServer(t *testing.T, conn net.Conn, br *bufio.Reader) {
	t.Helper()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(drainTestDeadline)))
	rest, err := io.ReadAll(br)
	if err != nil {
		require.ErrorIs(t, err, syscall.ECONNRESET, "conn is closed by the server, not by the deadline")
	}
	assert.Empty(t, string(rest), "nothing is answered on it")
}

// requireStillRunning checks that Shutdown has not returned, as it cannot
// while a handler is blocked.
func requireStillRunning(t *testing.T, done <-chan error) {
	t.Helper()
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned (%v) with a request in flight", err)
	default:
	}
}

// rawGet sends a complete GET on conn and reads the whole response.
func rawGet(t *testing.T, conn net.Conn, br *bufio.Reader, path string) *http.Response {
	t.Helper()
	require.NoError(t, conn.SetDeadline(time.Now().Add(drainTestDeadline)))
	_, err := io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: fake\r\n\r\n")
	require.NoError(t, err)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	_, err = io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	require.NoError(t, conn.SetDeadline(time.Time{}))
	return resp
}

// slowRequest sends GET /slow through a client and returns its outcome.
func slowRequest(addr string) <-chan result {
	out := make(chan result, 1)
	go func() {
		resp, err := (&http.Client{Timeout: drainTestDeadline}).Get("http://" + addr + "/slow")
		if err != nil {
			out <- result{err: err}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		out <- result{status: resp.StatusCode, header: resp.Header, body: string(body), err: err}
	}()
	return out
}

type result struct {
	status int
	header http.Header
	body   string
	err    error
}

// A request in flight finishes, and its response arrives, while new
// connections are refused; then Shutdown returns nil.
func TestDrainingServerFinishesRequestsInFlight(t *testing.T) {
	h := newSlowHandler(t)
	ds, addr, served := startDraining(t, h)
	res := slowRequest(addr)
	awaitClosed(t, h.started, "the slow handler starting")

	done := shutdownAsync(ds, context.Background())
	awaitDraining(t, addr)
	requireStillRunning(t, done)

	h.letGo()
	r := await(t, res, "the slow response")
	require.NoError(t, r.err)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "done /slow", r.body)
	assert.NoError(t, await(t, done, "Shutdown"))
	assert.ErrorIs(t, served(), http.ErrServerClosed)
}

// Connections without a request in flight are closed at once, while
// another request is still in flight, and what they sent never reaches the
// handler.
func TestDrainingServerDropsConnectionsWithoutARequestInFlight(t *testing.T) {
	tests := []struct {
		name    string
		hold    func(t *testing.T, conn net.Conn, br *bufio.Reader)
		reaches int32 // requests of conn's that reach the handler
	}{
		{"idle keep-alive connection", func(t *testing.T, conn net.Conn, br *bufio.Reader) {
			rawGet(t, conn, br, "/first")
		}, 1},
		{"connected, nothing sent", func(t *testing.T, conn net.Conn, br *bufio.Reader) {}, 0},
		{"headers half sent", func(t *testing.T, conn net.Conn, br *bufio.Reader) {
			_, err := io.WriteString(conn, "POST /half HTTP/1.1\r\nHost: fake\r\nContent-Ty")
			require.NoError(t, err)
		}, 0},
		{"second request's headers half sent", func(t *testing.T, conn net.Conn, br *bufio.Reader) {
			rawGet(t, conn, br, "/first")
			_, err := io.WriteString(conn, "POST /half HTTP/1.1\r\nHo")
			require.NoError(t, err)
		}, 1},
		{"body half sent", func(t *testing.T, conn net.Conn, br *bufio.Reader) {
			_, err := io.WriteString(conn, "POST /half HTTP/1.1\r\nHost: fake\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"@odata.id\":")
			require.NoError(t, err)
		}, 0},
		{"second request's body half sent", func(t *testing.T, conn net.Conn, br *bufio.Reader) {
			rawGet(t, conn, br, "/first")
			_, err := io.WriteString(conn, "POST /half HTTP/1.1\r\nHost: fake\r\nContent-Length: 100\r\n\r\n{")
			require.NoError(t, err)
		}, 1},
		{"chunked body half sent", func(t *testing.T, conn net.Conn, br *bufio.Reader) {
			_, err := io.WriteString(conn, "POST /half HTTP/1.1\r\nHost: fake\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
			require.NoError(t, err)
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newSlowHandler(t)
			ds, addr, _ := startDraining(t, h)
			res := slowRequest(addr)
			awaitClosed(t, h.started, "the slow handler starting")

			conn, err := net.Dial("tcp", addr)
			require.NoError(t, err)
			defer conn.Close()
			br := bufio.NewReader(conn)
			tt.hold(t, conn, br)
			// Connections are accepted in order: once a later one is
			// answered, conn has been accepted too.
			later, err := net.Dial("tcp", addr)
			require.NoError(t, err)
			rawGet(t, later, bufio.NewReader(later), "/later")
			later.Close()

			done := shutdownAsync(ds, context.Background())
			requireClosedByServer(t, conn, br)
			requireStillRunning(t, done)

			h.letGo()
			r := await(t, res, "the slow response")
			require.NoError(t, r.err)
			assert.Equal(t, "done /slow", r.body)
			assert.NoError(t, await(t, done, "Shutdown"))
			// /slow, /later and what conn completed.
			assert.Equal(t, 2+tt.reaches, h.reached.Load(), "requests that reached the handler")
		})
	}
}

// A request behind one in flight on the same connection (pipelined) is
// never run: the connection closes after the first response.
func TestDrainingServerRunsNoPipelinedRequestWhileDraining(t *testing.T) {
	h := newSlowHandler(t)
	ds, addr, _ := startDraining(t, h)
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(drainTestDeadline)))
	_, err = io.WriteString(conn, "GET /slow HTTP/1.1\r\nHost: fake\r\n\r\nPOST /second HTTP/1.1\r\nHost: fake\r\nContent-Length: 2\r\n\r\n{}")
	require.NoError(t, err)
	awaitClosed(t, h.started, "the slow handler starting")

	done := shutdownAsync(ds, context.Background())
	awaitDraining(t, addr)
	requireStillRunning(t, done)
	h.letGo()

	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "done /slow", string(body))
	// The connection closes after the request in flight (with a reset, as
	// the pipelined request is left unread).
	second, err := http.ReadResponse(br, nil)
	assert.Error(t, err, "no second response: %v", second)
	assert.NoError(t, await(t, done, "Shutdown"))
	assert.Equal(t, int32(1), h.reached.Load(), "the pipelined request never reached the handler")
}

// A request that has fully arrived once draining has begun gets Graph's
// 503 and Connection: close, and never reaches the handler.
func TestDrainingServerRefusesARequestThatArrivesWhileDraining(t *testing.T) {
	h := newSlowHandler(t)
	ds := NewDrainingServer(h)
	ds.mu.Lock()
	ds.draining = true
	ds.mu.Unlock()

	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, membersPath("/beta", emptyGroupID), strings.NewReader(refBody(docRef(docConnectorID))))
	req.Header.Set("Content-Type", "application/json")
	ds.srv.Handler.ServeHTTP(rec, req)

	ex := exchange{req: req, status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	requireGraphError(t, ex, http.StatusServiceUnavailable, "serviceNotAvailable", msgUnavailable)
	assert.Equal(t, "1", rec.Header().Get("Retry-After"))
	assert.Equal(t, "close", rec.Header().Get("Connection"))
	assert.Zero(t, h.reached.Load(), "the handler never ran")
}

// A connection accepted once draining has begun (the listener was closing)
// is dropped at once.
func TestDrainingServerDropsAConnectionAcceptedWhileDraining(t *testing.T) {
	ds := NewDrainingServer(http.NotFoundHandler())
	require.NoError(t, ds.Shutdown(context.Background()))
	server, client := net.Pipe()
	defer client.Close()
	ds.connContext(context.Background(), server)
	_ = client.SetReadDeadline(time.Now().Add(drainTestDeadline)) // fails once the other end is closed
	_, err := client.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF, "the server's end is closed")
	ds.mu.Lock()
	defer ds.mu.Unlock()
	assert.Empty(t, ds.conns, "and not tracked")
}

// When the context ends before a request in flight finishes, Shutdown
// closes everything and says how many requests it cut off.
func TestDrainingServerGivesUpOnARequestThatDoesNotFinish(t *testing.T) {
	h := newSlowHandler(t)
	ds, addr, _ := startDraining(t, h)
	res := slowRequest(addr)
	awaitClosed(t, h.started, "the slow handler starting")

	ctx, cancel := context.WithCancel(context.Background())
	done := shutdownAsync(ds, ctx)
	requireStillRunning(t, done)
	cancel()
	err := await(t, done, "Shutdown")
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "1 request(s) still in flight")
	r := await(t, res, "the slow request")
	assert.Error(t, r.err, "the connection was closed under the request")
}

// The fake behind a DrainingServer answers as it does anywhere: reading
// the body ahead changes no answer, the 413s included.
func TestDrainingServerServesTheFake(t *testing.T) {
	s, err := New(DefaultSeed())
	require.NoError(t, err)
	ds := NewDrainingServer(s)
	srv := httptest.NewUnstartedServer(nil)
	srv.Config = ds.srv
	srv.Start()
	t.Cleanup(srv.Close)

	requireCreated(t, send(t, srv, docCall(emptyGroupID, docConnectorID)))
	requireGraphError(t, send(t, srv, docCall(emptyGroupID, docConnectorID)), http.StatusBadRequest, "Request_BadRequest", graph.MsgAlreadyMember)

	tooBig := docCall(emptyGroupID, inactiveConnID)
	tooBig.body = `{"@odata.id":"` + strings.Repeat("a", MaxBodyBytes) + `"}`
	requireGraphError(t, send(t, srv, tooBig), http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "")

	// The same without Content-Length: a body of unknown length is sent
	// chunked, so it is read ahead up to the limit.
	req, err := http.NewRequest(http.MethodPost, srv.URL+membersPath("/beta", emptyGroupID), io.MultiReader(strings.NewReader(tooBig.body)))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer dev-token")
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
}

// prefetch hands on exactly what the body would have given: its bytes,
// then the error that stopped it.
func TestPrefetchKeepsTheBodyAndItsError(t *testing.T) {
	broken := errors.New("connection reset")
	tests := []struct {
		name    string
		body    io.Reader
		want    string
		wantErr error
	}{
		{"short", strings.NewReader("{}"), "{}", nil},
		{"empty", strings.NewReader(""), "", nil},
		{"past the limit", strings.NewReader(strings.Repeat("x", MaxBodyBytes+10)), strings.Repeat("x", MaxBodyBytes+10), nil},
		{"broken midway", io.MultiReader(strings.NewReader("{\"a\""), errReader{broken}), "{\"a\"", broken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := prefetch(io.NopCloser(tt.body))
			got, err := io.ReadAll(body)
			assert.Equal(t, tt.want, string(got))
			assert.ErrorIs(t, err, tt.wantErr)
			if tt.wantErr == nil {
				assert.NoError(t, err)
			}
			assert.NoError(t, body.Close())
		})
	}
}
