package specvalidator

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// TextError says why bytes are not JSON text this project reads: JSON text
// is UTF-8 (RFC 8259 §8.1), and a string may not escape half of a
// surrogate pair (I-JSON, RFC 7493 §2.1). encoding/json reads either as
// U+FFFD without a word, so a body that held one would be stored as
// something other than what was sent.
type TextError struct {
	Offset int    // the byte where the problem starts
	Reason string // "is not valid UTF-8", "escapes a lone surrogate \ud800"
}

func (e *TextError) Error() string {
	return fmt.Sprintf("the JSON text %s at byte %d", e.Reason, e.Offset)
}

// CheckJSONText returns a *TextError for bytes that are not UTF-8 or whose
// strings escape a lone surrogate (\ud800 alone, a high surrogate followed
// by anything but a low one, a low one alone), else nil. It does not check
// the JSON's syntax: the reader does that, and a backslash outside a
// string is a syntax error there whatever follows it.
func CheckJSONText(data []byte) error {
	if !utf8.Valid(data) {
		return &TextError{Offset: firstInvalidUTF8(data), Reason: "is not valid UTF-8"}
	}
	for i := 0; i < len(data); {
		next := bytes.IndexByte(data[i:], '\\')
		if next < 0 {
			return nil
		}
		i += next
		cp, ok := unicodeEscape(data, i)
		switch {
		case !ok: // \n, \\, \" ...: two bytes; a malformed one is the reader's to name
			i += 2
		case isLowSurrogate(cp):
			return loneSurrogate(data, i)
		case !isHighSurrogate(cp):
			i += 6
		default:
			if low, ok := unicodeEscape(data, i+6); !ok || !isLowSurrogate(low) {
				return loneSurrogate(data, i)
			}
			i += 12
		}
	}
	return nil
}

// unicodeEscape reads the \uXXXX escape at data[i:], if it is one.
func unicodeEscape(data []byte, i int) (rune, bool) {
	if i+6 > len(data) || data[i] != '\\' || data[i+1] != 'u' {
		return 0, false
	}
	var cp rune
	for _, c := range data[i+2 : i+6] {
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		cp = cp<<4 | rune(d)
	}
	return cp, true
}

func isHighSurrogate(cp rune) bool { return 0xD800 <= cp && cp <= 0xDBFF }
func isLowSurrogate(cp rune) bool  { return 0xDC00 <= cp && cp <= 0xDFFF }

func loneSurrogate(data []byte, i int) error {
	return &TextError{Offset: i, Reason: "escapes a lone surrogate " + string(data[i:i+6])}
}

// firstInvalidUTF8 is the offset of the first byte that does not start a
// valid UTF-8 sequence; data must hold one.
func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(data)
}
