package fastvalidator

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// Responses checks responses against the spec with rules compiled once:
// per operation and declared status, the headers, the Content-Type and
// the body schema. It gives specvalidator.ValidateRoutedResponse's
// verdict (kin-openapi's ValidateResponse with IncludeResponseStatus,
// every header and the body checked apart), which the differential test
// checks; Compile refuses any construct it does not implement.
type Responses struct {
	ops map[string]*responseOp
}

type responseOp struct {
	none   bool // the operation declares no responses: nothing is checked
	byCode map[int]*response
	ranges [6]*response // "1XX" … "5XX" at 1 … 5
	dflt   *response
}

type response struct {
	headers []responseHeader // sorted by name, as kin-openapi checks them
	// content is false when the response declares none: then neither the
	// Content-Type nor the body is checked.
	content bool
	media   map[string]*schema // lower-cased media type → body schema (nil: unchecked)
}

type responseHeader struct {
	name, key string // key: the canonical form kin-openapi looks up
	required  bool
	schema    *schema
}

// Problem is one way a response breaks the spec. Field is "status",
// "header/<name>", "header/Content-Type" or "body" (with a JSON path
// into it); Reason is one line, worded by this package, not kin-openapi.
type Problem struct {
	Field, Reason string
}

// CompileResponses builds the response checks of every operation of doc.
func CompileResponses(doc *openapi3.T) (*Responses, error) {
	if doc.IsOpenAPI31OrLater() {
		return nil, errors.New("fastvalidator: OpenAPI 3.1 is not implemented")
	}
	out := &Responses{ops: map[string]*responseOp{}}
	c := &compiler{visiting: map[*openapi3.Schema]bool{}, response: map[*openapi3.Schema]*schema{}, inBody: true}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if _, dup := out.ops[op.OperationID]; dup || op.OperationID == "" {
				return nil, fmt.Errorf("fastvalidator: %s: operationId %q is missing or not unique", where, op.OperationID)
			}
			rop, err := c.operationResponses(op, where)
			if err != nil {
				return nil, fmt.Errorf("fastvalidator: %w", err)
			}
			out.ops[op.OperationID] = rop
		}
	}
	return out, nil
}

func (c *compiler) operationResponses(op *openapi3.Operation, where string) (*responseOp, error) {
	out := &responseOp{byCode: map[int]*response{}}
	if op.Responses == nil || op.Responses.Len() == 0 {
		out.none = true
		return out, nil
	}
	for key, ref := range op.Responses.Map() {
		rw := where + " response " + key
		if ref == nil || ref.Value == nil {
			return nil, fmt.Errorf("%s: unresolved response", rw)
		}
		r, err := c.compileResponse(ref.Value, rw)
		if err != nil {
			return nil, err
		}
		switch {
		case key == "default":
			out.dflt = r
		case len(key) == 3 && key[0] >= '1' && key[0] <= '5' && key[1:] == "XX":
			out.ranges[key[0]-'0'] = r
		default:
			code, err := strconv.Atoi(key)
			if err != nil || code < 100 || code > 599 || strconv.Itoa(code) != key {
				return nil, fmt.Errorf("%s: status %q is not implemented", rw, key)
			}
			out.byCode[code] = r
		}
	}
	return out, nil
}

