package graph

import (
	"testing"
	"time"
)

func TestDecodeError(t *testing.T) {
	tests := []struct {
		name, body                     string
		ok                             bool
		code, message, reqID, clientID string
		date                           string // RFC 3339 of Date(), "" for none
	}{
		{
			name: "zone-less date, as Graph sends it",
			body: `{"error":{"code":"Request_ResourceNotFound","message":"Resource 'x' does not exist.","innerError":{"date":"2023-07-07T11:13:19","request-id":"r-1","client-request-id":"c-1"}}}`,
			ok:   true, code: "Request_ResourceNotFound", message: "Resource 'x' does not exist.", reqID: "r-1", clientID: "c-1", date: "2023-07-07T11:13:19Z",
		},
		{
			name: "date with a zone",
			body: `{"error":{"code":"BadRequest","message":"m","innerError":{"date":"2023-07-07T11:13:19+02:00"}}}`,
			ok:   true, code: "BadRequest", message: "m", date: "2023-07-07T09:13:19Z",
		},
		{
			name: "nested innerError with its own code, message and status, no client-request-id",
			body: `{"error":{"code":"Forbidden","message":"outer","innerError":{"code":"innerCode","message":"inner","status":403,"innerError":{"date":"2024-01-02T03:04:05","request-id":"deep"}}}}`,
			ok:   true, code: "Forbidden", message: "outer", reqID: "deep", date: "2024-01-02T03:04:05Z",
		},
		{
			name: "empty code",
			body: `{"error":{"code":"","message":"Resource not found."}}`,
			ok:   true, code: "", message: "Resource not found.",
		},
		{
			name: "odd types elsewhere do not lose code and message",
			body: `{"error":{"code":"X","message":"y","target":7,"details":"nope","innerError":{"date":12,"request-id":["a"]}}}`,
			ok:   true, code: "X", message: "y",
		},
		{
			name: "capitalised keys, as one back end wrote them",
			body: `{"Error":{"Code":"Unauthorized_MissingMFA","Message":"MFA required."}}`,
			ok:   true, code: "Unauthorized_MissingMFA", message: "MFA required.",
		},
		{
			name: "a byte-order mark first",
			body: "\ufeff" + `{"error":{"code":"X","message":"y","innerError":{"request-id":"r-b"}}}`,
			ok:   true, code: "X", message: "y", reqID: "r-b",
		},
		{
			name: "OData's own innererror spelling",
			body: `{"error":{"code":"X","message":"y","innererror":{"Date":"2024-01-02T03:04:05","Request-Id":"r-o"}}}`,
			ok:   true, code: "X", message: "y", reqID: "r-o", date: "2024-01-02T03:04:05Z",
		},
		{name: "not JSON", body: `<html><title>502</title></html>`},
		{name: "no error member", body: `{"value":[]}`},
		{name: "error is a string", body: `{"error":"boom"}`},
		{name: "error without code or message", body: `{"error":{"innerError":{}}}`},
		{name: "null", body: `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := DecodeError([]byte(tt.body))
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if e.Code != tt.code || e.Message != tt.message {
				t.Errorf("code, message = %q, %q; want %q, %q", e.Code, e.Message, tt.code, tt.message)
			}
			if got := e.RequestID(); got != tt.reqID {
				t.Errorf("RequestID = %q, want %q", got, tt.reqID)
			}
			if got := e.ClientRequestID(); got != tt.clientID {
				t.Errorf("ClientRequestID = %q, want %q", got, tt.clientID)
			}
			d, hasDate := e.Date()
			if got := map[bool]string{true: d.Format(time.RFC3339), false: ""}[hasDate]; got != tt.date {
				t.Errorf("Date = %q, want %q", got, tt.date)
			}
		})
	}
}

func TestDecodeErrorKeepsNestedFields(t *testing.T) {
	e, ok := DecodeError([]byte(`{"error":{"code":"c","message":"m","innerError":{"code":"ic","message":"im","status":"403","innerError":{"code":"iic"}}}}`))
	if !ok || e.Inner == nil || e.Inner.Inner == nil {
		t.Fatalf("decoded %+v, ok %v", e, ok)
	}
	if e.Inner.Code != "ic" || e.Inner.Message != "im" || e.Inner.Status != "403" || e.Inner.Inner.Code != "iic" {
		t.Errorf("inner = %+v, nested %+v", e.Inner, e.Inner.Inner)
	}
}

func TestEncodeErrorRoundTrips(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 15, 30, 500, time.FixedZone("x", 3600))
	body := EncodeError("Request_BadRequest", `a "quoted" <message>`, now, "r", "c")
	e, ok := DecodeError(body)
	if !ok || e.Code != "Request_BadRequest" || e.Message != `a "quoted" <message>` || e.RequestID() != "r" || e.ClientRequestID() != "c" {
		t.Fatalf("round trip of %s = %+v, %v", body, e, ok)
	}
	if e.Inner.Date != "2026-11-26T09:15:30" {
		t.Errorf("date = %q, want Graph's zone-less UTC 2026-11-26T09:15:30", e.Inner.Date)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"2023-07-07T11:13:19", "2023-07-07T11:13:19Z"},
		{"2023-07-07T11:13:19.1234567", "2023-07-07T11:13:19.1234567Z"},
		{"2023-07-07T11:13:19Z", "2023-07-07T11:13:19Z"},
		{"2023-07-07T11:13:19-05:00", "2023-07-07T16:13:19Z"},
		{"Fri, 07 Jul 2023 11:13:19 GMT", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := ParseDate(tt.in)
		s := ""
		if ok {
			s = got.Format(time.RFC3339Nano)
		}
		if s != tt.want {
			t.Errorf("ParseDate(%q) = %q, want %q", tt.in, s, tt.want)
		}
	}
}

func TestIsAlreadyExists(t *testing.T) {
	tests := []struct {
		status int
		msg    string
		want   bool
	}{
		{400, MsgAlreadyMember, true},
		{400, "One or more added object references already exist for the following modified properties: 'owners'.", true},
		{404, MsgAlreadyMember, false},
		{400, MsgInvalidURL, false},
	}
	for _, tt := range tests {
		if got := IsAlreadyExists(tt.status, tt.msg); got != tt.want {
			t.Errorf("IsAlreadyExists(%d, %q) = %v", tt.status, tt.msg, got)
		}
	}
}
