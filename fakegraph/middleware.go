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
	"strings"
	"time"

	"github.com/connectorgroups/connectorgroups/internal/fastvalidator"
	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
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

// limitBody reads the whole body, at most MaxBodyBytes, before anything
// else looks at it; a larger one is answered 413, and one that the
// server's read timeout cut off 400 saying so (graph.MsgBodyTimeout).
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > MaxBodyBytes {
			writeGraphError(w, r, bodyTooLarge)
			return
		}
		var body []byte
		if r.Body != nil && r.Body != http.NoBody {
			var err error
			body, err = readBody(http.MaxBytesReader(w, r.Body, MaxBodyBytes), r.ContentLength)
			if err != nil {
				if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
					writeGraphError(w, r, bodyTooLarge)
				} else if errors.Is(err, os.ErrDeadlineExceeded) {
					// The server's read timeout ended a trickled body:
					// say so, rather than blame its JSON.
					writeGraphError(w, r, bodyTimedOut)
				} else {
					writeGraphError(w, r, unreadableJSON)
				}
				return
			}
		}
		r.Body = newBufferedBody(body)
		next.ServeHTTP(w, r)
	})
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

// bufferedBody is a body limitBody read whole, so that validation takes
// its bytes instead of reading them again.
type bufferedBody struct {
	bytes.Reader // by value: one allocation for the body and its reader
	data         []byte
}

func newBufferedBody(data []byte) *bufferedBody {
	b := &bufferedBody{data: data}
	b.Reset(data)
	return b
}

func (*bufferedBody) Close() error { return nil }

// bodyBytes is the whole body of r: limitBody's bytes, or read (a handler
// called without limitBody, in a test).
func bodyBytes(r *http.Request) ([]byte, error) {
	if b, ok := r.Body.(*bufferedBody); ok {
		return b.data, nil
	}
	data, err := readAll(r.Body)
	r.Body = newBufferedBody(data)
	return data, err
}

func readAll(body io.ReadCloser) ([]byte, error) {
	if body == nil || body == http.NoBody {
		return nil, nil
	}
	defer body.Close()
	return io.ReadAll(body)
}

// resolveOperation names the operation of a request the generated router
// matched, from its ServeMux pattern and the spec's route table, and puts
// it in the request's info for authenticate and the handlers. ServeMux
// lets a GET pattern serve HEAD, which the spec does not declare: that is
// a 405, as any other undeclared method is.
func resolveOperation(routes routeTable) step {
	return func(w http.ResponseWriter, r *http.Request) bool {
		op, ok := routes.operation(r.Method, r.Pattern)
		if !ok {
			writeGraphError(w, r, methodNotAllowed(routes.allow(r.Pattern)))
			return false
		}
		info := requestInfoOf(r.Context())
		if info == nil { // withRequestIDs always runs first (New)
			writeGraphError(w, r, internalError)
			return false
		}
		info.operationID = op
		return true
	}
}

// authenticate answers 401/403 before the request is validated, as Graph
// does: a caller without a usable token learns nothing about its payload.
// What a token may do depends on the operation (graph.OperationPermissions).
// Two Authorization headers are a 401 whatever their order: letting the
// first win would make the answer depend on how a proxy orders them.
func (a authenticator) authenticate(w http.ResponseWriter, r *http.Request) bool {
	err := errTokenAmbiguous
	if len(r.Header.Values("Authorization")) <= 1 {
		err = a.authorize(r.Header.Get("Authorization"), requestInfoFrom(r.Context()).operationID)
	}
	if err != nil {
		writeGraphError(w, r, authError(err))
		return false
	}
	return true
}

