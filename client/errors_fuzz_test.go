package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode"

	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/testkit/wirecorpus"
)

// FuzzErrorDecoder answers a call with any non-2xx response (status,
// Content-Type, request-id, Retry-After, Location and body) and checks the
// one error every such answer becomes. Invariants: no panic; the error is
// a *Error (errors.As) with the status as sent and a message that is never
// empty; Error() and %+v are one printable line; the sentinels go by the
// status (and, for ErrAlreadyMember, the message) exactly; and the bearer
// token the call sent appears in none of it. Seeded with every real Graph
// response of testdata/graph-responses; its corpus under testdata/fuzz
// replays in every go test.
func FuzzErrorDecoder(f *testing.F) {
	corpus, err := wirecorpus.Load("../testdata/graph-responses")
	if err != nil {
		f.Fatal(err)
	}
	for _, r := range corpus {
		f.Add(uint16(r.Status), r.Header.Get("Content-Type"), r.Header.Get(graph.HeaderRequestID), r.Header.Get("Retry-After"), r.Header.Get("Location"), r.Body)
	}
	f.Add(uint16(307), "text/html", "", "", "http://user:secret@elsewhere.example/x", []byte("<title>Moved</title>"))
	f.Add(uint16(502), "text/plain", "", "", "", []byte("\n\n  Bad gateway\x1b[31m\r\n"))
	f.Add(uint16(400), "application/json", "", "", "", []byte(`{"error":{"code":"","message":"","innerError":{"code":"","innerError":{"message":"deep"}}}}`))
	f.Add(uint16(409), "application/json", "", "", "", []byte(`{"error":{"code":"Conflict","message":" "}}`))

	token := "sentinel-" + rand.Text() // a secret no response can guess
	f.Fuzz(func(t *testing.T, status uint16, contentType, requestID, retryAfter, location string, body []byte) {
		code := 300 + int(status)%300 // every non-2xx a server may send
		var sent *http.Request
		rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			sent = req
			h := http.Header{}
			for k, v := range map[string]string{"Content-Type": contentType, graph.HeaderRequestID: requestID, "Retry-After": retryAfter, "Location": location} {
				if v != "" {
					h.Set(k, v)
				}
			}
			return &http.Response{StatusCode: code, Status: fmt.Sprintf("%d %s", code, http.StatusText(code)), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
				Header: h, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: req}, nil
		})
		c, err := NewClient(WithHTTPClient(&http.Client{Transport: rt}), WithTokenSource(StaticToken(token)), WithoutRetry())
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.AddConnector(context.Background(), testGroup, testConnector)
		if sent == nil || sent.Header.Get("Authorization") != "Bearer "+token {
			t.Fatal("the call did not send the token, so the test proves nothing about it")
		}
		var ge *Error
		if !errors.As(err, &ge) {
			t.Fatalf("a %d became %T %v, not an *Error", code, err, err)
		}
		if ge.StatusCode != code {
			t.Fatalf("StatusCode = %d, want %d", ge.StatusCode, code)
		}
		if strings.TrimSpace(ge.Message) == "" {
			t.Fatalf("an empty message for a %d with body %q", code, body)
		}
		for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", ge.Message), ge.Code, ge.RequestID, ge.ClientRequestID, ge.Location} {
			if strings.Contains(text, token) {
				t.Fatalf("the token leaked into the error: %q", text)
			}
		}
		if line := err.Error(); strings.ContainsFunc(line, func(r rune) bool { return unicode.IsControl(r) }) {
			t.Fatalf("Error() is not one printable line: %q", line)
		}
		wantIs := map[error]bool{
			ErrNotFound:      code == http.StatusNotFound,
			ErrUnauthorized:  code == http.StatusUnauthorized,
			ErrForbidden:     code == http.StatusForbidden,
			ErrThrottled:     code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable,
			ErrAlreadyMember: graph.IsAlreadyExists(code, ge.Message),
			ErrInvalidID:     false,
			ErrInvalidToken:  false,
		}
		for sentinel, want := range wantIs {
			if errors.Is(err, sentinel) != want {
				t.Fatalf("errors.Is(err, %v) = %v for a %d (%v)", sentinel, !want, code, err)
			}
		}
	})
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
