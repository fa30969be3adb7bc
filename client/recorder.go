package client

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/har"
)

// Recorder records every HTTP exchange the client makes, retries
// included, as HAR 1.2 entries, for `connectorgroups verify-har` to check
// against the spec offline. Secrets never reach it: Authorization,
// Proxy-Authorization, Cookie and Set-Cookie values are redacted as each
// exchange is recorded, before anything is kept or written, and cookies
// are not recorded at all.
//
// A HAR file is one JSON document, so a Recorder keeps the entries in
// memory and WriteTo writes them all at once; call it when the calls are
// done (it may be called again, and writes every entry so far). It is
// safe for concurrent use.
//
// Each body is read once and held once: the entry's text and the body the
// caller reads are the same string. A body over 4 MiB
// (graph.MaxResponseBytes, the bound the client reads responses with) is
// not recorded: the recorder reads no further than the bound, and passes
// the body on to the caller whole, the part it read and then the rest, so
// that the caller meets its own bound (the client's ends the call with a
// *TooLargeError). Its entry has no text, and a comment that says why.
type Recorder struct {
	mu      sync.Mutex
	entries []har.Entry
	now     func() time.Time
}

// maxRecordedBody bounds each body a Recorder keeps.
const maxRecordedBody = graph.MaxResponseBytes

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder { return &Recorder{now: time.Now} }

// WithRecorder records the client's exchanges in rec.
func WithRecorder(rec *Recorder) Option {
	return func(c *config) error {
		c.recorder = rec
		return nil
	}
}

// RoundTripper wraps next (http.DefaultTransport when nil) so that every
// exchange through it is recorded; the caller gets the response body
// intact.
func (r *Recorder) RoundTripper(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return recordingTransport{rec: r, next: next}
}

// WriteTo writes a HAR 1.2 document with every exchange recorded so far,
// in the order they started.
func (r *Recorder) WriteTo(w io.Writer) (int64, error) {
	r.mu.Lock()
	entries := append([]har.Entry{}, r.entries...)
	r.mu.Unlock()
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].StartedDateTime < entries[j].StartedDateTime })
	data, err := json.MarshalIndent(har.File{Log: har.Log{
		Version: "1.2",
		Creator: har.Creator{Name: "connectorgroups-go", Version: Version},
		Entries: entries,
	}}, "", "  ")
	if err != nil {
		return 0, err
	}
	n, err := w.Write(append(data, '\n'))
	return int64(n), err
}

func (r *Recorder) add(e har.Entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.entries = append(r.entries, e)
}

type recordingTransport struct {
	rec  *Recorder
	next http.RoundTripper
}

func (t recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody recordedBody
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		if reqBody, err = readRecorded(req.Body, req.ContentLength); err != nil {
			_ = req.Body.Close() // as RoundTrip must, even on errors
			return nil, err
		}
		// A RoundTripper must not change the caller's request; send a clone
		// with the body as read.
		getBody := req.GetBody
		req = req.Clone(req.Context())
		req.Body = reqBody.replay(req.Body)
		if !reqBody.tooLarge {
			text := reqBody.text
			getBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(text)), nil }
		}
		req.GetBody = getBody
	}
	started := t.rec.now()
	resp, err := t.next.RoundTrip(req)
	elapsed := t.rec.now().Sub(started)
	entry := har.Entry{
		StartedDateTime: started.UTC().Format(time.RFC3339Nano),
		Time:            float64(elapsed.Microseconds()) / 1000,
		Request:         harRequest(req, reqBody),
		Timings:         har.Timings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1, Wait: float64(elapsed.Microseconds()) / 1000},
	}
	if err != nil {
		// No response: HAR's status 0, as devtools write for a failed request.
		entry.Response = har.Response{HTTPVersion: "", Cookies: []har.Cookie{}, Headers: []har.NameValue{}, HeadersSize: -1, BodySize: -1, Comment: graph.OneLine(err.Error(), 300)}
		t.rec.add(entry)
		return nil, err
	}
	body, _ := readRecorded(resp.Body, resp.ContentLength) // an error stays in the body (replay)
	resp.Body = body.replay(resp.Body)
	entry.Response = harResponse(resp, body)
	entry.Request.HTTPVersion = resp.Proto // what was spoken, HTTP/2 included
	t.rec.add(entry)
	return resp, nil
}

