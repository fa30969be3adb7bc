package desired_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
)

// loggedRequest is one line of the fake's own request log: what it was
// asked and what it answered.
type loggedRequest struct {
	Method string
	Path   string
	Status int
}

func (r loggedRequest) String() string {
	return fmt.Sprintf("%s %s → %d", r.Method, r.Path, r.Status)
}

func (r loggedRequest) isWrite() bool { return r.Method != http.MethodGet }

func (r loggedRequest) ok() bool { return r.Status >= 200 && r.Status <= 299 }

// requestLog collects the "request" records the fake logs through
// fakegraph.WithLogger, so that a test judges what was sent by the
// server's record rather than by what the code under test says it did.
type requestLog struct {
	mu   sync.Mutex
	reqs []loggedRequest
}

// handler is the slog.Handler to give the fake's logger.
func (l *requestLog) handler() slog.Handler { return logHandler{log: l} }

// mark is where the log stands now, for since.
func (l *requestLog) mark() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.reqs)
}

// since is every request logged after mark.
func (l *requestLog) since(mark int) []loggedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]loggedRequest(nil), l.reqs[mark:]...)
}

// writesSince is every request but GET logged after mark.
func (l *requestLog) writesSince(mark int) []loggedRequest {
	var out []loggedRequest
	for _, r := range l.since(mark) {
		if r.isWrite() {
			out = append(out, r)
		}
	}
	return out
}

func listRequests(reqs []loggedRequest) string {
	lines := make([]string, len(reqs))
	for i, r := range reqs {
		lines[i] = "  " + r.String()
	}
	return strings.Join(lines, "\n")
}

// logHandler reads the attributes logRequests writes (method, path,
// status) off each "request" record.
type logHandler struct{ log *requestLog }

func (h logHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h logHandler) Handle(_ context.Context, rec slog.Record) error {
	if rec.Message != "request" {
		return nil
	}
	var r loggedRequest
	rec.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "method":
			r.Method = a.Value.String()
		case "path":
			r.Path = a.Value.String()
		case "status":
			r.Status = int(a.Value.Int64())
		}
		return true
	})
	h.log.mu.Lock()
	h.log.reqs = append(h.log.reqs, r)
	h.log.mu.Unlock()
	return nil
}

func (h logHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h logHandler) WithGroup(string) slog.Handler      { return h }
