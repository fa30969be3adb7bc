package fakegraph

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// MaxBodyBytes is the largest request body the fake reads; a larger one is
// answered 413 RequestEntityTooLarge.
const MaxBodyBytes = 1 << 20

// statusRecorder remembers the status written through it, for the request
// log and for recoverPanics, which can only answer while nothing is written.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// responseBegun reports whether a status went out through w already, as
// the statusRecorder behind it saw: after that, no other answer can be
// written.
func responseBegun(w http.ResponseWriter) bool {
	for w != nil {
		if rec, ok := w.(*statusRecorder); ok {
			return rec.status != 0
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return false
		}
		w = u.Unwrap()
	}
	return false
}

// logRequests logs one line per request once it is answered.
func logRequests(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.EscapedPath()),
			slog.Int("status", rec.status),
			slog.String(graph.HeaderRequestID, firstValue(w.Header()[keyRequestID])),
			slog.String(graph.HeaderClientRequestID, firstValue(w.Header()[keyClientRequestID])),
			slog.Duration("duration", time.Since(start)))
	})
}

// firstValue is Header.Get for a key already canonical.
func firstValue(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// recoverPanics answers a panic with Graph's 500 instead of a dropped
// connection. The store's changes are atomic, so a panic leaves no
// half-written state behind. If the response had already begun, the
// connection is aborted, as a truncated body must not pass for a whole one.
func recoverPanics(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler || rec.status != 0 {
				panic(http.ErrAbortHandler)
			}
			log.LogAttrs(r.Context(), slog.LevelError, "panic", slog.Any("value", v), slog.String("stack", string(debug.Stack())))
			// Drop what the handler had set; keep the correlation ids.
			h := w.Header()
			for k := range h {
				if k != http.CanonicalHeaderKey(graph.HeaderRequestID) && k != http.CanonicalHeaderKey(graph.HeaderClientRequestID) {
					delete(h, k)
				}
			}
			writeGraphError(w, r, internalError)
		}()
		next.ServeHTTP(rec, r)
	})
}

// injectFaults fails a share of requests with 429 or 503 and Retry-After.
func injectFaults(next http.Handler, f Faults) http.Handler {
	if f.Rate <= 0 {
		return next
	}
	roll := f.Rand
	if roll == nil {
		roll = rand.Float64
	}
	fault := faultError(f.Status, f.RetryAfterSeconds())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if roll() < f.Rate {
			writeGraphError(w, r, fault)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody reads the whole body before anything else looks at it, and
// answers one it cannot read (readRequestBody) with Graph's error.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ge := readRequestBody(w, r)
		if ge != nil {
			writeGraphError(w, r, *ge)
			return
		}
		r.Body = newBufferedBody(body)
		next.ServeHTTP(w, r)
	})
}

// readRequestBody is the one place where a request's body is read off the
// wire: whole, and at most MaxBodyBytes of it. A larger one is answered
// 413, and one that the server's read timeout cut off 400 saying so
// (graph.MsgBodyTimeout). A gzip body arrives here inflated as it is read
// (decodeContent), so the limit bounds the bytes that every later step
// reads, and a stream that does not inflate is a body it cannot read.
func readRequestBody(w http.ResponseWriter, r *http.Request) ([]byte, *graphError) {
	if r.ContentLength > MaxBodyBytes {
		return nil, &bodyTooLarge
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	body, err := readBody(http.MaxBytesReader(w, r.Body, MaxBodyBytes), r.ContentLength)
	switch {
	case err == nil:
		return body, nil
	case errors.As(err, new(*http.MaxBytesError)):
		return nil, &bodyTooLarge
	case errors.Is(err, os.ErrDeadlineExceeded):
		// The server's read timeout ended a trickled body: say so,
		// rather than blame its JSON.
		return nil, &bodyTimedOut
	default:
		return nil, &unreadableJSON
	}
}

// readBody reads body whole, as io.ReadAll does. A declared length (at
// most MaxBodyBytes, which limitBody checked) sizes the buffer, as most
// bodies here are a hundred bytes and io.ReadAll starts at 512; a body
// shorter or longer than declared reads as it would with io.ReadAll.
func readBody(body io.Reader, declared int64) ([]byte, error) {
	if declared <= 0 {
		return io.ReadAll(body)
	}
	buf := make([]byte, declared)
	n, err := io.ReadFull(body, buf)
	switch {
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		return buf[:n], nil
	case err != nil:
		return buf[:n], err
	}
	rest, err := io.ReadAll(body)
	if len(rest) > 0 {
		buf = append(buf, rest...)
	}
	return buf, err
}

// bufferedBody is a body limitBody read whole.
type bufferedBody struct {
	bytes.Reader // by value: one allocation for the body and its reader
}

func newBufferedBody(data []byte) *bufferedBody {
	b := &bufferedBody{}
	b.Reset(data)
	return b
}

func (*bufferedBody) Close() error { return nil }
