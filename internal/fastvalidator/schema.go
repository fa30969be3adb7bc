package fastvalidator

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/connectorgroups/connectorgroups/internal/regexpdfa"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// schema is one compiled JSON schema: the subset of OpenAPI 3.0 this spec
// uses, each rule as kin-openapi's schema visitor applies it to a request.
type schema struct {
	typ       string // "" for the empty schema, which takes any non-null value
	nullable  bool
	readOnly  bool
	enum      []string
	minLength uint64
	maxLength *uint64
	pattern   *regexpdfa.Matcher // regexp's semantics, a table's speed
	uri       bool
	min, max  *float64 // integer parameters only
	// object
	properties     map[string]*schema
	required       []string
	noOtherFields  bool // additionalProperties: false
	readOnlyFields []string
	// array (response bodies only)
	items *schema
	// index numbers the properties for the in-place check (bytecheck.go).
	index propertyIndex
}

// kinPatternCodepoint is kin-openapi's rewrite of ECMA-262's \uXXXX into
// Go's \x{XXXX} before it compiles a pattern (openapi3.intoGoRegexp).
var kinPatternCodepoint = regexp.MustCompile(`(?P<replaced_with_slash_x>\\u)(?P<code>[0-9A-F]{4})`)

// compileSchema compiles ref, refusing any construct it does not check:
// a spec that outgrows the compiled validator fails at startup, not by
// letting requests through. where names the schema in errors; inBody is
// false for a parameter, whose values kin-openapi parses from text.
func compileSchema(ref *openapi3.SchemaRef, where string, inBody bool, visiting map[*openapi3.Schema]bool) (*schema, error) {
	return (&compiler{inBody: inBody, visiting: visiting}).schema(ref, where)
}

// compiler compiles the schemas of one request part, or of responses.
type compiler struct {
	inBody   bool
	visiting map[*openapi3.Schema]bool
	// response compiles for kin-openapi's VisitAsResponse: readOnly
	// properties are neither refused nor exempt from required, arrays are
	// implemented, and a schema that contains itself (InnerError) is one
	// compiled node, memoised here. Nil for a request.
	response map[*openapi3.Schema]*schema
}

