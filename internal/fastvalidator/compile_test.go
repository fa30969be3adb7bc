package fastvalidator

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

func TestCompileTheSpec(t *testing.T) {
	v, err := specvalidator.Load()
	require.NoError(t, err)
	c, err := Compile(v.Doc())
	require.NoError(t, err)
	for _, id := range []string{"addConnectorToConnectorGroup", "listConnectorGroups", "createConnectorGroup", "getConnectorGroup",
		"updateConnectorGroup", "deleteConnectorGroup", "listConnectorGroupMembers", "addConnectorGroupMember",
		"listConnectors", "getConnector", "listConnectorMemberOf", "addConnectorMemberOf"} {
		assert.NotNil(t, c.Operation(id), id)
	}
	assert.Equal(t, []string{"$top", "$skiptoken"}, c.Operation("listConnectors").QueryNames)
}

// A construct the compiled validator does not check must fail Compile,
// never be skipped.
func TestCompileRefusesWhatItDoesNotImplement(t *testing.T) {
	str := func(mod func(*openapi3.Schema)) *openapi3.SchemaRef {
		s := openapi3.NewStringSchema()
		mod(s)
		return s.NewRef()
	}
	maxLen := uint64(3)
	tests := []struct {
		name   string
		schema *openapi3.SchemaRef
	}{
		{"maxLength without a type", (&openapi3.Schema{MaxLength: &maxLen}).NewRef()},
		{"format date-time", str(func(s *openapi3.Schema) { s.Format = "date-time" })},
		{"default", str(func(s *openapi3.Schema) { s.Default = "x" })},
		{"oneOf", str(func(s *openapi3.Schema) { s.OneOf = openapi3.SchemaRefs{openapi3.NewStringSchema().NewRef()} })},
		{"writeOnly", str(func(s *openapi3.Schema) { s.WriteOnly = true })},
		{"number", openapi3.NewFloat64Schema().NewRef()},
		{"integer in a body", openapi3.NewIntegerSchema().NewRef()},
		{"array", openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema()).NewRef()},
		{"enum of numbers", str(func(s *openapi3.Schema) { s.Enum = []any{1.0} })},
		{"additionalProperties schema", openapi3.NewObjectSchema().WithAdditionalProperties(openapi3.NewStringSchema()).NewRef()},
		{"minProperties", func() *openapi3.SchemaRef { s := openapi3.NewObjectSchema(); s.MinProps = 1; return s.NewRef() }()},
		{"maxLength on a boolean", func() *openapi3.SchemaRef { s := openapi3.NewBoolSchema(); s.MaxLength = &maxLen; return s.NewRef() }()},
		{"nested format date-time", openapi3.NewObjectSchema().WithProperty("a", openapi3.NewStringSchema().WithFormat("date-time")).NewRef()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := compileSchema(tt.schema, "test", true, map[*openapi3.Schema]bool{})
			assert.Error(t, err)
		})
	}
}

func TestCompileRefusesUnknownParametersAndMedia(t *testing.T) {
	doc := func(op *openapi3.Operation) *openapi3.T {
		op.OperationID = "op"
		op.Responses = openapi3.NewResponses()
		return &openapi3.T{OpenAPI: "3.0.3", Paths: openapi3.NewPaths(openapi3.WithPath("/x", &openapi3.PathItem{Get: op}))}
	}
	explode := true
	tests := []struct {
		name string
		op   *openapi3.Operation
	}{
		{"cookie parameter", &openapi3.Operation{Parameters: openapi3.Parameters{{Value: openapi3.NewCookieParameter("c").WithSchema(openapi3.NewStringSchema())}}}},
		{"explode", &openapi3.Operation{Parameters: openapi3.Parameters{{Value: &openapi3.Parameter{Name: "q", In: "query", Explode: &explode, Schema: openapi3.NewStringSchema().NewRef()}}}}},
		{"boolean parameter", &openapi3.Operation{Parameters: openapi3.Parameters{{Value: openapi3.NewQueryParameter("q").WithSchema(openapi3.NewBoolSchema())}}}},
		{"form body", &openapi3.Operation{RequestBody: &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithFormDataSchema(openapi3.NewObjectSchema())}}},
		{"json range", &openapi3.Operation{RequestBody: &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithSchema(openapi3.NewObjectSchema(), []string{"application/*"})}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(doc(tt.op))
			assert.Error(t, err)
		})
	}
	_, err := Compile(doc(&openapi3.Operation{RequestBody: &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithJSONSchema(openapi3.NewObjectSchema())}}))
	assert.NoError(t, err, "a JSON object body compiles")
}
