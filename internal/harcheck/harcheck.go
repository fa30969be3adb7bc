// Package harcheck validates recorded traffic (a HAR file) against the
// spec, offline: each request and response that belongs to one of the
// spec's operations is checked with internal/specvalidator, the same
// validator the fake and the contract suite use. Traffic to paths outside
// the spec (other Graph resources, sign-in, a page's assets, CORS
// preflights, v1.0) is counted and left alone.
package harcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/routers"

	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/har"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// Violation is one way an entry broke the spec.
type Violation struct {
	Entry int `json:"entry"` // the entry's index in log.entries, from 0
	specvalidator.Violation
}

func (v Violation) String() string {
	return fmt.Sprintf("entry %d: %s %s %s: %s", v.Entry, v.Operation, v.Direction, v.Field, v.Reason)
}

// Result counts what Check saw.
type Result struct {
	Entries    int         `json:"entries"`
	Checked    int         `json:"checked"`    // entries that belong to an operation
	Outside    int         `json:"outside"`    // entries to paths outside the spec
	NoResponse int         `json:"noResponse"` // checked entries without a response (status 0): only the request was checked
	Violations []Violation `json:"violations"`
}

// Options tune a check.
type Options struct {
	// IgnoreAuth skips the spec's security requirement: devtools' default
	// ("sanitized") export drops the Authorization header.
	IgnoreAuth bool
}

// Check validates every entry of f. Every reason is redacted: a secret
// found in the entry's Authorization, Cookie or Set-Cookie headers or its
// cookies never appears in a Violation.
func Check(ctx context.Context, v *specvalidator.Validator, f *har.File, opts Options) Result {
	res := Result{Entries: len(f.Log.Entries), Violations: []Violation{}}
	for i, e := range f.Log.Entries {
		req, err := request(ctx, e.Request)
		if err != nil {
			res.Checked++
			res.Violations = append(res.Violations, Violation{Entry: i, Violation: specvalidator.Violation{
				Operation: e.Request.Method, Direction: specvalidator.DirectionRequest, Field: "request", Reason: err.Error()}})
			continue
		}
		route, params, err := v.Route(req)
		if err != nil {
			// A CORS preflight (OPTIONS) is the browser's, not a call.
			if errors.Is(err, routers.ErrMethodNotAllowed) && req.Method != http.MethodOptions {
				res.Checked++
				res.Violations = append(res.Violations, Violation{Entry: i, Violation: specvalidator.Violation{
					Operation: req.Method + " " + req.URL.Path, Direction: specvalidator.DirectionRequest, Field: "route",
					Reason: "the spec declares this path, but not for " + req.Method}})
				continue
			}
			res.Outside++
			continue
		}
		res.Checked++
		op := route.Operation.OperationID
		var found []specvalidator.Violation
		found = append(found, specvalidator.Violations(op, specvalidator.DirectionRequest,
			v.ValidateRequest(ctx, req, specvalidator.Options{SkipSecurity: opts.IgnoreAuth}))...)
		if e.Response.Status == 0 {
			res.NoResponse++
		} else {
			body, err := e.Response.Content.Body()
			if c := e.Response.Content; !c.TextRecorded && c.Size > 0 {
				found = append(found, specvalidator.Violation{Operation: op, Direction: specvalidator.DirectionResponse, Field: "body",
					Reason: fmt.Sprintf("not recorded: the response had %d bytes but the HAR has no content.text, so it cannot be checked (export with content from devtools; turn on Dev Proxy's includeResponse)", c.Size)})
			} else if err != nil {
				found = append(found, specvalidator.Violation{Operation: op, Direction: specvalidator.DirectionResponse, Field: "body", Reason: "content.text is not base64: " + err.Error()})
			} else {
				found = append(found, specvalidator.Violations(op, specvalidator.DirectionResponse,
					v.ValidateRoutedResponse(ctx, req, route, params, e.Response.Status, header(e.Response.Headers), body))...)
			}
		}
		secrets := secretsOf(e)
		for _, f := range found {
			f.Reason = redact(f.Reason, secrets)
			f.Field = redact(f.Field, secrets)
			res.Violations = append(res.Violations, Violation{Entry: i, Violation: f})
		}
	}
	return res
}

// request rebuilds an entry's request. HTTP/2 pseudo-headers (":method",
// ...), which devtools list among the headers, are kept: the spec
// declares none, so the validator ignores them.
func request(ctx context.Context, r har.Request) (*http.Request, error) {
	var body []byte
	if r.PostData != nil {
		body = []byte(r.PostData.Text)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("request.url: %s", har.URLErrorReason(err))
	}
	req.Header = header(r.Headers)
	// A recorder that redacted the whole value still saw a credential:
	// Dev Proxy's HarGeneratorPlugin writes "REDACTED" [doc], this
	// project's "[REDACTED]" for a bare one. Read it as the Bearer token it
	// stood for; "Bearer [REDACTED]" needs nothing.
	if v := req.Header.Get("Authorization"); v == redactedByDevProxy || v == graph.Redacted {
		req.Header.Set("Authorization", "Bearer "+graph.Redacted)
	}
	if r.PostData != nil && req.Header.Get("Content-Type") == "" && r.PostData.MimeType != "" {
		req.Header.Set("Content-Type", r.PostData.MimeType)
	}
	return req, nil
}

func header(list []har.NameValue) http.Header {
	h := http.Header{}
	for _, nv := range list {
		h.Add(nv.Name, nv.Value)
	}
	return h
}

// redactedByDevProxy is the value Dev Proxy writes for a sensitive header
// unless includeSensitiveInformation is on.
const redactedByDevProxy = "REDACTED"

// secretsOf lists the secret values an entry carries, longest first, so
// that a reason quoting one can be redacted.
func secretsOf(e har.Entry) []string {
	var out []string
	for _, list := range [][]har.NameValue{e.Request.Headers, e.Response.Headers} {
		for _, nv := range list {
			if red := graph.RedactHeaderValue(nv.Name, nv.Value); red != nv.Value {
				out = append(out, nv.Value)
				if _, cred, ok := strings.Cut(strings.TrimSpace(nv.Value), " "); ok && strings.TrimSpace(cred) != "" {
					out = append(out, strings.TrimSpace(cred))
				}
			}
		}
	}
	for _, list := range [][]har.Cookie{e.Request.Cookies, e.Response.Cookies} {
		for _, c := range list {
			if c.Value != "" {
				out = append(out, c.Value)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

func redact(s string, secrets []string) string {
	for _, secret := range secrets {
		if len(secret) >= 4 { // too short to tell from ordinary text
			s = strings.ReplaceAll(s, secret, graph.Redacted)
		}
	}
	return s
}
