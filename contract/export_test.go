package contract

import (
	"encoding/json"
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

// BodyOperation is one write negative_data_rejection sends bodies to.
type BodyOperation struct {
	Operation, Method, URL string
	Valid                  []byte
	Cases                  []NegativeCase
}

// BodyOperations exposes what negative_data_rejection sends to a target
// at baseURL, update's bodies going to group.
func BodyOperations(baseURL string, t Target, group string) ([]BodyOperation, error) {
	v, err := NewValidator()
	if err != nil {
		return nil, err
	}
	var out []BodyOperation
	for _, bt := range bodyTargets(baseURL, t, group, "connectorgroups-verify-test-negative", "eur") {
		cases, err := v.casesFor(baseURL, bt)
		if err != nil {
			return nil, err
		}
		valid, _ := json.Marshal(bt.valid)
		op := BodyOperation{Operation: bt.op, Method: bt.method, URL: baseURL + bt.path, Valid: valid}
		for _, c := range cases {
			op.Cases = append(op.Cases, NegativeCase{Name: c.name, ContentType: c.contentType, Body: c.body, RejectedBy: slices.Clone(c.rejectedBy)})
		}
		out = append(out, op)
	}
	return out, nil
}

// RequestBodySchema is the schema a request's body must match, for the
// tests that generate bodies from it.
func RequestBodySchema(v *Validator, req *http.Request) (*openapi3.Schema, error) {
	return v.requestBodySchema(req)
}
