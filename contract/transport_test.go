package contract_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/gen/api"
)

const (
	connectorJSON   = `{"id":"d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30","machineName":"CONNECTOR-01.contoso.com","externalIp":"203.0.113.10","status":"active"}`
	notFoundJSON    = `{"error":{"code":"Request_ResourceNotFound","message":"Resource 'x' does not exist or one of its queried reference-property objects are not present."}}`
	throttledJSON   = `{"error":{"code":"TooManyRequests","message":"Too many requests."}}`
	addOperationID  = "addConnectorToConnectorGroup"
	docReferenceRaw = `{"@odata.id":"https://graph.microsoft.com/beta/connector/d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"}`
)

// stubResponse is what a stub server answers.
type stubResponse struct {
	status int
	header map[string]string // "" as a value deletes the default
	body   string
}

// seenRequest is what reached a stub server.
type seenRequest struct {
	method, path  string
	header        http.Header
	body          []byte
	contentLength int64
}

// stub answers every request with resp: by default with JSON and both
// correlation headers. It records the requests it saw.
func stub(t *testing.T, resp stubResponse) (*httptest.Server, func() []seenRequest) {
	t.Helper()
	var (
		mu   sync.Mutex
		seen []seenRequest
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, seenRequest{r.Method, r.URL.EscapedPath(), r.Header.Clone(), body, r.ContentLength})
		mu.Unlock()
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("request-id", "7c1a3e52-9b0d-4c6f-8e21-3f5d6a9b0c14")
		h.Set("client-request-id", "0f9a2b64-1c7e-4f0e-9d53-6c2a1e8b7d40")
		h.Set("OData-Version", "4.0")
		for k, v := range resp.header {
			if v == "" {
				h.Del(k)
			} else {
				h.Set(k, v)
			}
		}
		w.WriteHeader(resp.status)
		_, _ = io.WriteString(w, resp.body)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []seenRequest {
		mu.Lock()
		defer mu.Unlock()
		return append([]seenRequest(nil), seen...)
	}
}

func TestTransportFindsNothingInAConformingExchange(t *testing.T) {
	srv, _ := stub(t, stubResponse{status: http.StatusCreated, body: connectorJSON})
	tr := newTransport(t, nil)
	c := generatedClient(t, srv.URL+"/beta", tr, devToken)

	resp := addMember(t, c, emptyGroup, docConnector)

	require.Equal(t, http.StatusCreated, resp.StatusCode())
	require.NotNil(t, resp.JSON201, "the generated client must still decode the body")
	assert.Equal(t, "CONNECTOR-01.contoso.com", resp.JSON201.MachineName)
	assert.Empty(t, tr.Violations())
	assert.Equal(t, 1, tr.Exchanges())
}

func TestTransportRecordsResponseViolations(t *testing.T) {
	tests := []struct {
		name       string
		resp       stubResponse
		wantFields []string
	}{
		{"200 instead of 201", stubResponse{status: 200, body: connectorJSON}, []string{"status"}},
		{"machineName dropped", stubResponse{status: 201, body: `{"id":"c","externalIp":"203.0.113.10","status":"active"}`}, []string{"body/machineName"}},
		{"status outside its enum", stubResponse{status: 201, body: strings.Replace(connectorJSON, `"active"`, `"status-value"`, 1)}, []string{"body/status"}},
		{"externalIp not a string", stubResponse{status: 201, body: strings.Replace(connectorJSON, `"203.0.113.10"`, `203`, 1)}, []string{"body/externalIp"}},
		{"text/plain error", stubResponse{status: 404, header: map[string]string{"Content-Type": "text/plain"}, body: "not found"}, []string{"header/Content-Type"}},
		{"error not in Graph's format", stubResponse{status: 404, body: `{"message":"not found"}`}, []string{"body/error"}},
		{"missing request-id", stubResponse{status: 201, header: map[string]string{"request-id": ""}, body: connectorJSON}, []string{"header/request-id"}},
		{"429 with a Retry-After that is no number", stubResponse{status: 429, header: map[string]string{"Retry-After": "soon"}, body: throttledJSON}, []string{"header/Retry-After"}},
		{"201 without OData-Version", stubResponse{status: 201, header: map[string]string{"OData-Version": ""}, body: connectorJSON}, []string{"header/OData-Version"}},
		// openapi3filter stops at the first bad header; the Validator goes on.
		{"both correlation headers missing and a broken body", stubResponse{
			status: 201,
			header: map[string]string{"request-id": "", "client-request-id": ""},
			body:   `{"id":"c","externalIp":"203.0.113.10","status":"active"}`,
		}, []string{"header/client-request-id", "header/request-id", "body/machineName"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := stub(t, tt.resp)
			tr := newTransport(t, nil)
			postDocExample(t, &http.Client{Transport: tr}, srv.URL+"/beta")

			got := tr.Violations()
			assert.ElementsMatch(t, tt.wantFields, fields(got), "violations: %v", got)
			for _, v := range got {
				assert.Equal(t, addOperationID, v.Operation)
				assert.Equal(t, contract.DirectionResponse, v.Direction)
				assert.NotEmpty(t, v.Reason)
				assert.NotContains(t, v.Reason, "\n", "a reason is one line")
			}
		})
	}
}

