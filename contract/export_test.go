package contract

import (
	"net/http"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// NegativeCase exposes a generated negative request to contract_test.
type NegativeCase struct {
	Name        string
	ContentType string
	Body        []byte
	RejectedBy  []int // the statuses that reject it
}

// NegativeCases exposes the generator, so that a test can prove each body
// it makes really breaks the spec.
func NegativeCases(schema *openapi3.Schema, valid map[string]any) []NegativeCase {
	var out []NegativeCase
	for _, c := range negativeCases(schema, valid) {
		out = append(out, NegativeCase{Name: c.name, ContentType: c.contentType, Body: c.body, RejectedBy: slices.Clone(c.rejectedBy)})
	}
	return out
}

// RedactedHeader exposes the redaction the Transport applies.
func RedactedHeader(h http.Header) http.Header { return redactedHeader(h) }
