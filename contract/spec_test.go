package contract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/gen/spec"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// The doc page's example request, with its placeholders filled in.
const docConnectorRef = "https://graph.microsoft.com/beta/connector/d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"

func loadValidator(t *testing.T) *specvalidator.Validator {
	t.Helper()
	v, err := specvalidator.Load()
	require.NoError(t, err, "the spec must load and validate, examples included")
	return v
}

func TestSpecValidatesWithItsExamples(t *testing.T) {
	v := loadValidator(t)
	op := v.Doc().Paths.Find("/connectorGroups/{id}/members/$ref").Post
	require.NotNil(t, op, "the doc's operation must be in the spec")
	assert.Equal(t, "addConnectorToConnectorGroup", op.OperationID)
	for _, code := range []string{"201", "204", "400", "401", "403", "404", "413", "415", "429", "5XX"} {
		assert.NotNil(t, op.Responses.Value(code), "response %s must be declared", code)
	}
}

// Breaking an example must make validation fail, or the test above proves
// nothing.
func TestSpecValidationRejectsBrokenExamples(t *testing.T) {
	tests := []struct {
		name    string
		breakIt func(doc *openapi3.T)
	}{
		{"doc's placeholder status", func(doc *openapi3.T) {
			ex := doc.Components.Responses["ConnectorCreated"].Value.Content["application/json"].Examples["doc"].Value
			ex.Value.(map[string]any)["status"] = "status-value"
		}},
		{"doc's placeholder URL", func(doc *openapi3.T) {
			ex := doc.Components.RequestBodies["ConnectorReference"].Value.Content["application/json"].Examples["doc"].Value
			ex.Value.(map[string]any)["@odata.id"] = "https://graph.microsoft.com/{ver}/connector/{id}"
		}},
		{"error without message", func(doc *openapi3.T) {
			ex := doc.Components.Responses["NotFound"].Value.Content["application/json"].Examples["resourceNotFound"].Value
			delete(ex.Value.(map[string]any)["error"].(map[string]any), "message")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := spec.GetSpec() // a fresh copy each time
			require.NoError(t, err)
			tt.breakIt(doc)
			_, err = specvalidator.New(doc)
			assert.Error(t, err)
		})
	}
}

func docExampleRequest(t *testing.T) *http.Request {
	t.Helper()
	req, err := api.NewAddConnectorToConnectorGroupRequest("https://graph.microsoft.com/beta/", "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21", nil,
		api.AddConnectorToConnectorGroupJSONRequestBody{OdataId: docConnectorRef})
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer eyJ0eXAiOiJKV1QifQ.e30.sig")
	return req
}

func TestGeneratedClientRequestValidates(t *testing.T) {
	v := loadValidator(t)
	req := docExampleRequest(t)

	assert.Equal(t, http.MethodPost, req.Method)
	assert.Equal(t, "/beta/connectorGroups/4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21/members/$ref", req.URL.EscapedPath(), "$ref must stay a literal segment")
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	body, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	assert.JSONEq(t, `{"@odata.id":"`+docConnectorRef+`"}`, string(body))
	req.Body = io.NopCloser(bytes.NewReader(body))

	require.NoError(t, v.ValidateRequest(context.Background(), req, specvalidator.Options{}))
}

func TestRequestValidationCatchesBrokenRequests(t *testing.T) {
	v := loadValidator(t)
	tests := []struct {
		name      string
		breakIt   func(r *http.Request)
		wantField string
	}{
		{"no bearer token", func(r *http.Request) { r.Header.Del("Authorization") }, "header/Authorization"},
		{"basic auth", func(r *http.Request) { r.Header.Set("Authorization", "Basic dTpw") }, "header/Authorization"},
		{"placeholder URL", func(r *http.Request) { setBody(r, `{"@odata.id":"https://graph.microsoft.com/{ver}/connector/{id}"}`) }, "body/@odata.id"},
		{"bare id", func(r *http.Request) { setBody(r, `{"@odata.id":"d2b1f9a0"}`) }, "body/@odata.id"},
		{"odata.id without @", func(r *http.Request) { setBody(r, `{"odata.id":"`+docConnectorRef+`"}`) }, "body/@odata.id"},
		{"wrong type", func(r *http.Request) { setBody(r, `{"@odata.id":42}`) }, "body/@odata.id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := docExampleRequest(t)
			tt.breakIt(req)
			err := v.ValidateRequest(context.Background(), req, specvalidator.Options{})
			require.Error(t, err)
			var reqErr *openapi3filter.RequestError
			var secErr *openapi3filter.SecurityRequirementsError
			assert.True(t, errors.As(err, &reqErr) || errors.As(err, &secErr), "want an openapi3filter error, got %T", err)
			got := specvalidator.Violations("op", specvalidator.DirectionRequest, err)
			require.NotEmpty(t, got)
			assert.Equal(t, tt.wantField, got[0].Field, "violations: %v", got)
		})
	}
}