// recordedBody is a body as the recorder read it: all of it in text, or,
// when tooLarge, the first maxRecordedBody+1 bytes, which are passed on
// but not recorded. err is what ended the read early, if anything did.
type recordedBody struct {
	text     string
	tooLarge bool
	err      error
	present  bool // there was a body to read
}

// readRecorded reads body into one string, no further than one byte past
// maxRecordedBody. size, the Content-Length when known, sizes the buffer.
// Only a request body's read error is returned: a response body cut short
// reaches the caller as it would have (replay).
func readRecorded(body io.Reader, size int64) (recordedBody, error) {
	var b strings.Builder
	if size > 0 && size <= maxRecordedBody {
		b.Grow(int(size))
	}
	n, err := io.Copy(&b, io.LimitReader(body, maxRecordedBody+1))
	return recordedBody{text: b.String(), tooLarge: n > maxRecordedBody, err: err, present: true}, err
}

// replay is the body handed on in place of orig: the text read, then what
// ended the read (a body cut short stays cut short), or, for a body too
// large to record, the rest of orig. Closing it closes orig.
func (b recordedBody) replay(orig io.ReadCloser) io.ReadCloser {
	if b.tooLarge {
		return readCloser{io.MultiReader(strings.NewReader(b.text), orig), orig}
	}
	_ = orig.Close()
	return io.NopCloser(io.MultiReader(strings.NewReader(b.text), errReader{b.err}))
}

// notRecorded is the comment of a body too large to record.
func (b recordedBody) notRecorded() string {
	if !b.tooLarge {
		return ""
	}
	return fmt.Sprintf("the body is larger than %d bytes, the most the recorder keeps of one; not recorded", maxRecordedBody)
}

type readCloser struct {
	io.Reader
	io.Closer
}

// errReader returns err at the end of a replayed body (nil: io.EOF), so
// that a body cut short reaches the caller as it would have.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err == nil {
		return 0, io.EOF
	}
	return 0, e.err
}

func harRequest(req *http.Request, body recordedBody) har.Request {
	u := *req.URL
	u.Fragment, u.User = "", nil
	out := har.Request{
		Method:      req.Method,
		URL:         u.String(),
		HTTPVersion: "HTTP/1.1",
		Cookies:     []har.Cookie{},
		Headers:     harHeaders(req.Header),
		QueryString: harQuery(u.Query()),
		HeadersSize: -1,
		BodySize:    int64(len(body.text)),
		Comment:     body.notRecorded(),
	}
	if req.Host != "" && req.Host != u.Host {
		out.Headers = append(out.Headers, har.NameValue{Name: "Host", Value: req.Host})
	}
	switch {
	case body.tooLarge:
		out.BodySize = -1
	case body.present:
		out.PostData = &har.PostData{MimeType: req.Header.Get("Content-Type"), Text: body.text}
	}
	return out
}

func harResponse(resp *http.Response, body recordedBody) har.Response {
	_, text, _ := strings.Cut(resp.Status, " ")
	out := har.Response{
		Status:      resp.StatusCode,
		StatusText:  text,
		HTTPVersion: resp.Proto,
		Cookies:     []har.Cookie{},
		Headers:     harHeaders(resp.Header),
		Content:     har.Content{Size: int64(len(body.text)), MimeType: resp.Header.Get("Content-Type"), Text: body.text},
		RedirectURL: resp.Header.Get("Location"),
		HeadersSize: -1,
		BodySize:    int64(len(body.text)),
		Comment:     body.notRecorded(),
	}
	if body.tooLarge {
		// More than this many bytes came, and none is kept: verify-har
		// reports the body as not recorded rather than checking nothing.
		out.Content.Text, out.BodySize = "", -1
	}
	return out
}

// harHeaders lists h sorted by name, secrets redacted (graph.RedactHeader).
func harHeaders(h http.Header) []har.NameValue { return nameValues(graph.RedactHeader(h)) }

func harQuery(q url.Values) []har.NameValue { return nameValues(q) }

// nameValues lists every value of m, by name sorted, as HAR lists
// headers and query parameters.
func nameValues[M ~map[string][]string](m M) []har.NameValue {
	out := []har.NameValue{}
	for _, name := range slices.Sorted(maps.Keys(m)) {
		for _, v := range m[name] {
			out = append(out, har.NameValue{Name: name, Value: v})
		}
	}
	return out
}
