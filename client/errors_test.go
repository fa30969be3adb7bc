package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

var sentinels = map[string]error{
	"ErrNotFound":      ErrNotFound,
	"ErrAlreadyMember": ErrAlreadyMember,
	"ErrUnauthorized":  ErrUnauthorized,
	"ErrForbidden":     ErrForbidden,
	"ErrThrottled":     ErrThrottled,
	"ErrInvalidID":     ErrInvalidID,
	"ErrInvalidToken":  ErrInvalidToken,
}

// assertSentinel checks that err matches want and no other sentinel.
func assertSentinel(t *testing.T, err error, want string) {
	t.Helper()
	for name, s := range sentinels {
		if got := errors.Is(err, s); got != (name == want) {
			t.Errorf("errors.Is(err, %s) = %v, want %v (err: %v)", name, got, name == want, err)
		}
	}
}

// Each sentinel, from Graph's real answers, through real HTTP.
func TestAddConnector_Sentinels(t *testing.T) {
	tests := []struct {
		status        int
		code, message string
		want          string // sentinel name, "" for none
	}{
		{404, "Request_ResourceNotFound", "Resource '" + testGroup + "' does not exist or one of its queried reference-property objects are not present.", "ErrNotFound"},
		{400, "Request_BadRequest", alreadyMember, "ErrAlreadyMember"},
		{401, "InvalidAuthenticationToken", "Access token is empty.", "ErrUnauthorized"},
		{403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", "ErrForbidden"},
		{403, "NotAdminRoleNoEnoughCustomPermission_UnauthorizedAccess", "Access denied: the caller has no admin role or custom permission for this operation.", "ErrForbidden"},
		{400, "BadRequest", alreadyMember, "ErrAlreadyMember"},
		{429, "TooManyRequests", "Too many requests. Retry after the interval given in the Retry-After header.", "ErrThrottled"},
		{503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry later.", "ErrThrottled"},
		// Near misses: a 400 that is not "already exist", another code.
		{400, "BadRequest", "Invalid URL format specified in payload.", ""},
		{400, "Request_BadRequest", "Invalid object identifier.", ""},
		{413, "RequestEntityTooLarge", "The request body is larger than the limit of 1048576 bytes.", ""},
		{500, "generalException", "General exception while processing.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			e := setup(t, WithoutRetry())
			const rid = "3b8e6c14-5f29-4d70-9e0a-7c1d4b2f8e65"
			var sent string
			e.mux.HandleFunc(addPattern, func(w http.ResponseWriter, r *http.Request) {
				sent = r.Header.Get("client-request-id")
				if tt.status == 429 || tt.status == 503 {
					w.Header().Set("Retry-After", "12")
				}
				writeGraphError(w, r, tt.status, tt.code, tt.message, rid)
			})

			conn, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
			if conn != nil {
				t.Errorf("connector = %+v, want nil", conn)
			}
			assertSentinel(t, err, tt.want)
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("errors.As(%T, *Error) = false", err)
			}
			if ge.StatusCode != tt.status || ge.Code != tt.code || ge.Message != tt.message {
				t.Errorf("got %d %q %q", ge.StatusCode, ge.Code, ge.Message)
			}
			if ge.RequestID != rid || ge.ClientRequestID != sent || sent == "" {
				t.Errorf("request-id %q, client-request-id %q (sent %q)", ge.RequestID, ge.ClientRequestID, sent)
			}
			if want := time.Date(2026, 11, 27, 10, 15, 30, 0, time.UTC); !ge.Date.Equal(want) {
				t.Errorf("date = %v, want %v", ge.Date, want)
			}
			wantRetryAfter := time.Duration(0)
			if tt.want == "ErrThrottled" {
				wantRetryAfter = 12 * time.Second
			}
			if ge.RetryAfter != wantRetryAfter {
				t.Errorf("RetryAfter = %v, want %v", ge.RetryAfter, wantRetryAfter)
			}
			if ge.Attempts != 1 || ge.AfterAmbiguousAttempt {
				t.Errorf("Attempts %d, AfterAmbiguousAttempt %v", ge.Attempts, ge.AfterAmbiguousAttempt)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.code) || !strings.Contains(msg, tt.message) || !strings.Contains(msg, rid) {
				t.Errorf("Error() = %q lacks the code, message or request-id", msg)
			}
			assertValidTraffic(t, e.tr)
		})
	}
}

