package fakegraph

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Slow clients are cut off by the server's timeouts, short here so that
// the tests take a second or two, and never hold up anyone else.

// shortTimeouts are the timeouts of these tests: short enough to wait
// out, and longer than promptAnswer, so that a normal request held up
// until the slow clients are cut off would fail it.
var shortTimeouts = Timeouts{ReadHeader: 1200 * time.Millisecond, Read: 1500 * time.Millisecond}

// promptAnswer bounds a normal request while slow clients hold
// connections; generous for loopback under -race on a busy machine.
const promptAnswer = 800 * time.Millisecond

// trickleEvery is how often a slow client sends its next byte.
const trickleEvery = 40 * time.Millisecond

// startFakeBehindDrainingServer serves the fake on the default seed behind
// a DrainingServer with timeouts t, as serve does; the test's end stops it.
func startFakeBehindDrainingServer(t *testing.T, timeouts Timeouts, opts ...Option) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(DefaultSeed(), opts...)
	require.NoError(t, err)
	ds := NewDrainingServer(s, WithTimeouts(timeouts))
	srv := httptest.NewUnstartedServer(nil)
	srv.Config = ds.srv
	srv.Start()
	t.Cleanup(srv.Close)
	return s, srv
}

// trickle writes prefix, then one byte of rest every trickleEvery, until
// rest runs out, a write fails (the server closed the connection) or stop
// is closed.
func trickle(conn net.Conn, prefix, rest string, stop <-chan struct{}) {
	if _, err := io.WriteString(conn, prefix); err != nil {
		return
	}
	for i := range len(rest) {
		select {
		case <-stop:
			return
		case <-time.After(trickleEvery):
		}
		if _, err := conn.Write([]byte{rest[i]}); err != nil {
			return
		}
	}
}

// requirePromptAnswers sends GETs one after another until done is closed:
// each must be answered 200 within a bound, however many slow clients
// hold connections meanwhile. It returns how many were answered.
func requirePromptAnswers(t *testing.T, srv *httptest.Server, done <-chan struct{}) int {
	t.Helper()
	answered := 0
	for {
		select {
		case <-done:
			return answered
		default:
		}
		start := time.Now()
		ex := send(t, srv, apiCall(http.MethodGet, ap+"/connectorGroups", ""))
		require.Equal(t, http.StatusOK, ex.status)
		require.Less(t, time.Since(start), promptAnswer, "a normal request waited behind the slow clients")
		answered++
		time.Sleep(20 * time.Millisecond)
	}
}

// readUntilClosed reads conn to its end and returns what the server sent
// and when it closed; it gives up after limit.
func readUntilClosed(conn net.Conn, limit time.Duration) (got string, closedAfter time.Duration, err error) {
	start := time.Now()
	_ = conn.SetReadDeadline(start.Add(limit))
	b, err := io.ReadAll(conn)
	if err != nil && !errors.Is(err, net.ErrClosed) && isTimeout(err) {
		return string(b), time.Since(start), err
	}
	return string(b), time.Since(start), nil // EOF or a reset: closed by the server
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Slowloris: many connections trickle their headers and never finish them.
// Each is closed, unanswered, once the header timeout passes, and a normal
// client is answered promptly the whole time.
func TestSlowlorisHeadersAreCutOffWithoutBlockingOthers(t *testing.T) {
	_, srv := startFakeBehindDrainingServer(t, shortTimeouts)
	addr := srv.Listener.Addr().String()
	const slowClients = 50
	stop := make(chan struct{})
	var wg sync.WaitGroup
	type outcome struct {
		got         string
		closedAfter time.Duration
		err         error
	}
	outcomes := make([]outcome, slowClients)
	for i := range slowClients {
		conn, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close() })
		// Far more header bytes than the timeout lets through.
		go trickle(conn, "GET "+ap+"/connectorGroups HTTP/1.1\r\nHost: fake\r\n", strings.Repeat("X-Slow: 1\r\n", 100), stop)
		wg.Go(func() {
			got, after, err := readUntilClosed(conn, 5*time.Second)
			outcomes[i] = outcome{got, after, err}
		})
	}
	allClosed := make(chan struct{})
	go func() { wg.Wait(); close(allClosed) }()
	answered := requirePromptAnswers(t, srv, allClosed)
	close(stop)

	assert.Positive(t, answered, "a normal client was served while the slow ones held connections")
	for i, o := range outcomes {
		require.NoError(t, o.err, "slow client %d was not cut off within 5s", i)
		// net/http closes it unanswered, or, when the timeout falls in the
		// middle of a header line (bufio hands textproto the partial
		// line without the error), with its own plain 400 for a
		// malformed header: either way net/http's, never the fake's.
		if o.got != "" {
			assert.True(t, strings.HasPrefix(o.got, "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain"),
				"slow client %d: cut off mid-headers, it gets no answer or net/http's plain 400, got %q", i, o.got)
		}
		assert.GreaterOrEqual(t, o.closedAfter, shortTimeouts.ReadHeader/2, "slow client %d was cut off before the header timeout", i)
	}
	t.Logf("%d slowloris connections cut off; %d normal requests answered meanwhile", slowClients, answered)
}

