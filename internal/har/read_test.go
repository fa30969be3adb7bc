package har

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

const oneEntry = `{"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": [
 {"startedDateTime": "2026-12-01T00:00:00Z", "time": 1, "_initiator": {"type": "script"},
  "request": {"method": "GET", "url": "https://graph.microsoft.com/beta/x", "headers": []},
  "response": {"status": 200, "headers": [], "content": {"mimeType": "application/json", "text": "eyJhIjoxfQ==", "encoding": "base64"}}}
]}}`

const twoEntriesSecondBroken = `{"log": {"version": "1.2", "entries": [
 {"request": {"method": "GET", "url": "http://h/beta/x"}, "response": {"status": 200}},
 {"request": {"method": "GET", "url": "http://h/beta/x"}, "response": {"status": true}}]}}`

func TestReadAcceptsDevtoolsShapes(t *testing.T) {
	f, err := Read(strings.NewReader(oneEntry), DefaultMaxBytes)
	require.NoError(t, err)
	require.Len(t, f.Log.Entries, 1)
	body, err := f.Log.Entries[0].Response.Content.Body()
	require.NoError(t, err)
	assert.Equal(t, `{"a":1}`, string(body), "base64 content is decoded")
	assert.True(t, f.Log.Entries[0].Response.Content.TextRecorded)

	f, err = Read(strings.NewReader(strings.Replace(oneEntry, `, "text": "eyJhIjoxfQ==", "encoding": "base64"`, `, "size": 7`, 1)), DefaultMaxBytes)
	require.NoError(t, err)
	assert.False(t, f.Log.Entries[0].Response.Content.TextRecorded, "no text member: no body recorded")
	assert.Equal(t, int64(7), f.Log.Entries[0].Response.Content.Size)
}

// Every malformed file gets an error that names where: line and column for
// JSON, the entry and its field for structure.
func TestReadNamesThePosition(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     Error
	}{
		{"a syntax error", "{\"log\": {\n  \"version\": \"1.2\",,\n}}", Error{Line: 2, Column: 20, Entry: -1}},
		{"the document cut short", "{\"log\": {\"version\": \"1.2\"", Error{Line: 1, Entry: -1}},
		{"data after the document", `{"log": {"version": "1.2", "entries": []}} {}`, Error{Line: 1, Entry: -1}},
		{"a status that is a string", strings.Replace(oneEntry, `"status": 200`, `"status": "200"`, 1), Error{Line: 4, Entry: 0, Field: "response.status"}},
		{"a wrong type in the second entry", twoEntriesSecondBroken, Error{Line: 3, Entry: 1, Field: "response.status"}},
		{"no log", `{"entries": []}`, Error{Entry: -1, Field: "log"}},
		{"an array", `[]`, Error{Line: 1, Entry: -1}},
		{"no version", `{"log": {"entries": []}}`, Error{Entry: -1, Field: "log.version"}},
		{"no entries", `{"log": {"version": "1.2"}}`, Error{Entry: -1, Field: "log.entries"}},
		{"no method", strings.Replace(oneEntry, `"method": "GET"`, `"method": ""`, 1), Error{Entry: 0, Field: "request.method"}},
		{"a relative URL", strings.Replace(oneEntry, `"https://graph.microsoft.com/beta/x"`, `"/beta/x"`, 1), Error{Entry: 0, Field: "request.url"}},
		{"a URL that does not parse", strings.Replace(oneEntry, `"https://graph.microsoft.com/beta/x"`, `"https://user:SECRETPW@graph.microsoft.com:badport/beta/x?access_token=SECRETQ"`, 1), Error{Entry: 0, Field: "request.url"}},
		{"a relative URL with a token", strings.Replace(oneEntry, `"https://graph.microsoft.com/beta/x"`, `"/beta/x?access_token=SECRETQ"`, 1), Error{Entry: 0, Field: "request.url"}},
		{"an unknown content encoding", strings.Replace(oneEntry, `"encoding": "base64"`, `"encoding": "gzip"`, 1), Error{Entry: 0, Field: "response.content.encoding"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in), DefaultMaxBytes)
			var got *Error
			require.True(t, errors.As(err, &got), "want a *har.Error, got %v", err)
			assert.Equal(t, tc.want.Line, got.Line, "line: %v", got)
			if tc.want.Column != 0 {
				assert.Equal(t, tc.want.Column, got.Column, "column: %v", got)
			}
			assert.Equal(t, tc.want.Entry, got.Entry, "entry: %v", got)
			assert.Equal(t, tc.want.Field, got.Field, "field: %v", got)
			if got.Line > 0 {
				assert.Contains(t, got.Error(), "line ")
			}
			assert.NotContains(t, got.Error(), "SECRET", "a URL's credentials or token in the error")
			assert.NotContains(t, got.Error(), "struct {", "Go's type names in the error")
		})
	}
}

// hugeHAR is a HAR file of size bytes: a valid start, then one entry's
// response text to the end. It makes its bytes as they are read, so that
// the test holds none of them, and counts them.
type hugeHAR struct {
	prefix string
	size   int64
	read   int64
}

func (h *hugeHAR) Read(p []byte) (int, error) {
	if h.read >= h.size {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), h.size-h.read)]
	for n := range p {
		if i := h.read + int64(n); i < int64(len(h.prefix)) {
			p[n] = h.prefix[i]
		} else {
			p[n] = 'x'
		}
	}
	h.read += int64(len(p))
	return len(p), nil
}

// A HAR file past its bound (1 GiB against 8 MiB) is refused with a *graph.TooLargeError, and
// Read neither reads nor holds more of it than the bound.
func TestReadRefusesAFileOverItsBound(t *testing.T) {
	const limit = 8 << 20
	in := &hugeHAR{size: 1 << 30, prefix: `{"log": {"version": "1.2", "entries": [{"request": {"method": "GET", "url": "https://h/beta/x"}, "response": {"status": 200, "content": {"text": "`}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f, err := Read(in, limit)
	runtime.ReadMemStats(&after)

	var tooLarge *graph.TooLargeError
	require.ErrorAs(t, err, &tooLarge)
	assert.Nil(t, f)
	assert.Equal(t, "the HAR file is larger than 8388608 bytes, the most this program reads", err.Error())
	assert.Equal(t, int64(limit+1), in.read, "read no further than one byte past the bound")
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("read %d bytes, allocated %d MiB", in.read, allocated>>20)
	assert.Less(t, allocated, uint64(in.size/16), "bytes allocated against a file of %d bytes", in.size)

	// At the bound exactly, the file is read.
	exact := `{"log": {"version": "1.2", "entries": []}}`
	_, err = Read(strings.NewReader(exact), int64(len(exact)))
	require.NoError(t, err)
	_, err = Read(strings.NewReader(exact), int64(len(exact)-1))
	require.ErrorAs(t, err, &tooLarge)
}
