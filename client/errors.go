package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Sentinels for the failures callers most often branch on. Test for them
// with errors.Is; use errors.As with a *Error for the details. Each goes
// by the HTTP status (and, for ErrAlreadyMember, the message), never by
// Graph's error code alone: codes vary across Graph's workloads, and this
// one has sent non-standard and empty codes.
var (
	// ErrNotFound: any 404, whatever its code (Graph has sent
	// Request_ResourceNotFound and ""): the group or the connector does
	// not exist.
	ErrNotFound = errors.New("client: not found")
	// ErrAlreadyMember: a 400 whose message says the reference "already
	// exist"s, whatever its code (Request_BadRequest in the directory
	// workload): the connector is already in the group. Callers that want
	// the connector to be a member may treat it as success; see
	// [Error.AfterAmbiguousAttempt] for why it can follow a retry.
	ErrAlreadyMember = errors.New("client: connector is already a member")
	// ErrUnauthorized: any 401, the token is missing, expired or not valid.
	ErrUnauthorized = errors.New("client: unauthorized")
	// ErrForbidden: any 403, whatever its code: the token lacks the
	// permission (Directory.ReadWrite.All), or the signed-in user lacks an
	// admin role. This workload has answered
	// NotAdminRoleNoEnoughCustomPermission_UnauthorizedAccess, the
	// directory Authorization_RequestDenied.
	ErrForbidden = errors.New("client: forbidden")
	// ErrThrottled: any 429, and any 503, the other status with which Graph
	// tells a caller to come back later; the codes vary (TooManyRequests,
	// activityLimitReached, throttledRequest, serviceNotAvailable).
	// [Error.RetryAfter] says when, if the service said.
	ErrThrottled = errors.New("client: throttled")
	// ErrPublishingNotEnabled: a 404 whose message says on-premises
	// publishing is not enabled (Graph's code is Application_NotFound): the
	// application is not published through Application Proxy, so it has
	// no connector group and cannot be given one. It matches ErrNotFound
	// too.
	ErrPublishingNotEnabled = errors.New("client: the application's on-premises publishing is not enabled")
	// ErrInvalidID: a group or connector id the client refuses to send
	// because it would not name one object in the request's path: empty,
	// "." or "..", or containing a slash or backslash, white space or
	// control characters.
	ErrInvalidID = errors.New("client: invalid id")
	// ErrInvalidToken: a token the client refuses to send, before any
	// request: empty, or containing white space or control characters. It
	// is not retried: the same source would likely return the same token.
	ErrInvalidToken = errors.New("client: invalid token")
)

// TooLargeError is how a call ends when the service sends more than the
// client reads: a response body past 4 MiB after decompression
// (graph.MaxResponseBytes, the bound this whole module reads with), or a
// list whose pages together pass WithMaxListBytes. The body is not read
// past the bound, and the call is not retried. Match it with errors.As.
// It is the module's one type for its bounds, named here so that programs
// outside the module, which cannot import internal/graph, can match it.
type TooLargeError = graph.TooLargeError

// maxErrorBody bounds Error.Body, which is kept for debugging only.
const maxErrorBody = 4 << 10

