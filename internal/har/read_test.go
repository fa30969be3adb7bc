package har

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	f, err := Read(strings.NewReader(oneEntry))
	require.NoError(t, err)
	require.Len(t, f.Log.Entries, 1)
	body, err := f.Log.Entries[0].Response.Content.Body()
	require.NoError(t, err)
	assert.Equal(t, `{"a":1}`, string(body), "base64 content is decoded")
	assert.True(t, f.Log.Entries[0].Response.Content.TextRecorded)

	f, err = Read(strings.NewReader(strings.Replace(oneEntry, `, "text": "eyJhIjoxfQ==", "encoding": "base64"`, `, "size": 7`, 1)))
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
			_, err := Read(strings.NewReader(tc.in))
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
