package contract_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/gen/api"
)

// The doc page's example request, its placeholders filled in, exactly as
// the spec's example gives it.
const docExampleBody = `{
  "@odata.id": "https://graph.microsoft.com/beta/connector/d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"
}`

// The round trip: the doc's exact request goes through the generated
// client, the validating transport and the reference server, and the
// doc's connector comes back.
func TestRoundTripOfTheDocsExample(t *testing.T) {
	srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed())
	var (
		mu   sync.Mutex
		sent [][]byte
	)
	tr := newTransport(t, srv.Client().Transport, contract.WithOnExchange(func(ex contract.Exchange) {
		mu.Lock()
		sent = append(sent, ex.RequestBody)
		mu.Unlock()
	}))
	c := generatedClient(t, srv.URL+"/beta", tr, devToken)

	resp, err := c.AddConnectorToConnectorGroupWithBodyWithResponse(context.Background(), emptyGroup,
		&api.AddConnectorToConnectorGroupParams{}, "application/json", strings.NewReader(docExampleBody))
	require.NoError(t, err)

	require.Equal(t, http.StatusCreated, resp.StatusCode(), "body: %s", resp.Body)
	require.NotNil(t, resp.JSON201)
	assert.Equal(t, docConnector, resp.JSON201.Id)
	assert.Equal(t, "CONNECTOR-01.contoso.com", resp.JSON201.MachineName)
	assert.Equal(t, "203.0.113.10", resp.JSON201.ExternalIp)
	assert.Equal(t, api.ConnectorStatusActive, resp.JSON201.Status)
	assert.Empty(t, tr.Violations())
	assert.GreaterOrEqual(t, tr.Exchanges(), 1)
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, sent)
	assert.Equal(t, docExampleBody, string(sent[0]), "the doc's request must reach the server as written")
}

// The same exchange through the generated client's own JSON request.
func TestRoundTripWithTheGeneratedRequestBody(t *testing.T) {
	srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed())
	tr := newTransport(t, srv.Client().Transport)
	c := generatedClient(t, srv.URL+"/beta", tr, devToken)

	resp := addMember(t, c, emptyGroup, docConnector)

	require.Equal(t, http.StatusCreated, resp.StatusCode(), "body: %s", resp.Body)
	require.NotNil(t, resp.JSON201)
	assert.Equal(t, docConnector, resp.JSON201.Id)
	assert.Empty(t, tr.Violations())
	assert.Equal(t, 1, tr.Exchanges())
}

// Graph's errors conform too: each valid request that the server refuses
// comes back in the declared shape.
func TestClientSideErrorExchangesConform(t *testing.T) {
	tests := []struct {
		name      string
		token     string
		group     string
		connector string
		wantCode  int
		wantError string
	}{
		{"unknown group", devToken, "00000000-0000-4000-8000-000000000000", docConnector, 404, "Request_ResourceNotFound"},
		{"unknown connector", devToken, emptyGroup, "00000000-0000-4000-8000-000000000001", 404, "Request_ResourceNotFound"},
		{"a token the service does not know", "junk-token", emptyGroup, docConnector, 401, "InvalidAuthenticationToken"},
		{"a token without the scopes", readerToken, emptyGroup, docConnector, 403, "Authorization_RequestDenied"},
		{"already a member", devToken, europeGroup, memberConnector, 400, "Request_BadRequest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed())
			tr := newTransport(t, srv.Client().Transport)
			c := generatedClient(t, srv.URL+"/beta", tr, tt.token)

			resp := addMember(t, c, tt.group, tt.connector)

			require.Equal(t, tt.wantCode, resp.StatusCode(), "body: %s", resp.Body)
			assert.Equal(t, tt.wantError, graphErrorCode(t, resp))
			assert.Empty(t, tr.Violations())
			assert.Equal(t, 1, tr.Exchanges())
		})
	}
}

func TestClientSideDuplicateAddGetsGraphsMessage(t *testing.T) {
	srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed())
	tr := newTransport(t, srv.Client().Transport)
	c := generatedClient(t, srv.URL+"/beta", tr, devToken)

	require.Equal(t, http.StatusCreated, addMember(t, c, emptyGroup, docConnector).StatusCode())
	again := addMember(t, c, emptyGroup, docConnector)

	require.Equal(t, http.StatusBadRequest, again.StatusCode())
	require.NotNil(t, again.JSON400)
	assert.Equal(t, "Request_BadRequest", again.JSON400.Error.Code)
	assert.Equal(t, "One or more added object references already exist for the following modified properties: 'members'.", again.JSON400.Error.Message)
	assert.Empty(t, tr.Violations())
	assert.Equal(t, 2, tr.Exchanges())
}

func graphErrorCode(t *testing.T, resp *api.AddConnectorToConnectorGroupResponse) string {
	t.Helper()
	for _, e := range []*api.ODataError{resp.JSON400, resp.JSON401, resp.JSON403, resp.JSON404} {
		if e != nil {
			return e.Error.Code
		}
	}
	t.Fatalf("no Graph error decoded from %d %s", resp.StatusCode(), resp.Body)
	return ""
}
