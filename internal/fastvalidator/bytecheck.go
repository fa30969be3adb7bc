package fastvalidator

import (
	"bytes"
	"maps"
	"slices"
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
	var keys [12][]byte // room for the keys of an entity and its page
	c := inPlace{Reader: jsonscan.Reader{Data: body}, keys: keys[:0]}
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
	if s.maxLength != nil && uint64(utf8.RuneCount(raw)) > *s.maxLength {
		return false
	}
	return s.pattern == nil || s.pattern.Match(raw)
}

func (c *inPlace) object(s *schema, depth int) bool {
	c.Pos++ // {
	if s != nil && !s.index.usable {
		return false
	}
	mark := len(c.keys)
	defer func() { c.keys = c.keys[:mark] }()
	var seen uint64 // the properties of s read so far, by index
	c.Space()
	if c.Byte('}') {
		return s == nil || seen&s.index.required == s.index.required
	}
	for {
		key, ok := c.key()
		if !ok {
			return false
		}
		i := -1
		if s != nil {
			i = s.index.of(key)
		}
		if i >= 0 {
			if seen&(1<<i) != 0 {
				return false // repeated: DecodeJSON names it
			}
			seen |= 1 << i
		} else if (s != nil && s.noOtherFields) || !c.otherKey(key, mark) {
			return false
		}
		c.Space()
		if !c.Byte(':') {
			return false
		}
		c.Space()
		if i >= 0 {
			if !c.conforms(s.index.schemas[i], depth+1) {
				return false
			}
		} else if !c.skip(depth + 1) {
			return false
		}
		more, ok := c.Element('}')
		if !ok {
			return false
		}
		if !more {
			return s == nil || seen&s.index.required == s.index.required
		}
	}
}

// key reads an object's key, unescaped only when it has to be.
func (c *inPlace) key() ([]byte, bool) {
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
	}
	return raw, true
}

// otherKey keeps a key that names no property of the object's schema,
// refusing a repeat of another such key of the object (those after mark);
// a repeated property is caught by its bit.
func (c *inPlace) otherKey(key []byte, mark int) bool {
	if len(c.keys)-mark >= maxKeys {
		return false
	}
	for _, k := range c.keys[mark:] {
		if bytes.Equal(k, key) {
			return false
		}
	}
	c.keys = append(c.keys, key)
	return true
}

// propertyIndex numbers a schema's properties, so that the in-place check
// finds one by a few comparisons and tracks what it has read, and what is
// required, as bits.
type propertyIndex struct {
	// usable is false when the schema has more properties than bits, or
	// requires one it does not declare: the in-place check then leaves
	// its objects to the reference reading.
	usable   bool
	names    []string // sorted
	schemas  []*schema
	required uint64
}

func newPropertyIndex(properties map[string]*schema, required []string) propertyIndex {
	if len(properties) > 64 {
		return propertyIndex{}
	}
	ix := propertyIndex{usable: true, names: slices.Sorted(maps.Keys(properties))}
	for _, n := range ix.names {
		ix.schemas = append(ix.schemas, properties[n])
	}
	for _, r := range required {
		i := slices.Index(ix.names, r)
		if i < 0 {
			return propertyIndex{}
		}
		ix.required |= 1 << i
	}
	return ix
}

// of is the index of the property named key, or -1.
func (ix *propertyIndex) of(key []byte) int {
	for i, n := range ix.names {
		if len(n) == len(key) && n == string(key) {
			return i
		}
	}
	return -1
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
		}
		return ok
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