// A body that is not Graph JSON (a proxy's page, a load balancer's text)
// still makes an *Error with something to read.
func TestAddConnector_NonJSONErrorBody(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantMessage string
		wantError   string
	}{
		{"text/plain 502", 502, "text/plain", "\n  upstream connect error or disconnect/reset before headers\nreset reason: overflow\n",
			"upstream connect error or disconnect/reset before headers",
			"graph: 502 Bad Gateway: upstream connect error or disconnect/reset before headers (request-id req-1)"},
		{"html 500", 500, "text/html; charset=utf-8", "<!DOCTYPE html>\n<html><head><TITLE>500 - Internal server error.</TITLE></head><body>...</body></html>",
			"500 - Internal server error.",
			"graph: 500 Internal Server Error: 500 - Internal server error. (request-id req-1)"},
		{"html without title", 504, "text/html", "<html><body><h1>Gateway Timeout</h1></body></html>",
			"Gateway Timeout", "graph: 504 Gateway Timeout (request-id req-1)"},
		{"empty 404", 404, "", "", "Not Found", "graph: 404 Not Found (request-id req-1)"},
		// JSON that is not Graph's error: its message, never the raw JSON
		// (Body keeps that).
		{"json, not Graph's", 403, "application/json", `{"message":"denied by policy"}`,
			"denied by policy", "graph: 403 Forbidden: denied by policy (request-id req-1)"},
		{"json, error a string", 502, "application/json", `{"error":"upstream timed out"}`,
			"upstream timed out", "graph: 502 Bad Gateway: upstream timed out (request-id req-1)"},
		{"json, error without code or message", 500, "application/json", `{"error":{"innerError":{"date":"2023-07-07T11:13:19"}}}`,
			"Internal Server Error", "graph: 500 Internal Server Error (request-id req-1)"},
		{"json array", 500, "application/json", `[{"message":"x"}]`, "Internal Server Error", "graph: 500 Internal Server Error (request-id req-1)"},
		{"truncated json: the status text", 502, "application/json", `{"error":{"code":"X","mess`,
			"Bad Gateway", "graph: 502 Bad Gateway (request-id req-1)"},
		{"binary", 500, "application/octet-stream", "\xff\xfe\x00\x01", "Internal Server Error", "graph: 500 Internal Server Error (request-id req-1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, WithoutRetry())
			e.mux.HandleFunc(addPattern, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("request-id", "req-1")
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			_, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("err = %v, want an *Error", err)
			}
			if ge.StatusCode != tt.status || ge.Code != "" || ge.Message != tt.wantMessage {
				t.Errorf("got %d %q %q, want %d \"\" %q", ge.StatusCode, ge.Code, ge.Message, tt.status, tt.wantMessage)
			}
			if ge.RequestID != "req-1" || !uuidV4.MatchString(ge.ClientRequestID) {
				t.Errorf("request-id %q, client-request-id %q", ge.RequestID, ge.ClientRequestID)
			}
			if string(ge.Body) != tt.body {
				t.Errorf("Body = %q, want %q", ge.Body, tt.body)
			}
			if err.Error() != tt.wantError {
				t.Errorf("Error() = %q\n            want %q", err.Error(), tt.wantError)
			}
			assertNoRawJSON(t, ge)
			assertValidRequests(t, e.tr)
		})
	}
}

