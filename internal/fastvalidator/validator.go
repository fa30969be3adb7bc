// Package fastvalidator checks requests against the spec with rules
// compiled once, at startup, from the document kin-openapi loaded: per
// operation, its path, query and header parameters, its Content-Type and
// its body schema. It reads kin-openapi's types while compiling only; a
// check is plain Go, and the body is decoded once, by
// specvalidator.DecodeJSON, for the caller to use.
//
// kin-openapi stays the reference: the verdicts (accept, 400 or 415) must
// be the ones specvalidator.CheckRequest gives, which the differential
// test and the fuzz target check. Compile refuses any construct it does not
// implement, so the spec cannot outgrow it silently.
package fastvalidator

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// Validator holds one compiled Operation per operationId.
type Validator struct {
	ops map[string]*Operation
}

// Operation checks the requests of one operation.
type Operation struct {
	ID     string
	params []param
	// QueryNames are the query parameters the operation declares.
	QueryNames []string
	body       *body // nil: the operation takes no body
}

type param struct {
	name, in string // in: path, query or header
	field    string // in/name, for errors
	key      string // a header's canonical key
	required bool
	schema   *schema
}

type body struct {
	required bool
	media    map[string]bool // lower-cased media types with a JSON schema
	schema   *schema
}

// Compile builds the checks of every operation of doc.
func Compile(doc *openapi3.T) (*Validator, error) {
	v := &Validator{ops: map[string]*Operation{}}
	if doc.IsOpenAPI31OrLater() {
		return nil, errors.New("fastvalidator: OpenAPI 3.1 is not implemented")
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			c, err := compileOperation(item, op, where)
			if err != nil {
				return nil, fmt.Errorf("fastvalidator: %w", err)
			}
			if _, dup := v.ops[op.OperationID]; dup || op.OperationID == "" {
				return nil, fmt.Errorf("fastvalidator: %s: operationId %q is missing or not unique", where, op.OperationID)
			}
			v.ops[op.OperationID] = c
		}
	}
	return v, nil
}

// Operation returns the compiled operation, or nil.
func (v *Validator) Operation(id string) *Operation { return v.ops[id] }

func compileOperation(item *openapi3.PathItem, op *openapi3.Operation, where string) (*Operation, error) {
	out := &Operation{ID: op.OperationID}
	// An operation's parameter overrides the path's of the same name and in.
	var refs []*openapi3.ParameterRef
	for _, p := range item.Parameters {
		if op.Parameters.GetByInAndName(p.Value.In, p.Value.Name) == nil {
			refs = append(refs, p)
		}
	}
	refs = append(refs, op.Parameters...)
	for _, ref := range refs {
		p := ref.Value
		pw := where + " parameter " + p.In + "/" + p.Name
		if p.Content != nil || p.Style != "" || p.Explode != nil || p.AllowEmptyValue || p.AllowReserved {
			return nil, fmt.Errorf("%s: content, style, explode, allowEmptyValue and allowReserved are not implemented", pw)
		}
		switch p.In {
		case openapi3.ParameterInPath, openapi3.ParameterInQuery, openapi3.ParameterInHeader:
		default:
			return nil, fmt.Errorf("%s: parameters in %q are not implemented", pw, p.In)
		}
		s, err := compileSchema(p.Schema, pw, false, map[*openapi3.Schema]bool{})
		if err != nil {
			return nil, err
		}
		if s.typ != openapi3.TypeString && s.typ != openapi3.TypeInteger {
			return nil, fmt.Errorf("%s: a parameter of type %q is not implemented", pw, s.typ)
		}
		out.params = append(out.params, param{name: p.Name, in: p.In, field: p.In + "/" + p.Name, key: http.CanonicalHeaderKey(p.Name), required: p.Required, schema: s})
		if p.In == openapi3.ParameterInQuery {
			out.QueryNames = append(out.QueryNames, p.Name)
		}
	}
	if op.RequestBody != nil {
		rb := op.RequestBody.Value
		if rb == nil {
			return nil, fmt.Errorf("%s: unresolved request body", where)
		}
		b := &body{required: rb.Required, media: map[string]bool{}}
		for mt, content := range rb.Content {
			lower := strings.ToLower(mt)
			if strings.ContainsAny(lower, ",*;") || lower != "application/json" {
				return nil, fmt.Errorf("%s: request media type %q is not implemented (application/json only)", where, mt)
			}
			if len(content.Encoding) > 0 || content.Schema == nil {
				return nil, fmt.Errorf("%s: request content without a schema, or with encodings, is not implemented", where)
			}
			s, err := compileSchema(content.Schema, where+" body", true, map[*openapi3.Schema]bool{})
			if err != nil {
				return nil, err
			}
			b.media[lower], b.schema = true, s
		}
		if len(b.media) == 0 {
			return nil, fmt.Errorf("%s: a request body without content is not implemented", where)
		}
		out.body = b
	}
	return out, nil
}

