package specvalidator

import (
	"encoding/json"
	"unicode/utf8"
)

// decodeCommon is DecodeJSON's fast path: a single-pass reader of the
// JSON that Graph's bodies are made of, which builds the same value as the
// token reader (decodeTokens) without encoding/json's per-token cost
// (issue 10's profile: the token reader was half of a request's
// validation, and nearly all of a page's response check).
//
// It only ever answers what decodeTokens would: any input it is not sure
// of (a syntax error, a repeated key, too deep a nesting, invalid UTF-8,
// a surrogate escape) makes it give up, ok false, and DecodeJSON asks the
// token reader, whose value or error stands. So the two can differ only in
// speed, which fastjson_test.go proves on generated, mutated and fuzzed
// input.
func decodeCommon(data []byte) (v any, ok bool) {
	r := fastReader{data: data}
	r.space()
	v, ok = r.value(0)
	if !ok {
		return nil, false
	}
	r.space()
	return v, r.pos == len(r.data)
}

// fastReader reads data from pos on.
type fastReader struct {
	data []byte
	pos  int
}

func (r *fastReader) space() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// value reads one value at depth (decodeTokens's count: the body is 0).
func (r *fastReader) value(depth int) (any, bool) {
	if depth > maxJSONDepth || r.pos >= len(r.data) {
		return nil, false
	}
	switch c := r.data[r.pos]; {
	case c == '{':
		return r.object(depth)
	case c == '[':
		return r.array(depth)
	case c == '"':
		return r.string()
	case c == '-' || ('0' <= c && c <= '9'):
		return r.number()
	case c == 't':
		return true, r.literal("true")
	case c == 'f':
		return false, r.literal("false")
	case c == 'n':
		return nil, r.literal("null")
	}
	return nil, false
}

func (r *fastReader) literal(word string) bool {
	if len(r.data)-r.pos < len(word) || string(r.data[r.pos:r.pos+len(word)]) != word {
		return false
	}
	r.pos += len(word)
	return true
}

func (r *fastReader) object(depth int) (any, bool) {
	r.pos++ // {
	obj := map[string]any{}
	r.space()
	if r.pos < len(r.data) && r.data[r.pos] == '}' {
		r.pos++
		return obj, true
	}
	for {
		if r.pos >= len(r.data) || r.data[r.pos] != '"' {
			return nil, false
		}
		k, ok := r.string()
		if !ok {
			return nil, false
		}
		key := k.(string)
		if _, dup := obj[key]; dup {
			return nil, false // decodeTokens names the key
		}
		r.space()
		if r.pos >= len(r.data) || r.data[r.pos] != ':' {
			return nil, false
		}
		r.pos++
		r.space()
		v, ok := r.value(depth + 1)
		if !ok {
			return nil, false
		}
		obj[key] = v
		r.space()
		if r.pos >= len(r.data) {
			return nil, false
		}
		switch r.data[r.pos] {
		case ',':
			r.pos++
			r.space()
		case '}':
			r.pos++
			return obj, true
		default:
			return nil, false
		}
	}
}

func (r *fastReader) array(depth int) (any, bool) {
	r.pos++ // [
	arr := []any{}
	r.space()
	if r.pos < len(r.data) && r.data[r.pos] == ']' {
		r.pos++
		return arr, true
	}
	for {
		v, ok := r.value(depth + 1)
		if !ok {
			return nil, false
		}
		arr = append(arr, v)
		r.space()
		if r.pos >= len(r.data) {
			return nil, false
		}
		switch r.data[r.pos] {
		case ',':
			r.pos++
			r.space()
		case ']':
			r.pos++
			return arr, true
		default:
			return nil, false
		}
	}
}

// string reads a string whose escapes are the short ones or \u of a code
// point outside the surrogates; anything else is left to decodeTokens.
func (r *fastReader) string() (any, bool) {
	r.pos++ // "
	start := r.pos
	ascii := true
	for r.pos < len(r.data) {
		c := r.data[r.pos]
		switch {
		case c == '"':
			s := r.data[start:r.pos]
			r.pos++
			if !ascii && !utf8.Valid(s) {
				return nil, false // decodeTokens writes U+FFFD
			}
			return string(s), true
		case c == '\\':
			return r.escapedString(start)
		case c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		r.pos++
	}
	return nil, false
}

// escapedString goes on reading a string from start, unescaping, once the
// reader has met its first backslash at pos.
func (r *fastReader) escapedString(start int) (any, bool) {
	out := make([]byte, 0, r.pos-start+16)
	out = append(out, r.data[start:r.pos]...)
	for r.pos < len(r.data) {
		c := r.data[r.pos]
		switch {
		case c == '"':
			r.pos++
			if !utf8.Valid(out) {
				return nil, false
			}
			return string(out), true
		case c < 0x20:
			return nil, false
		case c != '\\':
			out = append(out, c)
			r.pos++
			continue
		}
		if r.pos+1 >= len(r.data) {
			return nil, false
		}
		switch e := r.data[r.pos+1]; e {
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
			cp, ok := hex4(r.data[r.pos+2:])
			if !ok || (0xD800 <= cp && cp <= 0xDFFF) {
				return nil, false
			}
			out = utf8.AppendRune(out, rune(cp))
			r.pos += 4
		default:
			return nil, false
		}
		r.pos += 2
	}
	return nil, false
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

// number reads JSON's number grammar, kept as its text (json.Number).
func (r *fastReader) number() (any, bool) {
	start := r.pos
	d := r.data
	if r.pos < len(d) && d[r.pos] == '-' {
		r.pos++
	}
	switch {
	case r.pos < len(d) && d[r.pos] == '0':
		r.pos++
	case r.pos < len(d) && '1' <= d[r.pos] && d[r.pos] <= '9':
		r.digits()
	default:
		return nil, false
	}
	if r.pos < len(d) && d[r.pos] == '.' {
		r.pos++
		if !r.digits() {
			return nil, false
		}
	}
	if r.pos < len(d) && (d[r.pos] == 'e' || d[r.pos] == 'E') {
		r.pos++
		if r.pos < len(d) && (d[r.pos] == '+' || d[r.pos] == '-') {
			r.pos++
		}
		if !r.digits() {
			return nil, false
		}
	}
	return json.Number(d[start:r.pos]), true
}

// digits reads one or more digits.
func (r *fastReader) digits() bool {
	start := r.pos
	for r.pos < len(r.data) && '0' <= r.data[r.pos] && r.data[r.pos] <= '9' {
		r.pos++
	}
	return r.pos > start
}
