package contract

import (
	"context"
	"errors"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// Violation is one way a request or response broke the spec: the
// operation, the direction, the field path and a one-line reason.
type Violation = specvalidator.Violation

// Direction says whether a request or a response broke the spec.
type Direction = specvalidator.Direction

// The two directions of an exchange.
const (
	DirectionRequest  = specvalidator.DirectionRequest
	DirectionResponse = specvalidator.DirectionResponse
)

// Validator checks exchanges against openapi/connectorgroups.yaml, loaded
// and validated once per process. It is safe for concurrent use.
type Validator struct {
	spec *specvalidator.Validator
}

// NewValidator loads the embedded spec (once) and returns a validator.
func NewValidator() (*Validator, error) {
	v, err := specvalidator.Load()
	if err != nil {
		return nil, err
	}
	return &Validator{spec: v}, nil
}

// ValidateRequest checks method, path, parameters, the Bearer header and
// the body of req. It reads req.Body and puts back an equal one.
func (v *Validator) ValidateRequest(ctx context.Context, req *http.Request) []Violation {
	err := v.spec.ValidateRequest(ctx, req, specvalidator.Options{})
	return specvalidator.Violations(v.spec.OperationID(req), DirectionRequest, err)
}

// ValidateResponse checks that a response to req has a declared status,
// the declared headers and a body that matches its schema. Every violation
// is reported, even when a header and the body are both at fault.
func (v *Validator) ValidateResponse(ctx context.Context, req *http.Request, status int, header http.Header, body []byte) []Violation {
	err := v.spec.ValidateResponse(ctx, req, status, header, body)
	return specvalidator.Violations(v.spec.OperationID(req), DirectionResponse, err)
}

// routes reports whether req names an operation of the spec.
func (v *Validator) routes(req *http.Request) bool {
	_, _, err := v.spec.Route(req)
	return err == nil
}

// OperationID names the operation req is routed to, or "METHOD path" when
// it matches none.
func (v *Validator) OperationID(req *http.Request) string {
	return v.spec.OperationID(req)
}

// declaredResponse returns the response the spec declares for status on
// req's operation (an exact code, then a range such as 5XX, then default),
// or nil when the status is not declared or req matches no operation.
// Unlike ValidateResponse it also judges redirects, which openapi3filter
// never checks.
func (v *Validator) declaredResponse(req *http.Request, status int) *openapi3.Response {
	route, _, err := v.spec.Route(req)
	if err != nil || route.Operation == nil || route.Operation.Responses == nil {
		return nil
	}
	ref := route.Operation.Responses.Status(status)
	if ref == nil {
		ref = route.Operation.Responses.Default()
	}
	if ref == nil {
		return nil
	}
	return ref.Value
}

// ErrNoJSONBody means the operation declares no application/json request
// body, so no body can be generated for it.
var ErrNoJSONBody = errors.New("contract: the operation declares no application/json request body")

// requestBodySchema returns the schema of the application/json request
// body of req's operation, from which negative bodies are generated.
func (v *Validator) requestBodySchema(req *http.Request) (*openapi3.Schema, error) {
	route, _, err := v.spec.Route(req)
	if err != nil {
		return nil, err
	}
	body := route.Operation.RequestBody
	if body == nil || body.Value == nil {
		return nil, ErrNoJSONBody
	}
	media := body.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return nil, ErrNoJSONBody
	}
	return media.Schema.Value, nil
}

// enum lists the string values of the enum of the spec's component schema
// name, in the spec's order: the values the checks may send.
func (v *Validator) enum(name string) []string {
	ref := v.spec.Doc().Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		return nil
	}
	var out []string
	for _, e := range ref.Value.Enum {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