// Error is a request the operation refuses: Graph's 400, or 415 for a
// Content-Type that is not JSON or no media type at all.
type Error struct {
	Status int
	Field  string // e.g. "query/$top", "body/@odata.id", "header/Content-Type"
	Reason string
}

func (e *Error) Error() string { return e.Field + ": " + e.Reason }

// PathValuer gives a path parameter's value, as *http.Request does for
// the pattern http.ServeMux matched.
type PathValuer interface{ PathValue(name string) string }

// Check checks one request: path parameters from path, the parsed query,
// the headers and the whole body. It returns the body as DecodeJSON read
// it (nil when there is none), or the first rule the request breaks. A
// 415 wins over any 400, as kin-openapi collects every violation and the
// fake answers 415 when one of them is the media type.
func (op *Operation) Check(path PathValuer, query url.Values, header http.Header, data []byte) (any, *Error) {
	var paramErr *Error
	for i := range op.params {
		if paramErr = op.params[i].check(path, query, header); paramErr != nil {
			break
		}
	}
	if op.body == nil {
		return nil, paramErr
	}
	value, bodyErr := op.body.check(header, data)
	switch {
	case bodyErr != nil && bodyErr.Status == http.StatusUnsupportedMediaType:
		return nil, bodyErr
	case paramErr != nil:
		return nil, paramErr
	}
	return value, bodyErr
}

func (p *param) check(path PathValuer, query url.Values, header http.Header) *Error {
	field := p.field
	var raw string
	var found bool
	switch p.in {
	case openapi3.ParameterInPath:
		raw = path.PathValue(p.name)
		found = raw != ""
	case openapi3.ParameterInQuery:
		values := query[p.name]
		found = len(values) > 0
		if found {
			// kin-openapi takes the first non-empty value of a repeated key.
			raw = values[0]
			for _, v := range values[1:] {
				if raw != "" {
					break
				}
				raw = v
			}
		}
	case openapi3.ParameterInHeader:
		values := header[p.key]
		found = len(values) > 0
		if found {
			raw = values[0]
		}
	}
	if !found {
		if p.required {
			return &Error{Status: http.StatusBadRequest, Field: field, Reason: "value is required but missing"}
		}
		return nil
	}
	if p.schema.typ == openapi3.TypeString {
		if reason := p.schema.checkString(raw); reason != "" {
			return &Error{Status: http.StatusBadRequest, Field: field, Reason: reason}
		}
		return nil
	}
	var value any = raw
	if p.schema.typ == openapi3.TypeInteger {
		if raw == "" {
			return &Error{Status: http.StatusBadRequest, Field: field, Reason: "empty value is not allowed"}
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return &Error{Status: http.StatusBadRequest, Field: field, Reason: "value " + strconv.Quote(raw) + " is not an integer"}
		}
		value = n
	}
	if reason := p.schema.check(value); reason != "" {
		return &Error{Status: http.StatusBadRequest, Field: field, Reason: reason}
	}
	return nil
}

// check follows specvalidator.CheckRequest and openapi3filter's
// ValidateRequestBody in their order: a Content-Type that is no media
// type (or names a charset other than UTF-8) is 415 before anything else;
// an empty body is missing; a media type the operation does not take is
// 415; then the body is decoded and checked.
func (b *body) check(header http.Header, data []byte) (any, *Error) {
	ct := header.Get("Content-Type")
	if ct != "" {
		if _, err := graph.MediaType(ct); err != nil {
			return nil, &Error{Status: http.StatusUnsupportedMediaType, Field: "header/Content-Type", Reason: err.Error()}
		}
	}
	if len(data) == 0 {
		if b.required {
			return nil, &Error{Status: http.StatusBadRequest, Field: "body", Reason: "value is required but missing"}
		}
		return nil, nil
	}
	if !b.accepts(ct) {
		return nil, &Error{Status: http.StatusUnsupportedMediaType, Field: "header/Content-Type", Reason: "unexpected value " + strconv.Quote(ct)}
	}
	value, err := specvalidator.DecodeJSON(data)
	if err != nil {
		return nil, &Error{Status: http.StatusBadRequest, Field: "body", Reason: err.Error()}
	}
	if reason := b.schema.check(value); reason != "" {
		return nil, &Error{Status: http.StatusBadRequest, Field: "body", Reason: reason}
	}
	return value, nil
}

// accepts is openapi3.Content.Get for content that lists plain media
// types only (Compile refuses ranges and lists): the whole value lower-
// cased and trimmed, else what precedes its parameters.
func (b *body) accepts(ct string) bool {
	if ct == "" {
		return false // kin-openapi looks up */*, which Compile refuses
	}
	ct = strings.ToLower(strings.TrimSpace(ct))
	if b.media[ct] {
		return true
	}
	base, _, _ := strings.Cut(ct, ";")
	return b.media[strings.TrimSpace(base)]
}
