package contract

import (
	"context"
	"net/http"

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
// the declared headers and a body that matches its schema.
func (v *Validator) ValidateResponse(ctx context.Context, req *http.Request, status int, header http.Header, body []byte) []Violation {
	err := v.spec.ValidateResponse(ctx, req, status, header, body)
	return specvalidator.Violations(v.spec.OperationID(req), DirectionResponse, err)
}

// Routes reports whether req names an operation of the spec.
func (v *Validator) Routes(req *http.Request) bool {
	_, _, err := v.spec.Route(req)
	return err == nil
}
