package graph

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Error is Graph's error body, {"error": {...}}, read tolerantly: code and
// message are kept whatever else in the body is odd.
//
// Graph's metadata calls innerError.date an Edm.DateTimeOffset, but the
// service sends it without a zone ("2023-07-07T11:13:19") [seen,
// msgraph-sdk-go #527, msgraph-sdk-go-core #212]; the official Go SDK
// failed to read every error because of it. So the date is kept as the
// string sent, and ParseDate reads it.
type Error struct {
	Code    string // may be "": this workload's back end sent one [seen]
	Message string
	Target  string
	Details []ErrorDetail
	Inner   *InnerError // nil when the body had none
}

// ErrorDetail is one of error.details.
type ErrorDetail struct {
	Code, Message, Target string
}

// InnerError is error.innerError, for Microsoft support. Besides the date
// and ids it may carry its own code, message and status, and a nested
// innerError; client-request-id may be missing [seen, Learn Q&A 648796].
type InnerError struct {
	Date            string // as sent; see ParseDate
	RequestID       string
	ClientRequestID string
	Code            string
	Message         string
	Status          string // a number or a string on the wire; kept as text
	Inner           *InnerError
}

// DecodeError reads Graph's error body. It reports false when body is not
// a JSON object whose "error" is an object with a string code or message;
// any other member of an odd type is ignored rather than failing the read.
func DecodeError(body []byte) (Error, bool) {
	// A byte-order mark is not JSON, but some servers and proxies send one.
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return Error{}, false
	}
	var main map[string]json.RawMessage
	if err := json.Unmarshal(member(top, "error"), &main); err != nil || main == nil {
		return Error{}, false
	}
	code, hasCode := stringOf(member(main, "code"))
	message, hasMessage := stringOf(member(main, "message"))
	if !hasCode && !hasMessage {
		return Error{}, false
	}
	e := Error{Code: code, Message: message}
	e.Target, _ = stringOf(member(main, "target"))
	var details []map[string]json.RawMessage
	if json.Unmarshal(member(main, "details"), &details) == nil {
		for _, d := range details {
			var det ErrorDetail
			det.Code, _ = stringOf(member(d, "code"))
			det.Message, _ = stringOf(member(d, "message"))
			det.Target, _ = stringOf(member(d, "target"))
			e.Details = append(e.Details, det)
		}
	}
	e.Inner = decodeInner(member(main, "innerError"), 0)
	return e, true
}

// member is m[name], or failing that the member whose name differs only
// in case: some back ends behind Graph have been seen to write
// {"Error":{"Code":...,"Message":...}} (msgraph-beta-sdk-dotnet #1083), and
// OData's own JSON format spells it "innererror".
func member(m map[string]json.RawMessage, name string) json.RawMessage {
	if v, ok := m[name]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// maxInnerDepth bounds how deep nested innerErrors are read.
const maxInnerDepth = 8

func decodeInner(raw json.RawMessage, depth int) *InnerError {
	var m map[string]json.RawMessage
	if depth >= maxInnerDepth || json.Unmarshal(raw, &m) != nil || m == nil {
		return nil
	}
	in := &InnerError{}
	in.Date, _ = stringOf(member(m, "date"))
	in.RequestID, _ = stringOf(member(m, "request-id"))
	in.ClientRequestID, _ = stringOf(member(m, "client-request-id"))
	in.Code, _ = stringOf(member(m, "code"))
	in.Message, _ = stringOf(member(m, "message"))
	in.Status, _ = stringOf(member(m, "status"))
	in.Inner = decodeInner(member(m, "innerError"), depth+1)
	return in
}

// stringOf reads a JSON string, or a number as its text; anything else is
// absent.
func stringOf(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}

// RequestID is the first non-empty request-id down the innerError chain.
func (e Error) RequestID() string {
	return e.first(func(in *InnerError) string { return in.RequestID })
}

// ClientRequestID is the first non-empty client-request-id down the
// innerError chain.
func (e Error) ClientRequestID() string {
	return e.first(func(in *InnerError) string { return in.ClientRequestID })
}

// Date is the first innerError date that ParseDate reads, in UTC.
func (e Error) Date() (time.Time, bool) {
	for in := e.Inner; in != nil; in = in.Inner {
		if t, ok := ParseDate(in.Date); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

func (e Error) first(field func(*InnerError) string) string {
	for in := e.Inner; in != nil; in = in.Inner {
		if v := field(in); v != "" {
			return v
		}
	}
	return ""
}

// DateLayout is how Graph writes innerError.date: UTC, to the second, and
// without a zone [seen].
const DateLayout = "2006-01-02T15:04:05"

// FormatDate writes t as Graph writes innerError.date.
func FormatDate(t time.Time) string { return t.UTC().Format(DateLayout) }

// ParseDate reads an innerError.date in any form Graph has sent: with a
// zone (RFC 3339) or without one, which means UTC, with or without
// fractional seconds.
func ParseDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// EncodeError writes Graph's error body as the service does: code,
// message, then innerError with date (zone-less), request-id and
// client-request-id.
func EncodeError(code, message string, now time.Time, requestID, clientRequestID string) []byte {
	var b bytes.Buffer
	b.WriteString(`{"error":{"code":`)
	b.Write(jsonString(code))
	b.WriteString(`,"message":`)
	b.Write(jsonString(message))
	b.WriteString(`,"innerError":{"date":`)
	b.Write(jsonString(FormatDate(now)))
	b.WriteString(`,"request-id":`)
	b.Write(jsonString(requestID))
	b.WriteString(`,"client-request-id":`)
	b.Write(jsonString(clientRequestID))
	b.WriteString("}}}")
	return b.Bytes()
}

func jsonString(s string) []byte {
	b, err := json.Marshal(s)
	if err != nil { // a Go string always marshals; keep the JSON valid regardless
		return []byte(strconv.Quote(""))
	}
	return b
}