func (c *compiler) schema(ref *openapi3.SchemaRef, where string) (*schema, error) {
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("%s: no schema", where)
	}
	s := ref.Value
	if c.response != nil {
		if done := c.response[s]; done != nil {
			return done, nil
		}
	} else if c.visiting[s] {
		return nil, fmt.Errorf("%s: a recursive schema is not implemented", where)
	}
	c.visiting[s] = true
	defer delete(c.visiting, s)

	// Every field not zeroed here is a rule this package does not check.
	rest := *s
	rest.Extensions, rest.Origin, rest.Title, rest.Description, rest.Example, rest.ExternalDocs = nil, nil, "", "", nil, nil
	rest.Type, rest.Nullable, rest.ReadOnly, rest.Enum, rest.MinLength, rest.MaxLength, rest.Pattern, rest.Format = nil, false, false, nil, 0, nil, "", ""
	rest.Properties, rest.Required, rest.AdditionalProperties, rest.Min, rest.Max = nil, nil, openapi3.AdditionalProperties{}, nil, nil
	if c.response != nil {
		rest.Items = nil
	}
	if !reflect.DeepEqual(rest, openapi3.Schema{}) {
		return nil, fmt.Errorf("%s: a schema keyword other than type, nullable, readOnly, enum, minLength, maxLength, pattern, format, properties, required, additionalProperties (false), minimum or maximum is not implemented", where)
	}

	out := &schema{nullable: s.Nullable, readOnly: s.ReadOnly, minLength: s.MinLength, maxLength: s.MaxLength}
	if c.response != nil {
		c.response[s] = out // before the properties, which may lead back here
	}
	if s.Type != nil {
		types := s.Type.Slice()
		if len(types) != 1 {
			return nil, fmt.Errorf("%s: type %v is not implemented", where, types)
		}
		out.typ = types[0]
	}
	switch out.typ {
	case openapi3.TypeString, openapi3.TypeObject, openapi3.TypeBoolean:
	case openapi3.TypeArray:
		if c.response == nil {
			return nil, fmt.Errorf("%s: an array in a request is not implemented", where)
		}
		if s.Items == nil {
			return nil, fmt.Errorf("%s: an array without items is not implemented", where)
		}
		items, err := c.schema(s.Items, where+"/items")
		if err != nil {
			return nil, err
		}
		out.items = items
	case openapi3.TypeInteger:
		if c.inBody {
			return nil, fmt.Errorf("%s: an integer in a request body is not implemented", where)
		}
		out.min, out.max = s.Min, s.Max
	case "":
		if len(s.Enum) > 0 || s.MinLength != 0 || s.MaxLength != nil || s.Pattern != "" || s.Format != "" || len(s.Properties) > 0 || len(s.Required) > 0 || s.AdditionalProperties.Has != nil || s.Items != nil {
			return nil, fmt.Errorf("%s: constraints without a type are not implemented", where)
		}
	default:
		return nil, fmt.Errorf("%s: type %q is not implemented", where, out.typ)
	}
	if (s.Min != nil || s.Max != nil) && out.typ != openapi3.TypeInteger {
		return nil, fmt.Errorf("%s: minimum or maximum on type %q is not implemented", where, out.typ)
	}
	if (s.MinLength != 0 || s.MaxLength != nil || s.Pattern != "" || s.Format != "") && out.typ != openapi3.TypeString {
		return nil, fmt.Errorf("%s: a string rule on type %q is not implemented", where, out.typ)
	}
	for _, e := range s.Enum {
		str, ok := e.(string)
		if !ok || out.typ != openapi3.TypeString {
			return nil, fmt.Errorf("%s: an enum of anything but strings is not implemented", where)
		}
		out.enum = append(out.enum, str)
	}
	if s.Pattern != "" {
		re, err := regexpdfa.Compile(kinPatternCodepoint.ReplaceAllString(s.Pattern, `\x{${code}}`))
		if err != nil {
			return nil, fmt.Errorf("%s: pattern: %w", where, err)
		}
		out.pattern = re
	}
	switch s.Format {
	case "":
	case "uri":
		// The rule kin-openapi applies is the one specvalidator registers.
		if _, ok := openapi3.SchemaStringFormats["uri"]; !ok {
			return nil, fmt.Errorf("%s: format uri has no validator in kin-openapi", where)
		}
		out.uri = true
	default:
		return nil, fmt.Errorf("%s: format %q is not implemented", where, s.Format)
	}
	if ap := s.AdditionalProperties; ap.Schema != nil || (ap.Has != nil && *ap.Has) {
		// true is the default, but say so only where it means something.
		if ap.Schema != nil || out.typ != openapi3.TypeObject {
			return nil, fmt.Errorf("%s: additionalProperties other than false is not implemented", where)
		}
	} else if ap.Has != nil {
		if out.typ != openapi3.TypeObject {
			return nil, fmt.Errorf("%s: additionalProperties on type %q is not implemented", where, out.typ)
		}
		out.noOtherFields = true
	}
	if (len(s.Properties) > 0 || len(s.Required) > 0) && out.typ != openapi3.TypeObject {
		return nil, fmt.Errorf("%s: properties on type %q are not implemented", where, out.typ)
	}
	if len(s.Properties) > 0 {
		out.properties = make(map[string]*schema, len(s.Properties))
		for name, p := range s.Properties {
			p, err := c.schema(p, where+"/"+name)
			if err != nil {
				return nil, err
			}
			out.properties[name] = p
			if p.readOnly && c.response == nil {
				out.readOnlyFields = append(out.readOnlyFields, name)
			}
		}
	}
	for _, name := range s.Required {
		// kin-openapi skips a required readOnly property in a request.
		if p := out.properties[name]; p == nil || !p.readOnly || c.response != nil {
			out.required = append(out.required, name)
		}
	}
	out.index = newPropertyIndex(out.properties, out.required)
	return out, nil
}

