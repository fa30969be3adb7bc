package specvalidator

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Direction says which half of an exchange broke the contract.
type Direction string

// The two directions of an exchange.
const (
	DirectionRequest  Direction = "request"
	DirectionResponse Direction = "response"
)

// Violation is one way an exchange broke the spec.
type Violation struct {
	Operation string    `json:"operation"` // operationId, or "METHOD path" when nothing matched
	Direction Direction `json:"direction"`
	Field     string    `json:"field"`  // e.g. "body/@odata.id", "header/request-id", "status", "route"
	Reason    string    `json:"reason"` // one line
}

func (v Violation) String() string {
	return fmt.Sprintf("%s %s %s: %s", v.Operation, v.Direction, v.Field, v.Reason)
}

// Violations flattens an error from ValidateRequest, ValidateResponse or
// Route into one Violation per problem. A nil error gives none.
func Violations(operation string, dir Direction, err error) []Violation {
	var out []Violation
	add := func(field, reason string) {
		out = append(out, Violation{Operation: operation, Direction: dir, Field: field, Reason: graph.OneLine(reason, 300)})
	}
	var walk func(prefix string, err error)
	walk = func(prefix string, err error) {
		var (
			multi    openapi3.MultiError
			reqErr   *openapi3filter.RequestError
			respErr  *openapi3filter.ResponseError
			secErr   *openapi3filter.SecurityRequirementsError
			schema   *openapi3.SchemaError
			routeErr *routers.RouteError
		)
		switch {
		case err == nil:
		case asMulti(err, &multi): // first: MultiError.As would match only its first member
			for _, e := range multi {
				walk(prefix, e)
			}
		case errors.As(err, &reqErr) && reqErr.Parameter != nil:
			add(reqErr.Parameter.In+"/"+reqErr.Parameter.Name, reasonOf(reqErr.Reason, reqErr.Err))
		case errors.As(err, &reqErr) && reqErr.RequestBody != nil && reqErr.Err != nil && (asMulti(reqErr.Err, &multi) || errors.As(reqErr.Err, &schema)):
			walk("body", reqErr.Err)
		case errors.As(err, &reqErr) && reqErr.RequestBody != nil:
			add("body", reasonOf(reqErr.Reason, reqErr.Err))
		case errors.As(err, &respErr):
			field := responseField(respErr.Reason)
			if field == "body" && respErr.Err != nil {
				walk("body", respErr.Err)
				return
			}
			add(field, reasonOf(respErr.Reason, respErr.Err))
		case errors.As(err, &secErr):
			add("header/Authorization", secErr.Error())
		case errors.As(err, &schema):
			field := prefix
			if p := schema.JSONPointer(); len(p) > 0 {
				field += "/" + strings.Join(p, "/")
			}
			add(field, schemaReason(schema))
		case errors.As(err, &reqErr):
			add("request", reasonOf(reqErr.Reason, reqErr.Err))
		case errors.As(err, &routeErr):
			add("route", routeErr.Reason)
		default:
			if prefix == "" {
				prefix = string(dir)
			}
			add(prefix, err.Error())
		}
	}
	walk("", err)
	return out
}

// asMulti matches a MultiError by type only. MultiError.As forwards to its
// members, so errors.As would also match a member's MultiError field.
func asMulti(err error, target *openapi3.MultiError) bool {
	m, ok := err.(openapi3.MultiError)
	if ok {
		*target = m
	}
	return ok
}

// responseField names the part of a response that a ResponseError's reason
// is about; openapi3filter says so only in prose.
func responseField(reason string) string {
	switch {
	case reason == "status is not supported":
		return "status"
	case strings.HasPrefix(reason, "response header "), strings.HasPrefix(reason, "unable to decode header "), strings.HasPrefix(reason, "unable to get header "):
		rest := reason[strings.Index(reason, "header ")+len("header "):]
		name, _, _ := strings.Cut(rest, " ")
		return "header/" + strings.Trim(name, `"`)
	case strings.Contains(reason, "Content-Type"), strings.Contains(reason, "content type"), strings.Contains(reason, "header Content-Type"):
		return "header/Content-Type"
	default:
		return "body"
	}
}

// schemaReason is a schema error's reason, as kin-openapi words it, but
// for a number too large for a float64: kin-openapi converts a number
// before it checks the type, so {"name":1e999999} would say "cannot
// convert json.Number to float64" where {"name":1} says "value must be a
// string". Where the schema takes no number, the reason is the one it
// gives any number; where it takes numbers, the range is the problem.
func schemaReason(e *openapi3.SchemaError) string {
	if e.SchemaField == "type" && e.Schema != nil && errors.Is(e.Origin, strconv.ErrRange) {
		var wrongType *openapi3.SchemaError
		if errors.As(e.Schema.VisitJSONNumber(0), &wrongType) && wrongType.SchemaField == "type" {
			return wrongType.Reason
		}
	}
	return e.Reason
}

func reasonOf(reason string, err error) string {
	switch {
	case err == nil:
		return reason
	case reason == "" || reason == err.Error():
		return err.Error()
	default:
		return reason + ": " + err.Error()
	}
}
