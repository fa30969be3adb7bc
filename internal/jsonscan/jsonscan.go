// Package jsonscan reads the tokens of JSON text in place, for the two
// readers that must not allocate per token: specvalidator's fast reading
// of a body and fastvalidator's check of a response's bytes.
//
// It is conservative by design: anything it is not sure reads exactly as
// encoding/json reads it (invalid UTF-8, which encoding/json replaces; a
// surrogate escape; any syntax error) makes it say so (ok false), and its
// callers then ask the reference reader, encoding/json's tokens, whose
// answer stands. So a caller that goes on only when ok is never wrong,
// only sometimes slow.
package jsonscan

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"
)

// Reader reads Data from Pos on.
type Reader struct {
	Data []byte
	Pos  int
}

// Space skips JSON's white space.
func (r *Reader) Space() {
	for r.Pos < len(r.Data) {
		switch r.Data[r.Pos] {
		case ' ', '\t', '\n', '\r':
			r.Pos++
		default:
			return
		}
	}
}

// Peek is the byte at Pos, or false at the end.
func (r *Reader) Peek() (byte, bool) {
	if r.Pos >= len(r.Data) {
		return 0, false
	}
	return r.Data[r.Pos], true
}

// Byte reads c, or reports false and reads nothing.
func (r *Reader) Byte(c byte) bool {
	if r.Pos < len(r.Data) && r.Data[r.Pos] == c {
		r.Pos++
		return true
	}
	return false
}

// Literal reads word (true, false, null).
func (r *Reader) Literal(word string) bool {
	if len(r.Data)-r.Pos < len(word) || string(r.Data[r.Pos:r.Pos+len(word)]) != word {
		return false
	}
	r.Pos += len(word)
	return true
}

// String reads a string at Pos: raw is what stands between the quotes,
// escaped whether it holds a backslash (then Unquote decodes it). A raw
// string without one is valid UTF-8 and its own value.
func (r *Reader) String() (raw []byte, escaped, ok bool) {
	if !r.Byte('"') {
		return nil, false, false
	}
	start := r.Pos
	// Most strings hold neither a backslash nor a control character:
	// find the closing quote with IndexByte and check what precedes it
	// eight bytes at a time.
	if end := bytes.IndexByte(r.Data[start:], '"'); end >= 0 {
		seg := r.Data[start : start+end]
		if plain, ascii := plainText(seg); plain && (ascii || utf8.Valid(seg)) {
			r.Pos = start + end + 1
			return seg, false, true
		}
	}
	for r.Pos < len(r.Data) {
		switch c := r.Data[r.Pos]; {
		case c == '"':
			raw = r.Data[start:r.Pos]
			r.Pos++
			// Without a backslash, only invalid UTF-8 brings a string
			// here, which encoding/json would rewrite: not ok.
			return raw, escaped, escaped
		case c == '\\':
			escaped = true
			r.Pos += 2 // the escaped byte cannot end the string
			continue
		case c < 0x20:
			return nil, false, false
		}
		r.Pos++
	}
	return nil, false, false
}

// plainText reports whether b holds no byte that a JSON string must
// escape or that ends it (a control character, a backslash), and whether
// it is all ASCII, eight bytes at a time.
func plainText(b []byte) (plain, ascii bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	var high uint64
	for len(b) >= 8 {
		x := binary.LittleEndian.Uint64(b)
		// A byte below 0x20 (high bit clear) underflows when 0x20 is
		// taken from it; a backslash is a zero byte once xored with one.
		v := x ^ ('\\' * ones)
		if (x-0x20*ones)&^x&highs != 0 || (v-ones)&^v&highs != 0 {
			return false, false
		}
		high |= x & highs
		b = b[8:]
	}
	for _, c := range b {
		if c < 0x20 || c == '\\' {
			return false, false
		}
		high |= uint64(c) & 0x80
	}
	return true, high == 0
}

// Unquote decodes raw (from String): the short escapes and \u of a code
// point outside the surrogates, in valid UTF-8; anything else is not ok.
func Unquote(raw []byte, escaped bool) (string, bool) {
	if !escaped {
		return string(raw), true // String checked it
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i+1 >= len(raw) {
			return "", false
		}
		i++
		switch e := raw[i]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			cp, ok := hex4(raw[i+1:])
			if !ok || (0xD800 <= cp && cp <= 0xDFFF) {
				return "", false
			}
			out = utf8.AppendRune(out, rune(cp))
			i += 4
		default:
			return "", false
		}
	}
	if !utf8.Valid(out) {
		return "", false
	}
	return string(out), true
}

func hex4(b []byte) (int, bool) {
	if len(b) < 4 {
		return 0, false
	}
	n := 0
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			n = n<<4 | int(c-'0')
		case 'a' <= c && c <= 'f':
			n = n<<4 | int(c-'a'+10)
		case 'A' <= c && c <= 'F':
			n = n<<4 | int(c-'A'+10)
		default:
			return 0, false
		}
	}
	return n, true
}

// Number reads JSON's number grammar and returns its text.
func (r *Reader) Number() ([]byte, bool) {
	start := r.Pos
	r.Byte('-')
	switch c, _ := r.Peek(); {
	case c == '0':
		r.Pos++
	case '1' <= c && c <= '9':
		r.digits()
	default:
		return nil, false
	}
	if r.Byte('.') && !r.digits() {
		return nil, false
	}
	if c, _ := r.Peek(); c == 'e' || c == 'E' {
		r.Pos++
		if !r.Byte('+') {
			r.Byte('-')
		}
		if !r.digits() {
			return nil, false
		}
	}
	return r.Data[start:r.Pos], true
}

// digits reads one or more digits.
func (r *Reader) digits() bool {
	start := r.Pos
	for r.Pos < len(r.Data) && '0' <= r.Data[r.Pos] && r.Data[r.Pos] <= '9' {
		r.Pos++
	}
	return r.Pos > start
}

// Element reads what follows an array element or an object member: a
// comma (more follow) or the closing byte.
func (r *Reader) Element(closing byte) (more, ok bool) {
	r.Space()
	if r.Byte(',') {
		r.Space()
		return true, true
	}
	return false, r.Byte(closing)
}