func TestNewError(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	long := strings.Repeat("x", 3*maxErrorBody)
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		check  func(t *testing.T, e *Error)
	}{
		{"ids from headers when innerError lacks them", 404,
			http.Header{"Request-Id": {"hdr-rid"}, "Client-Request-Id": {"hdr-crid"}, "Date": {"Fri, 27 Nov 2026 09:59:00 GMT"}},
			`{"error":{"code":"Request_ResourceNotFound","message":"gone"}}`,
			func(t *testing.T, e *Error) {
				if e.RequestID != "hdr-rid" || e.ClientRequestID != "hdr-crid" || !e.Date.Equal(now.Add(-time.Minute)) {
					t.Errorf("%+v", e)
				}
			}},
		{"sent id when nothing echoes it", 500, http.Header{}, `{"error":{"code":"x","message":"y"}}`,
			func(t *testing.T, e *Error) {
				if e.ClientRequestID != "sent-id" {
					t.Errorf("ClientRequestID = %q", e.ClientRequestID)
				}
			}},
		{"retry-after HTTP date on 503", 503, http.Header{"Retry-After": {"Fri, 27 Nov 2026 10:00:30 GMT"}}, "",
			func(t *testing.T, e *Error) {
				if e.RetryAfter != 30*time.Second {
					t.Errorf("RetryAfter = %v", e.RetryAfter)
				}
			}},
		{"no retry-after outside 429 and 503", 500, http.Header{"Retry-After": {"30"}}, "",
			func(t *testing.T, e *Error) {
				if e.RetryAfter != 0 {
					t.Errorf("RetryAfter = %v", e.RetryAfter)
				}
			}},
		{"body truncated, message one line", 400, http.Header{}, `{"error":{"code":"c","message":"a\r\nb\tc ` + long + `"}}`,
			func(t *testing.T, e *Error) {
				if len(e.Body) != maxErrorBody || strings.ContainsAny(e.Message, "\r\n\t") || !strings.HasPrefix(e.Message, "a b c x") || len([]rune(e.Message)) != 1001 {
					t.Errorf("body %d bytes, message %.40q (%d runes)", len(e.Body), e.Message, len([]rune(e.Message)))
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.status, Header: tt.header}
			tt.check(t, newError(resp, []byte(tt.body), "sent-id", now))
		})
	}
}

func TestError_Error(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{StatusCode: 404, Code: "Request_ResourceNotFound", Message: "Resource 'g' does not exist.", RequestID: "r1"},
			"graph: 404 Request_ResourceNotFound: Resource 'g' does not exist. (request-id r1)"},
		{Error{StatusCode: 429, Code: "TooManyRequests", Message: "Slow down.", RequestID: "r2", RetryAfter: 90 * time.Second, Attempts: 4},
			"graph: 429 TooManyRequests: Slow down. (request-id r2, retry after 1m30s, 4 attempts)"},
		{Error{StatusCode: 400, Code: "Request_BadRequest", Message: alreadyMember, Attempts: 2, AfterAmbiguousAttempt: true},
			"graph: 400 Request_BadRequest: " + alreadyMember + " (2 attempts, an earlier attempt of this call may have added it)"},
		{Error{StatusCode: 502, Message: "Bad Gateway"}, "graph: 502 Bad Gateway"},
		{Error{StatusCode: 308, Message: "Permanent Redirect", Location: "http://127.0.0.1:8080/beta/x", RequestID: "r3"},
			"graph: 308 Permanent Redirect; redirect to http://127.0.0.1:8080/beta/x not followed: the client does not follow redirects, so that the token is never sent elsewhere (request-id r3)"},
		{Error{StatusCode: 302, Message: "Object moved"},
			"graph: 302 Found: Object moved; redirect not followed: the client does not follow redirects, so that the token is never sent elsewhere"},
		{Error{StatusCode: 599}, "graph: 599 Unknown Status"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q\n       want %q", got, tt.want)
		}
	}
}

