package compat_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// wireLog records every request that reaches the fake, as it arrived, and
// the status it was answered.
type wireLog struct {
	mu       sync.Mutex
	requests []wireRequest
}

type wireRequest struct {
	method, path, query string
	contentEncoding     string // as sent: the fake undoes it
	gzipBytes           bool   // the body starts as a gzip stream does
	retryAttempt        string // kiota's header on a request sent again
	status              int
	retryAfter          string
	at                  time.Time // when it arrived
}

func (r wireRequest) String() string {
	return fmt.Sprintf("%s %s?%s [Content-Encoding %q, gzip bytes %t] → %d", r.method, r.path, r.query, r.contentEncoding, r.gzipBytes, r.status)
}

func (w *wireLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		req := wireRequest{
			method: r.Method, path: r.URL.EscapedPath(), query: r.URL.RawQuery,
			contentEncoding: r.Header.Get("Content-Encoding"), retryAttempt: r.Header.Get("Retry-Attempt"),
			at: time.Now(),
		}
		// The bodies here are a few bytes: read, looked at, put back.
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(rw, err.Error(), http.StatusInternalServerError)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		req.gzipBytes = bytes.HasPrefix(body, []byte{0x1f, 0x8b})
		rec := &statusWriter{ResponseWriter: rw}
		next.ServeHTTP(rec, r)
		req.status, req.retryAfter = rec.status, rw.Header().Get("Retry-After")
		w.mu.Lock()
		w.requests = append(w.requests, req)
		w.mu.Unlock()
	})
}

func (w *wireLog) all() []wireRequest {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]wireRequest(nil), w.requests...)
}

// since is what arrived after the first n requests.
func (w *wireLog) since(n int) []wireRequest { return w.all()[n:] }

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func wireSteps() []step {
	return []step{
		{"every body went gzip-compressed, and none again uncompressed", func(t *testing.T, l *lifecycle) {
			writes, puts := 0, 0
			for _, r := range l.wire.all() {
				if r.method != http.MethodPost && r.method != http.MethodPatch && r.method != http.MethodPut {
					continue
				}
				writes++
				if r.method == http.MethodPut {
					puts++
				}
				assert.Equal(t, "gzip", r.contentEncoding, "the SDK compresses every body: %v", r)
				assert.True(t, r.gzipBytes, "and the body is gzip: %v", r)
				assert.NotEqual(t, http.StatusUnsupportedMediaType, r.status, "no 415, so no resend without compression: %v", r)
			}
			// create, rename, two moves, the reader's create, three PUTs
			// of an application's group (assign, move, the refused one),
			// two moves back.
			assert.GreaterOrEqual(t, writes, 10, "the lifecycle's writes")
			assert.GreaterOrEqual(t, puts, 3, "the PUTs of an application's connectorGroup/$ref")
		}},
	}
}