// validateRequests checks every request against the spec (security aside,
// authenticate did that) with the validator compiled from it, and answers
// a violation with Graph's 400 or 415. The body is decoded once, here;
// the handler gets that reading through requestInfo (see dispatcher).
//
// Errors are off the hot path: a request the compiled validator refuses
// is judged again by kin-openapi, the reference, whose verdict and words
// make the answer, exactly as with WithReferenceValidation. The two agree
// (see internal/fastvalidator's differential test); if they ever do not,
// the compiled verdict stands and says why.
//
// The mux matches an operation on the path's segments, each decoded on its
// own; the spec's router reads the decoded path whole, so an id such as
// a%2Fb is two segments there, and names no operation or another one. To
// the caller it is just an id that names nothing: the 404 of a group or a
// connector, whichever the path's id stands for.
func validateRequests(ref *specvalidator.Validator, fast *fastvalidator.Validator, readOnly map[string]bool) step {
	return func(w http.ResponseWriter, r *http.Request) bool {
		info := requestInfoOf(r.Context())
		op := fast.Operation(info.operationID)
		if id := r.PathValue("id"); strings.Contains(id, "/") {
			writeGraphError(w, r, resourceNotFound(id))
			return false
		}
		if len(r.Header.Values("Content-Type")) > 1 {
			// Which one names the body would depend on who reads the
			// headers first, so neither is taken, as with two tokens.
			writeGraphError(w, r, contentTypeAmbiguous)
			return false
		}
		data, err := bodyBytes(r)
		if err != nil {
			writeGraphError(w, r, unreadableJSON)
			return false
		}
		query := r.URL.Query()
		body, verr := op.Check(r, query, r.Header, data)
		if verr != nil {
			writeGraphError(w, r, explainRejection(ref, r, data, verr, readOnly))
			return false
		}
		if opt := undeclaredQueryOption(op.QueryNames, query); opt != "" {
			writeGraphError(w, r, unsupportedQuery(opt))
			return false
		}
		info.body, info.link = body, linkBaseOf(r)
		return true
	}
}

// explainRejection is the answer to a request the compiled validator
// refused: kin-openapi's, as the reference path gives it.
func explainRejection(ref *specvalidator.Validator, r *http.Request, data []byte, verr *fastvalidator.Error, readOnly map[string]bool) graphError {
	r.Body = newBufferedBody(data)
	if _, err := ref.CheckRequest(r.Context(), r, specvalidator.Options{SkipSecurity: true}); err != nil {
		return requestValidationError(err, r, readOnly)
	}
	if verr.Status == http.StatusUnsupportedMediaType {
		return graphError{status: http.StatusUnsupportedMediaType, code: "UnsupportedMediaType", message: graph.OneLine(verr.Error(), 300)}
	}
	return badRequest(graph.CodeBadRequest, graph.OneLine("The request is not valid: "+verr.Error(), 1000))
}

// validateRequestsWithKin is the reference path (WithReferenceValidation):
// kin-openapi routes and checks every request, and the generated strict
// handler binds the body from what it read.
func validateRequestsWithKin(v *specvalidator.Validator, readOnly map[string]bool) step {
	return func(w http.ResponseWriter, r *http.Request) bool {
		info := requestInfoOf(r.Context())
		// An id with a slash names nothing, as on the compiled path; it
		// is answered before kin-openapi's router, which reads 0%2F as
		// the path with a trailing slash and routes it.
		if id := r.PathValue("id"); strings.Contains(id, "/") {
			writeGraphError(w, r, resourceNotFound(id))
			return false
		}
		if route, _, err := v.Route(r); err != nil || route.Operation.OperationID != info.operationID {
			writeGraphError(w, r, resourceNotFound(r.PathValue("id")))
			return false
		}
		if len(r.Header.Values("Content-Type")) > 1 {
			writeGraphError(w, r, contentTypeAmbiguous)
			return false
		}
		checked, err := v.CheckRequest(r.Context(), r, specvalidator.Options{SkipSecurity: true})
		if err != nil {
			writeGraphError(w, r, requestValidationError(err, r, readOnly))
			return false
		}
		if opt := unsupportedQueryOption(checked.Route, r.URL.Query()); opt != "" {
			writeGraphError(w, r, unsupportedQuery(opt))
			return false
		}
		if checked.Declared != nil {
			// The generated binding gets what was checked, under the
			// exact names the spec declares (see specvalidator.Checked).
			r.Body = io.NopCloser(bytes.NewReader(checked.Declared))
			r.ContentLength = int64(len(checked.Declared))
		}
		info.body, info.link = checked.Body, linkBaseOf(r)
		return true
	}
}