// A trickled body is cut off by the read timeout and answered with Graph's
// 400 saying that the body timed out, not that its JSON is malformed; the
// state is untouched, and a normal client is served meanwhile.
func TestATrickledBodyGetsAGraphErrorThatSaysItTimedOut(t *testing.T) {
	body := refBody(docRef(docConnectorID))
	tests := []struct {
		name    string
		headers string
		body    string
	}{
		{"Content-Length", "Content-Length: " + sprintf("%d", len(body)) + "\r\n", body},
		{"chunked", "Transfer-Encoding: chunked\r\n", sprintf("%x\r\n%s\r\n0\r\n\r\n", len(body), body)},
	}
	// The shipped defaults have Write no longer than Read; net/http starts
	// the write deadline once the headers are in, so it would expire with
	// the read deadline and the answer never go out (a review found it
	// with serve's defaults). Both shapes must answer.
	writeAsRead := shortTimeouts
	writeAsRead.Write = shortTimeouts.Read
	for _, tt := range tests {
		for _, timeouts := range []Timeouts{shortTimeouts, writeAsRead} {
			write := "write default"
			if timeouts.Write != 0 {
				write = "write as read"
			}
			t.Run(tt.name+"/"+write, func(t *testing.T) {
				s, srv := startFakeBehindDrainingServer(t, timeouts)
				before := s.Snapshot()
				conn, err := net.Dial("tcp", srv.Listener.Addr().String())
				require.NoError(t, err)
				defer conn.Close()
				stop := make(chan struct{})
				defer close(stop)
				headers := "POST " + membersPath("/beta", emptyGroupID) + " HTTP/1.1\r\nHost: fake\r\nAuthorization: Bearer dev-token\r\nContent-Type: application/json\r\n" + tt.headers + "\r\n"
				go trickle(conn, headers, tt.body, stop)

				type reply struct {
					resp *http.Response
					body []byte
					err  error
					took time.Duration
				}
				var r reply
				done := make(chan struct{})
				start := time.Now()
				go func() {
					defer close(done)
					_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
					resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
					if err != nil {
						r = reply{err: err}
						return
					}
					b, err := io.ReadAll(resp.Body)
					r = reply{resp: resp, body: b, err: err, took: time.Since(start)}
				}()
				normal := requirePromptAnswers(t, srv, done)

				require.NoError(t, r.err, "the trickled request is answered")
				assert.GreaterOrEqual(t, r.took, shortTimeouts.Read/2, "answered only once the read timeout passed")
				ex := exchange{req: httptest.NewRequest(http.MethodPost, "/", nil), status: r.resp.StatusCode, header: r.resp.Header, body: r.body}
				requireGraphError(t, ex, http.StatusBadRequest, graph.CodeBadRequest, graph.MsgBodyTimeout)
				assert.NotContains(t, string(r.body), msgUnreadableJSON)
				assert.Equal(t, before, s.Snapshot(), "nothing of the cut-off request is applied")
				assert.Positive(t, normal, "a normal client was served meanwhile")
			})
		}
	}
}

// WithTimeouts changes the fields it sets and keeps the defaults of the
// others: a test that shortens one timeout does not turn the rest off.
func TestWithTimeoutsKeepsTheDefaultsOfZeroFields(t *testing.T) {
	ds := NewDrainingServer(http.NotFoundHandler(), WithTimeouts(Timeouts{Read: time.Second}))
	d := DefaultTimeouts()
	assert.Equal(t, time.Second, ds.srv.ReadTimeout)
	assert.Equal(t, d.ReadHeader, ds.srv.ReadHeaderTimeout)
	assert.Equal(t, d.Write, ds.srv.WriteTimeout)
	assert.Equal(t, d.Idle, ds.srv.IdleTimeout)
	assert.Equal(t, MaxHeaderBytes, ds.srv.MaxHeaderBytes)
	assert.Equal(t, NewHTTPServer("", nil).ReadTimeout, d.Read)
}
