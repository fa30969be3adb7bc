package specvalidator

import (
	"encoding/json"

	"github.com/connectorgroups/connectorgroups/internal/jsonscan"
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
	r := fastReader{Reader: jsonscan.Reader{Data: data}}
	r.Space()
	v, ok = r.value(0)
	if !ok {
		return nil, false
	}
	r.Space()
	return v, r.Pos == len(r.Data)
}

// fastReader builds values from jsonscan's tokens.
type fastReader struct{ jsonscan.Reader }

// value reads one value at depth (decodeTokens's count: the body is 0).
func (r *fastReader) value(depth int) (any, bool) {
	c, ok := r.Peek()
	if depth > MaxJSONDepth || !ok {
		return nil, false
	}
	switch {
	case c == '{':
		return r.object(depth)
	case c == '[':
		return r.array(depth)
	case c == '"':
		return r.string()
	case c == '-' || ('0' <= c && c <= '9'):
		n, ok := r.Number()
		return json.Number(n), ok
	case c == 't':
		return true, r.Literal("true")
	case c == 'f':
		return false, r.Literal("false")
	case c == 'n':
		return nil, r.Literal("null")
	}
	return nil, false
}

func (r *fastReader) string() (any, bool) {
	raw, escaped, ok := r.String()
	if !ok {
		return nil, false
	}
	return jsonscan.Unquote(raw, escaped)
}

func (r *fastReader) object(depth int) (any, bool) {
	r.Pos++ // {
	obj := map[string]any{}
	r.Space()
	if r.Byte('}') {
		return obj, true
	}
	for {
		k, ok := r.string()
		if !ok {
			return nil, false
		}
		key := k.(string)
		if _, dup := obj[key]; dup {
			return nil, false // decodeTokens names the key
		}
		r.Space()
		if !r.Byte(':') {
			return nil, false
		}
		r.Space()
		v, ok := r.value(depth + 1)
		if !ok {
			return nil, false
		}
		obj[key] = v
		more, ok := r.Element('}')
		if !ok || !more {
			return obj, ok
		}
	}
}

func (r *fastReader) array(depth int) (any, bool) {
	r.Pos++ // [
	arr := []any{}
	r.Space()
	if r.Byte(']') {
		return arr, true
	}
	for {
		v, ok := r.value(depth + 1)
		if !ok {
			return nil, false
		}
		arr = append(arr, v)
		more, ok := r.Element(']')
		if !ok || !more {
			return arr, ok
		}
	}
}
