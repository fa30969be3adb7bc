package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/connectorgroups/connectorgroups/gen/api"
)

// Sentinels for the failures callers most often branch on. Test for them
// with errors.Is; use errors.As with a *Error for the details.
var (
	// ErrNotFound: 404, the group or the connector does not exist.
	ErrNotFound = errors.New("client: not found")
	// ErrAlreadyMember: 400 Request_BadRequest, "... references already
	// exist ...": the connector is already in the group. Callers that want
	// the connector to be a member may treat it as success; see
	// [Error.AfterAmbiguousAttempt] for why it can follow a retry.
	ErrAlreadyMember = errors.New("client: connector is already a member")
	// ErrUnauthorized: 401, the token is missing, expired or not valid.
	ErrUnauthorized = errors.New("client: unauthorized")
	// ErrForbidden: 403, the token lacks Directory.ReadWrite.All and
	// Directory.AccessAsUser.All.
	ErrForbidden = errors.New("client: forbidden")
	// ErrThrottled: 429, and 503, the other status with which Graph tells
	// a caller to come back later. [Error.RetryAfter] says when, if the
	// service said.
	ErrThrottled = errors.New("client: throttled")
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

// maxErrorBody bounds Error.Body, which is kept for debugging only.
const maxErrorBody = 4 << 10

// Error is a non-2xx answer from the service. Every such answer becomes an
// *Error, whether or not its body is Graph's ODataError JSON (a proxy's HTML
// page, say); see
// openapi/connectorgroups.yaml#/components/schemas/ODataError.
//
// RequestID, ClientRequestID and Date are what Microsoft support asks for.
type Error struct {
	StatusCode int    // the HTTP status, e.g. 404
	Code       string // Graph's error code, e.g. Request_ResourceNotFound; empty when the body is not Graph JSON
	Message    string // Graph's message, or the first line of a non-JSON body, or the status text

	RequestID       string    // innerError.request-id, or the request-id header
	ClientRequestID string    // innerError.client-request-id, the header, or the id the client sent
	Date            time.Time // innerError.date, or the Date header; zero if neither

	// RetryAfter is how long the service asked the caller to wait, from the
	// Retry-After header of a 429 or 503 (seconds or an HTTP date). Zero
	// when it did not say.
	RetryAfter time.Duration

	// Attempts is how many requests this call sent, retries included.
	Attempts int

	// AfterAmbiguousAttempt is true when an earlier attempt of this same
	// call failed in a way that leaves open whether the service carried it
	// out: a transport error once a connection was made, when the request
	// may have been sent, or a 5xx. An attempt that never got a connection
	// (refused, DNS or TLS handshake failure) does not set it. Adding a
	// member is not idempotent: together with ErrAlreadyMember it most
	// likely means that the earlier attempt added the connector, and the
	// caller may treat the call as a success.
	AfterAmbiguousAttempt bool

	// Body is the start of the raw response body, for debugging.
	Body []byte
}

// Error reads like
//
//	graph: 404 Request_ResourceNotFound: Resource 'x' does not exist ... (request-id 3b8e..., 2 attempts)
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
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrThrottled:
		return e.StatusCode == http.StatusTooManyRequests || e.StatusCode == http.StatusServiceUnavailable
	}
	return false
}

// isAlreadyMember matches Graph's answer to adding an existing member:
// 400 Request_BadRequest, "One or more added object references already
// exist for the following modified properties: 'members'."
func (e *Error) isAlreadyMember() bool {
	return e.StatusCode == http.StatusBadRequest &&
		strings.EqualFold(e.Code, "Request_BadRequest") &&
		strings.Contains(strings.ToLower(e.Message), "already exist")
}

// newError is the one place where a non-2xx response becomes an *Error.
// body is the response body, already read; sentID is the client-request-id
// the client sent; now resolves a Retry-After given as an HTTP date.
func newError(resp *http.Response, body []byte, sentID string, now time.Time) *Error {
	e := &Error{
		StatusCode:      resp.StatusCode,
		RequestID:       resp.Header.Get("request-id"),
		ClientRequestID: resp.Header.Get("client-request-id"),
	}
	if len(body) > maxErrorBody {
		e.Body = append([]byte(nil), body[:maxErrorBody]...)
	} else {
		e.Body = append([]byte(nil), body...)
	}
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		e.Date = d.UTC()
	}

	var odata api.ODataError
	if err := json.Unmarshal(body, &odata); err == nil && (odata.Error.Code != "" || odata.Error.Message != "") {
		e.Code = odata.Error.Code
		e.Message = oneLine(odata.Error.Message, 1000)
		if in := odata.Error.InnerError; in != nil {
			if in.RequestId != nil && *in.RequestId != "" {
				e.RequestID = *in.RequestId
			}
			if in.ClientRequestId != nil && *in.ClientRequestId != "" {
				e.ClientRequestID = *in.ClientRequestId
			}
			if in.Date != nil && !in.Date.IsZero() {
				e.Date = in.Date.UTC()
			}
		}
	} else {
		e.Message = plainMessage(resp.Header.Get("Content-Type"), body, resp.StatusCode)
	}
	if e.ClientRequestID == "" {
		e.ClientRequestID = sentID
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if d, ok := retryAfter(resp.Header, now); ok {
			e.RetryAfter = d
		}
	}
	return e
}

// plainMessage makes a message out of a body that is not Graph JSON: an
// HTML page's title, or the first non-empty line of text, or failing both
// the status text.
func plainMessage(contentType string, body []byte, status int) string {
	text := string(body)
	if !utf8.ValidString(text) {
		return statusText(status)
	}
	if strings.Contains(strings.ToLower(contentType), "html") || strings.HasPrefix(strings.TrimSpace(text), "<") {
		lower := strings.ToLower(text)
		if i := strings.Index(lower, "<title>"); i >= 0 {
			if j := strings.Index(lower[i:], "</title>"); j >= 0 {
				if t := oneLine(text[i+len("<title>"):i+j], 200); t != "" {
					return t
				}
			}
		}
		return statusText(status)
	}
	for _, line := range strings.Split(text, "\n") {
		if l := oneLine(line, 200); l != "" {
			return l
		}
	}
	return statusText(status)
}

// oneLine folds s onto one line without control characters, at most limit
// runes long, so that an error message cannot break a log line.
func oneLine(s string, limit int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > limit {
		s = string([]rune(s)[:limit]) + "…"
	}
	return s
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "Unknown Status"
}
