// Package wirecorpus loads testdata/graph-responses: Microsoft Graph
// responses copied from public threads where people pasted what the live
// service sent. Tests of the client, the spec and the validator replay them
// to prove that the real wire format (zone-less innerError.date, empty codes,
// missing client-request-id, ...) is handled, not only the documented one.
//
// A corpus file is a block of "# key: value" lines followed by a raw
// HTTP/1.1 response (status line, headers, blank line, body) that
// net/http.ReadResponse can parse:
//
//	# source: https://github.com/microsoftgraph/msgraph-sdk-go/issues/527
//	# expect-status: 404
//	# expect-sentinel: NotFound
//	HTTP/1.1 404 Not Found
//	Content-Type: application/json
//
//	{"error": {...}}
//
// The keys source, expect-status and expect-sentinel are required. A file
// carries no Content-Length, Transfer-Encoding or Content-Encoding header: its
// body is stored decoded, and the loader sets the length. One trailing newline
// after the body is the file's, not the response's, and is dropped.
//
// The package uses the standard library only and is ordinary (non-test) code
// so that the tests of several packages can share it.
package wirecorpus

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Sentinels lists the values expect-sentinel may take.
var Sentinels = []string{"NotFound", "AlreadyMember", "Unauthorized", "Forbidden", "Throttled", "none"}

// Response is one recorded Graph response.
type Response struct {
	Name   string            // file name without .http
	Source string            // the # source line
	Meta   map[string]string // every "# key: value" line
	Status int
	Header http.Header
	Body   []byte
}

// Load reads every *.http file in dir, sorted by name. Any parse problem, a
// missing source, expect-status or expect-sentinel, an unknown sentinel, or
// an expect-status that differs from the status line is an error naming the
// file.
func Load(dir string) ([]Response, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.http"))
	if err != nil {
		return nil, fmt.Errorf("wirecorpus: %w", err)
	}
	slices.Sort(paths)
	out := make([]Response, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("wirecorpus: %w", err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".http")
		r, err := parse(name, data)
		if err != nil {
			return nil, fmt.Errorf("wirecorpus: %s: %w", filepath.Base(p), err)
		}
		out = append(out, r)
	}
	return out, nil
}

// forbiddenHeaders would make the stored body disagree with its framing.
var forbiddenHeaders = []string{"Content-Length", "Transfer-Encoding", "Content-Encoding"}

func parse(name string, data []byte) (Response, error) {
	r := Response{Name: name, Meta: map[string]string{}}

	// The "# key: value" block runs up to the first line not starting with '#'.
	rest := data
	for line := 1; len(rest) > 0 && rest[0] == '#'; line++ {
		text, after, _ := bytes.Cut(rest, []byte("\n"))
		rest = after
		key, value, err := metaLine(string(bytes.TrimSuffix(text, []byte("\r"))))
		if err != nil {
			return Response{}, fmt.Errorf("line %d: %w", line, err)
		}
		if _, dup := r.Meta[key]; dup {
			return Response{}, fmt.Errorf("line %d: %q given twice", line, key)
		}
		r.Meta[key] = value
	}
	if len(bytes.TrimSpace(rest)) == 0 {
		return Response{}, fmt.Errorf("no HTTP response after the # lines")
	}

	br := bufio.NewReader(bytes.NewReader(rest))
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return Response{}, fmt.Errorf("HTTP response: %w", err)
	}
	defer resp.Body.Close()
	for _, h := range forbiddenHeaders {
		_, ok := resp.Header[h]
		if h == "Transfer-Encoding" {
			ok = ok || len(resp.TransferEncoding) > 0 // ReadResponse moves it out of Header
		}
		if ok {
			return Response{}, fmt.Errorf("header %s must not be set: the body is stored decoded and the loader sets its length", h)
		}
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return Response{}, fmt.Errorf("body: %w", err)
	}
	if b, ok := bytes.CutSuffix(body, []byte("\r\n")); ok {
		body = b
	} else {
		body = bytes.TrimSuffix(body, []byte("\n"))
	}

	r.Source = r.Meta["source"]
	if r.Source == "" {
		return Response{}, fmt.Errorf("missing # source")
	}
	want, ok := r.Meta["expect-status"]
	if !ok || want == "" {
		return Response{}, fmt.Errorf("missing # expect-status")
	}
	code, err := strconv.Atoi(want)
	if err != nil {
		return Response{}, fmt.Errorf("# expect-status %q is not a number", want)
	}
	if code != resp.StatusCode {
		return Response{}, fmt.Errorf("# expect-status %d, but the status line says %d", code, resp.StatusCode)
	}
	sentinel, ok := r.Meta["expect-sentinel"]
	if !ok || sentinel == "" {
		return Response{}, fmt.Errorf("missing # expect-sentinel")
	}
	if !slices.Contains(Sentinels, sentinel) {
		return Response{}, fmt.Errorf("# expect-sentinel %q is not one of %s", sentinel, strings.Join(Sentinels, ", "))
	}

	r.Status = resp.StatusCode
	r.Header = resp.Header
	r.Body = body
	return r, nil
}

// metaLine splits "# key: value"; the key is lower case letters, digits and
// dashes, and the value may be empty ("# expect-code:").
func metaLine(line string) (key, value string, err error) {
	body, ok := strings.CutPrefix(line, "# ")
	if !ok {
		return "", "", fmt.Errorf("%q is not of the form \"# key: value\"", line)
	}
	key, value, ok = strings.Cut(body, ":")
	if !ok || !validKey(key) {
		return "", "", fmt.Errorf("%q is not of the form \"# key: value\"", line)
	}
	return key, strings.TrimSpace(value), nil
}

func validKey(k string) bool {
	if k == "" || k[0] < 'a' || k[0] > 'z' {
		return false
	}
	for _, c := range k {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// KnownDeviations reads the file's "known-deviation" line: the fields
// (as specvalidator.Violation names them, e.g. header/request-id) where
// this response breaks the spec, comma-separated, each optionally followed
// by " (why)". They come back sorted; none when the line is absent.
func (r Response) KnownDeviations() []string {
	var out []string
	for _, part := range strings.Split(r.Meta["known-deviation"], ",") {
		field, _, _ := strings.Cut(strings.TrimSpace(part), " (")
		if field != "" {
			out = append(out, field)
		}
	}
	slices.Sort(out)
	return out
}
