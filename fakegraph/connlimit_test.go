package fakegraph

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingListener counts the connections its listener has open, apart
// from the limiter it is under: accepted, and not yet closed.
type countingListener struct {
	net.Listener
	mu             sync.Mutex
	open, peak     int
	accepted, gone int
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.open++
	l.accepted++
	l.peak = max(l.peak, l.open)
	l.mu.Unlock()
	return &countedConn{Conn: c, l: l}, nil
}

func (l *countingListener) counts() (open, peak, accepted, gone int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open, l.peak, l.accepted, l.gone
}

type countedConn struct {
	net.Conn
	l    *countingListener
	once sync.Once
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.mu.Lock()
		c.l.open--
		c.l.gone++
		c.l.mu.Unlock()
	})
	return err
}

// serveLimited serves the fake behind a DrainingServer with opts on a
// loopback port, counting its connections; it stops at the test's end.
func serveLimited(t *testing.T, opts ...DrainingOption) (addr string, counts *countingListener) {
	t.Helper()
	s, err := New(nil)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	counts = &countingListener{Listener: ln}
	ds := NewDrainingServer(s, opts...)
	served := make(chan error, 1)
	go func() { served <- ds.Serve(counts) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		assert.NoError(t, ds.Shutdown(ctx))
		assert.ErrorIs(t, <-served, http.ErrServerClosed)
	})
	return ln.Addr().String(), counts
}

// keepAlive sends one whole request on a new connection, reads the whole
// answer and leaves the connection open and idle (HTTP/1.1 keep-alive).
// It waits at most 10 s for the answer.
func keepAlive(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	br := bufio.NewReader(conn)
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = io.WriteString(conn, "GET "+ap+"/connectors HTTP/1.1\r\nHost: fake\r\nAuthorization: Bearer dev-token\r\n\r\n")
	require.NoError(t, err)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err, "the client is answered")
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, conn.SetDeadline(time.Time{}))
	return conn, br
}

// newClientIsAnswered sends a request with a fresh client and a 10 s
// bound on the whole exchange.
func newClientIsAnswered(t *testing.T, addr string) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+ap+"/connectorGroups", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer dev-token")
	resp, err := client.Do(req)
	require.NoError(t, err, "a new client is answered while the bound is reached")
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

// Twice the bound of idle keep-alive clients come, one after another:
// each is answered, as the server closes the one idle the longest to make
// room; a new client after them is answered too; and the server never
// held more connections than the bound.
func TestIdleKeepAlivesMakeRoomForNewClients(t *testing.T) {
	const bound, extra = 8, 8
	addr, counts := serveLimited(t, WithMaxConns(bound))
	for range bound + extra {
		keepAlive(t, addr)
	}
	newClientIsAnswered(t, addr)

	open, peak, accepted, gone := counts.counts()
	assert.LessOrEqual(t, peak, bound, "the server never held more than the bound")
	assert.LessOrEqual(t, open, bound)
	assert.Equal(t, bound+extra+1, accepted, "every client was accepted")
	assert.GreaterOrEqual(t, gone, accepted-bound, "idle connections were closed to make room")
}

// Connections that hold a slot but send nothing cannot starve a new
// client either: the header timeout closes them, and it is accepted.
func TestSilentConnectionsDoNotStarveNewClients(t *testing.T) {
	const bound = 4
	addr, counts := serveLimited(t, WithMaxConns(bound), WithTimeouts(Timeouts{ReadHeader: 300 * time.Millisecond}))
	for range bound {
		conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close() })
	}
	newClientIsAnswered(t, addr)
	_, peak, _, _ := counts.counts()
	assert.LessOrEqual(t, peak, bound)
}

// A stop while every slot is taken and a client waits for one: Serve
// returns, rather than wait for a slot forever.
func TestShutdownWhileEverySlotIsTaken(t *testing.T) {
	s, err := New(nil)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ds := NewDrainingServer(s, WithMaxConns(2))
	served := make(chan error, 1)
	go func() { served <- ds.Serve(ln) }()
	for range 3 { // two hold the slots, sending nothing; the third waits
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), 10*time.Second)
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close() })
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, ds.Shutdown(ctx))
	select {
	case err := <-served:
		assert.ErrorIs(t, err, http.ErrServerClosed)
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after Shutdown")
	}
}

