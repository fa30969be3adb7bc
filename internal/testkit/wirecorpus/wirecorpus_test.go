package wirecorpus

import (
	"bytes"
	"encoding/json"
	"go/parser"
	"go/token"
	"mime"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const corpusDir = "../../../testdata/graph-responses"

// graphError is the part of a Graph error body the checks below read. Fields
// are raw so that a missing member and an empty one stay distinguishable.
type graphError struct {
	Code       *string         `json:"code"`
	Message    *string         `json:"message"`
	InnerError json.RawMessage `json:"innerError"`
}

type decoded struct {
	err   graphError
	inner map[string]json.RawMessage // nil when innerError is absent
}

func decode(t *testing.T, r Response) decoded {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &top); err != nil {
		t.Fatalf("%s: body is not JSON: %v", r.Name, err)
	}
	raw, ok := top["error"]
	if !ok || len(raw) == 0 || raw[0] != '{' {
		t.Fatalf("%s: body has no \"error\" object", r.Name)
	}
	var d decoded
	if err := json.Unmarshal(raw, &d.err); err != nil {
		t.Fatalf("%s: error object: %v", r.Name, err)
	}
	if len(d.err.InnerError) > 0 {
		if err := json.Unmarshal(d.err.InnerError, &d.inner); err != nil {
			t.Fatalf("%s: innerError is not an object: %v", r.Name, err)
		}
	}
	return d
}