func (c *compiler) compileResponse(r *openapi3.Response, where string) (*response, error) {
	out := &response{media: map[string]*schema{}}
	names := make([]string, 0, len(r.Headers))
	for name := range r.Headers {
		if name != "Content-Type" { // kin-openapi skips exactly this spelling
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		hw := where + " header " + name
		ref := r.Headers[name]
		if ref == nil || ref.Value == nil {
			return nil, fmt.Errorf("%s: unresolved header", hw)
		}
		h := ref.Value
		if h.Content != nil || (h.Style != "" && h.Style != openapi3.SerializationSimple) || (h.Explode != nil && *h.Explode) || h.AllowEmptyValue || h.AllowReserved {
			return nil, fmt.Errorf("%s: content, a style other than simple, explode, allowEmptyValue and allowReserved are not implemented", hw)
		}
		if h.Schema == nil {
			return nil, fmt.Errorf("%s: a header without a schema is not implemented", hw)
		}
		hc := &compiler{visiting: map[*openapi3.Schema]bool{}}
		s, err := hc.schema(h.Schema, hw)
		if err != nil {
			return nil, err
		}
		if s.typ != openapi3.TypeString && s.typ != openapi3.TypeInteger {
			return nil, fmt.Errorf("%s: a header of type %q is not implemented", hw, s.typ)
		}
		out.headers = append(out.headers, responseHeader{name: name, key: http.CanonicalHeaderKey(name), required: h.Required, schema: s})
	}
	for mt, content := range r.Content {
		if mt != "application/json" {
			return nil, fmt.Errorf("%s: response media type %q is not implemented (application/json only)", where, mt)
		}
		if content == nil || len(content.Encoding) > 0 {
			return nil, fmt.Errorf("%s: response content with encodings is not implemented", where)
		}
		out.content = true
		out.media[mt] = nil
		if content.Schema == nil {
			continue
		}
		s, err := c.schema(content.Schema, where+" body")
		if err != nil {
			return nil, err
		}
		out.media[mt] = s
	}
	return out, nil
}

// Operation reports whether id names a compiled operation.
func (v *Responses) Operation(id string) bool { return v.ops[id] != nil }

// Check checks one response of the operation operationID to a request
// with method. It returns nil for a response that keeps to the spec, and
// for an operation it does not know.
func (v *Responses) Check(operationID, method string, status int, header http.Header, body []byte) []Problem {
	op := v.ops[operationID]
	if op == nil || op.none || method == http.MethodHead {
		return nil
	}
	switch status {
	case http.StatusNotModified, http.StatusPermanentRedirect, http.StatusTemporaryRedirect, http.StatusMovedPermanently:
		return nil // kin-openapi never validates these
	}
	r := op.byCode[status]
	if r == nil && 99 < status && status < 600 {
		r = op.ranges[status/100]
	}
	if r == nil {
		r = op.dflt
	}
	if r == nil {
		return []Problem{{Field: "status", Reason: "status " + strconv.Itoa(status) + " is not declared"}}
	}
	var out []Problem
	for i := range r.headers {
		if p, bad := r.headers[i].check(header); bad {
			out = append(out, p)
		}
	}
	if !r.content {
		return out
	}
	ct := header.Get("Content-Type")
	s, ok := r.lookup(ct)
	if !ok {
		return append(out, Problem{Field: "header/Content-Type", Reason: "response Content-Type " + strconv.Quote(ct) + " is not declared"})
	}
	if s == nil {
		return out
	}
	if reason := checkBody(s, body); reason != "" {
		out = append(out, Problem{Field: "body", Reason: reason})
	}
	return out
}

// lookup is openapi3.Content.Get for content that lists application/json
// alone (CompileResponses refuses anything else): the value lower-cased
// and trimmed, else what precedes its parameters. kin-openapi then reads
// the body with the decoder registered for that base type, which
// specvalidator makes DecodeJSON.
func (r *response) lookup(ct string) (*schema, bool) {
	if ct == "" {
		return nil, false // kin-openapi looks up */*, which is never declared here
	}
	ct = strings.ToLower(strings.TrimSpace(ct))
	if s, ok := r.media[ct]; ok {
		return s, true
	}
	base, _, _ := strings.Cut(ct, ";")
	s, ok := r.media[strings.TrimSpace(base)]
	return s, ok
}

// check follows openapi3filter's validateResponseHeader: the first value
// under the canonical key, decoded for the schema's type ("" decodes to
// nothing for an integer), then checked.
func (h *responseHeader) check(header http.Header) (Problem, bool) {
	field := "header/" + h.name
	raw, found := header[h.key]
	if !found {
		if h.required {
			return Problem{Field: field, Reason: "required header is missing"}, true
		}
		return Problem{}, false
	}
	var value any
	if len(raw) > 0 {
		value = raw[0]
		if h.schema.typ == openapi3.TypeInteger {
			value = nil
			if raw[0] != "" {
				n, err := strconv.ParseInt(raw[0], 10, 64)
				if err != nil {
					return Problem{Field: field, Reason: "value " + strconv.Quote(raw[0]) + " is not an integer"}, true
				}
				value = n
			}
		}
	}
	if reason := h.schema.check(value); reason != "" {
		return Problem{Field: field, Reason: reason}, true
	}
	return Problem{}, false
}

// checkBody reads body as kin-openapi does (specvalidator.DecodeJSON) and
// checks it against s as a response value. A body that surely conforms is
// checked in place (conformsInPlace); any other is read and checked.
func checkBody(s *schema, body []byte) string {
	if conformsInPlace(s, body) {
		return ""
	}
	value, err := specvalidator.DecodeJSON(body)
	if err != nil {
		return "not JSON: " + err.Error()
	}
	return s.check(value)
}
