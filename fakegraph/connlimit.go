package fakegraph

import (
	"fmt"
	"net"
	"sync"
)

// The bound on open connections. Each connection is a file; a process
// that runs out of files can accept nobody ("accept4: too many open
// files") and can open no file either. So a DrainingServer holds at most
// its MaxConns connections at once, below the file limit, and makes room
// for new clients by closing the connection idle the longest.
const (
	// connHeadroom is the files the process keeps for itself beside
	// connections: standard streams, the listener, the runtime's poller,
	// the seed and the state file, a log.
	connHeadroom = 64
	// maxConnsDefault is the most connections serve holds unless told
	// otherwise, when the file limit allows them: far more than a test or a
	// load test needs, and little memory (a goroutine and buffers each).
	maxConnsDefault = 1024
)

// DefaultMaxConns is the bound on open connections of a DrainingServer
// (and of `connectorgroups serve`) unless WithMaxConns sets another:
// 1024, or fewer when the process may open fewer files than that plus
// headroom (RLIMIT_NOFILE), so that it never runs out.
func DefaultMaxConns() int {
	allowed, ok := maxConnsAllowed()
	if !ok {
		return maxConnsDefault
	}
	return int(max(1, min(maxConnsDefault, allowed)))
}

// CheckMaxConns reports whether a DrainingServer may hold n connections:
// at least 1, and no more than the process's file limit allows beside the
// files it keeps for itself. A front end such as `connectorgroups serve
// -max-conns` calls it to report a bad value with its other usage errors.
func CheckMaxConns(n int) error {
	if n < 1 {
		return fmt.Errorf("fakegraph: max connections %d is less than 1", n)
	}
	if allowed, ok := maxConnsAllowed(); ok && uint64(n) > allowed {
		limit, _ := fileLimit()
		return fmt.Errorf("fakegraph: max connections %d is more than the process may open: its file limit (RLIMIT_NOFILE) is %d, which leaves room for %d connections; raise it (ulimit -n) or ask for fewer", n, limit, allowed)
	}
	return nil
}

// maxConnsAllowed is how many connections fit under the file limit: all
// but connHeadroom files, or half of them when the limit is so low that
// the headroom would take more.
func maxConnsAllowed() (uint64, bool) {
	limit, ok := fileLimit()
	if !ok {
		return 0, false
	}
	if limit > 2*connHeadroom {
		return limit - connHeadroom, true
	}
	return limit / 2, true
}

// connLimiter is a listener that holds at most cap(slots) connections
// open: Accept takes a slot before it accepts, and a connection's Close
// gives it back, once. While every slot is taken, Accept calls
// makeRoom(true), and makeRoom(false) once it has one; clients that come
// meanwhile wait in the listen backlog, as with any busy server.
type connLimiter struct {
	net.Listener
	slots     chan struct{}
	closed    chan struct{}
	closeOnce sync.Once
	makeRoom  func(needed bool)
}

func newConnLimiter(ln net.Listener, n int, makeRoom func(needed bool)) *connLimiter {
	return &connLimiter{Listener: ln, slots: make(chan struct{}, n), closed: make(chan struct{}), makeRoom: makeRoom}
}

func (l *connLimiter) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	default:
		l.makeRoom(true)
		select {
		case l.slots <- struct{}{}:
			l.makeRoom(false)
		case <-l.closed:
			l.makeRoom(false)
			return nil, net.ErrClosed
		}
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.slots }}, nil
}

// Close closes the listener and ends an Accept waiting for a slot.
func (l *connLimiter) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// limitedConn gives its slot back on its first Close.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
