package har

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Error is a HAR file that cannot be read: a syntax or type error at a
// position (Line and Column, 1-based, and the byte Offset), or an entry
// whose structure is wrong (Entry, 0-based, and Field). Entry is -1 when
// the problem is outside the entries.
type Error struct {
	Line, Column int
	Offset       int64
	Entry        int
	Field        string
	Reason       string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d (byte %d): ", e.Line, e.Column, e.Offset)
	}
	if e.Entry >= 0 {
		fmt.Fprintf(&b, "entry %d: ", e.Entry)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "%s: ", e.Field)
	}
	b.WriteString(e.Reason)
	return b.String()
}

// DefaultMaxBytes is the largest HAR file Read is given by default
// (verify-har's -max-mib). A browser's export holds every response of a
// session, images included as base64, and runs to tens of MB, rarely
// hundreds; a file of client.Recorder's holds bodies of at most 4 MiB
// each. Reading takes about twice the file's size in memory (the bytes,
// then the strings decoded from them), so 256 MiB keeps a run under about
// half a GB.
const DefaultMaxBytes = 256 << 20

// Read reads one HAR document of at most limit bytes and checks the
// fields this project needs: log.version, log.entries, and each entry's
// request method and absolute URL. A longer file is a *graph.TooLargeError
// (named "the HAR file"), and no more than limit+1 bytes of it are read.
// JSON that does not parse, or a value of the wrong type, is an *Error
// naming its line, column and byte offset (and the field, for a wrong
// type); a structural problem is an *Error naming the entry and the field.
func Read(r io.Reader, limit int64) (*File, error) {
	data, err := graph.ReadAtMost(r, limit, "the HAR file")
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var f struct {
		Log *Log `json:"log"`
	}
	if err := dec.Decode(&f); err != nil {
		return nil, positioned(data, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		off := dec.InputOffset()
		line, col := lineColumn(data, off)
		return nil, &Error{Line: line, Column: col, Offset: off, Entry: -1, Reason: "data after the HAR document"}
	}
	if f.Log == nil {
		return nil, &Error{Entry: -1, Field: "log", Reason: "missing: a HAR file is {\"log\": {...}}"}
	}
	if err := check(f.Log); err != nil {
		return nil, err
	}
	markRecordedText(data, f.Log)
	return &File{Log: *f.Log}, nil
}

// markRecordedText sets each response's Content.TextRecorded from whether
// the file has its content.text member (a null one is none). The document
// decoded once already, so this reading cannot fail; it keeps no copy of
// the texts.
func markRecordedText(data []byte, l *Log) {
	var presence struct {
		Log struct {
			Entries []struct {
				Response struct {
					Content struct {
						Text *present `json:"text"`
					} `json:"content"`
				} `json:"response"`
			} `json:"entries"`
		} `json:"log"`
	}
	if json.Unmarshal(data, &presence) != nil {
		return
	}
	for i, e := range presence.Log.Entries {
		if i < len(l.Entries) {
			l.Entries[i].Response.Content.TextRecorded = e.Response.Content.Text != nil
		}
	}
}

// present notes that a member is there, and keeps nothing of its value.
type present struct{}

func (*present) UnmarshalJSON([]byte) error { return nil }

func check(l *Log) error {
	switch {
	case l.Version == "":
		return &Error{Entry: -1, Field: "log.version", Reason: "missing"}
	case l.Entries == nil:
		return &Error{Entry: -1, Field: "log.entries", Reason: "missing"}
	}
	for i, e := range l.Entries {
		if e.Request.Method == "" {
			return &Error{Entry: i, Field: "request.method", Reason: "missing"}
		}
		u, err := url.Parse(e.Request.URL)
		switch {
		case e.Request.URL == "":
			return &Error{Entry: i, Field: "request.url", Reason: "missing"}
		case err != nil:
			return &Error{Entry: i, Field: "request.url", Reason: URLErrorReason(err)}
		case !u.IsAbs() || u.Host == "":
			// Not quoted: a URL may carry credentials or tokens.
			return &Error{Entry: i, Field: "request.url", Reason: "not an absolute URL (scheme://host/path)"}
		}
		if enc := e.Response.Content.Encoding; enc != "" && enc != "base64" {
			return &Error{Entry: i, Field: "response.content.encoding", Reason: fmt.Sprintf("%q: only base64 is known", enc)}
		}
	}
	return nil
}

// positioned turns a decoding error into an *Error with its position.
func positioned(data []byte, err error) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syntax):
		// Offset counts the offending byte; point at it.
		off := max(syntax.Offset-1, 0)
		line, col := lineColumn(data, off)
		return &Error{Line: line, Column: col, Offset: off, Entry: -1, Reason: syntax.Error()}
	case errors.As(err, &typ):
		line, col := lineColumn(data, typ.Offset)
		field, inEntry := strings.CutPrefix(typ.Field, "log.entries.")
		entry := -1
		if inEntry {
			entry = entryAt(data, typ.Offset)
		} else {
			field = typ.Field
		}
		want := typ.Type.String()
		if field == "" {
			want = `an object, {"log": {...}}` // not Go's name for the document's struct
		}
		return &Error{Line: line, Column: col, Offset: typ.Offset, Entry: entry, Field: field,
			Reason: fmt.Sprintf("a JSON %s where HAR wants %s", typ.Value, want)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		line, col := lineColumn(data, int64(len(data)))
		return &Error{Line: line, Column: col, Offset: int64(len(data)), Entry: -1, Reason: "the document ends early"}
	default:
		return &Error{Entry: -1, Reason: err.Error()}
	}
}

// entryAt is the index of the log.entries element that holds byte offset
// off (encoding/json names the field of a type error, not the element),
// found by walking the tokens down to log.entries; -1 when off is in none.
func entryAt(data []byte, off int64) int {
	dec := json.NewDecoder(bytes.NewReader(data))
	if !enterObjectKey(dec, "log") || !enterObjectKey(dec, "entries") {
		return -1
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return -1
	}
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return -1
		}
		if off <= dec.InputOffset() {
			return i
		}
	}
	return -1
}

// enterObjectKey reads an object's opening brace and skips its members up
// to key, leaving dec at key's value.
func enterObjectKey(dec *json.Decoder, key string) bool {
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return false
		}
		if t == key {
			return true
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return false
}

// lineColumn is the 1-based line and column of byte offset off; the
// column counts bytes.
func lineColumn(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// Body is the response body, decoded from base64 when Encoding says so.
func (c Content) Body() ([]byte, error) {
	if c.Encoding == "base64" {
		return base64.StdEncoding.DecodeString(c.Text)
	}
	return []byte(c.Text), nil
}

// URLErrorReason is why a URL does not parse, without the URL itself,
// which may carry a password or a token in its user info or query.
func URLErrorReason(err error) string {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Op + ": " + ue.Err.Error()
	}
	return err.Error()
}
