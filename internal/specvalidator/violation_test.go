package specvalidator

import (
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// A number too large for a float64 is worded as kin-openapi words any
// number where the schema takes none; where the schema takes numbers, its
// range is what is wrong, and kin-openapi's reason stands.
func TestViolationsWordHugeNumbersByTheSchemasType(t *testing.T) {
	tests := []struct {
		schema *openapi3.Schema
		value  string
		want   string
	}{
		{openapi3.NewStringSchema(), "1e999999", "value must be a string"},
		{openapi3.NewStringSchema(), "-1e999999", "value must be a string"},
		{openapi3.NewStringSchema(), "1", "value must be a string"},
		{openapi3.NewBoolSchema(), "1e999999", "value must be a boolean"},
		{openapi3.NewObjectSchema(), "1e999999", "value must be an object"},
		{openapi3.NewFloat64Schema(), "1e999999", "cannot convert json.Number to float64"},
		{openapi3.NewIntegerSchema(), "-1e999999", "cannot convert json.Number to float64"},
	}
	for _, tt := range tests {
		err := tt.schema.VisitJSON(json.Number(tt.value))
		got := Violations("op", DirectionRequest, err)
		if len(got) != 1 || got[0].Reason != tt.want {
			t.Errorf("%s as %v: %v, want one violation saying %q", tt.value, tt.schema.Type, got, tt.want)
		}
	}
}
