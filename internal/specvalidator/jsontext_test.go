package specvalidator

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckJSONText(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		offset int    // -1: no error
		reason string // a part of the reason
	}{
		{"ASCII", `{"name":"x"}`, -1, ""},
		{"UTF-8", `{"name":"日本 ✓ 😀"}`, -1, ""},
		{"a pair", `{"name":"\ud83d\ude00"}`, -1, ""},
		{"a pair in capitals", `{"name":"\uD83D\uDE00"}`, -1, ""},
		{"a plain escape", `{"name":"\u00e9\n\t\"\\"}`, -1, ""},
		{"an escaped backslash before u", `{"name":"\\ud800"}`, -1, ""},
		{"a surrogate's bytes after an escaped backslash", `{"name":"\\\\ud800"}`, -1, ""},
		{"a malformed escape is the reader's", `{"name":"\uZZZZ"}`, -1, ""},
		{"a truncated escape is the reader's", `{"name":"\ud8`, -1, ""},
		{"a backslash at the end", `"\`, -1, ""},
		{"a backslash alone", `\`, -1, ""},
		{"a high surrogate at the very end", `"\ud800`, 1, `lone surrogate \ud800`},
		{"a high surrogate and half an escape", `"\ud800\udc`, 1, `lone surrogate \ud800`},

		{"a high surrogate alone", `{"name":"a\ud800b"}`, 10, `lone surrogate \ud800`},
		{"a high surrogate at the end", `{"name":"\udbff"}`, 9, `lone surrogate \udbff`},
		{"a high surrogate and a BMP escape", `{"name":"\ud800\u0041"}`, 9, `lone surrogate \ud800`},
		{"two high surrogates", `{"name":"\ud800\ud800"}`, 9, `lone surrogate \ud800`},
		{"a low surrogate alone", `{"name":"\udc00"}`, 9, `lone surrogate \udc00`},
		{"a low surrogate first", `{"name":"\udfff\ud800"}`, 9, `lone surrogate \udfff`},
		{"a lone surrogate in a key", `{"\ud800":1}`, 2, `lone surrogate \ud800`},
		{"a lone surrogate after a pair", `{"name":"\ud83d\ude00\ude00"}`, 21, `lone surrogate \ude00`},
		{"a byte that starts nothing", "{\"name\":\"a\xffb\"}", 10, "not valid UTF-8"},
		{"a truncated sequence", "{\"name\":\"\xe6\x97\"}", 9, "not valid UTF-8"},
		{"an encoded surrogate (CESU-8)", "{\"name\":\"\xed\xa0\x80\"}", 9, "not valid UTF-8"},
		{"an overlong encoding", "{\"name\":\"\xc0\xaf\"}", 9, "not valid UTF-8"},
		{"invalid UTF-8 outside a string", "{\"name\":\"x\"}\xff", 12, "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckJSONText([]byte(tt.in))
			if tt.offset < 0 {
				if err != nil {
					t.Fatalf("CheckJSONText(%q) = %v, want nil", tt.in, err)
				}
				return
			}
			var textErr *TextError
			if !errors.As(err, &textErr) {
				t.Fatalf("CheckJSONText(%q) = %v, want a *TextError", tt.in, err)
			}
			if textErr.Offset != tt.offset || !strings.Contains(textErr.Reason, tt.reason) {
				t.Errorf("CheckJSONText(%q) = %q at %d, want %q at %d", tt.in, textErr.Reason, textErr.Offset, tt.reason, tt.offset)
			}
			// DecodeJSON refuses it too, with the same error: it is the
			// one reader of bodies.
			if _, err := DecodeJSON([]byte(tt.in)); !errors.As(err, &textErr) {
				t.Errorf("DecodeJSON(%q) = %v, want the *TextError", tt.in, err)
			}
		})
	}
}

// FuzzCheckJSONTextAgreesWithEncodingJSON: on any JSON that encoding/json
// reads, CheckJSONText refuses exactly the text that encoding/json reads
// as U+FFFD where none was sent, and on any bytes it does not panic. Text
// that sends U+FFFD itself, or an escape of it, is skipped: there the two
// cannot be told apart by their output. Its corpus under testdata/fuzz
// replays in every go test.
func FuzzCheckJSONTextAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range []string{
		`{"name":"x"}`, `{"name":"\ud83d\ude00"}`, `{"name":"\\ud800"}`, `"\ud800"`, `"\udc00"`, `"\ud800\u0041"`,
		"\"\xff\"", "\"\xed\xa0\x80\"", `{"\ud800":1}`, `["\ud800\udc00","\udbff"]`, `"\`, `\`, `"\ud800`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := CheckJSONText(data) // must not panic, whatever data is
		if !json.Valid(data) || bytes.Contains(data, []byte("\uFFFD")) || bytes.Contains(bytes.ToLower(data), []byte(`\ufffd`)) {
			return
		}
		var v any
		if json.Unmarshal(data, &v) != nil {
			return
		}
		replaced := holdsReplacement(v)
		if (err != nil) != replaced {
			t.Fatalf("CheckJSONText(%q) = %v, but encoding/json read U+FFFD into it: %v", data, err, replaced)
		}
	})
}

// holdsReplacement reports whether any string or key in v holds U+FFFD.
func holdsReplacement(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.ContainsRune(v, utf8.RuneError)
	case []any:
		for _, e := range v {
			if holdsReplacement(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range v {
			if strings.ContainsRune(k, utf8.RuneError) || holdsReplacement(e) {
				return true
			}
		}
	}
	return false
}