func TestTransportRecordsRequestViolationsAndStillSends(t *testing.T) {
	tests := []struct {
		name      string
		method    string
		path      string
		auth      string
		body      string
		wantField string
	}{
		{"no Bearer header", http.MethodPost, "/beta/connectorGroups/g/members/$ref", "", docReferenceRaw, "header/Authorization"},
		{"odata.id without @", http.MethodPost, "/beta/connectorGroups/g/members/$ref", "Bearer t", `{"odata.id":"https://graph.microsoft.com/beta/connector/c"}`, "body/@odata.id"},
		{"wrong method", http.MethodGet, "/beta/connectorGroups/g/members/$ref", "Bearer t", "", "route"},
		{"wrong path", http.MethodPost, "/beta/connectorGroup/g/members/$ref", "Bearer t", docReferenceRaw, "route"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, seen := stub(t, stubResponse{status: http.StatusCreated, body: connectorJSON})
			tr := newTransport(t, nil)
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}

			resp, err := (&http.Client{Transport: tr}).Do(req)
			require.NoError(t, err)
			_ = resp.Body.Close()

			got := tr.Violations()
			require.NotEmpty(t, got)
			assert.Equal(t, tt.wantField, got[0].Field, "violations: %v", got)
			assert.Equal(t, contract.DirectionRequest, got[0].Direction)
			assert.Len(t, seen(), 1, "a violating request is still sent")
		})
	}
}

// The Transport only watches: the server must get exactly what the client
// sent, and the caller exactly what the server answered.
func TestTransportChangesNothingOnTheWire(t *testing.T) {
	srv, seen := stub(t, stubResponse{status: http.StatusCreated, body: connectorJSON})
	tr := newTransport(t, nil)
	body := []byte("{\n  \"@odata.id\": \"https://graph.microsoft.com/beta/connector/" + docConnector + "\"\n}")
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/beta/connectorGroups/"+emptyGroup+"/members/$ref", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+devToken)
	req.Header.Set("client-request-id", "0f9a2b64-1c7e-4f0e-9d53-6c2a1e8b7d40")

	resp, err := (&http.Client{Transport: tr}).Do(req) // a plain client, not the generated one
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	assert.Equal(t, connectorJSON, string(got), "the caller must still read the whole body")
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "0f9a2b64-1c7e-4f0e-9d53-6c2a1e8b7d40", resp.Header.Get("client-request-id"))
	requests := seen()
	require.Len(t, requests, 1)
	sent := requests[0]
	assert.Equal(t, body, sent.body, "the body must reach the server byte for byte")
	assert.Equal(t, int64(len(body)), sent.contentLength)
	assert.Equal(t, http.MethodPost, sent.method)
	assert.Equal(t, "/beta/connectorGroups/"+emptyGroup+"/members/$ref", sent.path)
	for _, h := range []string{"Content-Type", "Authorization", "client-request-id"} {
		assert.Equal(t, req.Header.Get(h), sent.header.Get(h), h)
	}
	assert.Empty(t, tr.Violations())
	assert.Equal(t, 1, tr.Exchanges())
}

