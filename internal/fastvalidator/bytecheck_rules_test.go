package fastvalidator

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// The spec's response schemas use no pattern, minLength or closed object
// today; a response schema that does must still be checked in place as
// the reference checks it. This schema has every rule conformsInPlace
// implements.
func TestInPlaceCheckAppliesEveryRule(t *testing.T) {
	min := uint64(2)
	no := false
	item := &openapi3.Schema{
		Type:                 &openapi3.Types{openapi3.TypeObject},
		Required:             []string{"id"},
		AdditionalProperties: openapi3.AdditionalProperties{Has: &no},
		Properties: openapi3.Schemas{
			"id":     {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}, Pattern: `^[a-f0-9]+$`, MinLength: min}},
			"kind":   {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}, Enum: []any{"a", "b"}, Nullable: true}},
			"ok":     {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeBoolean}}},
			"link":   {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}, Format: "uri"}},
			"extras": {Value: &openapi3.Schema{}},
		},
	}
	page := &openapi3.Schema{
		Type:     &openapi3.Types{openapi3.TypeObject},
		Required: []string{"value"},
		Properties: openapi3.Schemas{
			"value": {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeArray}, Items: &openapi3.SchemaRef{Value: item}}},
		},
	}
	c := &compiler{visiting: map[*openapi3.Schema]bool{}, response: map[*openapi3.Schema]*schema{}, inBody: true}
	s, err := c.schema(&openapi3.SchemaRef{Value: page}, "page")
	require.NoError(t, err)

	tests := []struct {
		body string
		want bool // the reference accepts it, and so the in-place check
	}{
		{`{"value":[]}`, true},
		{`{"value":[{"id":"ab12","kind":"a","ok":true,"link":"https://x.test/a","extras":{"any":[1,"x",null]}}],"more":1}`, true},
		{`{"value":[{"id":"ab","kind":null}]}`, true},
		{`{"value":[{"id":"a\u0062"}]}`, true},
		{`{}`, false},                                 // value required
		{`{"value":[{}]}`, false},                     // id required
		{`{"value":[{"id":"AB"}]}`, false},            // pattern
		{`{"value":[{"id":"a"}]}`, false},             // minLength
		{`{"value":[{"id":"ab","kind":"c"}]}`, false}, // enum
		{`{"value":[{"id":"ab","ok":"yes"}]}`, false}, // type
		{`{"value":[{"id":"ab","other":1}]}`, false},  // additionalProperties: false
		{`{"value":[{"id":"ab","link":"not a uri"}]}`, false},
		{`{"value":[{"id":"ab","extras":null}]}`, false}, // the empty schema takes no null
		{`{"value":[{"id":"ab","id":"cd"}]}`, false},     // a repeated key
		{`{"value":[],"more":1,"more":2}`, false},        // a repeated key the schema does not name
		{`{"value":[{"id":"ab","extras":{"a":1,"a":2}}]}`, false},
		{`{"value":[{"id":"ab"}]} x`, false},
		{`{"value":null}`, false},
	}
	for _, tt := range tests {
		value, err := specvalidator.DecodeJSON([]byte(tt.body))
		reference := err == nil && s.check(value) == ""
		require.Equal(t, tt.want, reference, "the reference on %s", tt.body)
		require.Equal(t, tt.want, conformsInPlace(s, []byte(tt.body)), "in place on %s", tt.body)
	}
}
