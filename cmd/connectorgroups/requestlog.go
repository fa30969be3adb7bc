package main

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// requestLogger logs each request line with its headers, and each
// response's status line, to w. Credentials are never written: the
// request's are redacted, and its token is redacted from what the server
// sent back too (a status text or a header that echoes it). What the server
// sent goes through graph.OneLine, so that it can neither break the log
// line nor reorder it.
type requestLogger struct {
	base http.RoundTripper
	w    io.Writer
	mu   sync.Mutex
}

func (l *requestLogger) RoundTrip(req *http.Request) (*http.Response, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", req.Method, req.URL.Redacted())
	names := make([]string, 0, len(req.Header))
	for name := range req.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range req.Header[name] {
			fmt.Fprintf(&b, "> %s: %s\n", name, graph.RedactHeaderValue(name, v))
		}
	}
	l.write(b.String())

	start := time.Now()
	resp, err := l.base.RoundTrip(req)
	elapsed := time.Since(start).Round(time.Millisecond)
	token := graph.Credential(req.Header.Get("Authorization"))
	served := func(s string) string { return graph.OneLine(graph.RedactSecret(s, token), 1000) }
	if err != nil {
		l.write(fmt.Sprintf("< error after %v: %s\n", elapsed, served(err.Error())))
		return nil, err
	}
	line := fmt.Sprintf("< %s %s (%v)", served(resp.Proto), served(resp.Status), elapsed)
	for _, h := range []string{graph.HeaderRequestID, graph.HeaderClientRequestID, "Retry-After"} {
		if v := resp.Header.Get(h); v != "" {
			line += " " + h + "=" + served(v)
		}
	}
	l.write(line + "\n")
	return resp, nil
}

func (l *requestLogger) write(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	io.WriteString(l.w, s)
}