func setBody(r *http.Request, body string) {
	r.Body = io.NopCloser(bytes.NewReader([]byte(body)))
	r.ContentLength = int64(len(body))
}

func TestDocExampleResponseDecodesThroughGeneratedClient(t *testing.T) {
	v := loadValidator(t)
	media := v.Doc().Components.Responses["ConnectorCreated"].Value.Content["application/json"]
	example := media.Examples["doc"].Value.Value
	body, err := json.Marshal(example)
	require.NoError(t, err)

	header := http.Header{}
	header.Set("Content-Type", "application/json")
	header.Set("request-id", "7c1a3e52-9b0d-4c6f-8e21-3f5d6a9b0c14")
	header.Set("client-request-id", "0f9a2b64-1c7e-4f0e-9d53-6c2a1e8b7d40")
	header.Set("OData-Version", "4.0")
	require.NoError(t, v.ValidateResponse(context.Background(), docExampleRequest(t), http.StatusCreated, header, body))

	resp, err := api.ParseAddConnectorToConnectorGroupResponse(&http.Response{
		StatusCode: http.StatusCreated,
		Header:     header,
		Body:       io.NopCloser(bytes.NewReader(body)),
	})
	require.NoError(t, err)
	require.NotNil(t, resp.JSON201, "a 201 must decode into JSON201")
	want := example.(map[string]any)
	assert.Equal(t, want["id"], resp.JSON201.Id)
	assert.Equal(t, want["machineName"], resp.JSON201.MachineName)
	assert.Equal(t, want["externalIp"], resp.JSON201.ExternalIp)
	assert.Equal(t, api.ConnectorStatusActive, resp.JSON201.Status)
	assert.True(t, resp.JSON201.Status.Valid())
}

func TestResponseValidationCatchesBrokenResponses(t *testing.T) {
	v := loadValidator(t)
	good := `{"id":"c-1","machineName":"m","externalIp":"203.0.113.10","status":"active"}`
	tests := []struct {
		name      string
		status    int
		body      string
		dropHdr   string
		wantField string
	}{
		{"undeclared 200", http.StatusOK, good, "", "status"},
		{"missing machineName", 201, `{"id":"c-1","externalIp":"203.0.113.10","status":"active"}`, "", "body/machineName"},
		{"status outside enum", 201, `{"id":"c-1","machineName":"m","externalIp":"203.0.113.10","status":"status-value"}`, "", "body/status"},
		{"externalIp not a string", 201, `{"id":"c-1","machineName":"m","externalIp":1,"status":"active"}`, "", "body/externalIp"},
		{"missing request-id", 201, good, "request-id", "header/request-id"},
		{"error not in Graph format", 404, `{"message":"nope"}`, "", "body/error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := http.Header{}
			header.Set("Content-Type", "application/json")
			header.Set("request-id", "r-1")
			header.Set("client-request-id", "c-1")
			header.Set("OData-Version", "4.0")
			header.Del(tt.dropHdr)
			err := v.ValidateResponse(context.Background(), docExampleRequest(t), tt.status, header, []byte(tt.body))
			require.Error(t, err)
			var respErr *openapi3filter.ResponseError
			assert.True(t, errors.As(err, &respErr), "want a ResponseError, got %T", err)
			got := specvalidator.Violations("op", specvalidator.DirectionResponse, err)
			require.NotEmpty(t, got)
			assert.Equal(t, tt.wantField, got[0].Field, "violations: %v", got)
		})
	}
}

// The client says which spec it was written for: its Version, in the
// default User-Agent, is the spec's info.version.
func TestClientVersionIsTheSpecs(t *testing.T) {
	v := loadValidator(t)
	assert.Equal(t, v.Doc().Info.Version, client.Version, "bump client.Version with the spec's info.version")
}