func TestTransportReportsEachExchangeWithoutTheToken(t *testing.T) {
	srv, _ := stub(t, stubResponse{status: 200, body: connectorJSON})
	var (
		mu         sync.Mutex
		exchanges  []contract.Exchange
		violations []contract.Violation
	)
	tr := newTransport(t, nil,
		contract.WithOnExchange(func(ex contract.Exchange) { mu.Lock(); exchanges = append(exchanges, ex); mu.Unlock() }),
		contract.WithOnViolation(func(v contract.Violation) { mu.Lock(); violations = append(violations, v); mu.Unlock() }))

	addMember(t, generatedClient(t, srv.URL+"/beta", tr, "s3cret-token"), emptyGroup, docConnector)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, exchanges, 1)
	ex := exchanges[0]
	assert.Equal(t, addOperationID, ex.Operation)
	assert.Equal(t, http.MethodPost, ex.Method)
	assert.Equal(t, http.StatusOK, ex.Status)
	assert.JSONEq(t, docReferenceRaw, string(ex.RequestBody))
	assert.Equal(t, connectorJSON, string(ex.ResponseBody))
	assert.Equal(t, "Bearer [REDACTED]", ex.RequestHeader.Get("Authorization"))
	assert.Equal(t, []string{"status"}, fields(ex.ResponseViolations()))
	assert.Equal(t, tr.Violations(), violations, "WithOnViolation sees what Violations returns")
}

func TestTransportResetForgetsTheRecord(t *testing.T) {
	srv, _ := stub(t, stubResponse{status: 200, body: connectorJSON})
	tr := newTransport(t, nil)
	addMember(t, generatedClient(t, srv.URL+"/beta", tr, devToken), emptyGroup, docConnector)
	require.NotEmpty(t, tr.Violations())

	tr.Reset()

	assert.Empty(t, tr.Violations())
	assert.Zero(t, tr.Exchanges())
}

// postDocExample sends the doc's example with a plain client, which, unlike
// the generated one, does not choke on a body it cannot decode.
func postDocExample(t *testing.T, c *http.Client, baseURL string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, baseURL+"/connectorGroups/"+emptyGroup+"/members/$ref", strings.NewReader(docReferenceRaw))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+devToken)
	resp, err := c.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
}

type failingRoundTripper struct{ err error }

func (f failingRoundTripper) RoundTrip(*http.Request) (*http.Response, error) { return nil, f.err }

func TestTransportPassesOnTheBaseTransportsError(t *testing.T) {
	boom := errors.New("connection refused")
	tr := newTransport(t, failingRoundTripper{boom})
	c := generatedClient(t, "http://127.0.0.1:1/beta", tr, devToken)

	_, err := c.AddConnectorToConnectorGroupWithResponse(context.Background(), emptyGroup, nil,
		api.AddConnectorToConnectorGroupJSONRequestBody{OdataId: "https://graph.microsoft.com/beta/connector/" + docConnector})

	require.ErrorIs(t, err, boom)
	assert.Equal(t, 1, tr.Exchanges(), "a failed round trip still counts as seen")
	assert.Empty(t, tr.Violations(), "the request itself was fine")
}

func TestRedactedHeaderHidesTokensOnly(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Bearer eyJ0eXAiOiJKV1QifQ.e30.sig", "Bearer [REDACTED]"},
		{"Basic dTpw", "Basic [REDACTED]"},
		{"Bearer ", "Bearer "},
		{"opaque-token", "[REDACTED]"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			h := http.Header{"Authorization": {tt.in}, "Content-Type": {"application/json"}}
			got := contract.RedactedHeader(h)
			assert.Equal(t, tt.want, got.Get("Authorization"))
			assert.Equal(t, "application/json", got.Get("Content-Type"))
			assert.Equal(t, tt.in, h.Get("Authorization"), "the original header is left alone")
		})
	}
}