// check reports the first rule value breaks, as kin-openapi visits a
// request value (openapi3.VisitAsRequest), or "" when it breaks none.
// value is as specvalidator.DecodeJSON reads it, or an int64 from a
// parameter.
func (s *schema) check(value any) string {
	if value == nil {
		if s.nullable {
			return ""
		}
		return "Value is not nullable"
	}
	if s.typ == "" {
		return ""
	}
	if len(s.enum) > 0 {
		str, ok := value.(string)
		found := false
		for _, e := range s.enum {
			if ok && e == str {
				found = true
				break
			}
		}
		if !found {
			return "value is not one of the allowed values"
		}
	}
	switch s.typ {
	case openapi3.TypeString:
		str, ok := value.(string)
		if !ok {
			return "value must be a string"
		}
		return s.stringRules(str)
	case openapi3.TypeBoolean:
		if _, ok := value.(bool); !ok {
			return "value must be a boolean"
		}
	case openapi3.TypeInteger:
		n, ok := value.(int64)
		if !ok {
			return "value must be an integer"
		}
		if s.min != nil && float64(n) < *s.min {
			return "number must be at least " + strconv.FormatFloat(*s.min, 'g', -1, 64)
		}
		if s.max != nil && float64(n) > *s.max {
			return "number must be at most " + strconv.FormatFloat(*s.max, 'g', -1, 64)
		}
	case openapi3.TypeObject:
		obj, ok := value.(map[string]any)
		if !ok {
			return "value must be an object"
		}
		return s.checkObject(obj)
	case openapi3.TypeArray:
		arr, ok := value.([]any)
		if !ok {
			return "value must be an array"
		}
		for i, item := range arr {
			if reason := s.items.check(item); reason != "" {
				return strconv.Itoa(i) + ": " + reason
			}
		}
	}
	return ""
}

// checkString is check of a string value, without boxing it.
func (s *schema) checkString(str string) string {
	if s.typ == "" {
		return ""
	}
	if len(s.enum) > 0 && !slices.Contains(s.enum, str) {
		return "value is not one of the allowed values"
	}
	if s.typ != openapi3.TypeString {
		return s.check(str)
	}
	return s.stringRules(str)
}

// stringRules are the rules of a string schema after its enum.
func (s *schema) stringRules(str string) string {
	if s.minLength != 0 && uint64(utf8.RuneCountInString(str)) < s.minLength {
		return "minimum string length is " + strconv.FormatUint(s.minLength, 10)
	}
	if s.maxLength != nil && uint64(utf8.RuneCountInString(str)) > *s.maxLength {
		return "maximum string length is " + strconv.FormatUint(*s.maxLength, 10)
	}
	if s.pattern != nil && !s.pattern.MatchString(str) {
		return "string doesn't match the regular expression " + strconv.Quote(s.pattern.String())
	}
	if s.uri {
		if err := specvalidator.ValidURI(str); err != nil {
			return "not a valid uri: " + err.Error()
		}
	}
	return ""
}

func (s *schema) checkObject(obj map[string]any) string {
	for _, name := range s.readOnlyFields {
		if v := obj[name]; v != nil { // kin-openapi lets a readOnly null through
			return fmt.Sprintf("readOnly property %q in request", name)
		}
	}
	for k, v := range obj {
		if p := s.properties[k]; p != nil {
			if reason := p.check(v); reason != "" {
				return k + ": " + reason
			}
			continue
		}
		if s.noOtherFields {
			return fmt.Sprintf("property %q is unsupported", k)
		}
	}
	for _, name := range s.required {
		if _, ok := obj[name]; !ok {
			return fmt.Sprintf("property %q is missing", name)
		}
	}
	return ""
}