func TestMaxConnsFitsTheFileLimit(t *testing.T) {
	n := DefaultMaxConns()
	assert.GreaterOrEqual(t, n, 1)
	assert.LessOrEqual(t, n, maxConnsDefault)
	require.NoError(t, CheckMaxConns(n), "the default is allowed")
	assert.Equal(t, n, NewDrainingServer(http.NotFoundHandler()).MaxConns())
	assert.Equal(t, 3, NewDrainingServer(http.NotFoundHandler(), WithMaxConns(3)).MaxConns())
	assert.Equal(t, n, NewDrainingServer(http.NotFoundHandler(), WithMaxConns(0)).MaxConns(), "0 keeps the default")

	assert.ErrorContains(t, CheckMaxConns(0), "less than 1")
	limit, ok := fileLimit()
	require.True(t, ok, "the file limit is readable here")
	if limit < 1<<40 {
		err := CheckMaxConns(int(limit))
		require.Error(t, err, "as many connections as files leave none for the process")
		assert.Contains(t, err.Error(), "RLIMIT_NOFILE")
		require.NoError(t, CheckMaxConns(int(limit)-connHeadroom))
	}
	t.Logf("file limit %d, default bound %d", limit, n)
}

// errors.Is(net.ErrClosed) is what a limiter closed while Accept waited
// returns; http.Server reads it as the end of Serve.
func TestConnLimiterClosedWhileWaiting(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var asked []bool
	var mu sync.Mutex
	l := newConnLimiter(ln, 1, func(needed bool) { mu.Lock(); asked = append(asked, needed); mu.Unlock() })
	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	first, err := l.Accept()
	require.NoError(t, err)
	defer first.Close()
	accepted := make(chan error, 1)
	go func() { _, err := l.Accept(); accepted <- err }()
	require.Eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(asked) == 1 }, 10*time.Second, time.Millisecond, "the limiter asks for room")
	require.NoError(t, l.Close())
	select {
	case err := <-accepted:
		assert.True(t, errors.Is(err, net.ErrClosed), "%v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("Accept did not return after Close")
	}
	mu.Lock()
	assert.Equal(t, []bool{true, false}, asked, "asked for room, then said it no longer needs it")
	mu.Unlock()
	// Closing the connection twice gives one slot back, once.
	require.NoError(t, first.Close())
	_ = first.Close()
	assert.Empty(t, l.slots)
}

// Each call to make room closes another idle connection: one closed
// already, whose own goroutine has yet to report it closed, is not picked
// again (that would free no slot, and the waiting client would wait on).
func TestMakeRoomClosesAnotherConnectionEachTime(t *testing.T) {
	s, err := New(nil)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	counts := &countingListener{Listener: ln}
	ds := NewDrainingServer(s, WithMaxConns(10))
	served := make(chan error, 1)
	go func() { served <- ds.Serve(counts) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		assert.NoError(t, ds.Shutdown(ctx))
		<-served
	}()
	for range 3 {
		keepAlive(t, ln.Addr().String())
	}
	require.Eventually(t, func() bool {
		ds.mu.Lock()
		defer ds.mu.Unlock()
		idle := 0
		for _, w := range ds.conns {
			if !w.idleSince.IsZero() {
				idle++
			}
		}
		return idle == 3
	}, 10*time.Second, time.Millisecond, "three idle connections")
	for want := 1; want <= 3; want++ {
		ds.makeRoom(true)
		_, _, _, gone := counts.counts()
		assert.Equal(t, want, gone, "call %d closed a connection of its own", want)
	}
	ds.makeRoom(true)
	ds.mu.Lock()
	assert.True(t, ds.roomWanted, "with none idle, the next to go idle is asked for")
	ds.mu.Unlock()
	ds.makeRoom(false)
}