// errors.Is sees through wrapping, as callers' code wraps errors.
func TestError_IsThroughWrapping(t *testing.T) {
	err := errors.Join(errors.New("context"), &Error{StatusCode: 404})
	assertSentinel(t, err, "ErrNotFound")
	assertSentinel(t, fmt.Errorf("adding: %w", &Error{StatusCode: 403, Code: "x"}), "ErrForbidden")
}

// Sentinels go by status (and, for ErrAlreadyMember, by message), never by
// code: Graph's codes vary across workloads, and may be empty.
func TestError_IsByStatus(t *testing.T) {
	tests := []struct {
		status        int
		code, message string
		want          string
	}{
		{404, "Request_ResourceNotFound", "gone", "ErrNotFound"},
		{404, "", "Resource not found.", "ErrNotFound"},
		{404, "ItemNotFound", "x", "ErrNotFound"},
		{401, "InvalidAuthenticationToken", "Access token is empty.", "ErrUnauthorized"},
		{401, "", "", "ErrUnauthorized"},
		{403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", "ErrForbidden"},
		{403, "NotAdminRoleNoEnoughCustomPermission_UnauthorizedAccess", "denied", "ErrForbidden"},
		{403, "", "", "ErrForbidden"},
		{403, "accessDenied", "already exist", "ErrForbidden"},
		{429, "TooManyRequests", "", "ErrThrottled"},
		{429, "activityLimitReached", "", "ErrThrottled"},
		{429, "throttledRequest", "", "ErrThrottled"},
		{503, "serviceNotAvailable", "", "ErrThrottled"},
		{503, "", "Service Unavailable", "ErrThrottled"},
		{400, "Request_BadRequest", alreadyMember, "ErrAlreadyMember"},
		{400, "request_badrequest", "references ALREADY EXIST", "ErrAlreadyMember"},
		{400, "BadRequest", alreadyMember, "ErrAlreadyMember"},
		{400, "", alreadyMember, "ErrAlreadyMember"},
		{400, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'owners'.", "ErrAlreadyMember"},
		// Near misses.
		{400, "Request_BadRequest", "Invalid object identifier.", ""},
		{400, "BadRequest", "Resource not found for the segment 'connectorGroups'.", ""},
		{409, "Request_BadRequest", "already exist", ""},
		{400, "Request_ResourceNotFound", "Resource 'x' does not exist.", ""},
		{500, "Request_ResourceNotFound", "x", ""},
		{502, "", "Bad Gateway", ""},
		{308, "", "Permanent Redirect", ""},
	}
	for _, tt := range tests {
		e := &Error{StatusCode: tt.status, Code: tt.code, Message: tt.message}
		t.Run(fmt.Sprintf("%d %s", tt.status, tt.code), func(t *testing.T) { assertSentinel(t, e, tt.want) })
	}
}

// sentID in a want's ClientRequestID stands for the client-request-id the
// client sent, which the test learns only from the request.
const sentID = "<sent>"

// Error bodies shaped as Graph really sends them (docs/graph-behaviour.md
// lists the threads they were seen in): whatever an optional part looks like, the code and the
// message survive, the ids and the date come from innerError first, then
// the headers, and the sentinel follows the status.
func TestAddConnector_RealErrorBodies(t *testing.T) {
	const (
		rid      = "5a1c2e3f-0b4d-4e6f-8a9b-0c1d2e3f4a5b"
		hdrRID   = "hdr-request-id"
		hdrCRID  = "hdr-client-request-id"
		hdrDate  = "Fri, 07 Jul 2023 11:20:00 GMT"
		notFound = "Resource 'g' does not exist or one of its queried reference-property objects are not present."
	)
	atHdrDate := time.Date(2023, 7, 7, 11, 20, 0, 0, time.UTC)
	at := time.Date(2023, 7, 7, 11, 13, 19, 0, time.UTC)
	type want struct {
		code, message, requestID, clientRequestID string
		date                                      time.Time
		sentinel                                  string
	}
	tests := []struct {
		name        string
		status      int
		contentType string            // "" for application/json
		header      map[string]string // response headers besides Content-Type and Date
		body        string
		want        want
	}{
		{
			name: "zone-less date, as Graph sends it", status: 404,
			body: `{"error":{"code":"Request_ResourceNotFound","message":"` + notFound + `","innerError":{"date":"2023-07-07T11:13:19","request-id":"` + rid + `","client-request-id":"c-1"}}}`,
			want: want{"Request_ResourceNotFound", notFound, rid, "c-1", at, "ErrNotFound"},
		},
		{
			name: "date with a zone", status: 404,
			body: `{"error":{"code":"Request_ResourceNotFound","message":"m","innerError":{"date":"2023-07-07T13:13:19+02:00","request-id":"` + rid + `"}}}`,
			want: want{"Request_ResourceNotFound", "m", rid, sentID, at, "ErrNotFound"},
		},
		{
			name: "zone-less date with fractional seconds", status: 401,
			body: `{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty.","innerError":{"date":"2023-07-07T11:13:19.1234567","request-id":"` + rid + `"}}}`,
			want: want{"InvalidAuthenticationToken", "Access token is empty.", rid, sentID, at.Add(123456700), "ErrUnauthorized"},
		},
		{
			name: "garbage date: the Date header instead", status: 404,
			body: `{"error":{"code":"Request_ResourceNotFound","message":"m","innerError":{"date":"yesterday","request-id":"` + rid + `"}}}`,
			want: want{"Request_ResourceNotFound", "m", rid, sentID, atHdrDate, "ErrNotFound"},
		},
		{
			name: "date of the wrong type", status: 404,
			body: `{"error":{"code":"Request_ResourceNotFound","message":"m","innerError":{"date":{"at":1},"request-id":["a"]}}}`,
			want: want{"Request_ResourceNotFound", "m", "", sentID, atHdrDate, "ErrNotFound"},
		},
		{
			name: "nested innerError with its own code, message and status; no client-request-id", status: 403,
			header: map[string]string{"request-id": hdrRID},
			body: `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.",` +
				`"innerError":{"code":"innerCode","message":"inner message","status":403,"innerError":{"date":"2023-07-07T11:13:19","request-id":"` + rid + `"}}}}`,
			want: want{"Authorization_RequestDenied", "Insufficient privileges to complete the operation.", rid, sentID, at, "ErrForbidden"},
		},
		{
			name: "ids from the headers when innerError has none", status: 404,
			header: map[string]string{"request-id": hdrRID, "client-request-id": hdrCRID},
			body:   `{"error":{"code":"Request_ResourceNotFound","message":"m","innerError":{"date":"2023-07-07T11:13:19"}}}`,
			want:   want{"Request_ResourceNotFound", "m", hdrRID, hdrCRID, at, "ErrNotFound"},
		},
		{
			name: "innerError's ids win over the headers", status: 404,
			header: map[string]string{"request-id": hdrRID, "client-request-id": hdrCRID},
			body:   `{"error":{"code":"Request_ResourceNotFound","message":"m","innerError":{"request-id":"` + rid + `","client-request-id":"c-1"}}}`,
			want:   want{"Request_ResourceNotFound", "m", rid, "c-1", atHdrDate, "ErrNotFound"},
		},
		{
			name: "no innerError at all", status: 404,
			body: `{"error":{"code":"Request_ResourceNotFound","message":"m"}}`,
			want: want{"Request_ResourceNotFound", "m", "", sentID, atHdrDate, "ErrNotFound"},
		},
		{
			name: "innerError is a string", status: 404,
			body: `{"error":{"code":"Request_ResourceNotFound","message":"m","innerError":"oops"}}`,
			want: want{"Request_ResourceNotFound", "m", "", sentID, atHdrDate, "ErrNotFound"},
		},
		{
			name: `this workload's 404 with "code": ""`, status: 404,
			body: `{"error":{"code":"","message":"Resource not found.","innerError":{"date":"2023-07-07T11:13:19","request-id":"` + rid + `"}}}`,
			want: want{"", "Resource not found.", rid, sentID, at, "ErrNotFound"},
		},
		{
			name: "403 with this workload's non-standard code", status: 403,
			body: `{"error":{"code":"NotAdminRoleNoEnoughCustomPermission_UnauthorizedAccess","message":"Access denied: the caller has no admin role or custom permission for this operation.","innerError":{"date":"2023-07-07T11:13:19","request-id":"` + rid + `"}}}`,
			want: want{"NotAdminRoleNoEnoughCustomPermission_UnauthorizedAccess", "Access denied: the caller has no admin role or custom permission for this operation.", rid, sentID, at, "ErrForbidden"},
		},
		{
			name: "403 with an empty code", status: 403,
			body: `{"error":{"code":"","message":"denied"}}`,
			want: want{"", "denied", "", sentID, atHdrDate, "ErrForbidden"},
		},
		{
			name: "already exist, Request_BadRequest", status: 400,
			body: `{"error":{"code":"Request_BadRequest","message":"` + alreadyMember + `","innerError":{"date":"2023-07-07T11:13:19","request-id":"` + rid + `","client-request-id":"c-1"}}}`,
			want: want{"Request_BadRequest", alreadyMember, rid, "c-1", at, "ErrAlreadyMember"},
		},
		{
			name: "already exist, another code", status: 400,
			body: `{"error":{"code":"BadRequest","message":"One or more added object references already exist for the following modified properties: 'members'.","innerError":{"date":"2023-07-07T11:13:19"}}}`,
			want: want{"BadRequest", alreadyMember, "", sentID, at, "ErrAlreadyMember"},
		},
		{
			name: "already exist, empty code", status: 400,
			body: `{"error":{"code":"","message":"` + alreadyMember + `"}}`,
			want: want{"", alreadyMember, "", sentID, atHdrDate, "ErrAlreadyMember"},
		},
		{
			name: "target and details of odd types", status: 400,
			body: `{"error":{"code":"BadRequest","message":"Invalid URL format specified in payload.","target":7,"details":"nope","innerError":{"date":"2023-07-07T11:13:19"}}}`,
			want: want{"BadRequest", "Invalid URL format specified in payload.", "", sentID, at, ""},
		},
		{
			name: "details as Graph documents them", status: 400,
			body: `{"error":{"code":"BadRequest","message":"Invalid URL format specified in payload.","target":"@odata.id","details":[{"code":"x","message":"y","target":"z"}]}}`,
			want: want{"BadRequest", "Invalid URL format specified in payload.", "", sentID, atHdrDate, ""},
		},
		{
			name: "Graph's entity media type with parameters on an error", status: 404,
			contentType: graph.ContentTypeEntity,
			body:        `{"error":{"code":"Request_ResourceNotFound","message":"` + notFound + `","innerError":{"date":"2023-07-07T11:13:19","request-id":"` + rid + `"}}}`,
			want:        want{"Request_ResourceNotFound", notFound, rid, sentID, at, "ErrNotFound"},
		},
		{
			name: "a message over several lines", status: 400,
			body: `{"error":{"code":"BadRequest","message":"line one\r\n\tline two"}}`,
			want: want{"BadRequest", "line one line two", "", sentID, atHdrDate, ""},
		},
		{
			name: "code without a message: the status text", status: 404,
			body: `{"error":{"code":"Request_ResourceNotFound"}}`,
			want: want{"Request_ResourceNotFound", "Not Found", "", sentID, atHdrDate, "ErrNotFound"},
		},
		{
			name: "empty code and message: the status text", status: 403,
			body: `{"error":{"code":"","message":""}}`,
			want: want{"", "Forbidden", "", sentID, atHdrDate, "ErrForbidden"},
		},
		{
			name: "empty outer code and message: innerError's", status: 400,
			body: `{"error":{"code":"","message":"","innerError":{"code":"Request_BadRequest","message":"` + alreadyMember + `"}}}`,
			want: want{"Request_BadRequest", alreadyMember, "", sentID, atHdrDate, "ErrAlreadyMember"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, WithoutRetry())
			var sent string
			e.mux.HandleFunc(addPattern, func(w http.ResponseWriter, r *http.Request) {
				sent = r.Header.Get("client-request-id")
				ct := tt.contentType
				if ct == "" {
					ct = graph.ContentTypeError
				}
				w.Header().Set("Content-Type", ct)
				w.Header().Set("Date", hdrDate)
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})

			_, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
			assertSentinel(t, err, tt.want.sentinel)
			ge := asError(t, err)
			want := tt.want
			if want.clientRequestID == sentID {
				want.clientRequestID = sent
			}
			if ge.StatusCode != tt.status {
				t.Errorf("StatusCode = %d, want %d", ge.StatusCode, tt.status)
			}
			if ge.Code != want.code || ge.Message != want.message {
				t.Errorf("Code, Message = %q, %q\n             want %q, %q", ge.Code, ge.Message, want.code, want.message)
			}
			if ge.RequestID != want.requestID || ge.ClientRequestID != want.clientRequestID || sent == "" {
				t.Errorf("RequestID, ClientRequestID = %q, %q; want %q, %q (sent %q)", ge.RequestID, ge.ClientRequestID, want.requestID, want.clientRequestID, sent)
			}
			if !ge.Date.Equal(want.date) || ge.Date.Location() != time.UTC {
				t.Errorf("Date = %v, want %v", ge.Date, want.date)
			}
			assertNoRawJSON(t, ge)
			if string(ge.Body) != tt.body {
				t.Errorf("Body = %q, want the body as sent", ge.Body)
			}
			assertValidRequests(t, e.tr)
		})
	}
}

// asError is errors.As for *Error, failing the test when err is none.
func asError(t *testing.T, err error) *Error {
	t.Helper()
	var ge *Error
	if !errors.As(err, &ge) {
		t.Fatalf("err = %v (%T), want an *Error", err, err)
	}
	return ge
}

// assertNoRawJSON checks that neither the message nor the error string
// is a JSON body passed through, the symptom of a failed decode.
func assertNoRawJSON(t *testing.T, ge *Error) {
	t.Helper()
	for what, s := range map[string]string{"Message": ge.Message, "Error()": ge.Error()} {
		if strings.Contains(s, `{"`) || strings.Contains(s, `"error"`) || strings.Contains(s, "innerError") {
			t.Errorf("%s = %q carries raw JSON", what, s)
		}
	}
}

// What the server sends reaches error strings on one line, without control
// characters: a code or id could otherwise forge a log line or drive a
// terminal.
func TestNewError_FoldsServerText(t *testing.T) {
	body := []byte("{\"error\":{\"code\":\"Evil\\nline\\u001b[31m\",\"message\":\"m\\r\\nforged\",\"innerError\":{\"request-id\":\"r\\u0007\\n1\"}}}")
	resp := &http.Response{StatusCode: http.StatusBadRequest, Header: http.Header{"Client-Request-Id": {"c\x1b"}}}
	e := newError(resp, body, "sent", time.Now())
	for name, s := range map[string]string{"Code": e.Code, "Message": e.Message, "RequestID": e.RequestID, "ClientRequestID": e.ClientRequestID, "Error()": e.Error()} {
		if strings.ContainsFunc(s, unicode.IsControl) {
			t.Errorf("%s = %q holds a control character", name, s)
		}
	}
	if e.Code != "Evil line [31m" {
		t.Errorf("Code = %q", e.Code)
	}
}