// Error is a non-2xx answer from the service. Every such answer becomes an
// *Error, whether or not its body is Graph's ODataError JSON (a proxy's HTML
// page, say); see
// openapi/connectorgroups.yaml#/components/schemas/ODataError.
//
// Its text fields are safe to print: each is on one line, with control
// characters folded and format characters (bidi overrides, zero-width
// characters) escaped as "\u202e", and none holds the bearer token the
// client sent, should the service have echoed it: the token is replaced
// with "[REDACTED]" as the *Error is made, and never stored in it. (A
// token shorter than 8 characters, a test's, is left alone: it would
// match inside ordinary words.)
//
// RequestID, ClientRequestID and Date are what Microsoft support asks for.
type Error struct {
	StatusCode int // the HTTP status, e.g. 404

	// Code is Graph's error code, e.g. Request_ResourceNotFound, or, when
	// that is empty, the first non-empty code down the innerError chain.
	// It may be empty: Graph has sent "code": "", and a body that is not
	// Graph's error JSON has none. Codes vary across Graph's workloads;
	// match the sentinels, which go by status, rather than codes.
	Code string
	// Message is Graph's message (or innerError's, when Graph's is empty)
	// on one line; for a body that is not Graph's error JSON, its
	// "message", an HTML page's title or the first line of text; failing
	// all, the status text. It never is a raw JSON body: see Body.
	Message string

	// RequestID, ClientRequestID and Date each come from the first
	// innerError down the chain that has one, else from the response's
	// request-id, client-request-id and Date headers; ClientRequestID,
	// failing both, is the id the client sent. Date is in UTC, and zero
	// when neither says. Graph writes innerError.date without a zone, as
	// UTC; any form it is sent in is read, and an unreadable one is
	// ignored, never failing the rest.
	RequestID       string
	ClientRequestID string
	Date            time.Time

	// Location is where a 3xx answer pointed, resolved against the
	// request's URL, with any password in it replaced by "xxxxx"
	// (url.URL.Redacted); empty for other answers, or when the Location
	// header is missing or unreadable. The client never follows a
	// redirect, so that the token and the body are never sent anywhere
	// but the base URL: Graph does not redirect these calls, and a 3xx
	// comes from something in between (a proxy, a misconfigured base URL).
	// A 3xx is not retried and matches no sentinel.
	Location string

	// RetryAfter is how long the service asked the caller to wait, from the
	// Retry-After header of a 429 or 503 (seconds or an HTTP date). Zero
	// when it did not say.
	RetryAfter time.Duration

	// Attempts is how many requests this call sent, retries included.
	Attempts int

	// AfterAmbiguousAttempt is true when an earlier attempt of this same
	// call failed in a way that leaves open whether the service carried it
	// out: a transport error once a connection was made, when the request
	// may have been sent, or a 5xx other than 503. An attempt that never
	// got a connection (refused, DNS or TLS handshake failure) does not set
	// it, nor does a 429 or 503, Graph's "come back later". Adding a member
	// is not idempotent: together with ErrAlreadyMember it most likely
	// means that the earlier attempt added (moved) the connector, and the
	// caller may treat the call as a success. Together with ErrNotFound
	// from DeleteConnectorGroup it most likely means that the earlier
	// attempt deleted the group.
	AfterAmbiguousAttempt bool

	// Body is the start of the raw response body (at most 4 KiB), for
	// debugging, with the client's token taken out should the service
	// have echoed it (a body that spelled it with JSON escapes is written
	// again, compacted).
	Body []byte
}

// Error reads like
//
//	graph: 404 Request_ResourceNotFound: Resource 'x' does not exist ... (request-id 3b8e..., 2 attempts)
//	graph: 308 Permanent Redirect; redirect to http://... not followed: the client does not follow redirects, so that the token is never sent elsewhere
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "graph: %d ", e.StatusCode)
	if e.Code != "" {
		b.WriteString(e.Code)
	} else {
		b.WriteString(statusText(e.StatusCode))
	}
	if e.Message != "" && e.Message != statusText(e.StatusCode) {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if isRedirect(e.StatusCode) {
		b.WriteString("; redirect ")
		if e.Location != "" {
			b.WriteString("to " + e.Location + " ")
		}
		b.WriteString("not followed: the client does not follow redirects, so that the token is never sent elsewhere")
	}
	var notes []string
	if e.RequestID != "" {
		notes = append(notes, "request-id "+e.RequestID)
	}
	if e.RetryAfter > 0 {
		notes = append(notes, "retry after "+e.RetryAfter.String())
	}
	if e.Attempts > 1 {
		notes = append(notes, fmt.Sprintf("%d attempts", e.Attempts))
	}
	if e.AfterAmbiguousAttempt && e.isAlreadyMember() {
		notes = append(notes, "an earlier attempt of this call may have added it")
	}
	if len(notes) > 0 {
		b.WriteString(" (" + strings.Join(notes, ", ") + ")")
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) and the other sentinels work.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrAlreadyMember:
		return e.isAlreadyMember()
	case ErrPublishingNotEnabled:
		return graph.IsPublishingNotEnabled(e.StatusCode, e.Message)
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrThrottled:
		return e.StatusCode == http.StatusTooManyRequests || e.StatusCode == http.StatusServiceUnavailable
	}
	return false
}

// isAlreadyMember matches Graph's answer to adding an existing member, a
// 400 "One or more added object references already exist for the
// following modified properties: 'members'.", by graph.IsAlreadyExists:
// by status and message, since the code varies across workloads.
func (e *Error) isAlreadyMember() bool {
	return graph.IsAlreadyExists(e.StatusCode, e.Message)
}

// maxMessage bounds Error.Message, in runes; maxPlainMessage bounds one
// taken from a body that is not Graph JSON.
const (
	maxMessage      = 1000
	maxPlainMessage = 200
)