func (d decoded) innerString(key string) (string, bool) {
	raw, ok := d.inner[key]
	if !ok {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func loadCorpus(t *testing.T) []Response {
	t.Helper()
	rs, err := Load(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestCorpusSize(t *testing.T) {
	rs := loadCorpus(t)
	if len(rs) < 10 {
		t.Fatalf("corpus has %d files, want at least 10", len(rs))
	}
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.http"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != len(files) {
		t.Fatalf("Load returned %d responses for %d files", len(rs), len(files))
	}
	for i := 1; i < len(rs); i++ {
		if rs[i-1].Name >= rs[i].Name {
			t.Errorf("not sorted by name: %s before %s", rs[i-1].Name, rs[i].Name)
		}
	}
}

// TestCorpusFiles checks every file on its own: its provenance, that its body
// is a Graph error, and that its expect-* lines say what the body says.
func TestCorpusFiles(t *testing.T) {
	sentinelStatus := map[string][]int{
		"NotFound":      {404},
		"AlreadyMember": {400},
		"Unauthorized":  {401},
		"Forbidden":     {403},
		"Throttled":     {429, 503},
	}
	for _, r := range loadCorpus(t) {
		t.Run(r.Name, func(t *testing.T) {
			if !strings.HasPrefix(r.Source, "https://") {
				t.Errorf("source %q does not start with https://", r.Source)
			}
			if r.Source != r.Meta["source"] {
				t.Errorf("Source %q differs from Meta[source] %q", r.Source, r.Meta["source"])
			}
			for _, k := range []string{"what", "status", "headers", "expect-code"} {
				if _, ok := r.Meta[k]; !ok {
					t.Errorf("missing # %s", k)
				}
			}
			if want, _ := strconv.Atoi(r.Meta["expect-status"]); want != r.Status {
				t.Errorf("expect-status %q, status %d", r.Meta["expect-status"], r.Status)
			}
			ct := r.Header.Get("Content-Type")
			if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
				t.Errorf("Content-Type %q is not application/json", ct)
			}

			d := decode(t, r)
			if d.err.Code == nil {
				t.Errorf("error object has no code")
			}
			if got, want := str(d.err.Code), r.Meta["expect-code"]; got != want {
				t.Errorf("error.code %q, expect-code %q", got, want)
			}
			if got, want := str(d.err.Message), r.Meta["expect-message"]; got != want {
				t.Errorf("error.message %q, expect-message %q", got, want)
			}
			if d.inner == nil {
				t.Errorf("error object has no innerError")
			}

			innerID, _ := d.innerString("request-id")
			headerID := r.Header.Get("request-id")
			wantID := innerID
			if wantID == "" {
				wantID = headerID
			}
			gotID, has := r.Meta["expect-request-id"]
			switch {
			case wantID == "" && has:
				t.Errorf("expect-request-id %q given, but neither innerError nor the header has a request-id", gotID)
			case wantID != "" && gotID != wantID:
				t.Errorf("expect-request-id %q, want %q", gotID, wantID)
			}
			if innerID != "" && headerID != "" && innerID != headerID {
				t.Errorf("request-id header %q differs from innerError's %q", headerID, innerID)
			}

			sentinel := r.Meta["expect-sentinel"]
			if statuses, ok := sentinelStatus[sentinel]; ok {
				found := false
				for _, s := range statuses {
					found = found || s == r.Status
				}
				if !found {
					t.Errorf("expect-sentinel %s with status %d", sentinel, r.Status)
				}
			}
			isAlready := r.Status == 400 && strings.Contains(str(d.err.Message), "already exist")
			if isAlready != (sentinel == "AlreadyMember") {
				t.Errorf("expect-sentinel %s, but status %d and message %q", sentinel, r.Status, str(d.err.Message))
			}
			if sentinel == "none" {
				if _, ok := map[int]bool{401: true, 403: true, 404: true, 429: true, 503: true}[r.Status]; ok {
					t.Errorf("expect-sentinel none with status %d", r.Status)
				}
			}

			for _, h := range []string{"Authorization", "Set-Cookie", "Cookie"} {
				if r.Header.Get(h) != "" {
					t.Errorf("header %s must never be stored", h)
				}
			}
			if bytes.Contains(bytes.ToLower(r.Body), []byte("bearer ey")) {
				t.Errorf("body holds what looks like a bearer token")
			}
		})
	}
}

var zonelessDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$`)

// TestCorpusCoverage keeps the corpus covering each wire quirk the client,
// the spec and the validator must survive: each needs at least one file.
func TestCorpusCoverage(t *testing.T) {
	rs := loadCorpus(t)
	cases := []struct {
		name string
		has  func(Response, decoded) bool
	}{
		{"zone-less innerError.date", func(_ Response, d decoded) bool {
			s, ok := d.innerString("date")
			return ok && zonelessDate.MatchString(s)
		}},
		{"innerError carrying its own code or message (an error nested in innerError)", func(_ Response, d decoded) bool {
			_, code := d.inner["code"]
			_, msg := d.inner["message"]
			return code || msg
		}},
		{"innerError without client-request-id", func(_ Response, d decoded) bool {
			_, ok := d.inner["client-request-id"]
			return d.inner != nil && !ok
		}},
		{`"code": ""`, func(_ Response, d decoded) bool {
			return d.err.Code != nil && *d.err.Code == ""
		}},
		{"403 whose code is not Authorization_RequestDenied", func(r Response, d decoded) bool {
			return r.Status == 403 && str(d.err.Code) != "Authorization_RequestDenied"
		}},
		{"403 Authorization_RequestDenied", func(r Response, d decoded) bool {
			return r.Status == 403 && str(d.err.Code) == "Authorization_RequestDenied"
		}},
		{"401 InvalidAuthenticationToken", func(r Response, d decoded) bool {
			return r.Status == 401 && str(d.err.Code) == "InvalidAuthenticationToken"
		}},
		{"404 Request_ResourceNotFound", func(r Response, d decoded) bool {
			return r.Status == 404 && str(d.err.Code) == "Request_ResourceNotFound"
		}},
		{`400 "already exist" for a duplicate $ref add`, func(r Response, d decoded) bool {
			return r.Status == 400 && strings.Contains(str(d.err.Message), "already exist")
		}},
		{"400 unknown segment", func(r Response, d decoded) bool {
			return r.Status == 400 && strings.HasPrefix(str(d.err.Message), "Resource not found for the segment")
		}},
		{"429", func(r Response, _ decoded) bool { return r.Status == 429 }},
		{"this workload's back end (msappproxy)", func(_ Response, d decoded) bool {
			return strings.Contains(str(d.err.Message), "msappproxy.net")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var hits []string
			for _, r := range rs {
				if c.has(r, decode(t, r)) {
					hits = append(hits, r.Name)
				}
			}
			if len(hits) == 0 {
				t.Fatalf("no corpus file shows %s", c.name)
			}
			t.Logf("%d: %s", len(hits), strings.Join(hits, ", "))
		})
	}
}

const goodFile = `# source: https://example.com/thread/1
# expect-status: 404
# expect-code: Request_ResourceNotFound
# expect-sentinel: NotFound
HTTP/1.1 404 Not Found
Content-Type: application/json
request-id: r-1

{"error":{"code":"Request_ResourceNotFound","message":"m"}}
`

func TestLoadRejectsMalformed(t *testing.T) {
	cases := []struct {
		name, content, wantErr string
	}{
		{"missing-source", strings.Replace(goodFile, "# source: https://example.com/thread/1\n", "", 1), "missing # source"},
		{"empty-source", strings.Replace(goodFile, "# source: https://example.com/thread/1", "# source:", 1), "missing # source"},
		{"missing-status", strings.Replace(goodFile, "# expect-status: 404\n", "", 1), "missing # expect-status"},
		{"missing-sentinel", strings.Replace(goodFile, "# expect-sentinel: NotFound\n", "", 1), "missing # expect-sentinel"},
		{"unknown-sentinel", strings.Replace(goodFile, "# expect-sentinel: NotFound", "# expect-sentinel: Gone", 1), "expect-sentinel"},
		{"status-mismatch", strings.Replace(goodFile, "# expect-status: 404", "# expect-status: 400", 1), "status line says 404"},
		{"status-not-number", strings.Replace(goodFile, "# expect-status: 404", "# expect-status: four", 1), "not a number"},
		{"bad-status-line", strings.Replace(goodFile, "HTTP/1.1 404 Not Found", "HTTP/1.1 Not Found", 1), "HTTP response"},
		{"no-response", "# source: https://example.com\n# expect-status: 404\n# expect-sentinel: NotFound\n", "no HTTP response"},
		{"meta-without-key", strings.Replace(goodFile, "# expect-code:", "# just a note\n# expect-code:", 1), "# key: value"},
		{"meta-without-space", strings.Replace(goodFile, "# expect-code:", "#expect-code:", 1), "# key: value"},
		{"duplicate-key", strings.Replace(goodFile, "# expect-code:", "# expect-status: 404\n# expect-code:", 1), "given twice"},
		{"content-length", strings.Replace(goodFile, "request-id: r-1", "request-id: r-1\nContent-Length: 5", 1), "Content-Length"},
		{"chunked", strings.Replace(goodFile, "request-id: r-1", "request-id: r-1\nTransfer-Encoding: chunked", 1), "Transfer-Encoding"},
		{"gzip", strings.Replace(goodFile, "request-id: r-1", "request-id: r-1\nContent-Encoding: gzip", 1), "Content-Encoding"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.content == goodFile {
				t.Fatal("the case did not change the good file")
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "a-fine-one.http"), []byte(goodFile), 0o644); err != nil {
				t.Fatal(err)
			}
			file := c.name + ".http"
			if err := os.WriteFile(filepath.Join(dir, file), []byte(c.content), 0o644); err != nil {
				t.Fatal(err)
			}
			rs, err := Load(dir)
			if err == nil {
				t.Fatalf("Load accepted %s: %+v", file, rs)
			}
			if !strings.Contains(err.Error(), file) {
				t.Errorf("error %q does not name %s", err, file)
			}
			if !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("error %q does not say %q", err, c.wantErr)
			}
		})
	}
}

func TestLoadParses(t *testing.T) {
	dir := t.TempDir()
	second := strings.Replace(goodFile, "r-1", "r-2", 1)
	for name, content := range map[string]string{"b.http": second, "a.http": goodFile, "notes.txt": "not a corpus file", "c.http.bak": "ignored"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Name != "a" || rs[1].Name != "b" {
		t.Fatalf("got %d responses %v, want a and b in order", len(rs), names(rs))
	}
	r := rs[0]
	want := `{"error":{"code":"Request_ResourceNotFound","message":"m"}}`
	if string(r.Body) != want {
		t.Errorf("Body %q, want %q (the file's trailing newline dropped)", r.Body, want)
	}
	if r.Status != 404 || r.Source != "https://example.com/thread/1" {
		t.Errorf("Status %d Source %q", r.Status, r.Source)
	}
	if got := r.Meta["expect-code"]; got != "Request_ResourceNotFound" {
		t.Errorf("Meta[expect-code] %q", got)
	}
	if len(r.Meta) != 4 {
		t.Errorf("Meta has %d keys, want 4: %v", len(r.Meta), r.Meta)
	}
	if got := r.Header.Get("request-id"); got != "r-1" {
		t.Errorf("request-id header %q", got)
	}

	empty, err := Load(t.TempDir())
	if err != nil || len(empty) != 0 {
		t.Errorf("empty dir: %v, %v", empty, err)
	}
}

// TestStandardLibraryOnly keeps the package importable from any test without
// dragging dependencies along.
func TestStandardLibraryOnly(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range parsed.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
				t.Errorf("%s imports %s, which is not the standard library", f, path)
			}
		}
	}
}

func names(rs []Response) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}
