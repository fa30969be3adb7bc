package fastvalidator

import (
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

func compiledResponses(t *testing.T) *Responses {
	t.Helper()
	v, err := specvalidator.Load()
	require.NoError(t, err)
	c, err := CompileResponses(v.Doc())
	require.NoError(t, err)
	return c
}

func TestCheckResponse(t *testing.T) {
	c := compiledResponses(t)
	okHeader := func(extra ...string) http.Header {
		h := http.Header{"Content-Type": {graph.ContentTypeEntity}, "Request-Id": {"r"}, "Client-Request-Id": {"c"}, "Odata-Version": {"4.0"}}
		for i := 0; i+1 < len(extra); i += 2 {
			if extra[i+1] == "-" {
				delete(h, extra[i])
			} else {
				h[extra[i]] = []string{extra[i+1]}
			}
		}
		return h
	}
	const group = `{"id":"g","name":"n","connectorGroupType":"applicationProxy","isDefault":false,"region":null}`
	const errBody = `{"error":{"code":"","message":"m","innerError":{"date":"2023-07-07T11:13:19","innerError":{"code":"x"}}}}`
	tests := []struct {
		name   string
		op     string
		status int
		header http.Header
		body   string
		want   []string // the fields at fault
	}{
		{"a group", "getConnectorGroup", 200, okHeader(), group, nil},
		{"a page", "listConnectorGroups", 200, okHeader(), `{"value":[` + group + `],"@odata.nextLink":"https://h/beta/x?$skiptoken=1"}`, nil},
		{"an error at 5XX with Retry-After", "getConnectorGroup", 503, okHeader("Retry-After", "3", "Odata-Version", "-"), errBody, nil},
		{"no content: the body is not read", "deleteConnectorGroup", 204, okHeader("Content-Type", "-"), "not json", nil},
		{"an undeclared status", "getConnectorGroup", 202, okHeader(), group, []string{"status"}},
		{"a region Graph added", "getConnectorGroup", 200, okHeader(), `{"id":"g","name":"n","connectorGroupType":"applicationProxy","isDefault":false,"region":"japan"}`, []string{"body"}},
		{"a readOnly required property is required in a response", "getConnectorGroup", 200, okHeader(), `{"name":"n","connectorGroupType":"applicationProxy","isDefault":false}`, []string{"body"}},
		{"an item of a page", "listConnectors", 200, okHeader(), `{"value":[{"id":"c"}]}`, []string{"body"}},
		{"text/plain", "getConnectorGroup", 200, okHeader("Content-Type", "text/plain"), group, []string{"header/Content-Type"}},
		{"a missing request-id and a bad OData-Version", "getConnectorGroup", 200, okHeader("Request-Id", "-", "Odata-Version", "4.01"), group, []string{"header/OData-Version", "header/request-id"}},
		{"a negative Retry-After", "listConnectors", 429, okHeader("Retry-After", "-1"), errBody, []string{"header/Retry-After"}},
		{"an empty request-id", "listConnectors", 401, okHeader("Request-Id", ""), errBody, []string{"header/request-id"}},
		{"a duplicate key", "getConnectorGroup", 200, okHeader(), `{"id":"g","id":"h"}`, []string{"body"}},
		{"HEAD is never checked", "getConnectorGroup", 418, okHeader(), "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := http.MethodGet
			if tt.name == "HEAD is never checked" {
				method = http.MethodHead
			}
			var fields []string
			for _, p := range c.Check(tt.op, method, tt.status, tt.header, []byte(tt.body)) {
				fields = append(fields, p.Field)
			}
			assert.Equal(t, tt.want, fields)
		})
	}
}

// A construct the compiled response checker does not implement must fail
// CompileResponses, never be skipped.
func TestCompileResponsesRefusesWhatItDoesNotImplement(t *testing.T) {
	doc := func(r *openapi3.Response, status string) *openapi3.T {
		op := &openapi3.Operation{OperationID: "op", Responses: openapi3.NewResponses(openapi3.WithName(status, r))}
		return &openapi3.T{OpenAPI: "3.0.3", Paths: openapi3.NewPaths(openapi3.WithPath("/x", &openapi3.PathItem{Get: op}))}
	}
	explode := true
	header := func(h *openapi3.Header) openapi3.Headers { return openapi3.Headers{"X": {Value: h}} }
	maxItems := uint64(2)
	tests := []struct {
		name   string
		r      *openapi3.Response
		status string
	}{
		{"text/plain", openapi3.NewResponse().WithContent(openapi3.NewContentWithSchema(openapi3.NewStringSchema(), []string{"text/plain"})), "200"},
		{"a media range", openapi3.NewResponse().WithContent(openapi3.NewContentWithSchema(openapi3.NewObjectSchema(), []string{"application/*"})), "200"},
		{"maxItems", openapi3.NewResponse().WithJSONSchema(&openapi3.Schema{Type: &openapi3.Types{"array"}, Items: openapi3.NewStringSchema().NewRef(), MaxItems: &maxItems}), "200"},
		{"writeOnly", openapi3.NewResponse().WithJSONSchema(openapi3.NewObjectSchema().WithProperty("p", &openapi3.Schema{Type: &openapi3.Types{"string"}, WriteOnly: true})), "200"},
		{"a header with content", &openapi3.Response{Headers: header(&openapi3.Header{Parameter: openapi3.Parameter{Content: openapi3.NewContentWithJSONSchema(openapi3.NewStringSchema())}})}, "200"},
		{"an exploded header", &openapi3.Response{Headers: header(&openapi3.Header{Parameter: openapi3.Parameter{Explode: &explode, Schema: openapi3.NewStringSchema().NewRef()}})}, "200"},
		{"a boolean header", &openapi3.Response{Headers: header(&openapi3.Header{Parameter: openapi3.Parameter{Schema: openapi3.NewBoolSchema().NewRef()}})}, "200"},
		{"a status range written 2xx", openapi3.NewResponse(), "2xx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CompileResponses(doc(tt.r, tt.status))
			assert.Error(t, err)
		})
	}
	_, err := CompileResponses(doc(openapi3.NewResponse().WithJSONSchema(openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema())), "default"))
	assert.NoError(t, err, "an array under default compiles")
}