// newError is the one place where a non-2xx response becomes an *Error.
// body is the response body, already read; sentID is the client-request-id
// the client sent; now resolves a Retry-After given as an HTTP date.
//
// Graph's error body is read with graph.DecodeError, which keeps the code
// and the message whatever the optional parts look like: innerError.date
// comes without a zone, innerError may nest, ids may be missing, "code"
// may be "". (Decoding into a type whose date is a time.Time failed on
// every real body, as it did for the official Go SDK, msgraph-sdk-go #527.)
// Everything the server sent is folded onto one line (graph.OneLine)
// before it can reach an error string or a terminal, and the client's own
// token is taken out of all of it, Body included (redactBody), in case
// the server echoed the Authorization header: the token is read from the
// request the response answers (resp.Request), and the *Error never holds
// it, so that no way of printing one (%v, %+v, %#v) can show it.
func newError(resp *http.Response, body []byte, sentID string, now time.Time) *Error {
	token := sentToken(resp)
	body = redactBody(body, token)
	clean := func(s string) string { return graph.OneLine(graph.RedactSecret(s, token), maxMessage) }

	e := &Error{StatusCode: resp.StatusCode}
	if len(body) > maxErrorBody {
		e.Body = append([]byte(nil), body[:maxErrorBody]...)
	} else {
		e.Body = append([]byte(nil), body...)
	}

	if ge, ok := graph.DecodeError(body); ok {
		e.Code = clean(firstNonEmpty(ge.Code, innerCode(ge.Inner)))
		e.Message = clean(ge.Message)
		if e.Message == "" {
			e.Message = clean(innerMessage(ge.Inner))
		}
		if e.Message == "" {
			e.Message = statusText(resp.StatusCode)
		}
		e.RequestID = ge.RequestID()
		e.ClientRequestID = ge.ClientRequestID()
		if d, ok := ge.Date(); ok {
			e.Date = d
		}
	} else {
		e.Message = graph.RedactSecret(plainMessage(resp.Header.Get("Content-Type"), body, resp.StatusCode), token)
	}

	// What innerError lacks comes from the headers; the client-request-id,
	// failing both, is the one the client sent.
	e.RequestID = clean(firstNonEmpty(e.RequestID, resp.Header.Get(graph.HeaderRequestID)))
	e.ClientRequestID = clean(firstNonEmpty(e.ClientRequestID, resp.Header.Get(graph.HeaderClientRequestID), sentID))
	if e.Date.IsZero() {
		if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
			e.Date = d.UTC()
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if d, ok := retryAfter(resp.Header, now); ok {
			e.RetryAfter = d
		}
	}
	if isRedirect(resp.StatusCode) {
		// resp.Location resolves a relative Location against the request.
		if loc, err := resp.Location(); err == nil {
			e.Location = clean(loc.Redacted())
		}
	}
	return e
}

func isRedirect(status int) bool { return status >= 300 && status <= 399 }

// innerCode and innerMessage are the first non-empty code and message down
// the innerError chain, for an error whose own are empty.
func innerCode(in *graph.InnerError) string {
	for ; in != nil; in = in.Inner {
		if in.Code != "" {
			return in.Code
		}
	}
	return ""
}

func innerMessage(in *graph.InnerError) string {
	for ; in != nil; in = in.Inner {
		if strings.TrimSpace(in.Message) != "" {
			return in.Message
		}
	}
	return ""
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// plainMessage makes a message out of a body that is not Graph's error
// JSON: for other JSON, its top-level "message" or "error" string; for an
// HTML page, its title; for text, the first non-empty line; failing all,
// the status text. A body that looks like JSON is never the message
// itself, even when it does not parse: Body keeps it.
func plainMessage(contentType string, body []byte, status int) string {
	text := string(body)
	if !utf8.ValidString(text) {
		return statusText(status)
	}
	trimmed := strings.TrimSpace(text)
	if strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[") {
		return jsonMessage(body, status) // even when cut short or malformed
	}
	if strings.Contains(strings.ToLower(contentType), "html") || strings.HasPrefix(trimmed, "<") {
		lower := strings.ToLower(text)
		if i := strings.Index(lower, "<title>"); i >= 0 {
			if j := strings.Index(lower[i:], "</title>"); j >= 0 {
				if t := graph.OneLine(text[i+len("<title>"):i+j], maxPlainMessage); t != "" {
					return t
				}
			}
		}
		return statusText(status)
	}
	for _, line := range strings.Split(text, "\n") {
		if l := graph.OneLine(line, maxPlainMessage); l != "" {
			return l
		}
	}
	return statusText(status)
}

// jsonMessage reads a message out of a JSON body that is not Graph's
// error: a gateway's {"message": "..."} or {"error": "..."}. Anything else,
// malformed JSON included, gets the status text.
func jsonMessage(body []byte, status int) string {
	var top map[string]any
	if json.Unmarshal(body, &top) == nil {
		for _, key := range []string{"message", "error"} {
			if s, ok := top[key].(string); ok {
				if m := graph.OneLine(s, maxPlainMessage); m != "" {
					return m
				}
			}
		}
	}
	return statusText(status)
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "Unknown Status"
}
