package fastvalidator

import (
	"bytes"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/connectorgroups/connectorgroups/internal/jsonscan"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// conformsInPlace reports whether body surely reads (specvalidator.DecodeJSON)
// as a value that s accepts (schema.check), checking the bytes as it reads
// them, without building the value: a page of 100 connectors was decoded
// into 600 values only to be checked and dropped (issue 10's profile).
//
// It answers true only when sure. A body it is not sure of (an escape in
// a key, a rule it would have to word, any violation at all) is false, and
// checkBody then reads and checks it the reference way, whose verdict and
// words stand: so the two can differ in speed only, as
// bytecheck_test.go proves on generated, mutated and fuzzed bodies.
func conformsInPlace(s *schema, body []byte) bool {
	c := inPlace{Reader: jsonscan.Reader{Data: body}}
	c.Space()
	if !c.conforms(s, 0) {
		return false
	}
	c.Space()
	return c.Pos == len(c.Data)
}

// inPlace checks values as jsonscan reads them.
type inPlace struct {
	jsonscan.Reader
	// keys holds, per object being read, the keys seen so far (DecodeJSON
	// refuses a repeated one); stack-like, reused across objects.
	keys [][]byte
}

// maxKeys bounds the keys of one object that are compared for repeats;
// an object with more is left to the reference reading.
const maxKeys = 32

// conforms reads one value at depth and reports whether s surely accepts
// it. A nil s stands for no schema: any value DecodeJSON reads.
func (c *inPlace) conforms(s *schema, depth int) bool {
	b, ok := c.Peek()
	if !ok || depth > maxJSONDepth {
		return false
	}
	if b == 'n' {
		return c.Literal("null") && (s == nil || s.nullable)
	}
	if s == nil || s.typ == "" {
		return c.skip(depth)
	}
	switch s.typ {
	case openapi3.TypeString:
		return b == '"' && c.conformingString(s)
	case openapi3.TypeBoolean:
		if len(s.enum) > 0 {
			return false // an enum holds strings only: never a boolean
		}
		return c.Literal("true") || c.Literal("false")
	case openapi3.TypeObject:
		return b == '{' && len(s.enum) == 0 && len(s.readOnlyFields) == 0 && c.object(s, depth)
	case openapi3.TypeArray:
		return b == '[' && len(s.enum) == 0 && c.array(s.items, depth)
	}
	return false // an integer in a body reads as json.Number, which check refuses
}

// maxJSONDepth is DecodeJSON's bound on nesting.
const maxJSONDepth = specvalidator.MaxJSONDepth

func (c *inPlace) conformingString(s *schema) bool {
	raw, escaped, ok := c.String()
	if !ok {
		return false
	}
	if escaped || s.uri {
		str, ok := jsonscan.Unquote(raw, escaped)
		return ok && s.check(str) == ""
	}
	if !utf8.Valid(raw) {
		return false
	}
	if len(s.enum) > 0 {
		found := false
		for _, e := range s.enum {
			if string(raw) == e {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if s.minLength != 0 && uint64(utf8.RuneCount(raw)) < s.minLength {
		return false
	}
	return s.pattern == nil || s.pattern.Match(raw)
}

func (c *inPlace) object(s *schema, depth int) bool {
	c.Pos++ // {
	mark := len(c.keys)
	defer func() { c.keys = c.keys[:mark] }()
	c.Space()
	if c.Byte('}') {
		return s == nil || c.hasRequired(s, mark)
	}
	for {
		key, ok := c.key(mark)
		if !ok {
			return false
		}
		c.Space()
		if !c.Byte(':') {
			return false
		}
		c.Space()
		var p *schema
		if s != nil {
			p = s.properties[string(key)]
			if p == nil && s.noOtherFields {
				return false
			}
		}
		if p == nil {
			if !c.skip(depth + 1) {
				return false
			}
		} else if !c.conforms(p, depth+1) {
			return false
		}
		more, ok := c.Element('}')
		if !ok {
			return false
		}
		if !more {
			return s == nil || c.hasRequired(s, mark)
		}
	}
}

// key reads an object's key, unescaped only when it has to be, and
// refuses a repeat of one of the object's keys (those after mark).
func (c *inPlace) key(mark int) ([]byte, bool) {
	raw, escaped, ok := c.String()
	if !ok {
		return nil, false
	}
	if escaped {
		str, ok := jsonscan.Unquote(raw, true)
		if !ok {
			return nil, false
		}
		raw = []byte(str)
	} else if !utf8.Valid(raw) {
		return nil, false
	}
	if len(c.keys)-mark >= maxKeys {
		return nil, false
	}
	for _, k := range c.keys[mark:] {
		if bytes.Equal(k, raw) {
			return nil, false
		}
	}
	c.keys = append(c.keys, raw)
	return raw, true
}

// hasRequired reports whether the object's keys (after mark) include every
// property s requires.
func (c *inPlace) hasRequired(s *schema, mark int) bool {
	for _, name := range s.required {
		found := false
		for _, k := range c.keys[mark:] {
			if string(k) == name {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (c *inPlace) array(items *schema, depth int) bool {
	c.Pos++ // [
	c.Space()
	if c.Byte(']') {
		return true
	}
	for {
		if !c.conforms(items, depth+1) {
			return false
		}
		more, ok := c.Element(']')
		if !ok {
			return false
		}
		if !more {
			return true
		}
	}
}

// skip reads any value that DecodeJSON reads: no schema constrains it.
func (c *inPlace) skip(depth int) bool {
	b, ok := c.Peek()
	if !ok || depth > maxJSONDepth {
		return false
	}
	switch {
	case b == '{':
		return c.object(nil, depth)
	case b == '[':
		return c.array(nil, depth)
	case b == '"':
		raw, escaped, ok := c.String()
		if !ok {
			return false
		}
		if escaped {
			_, ok = jsonscan.Unquote(raw, true)
			return ok
		}
		return utf8.Valid(raw)
	case b == '-' || ('0' <= b && b <= '9'):
		_, ok := c.Number()
		return ok
	case b == 't':
		return c.Literal("true")
	case b == 'f':
		return c.Literal("false")
	case b == 'n':
		return c.Literal("null")
	}
	return false
}
