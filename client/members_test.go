package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// captureTransport answers every request 204 without a network, and keeps
// each request's URL and @odata.id: national clouds can be named without
// reaching them.
type captureTransport struct {
	mu   sync.Mutex
	urls []string
	refs []string
}

func (ct *captureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	var body map[string]string
	if r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		json.Unmarshal(b, &body)
	}
	ct.mu.Lock()
	ct.urls = append(ct.urls, r.URL.String())
	ct.refs = append(ct.refs, body["@odata.id"])
	ct.mu.Unlock()
	return &http.Response{StatusCode: http.StatusNoContent, Status: "204 No Content", Header: http.Header{}, Body: http.NoBody, Request: r}, nil
}

// Links name the service the client talks to: they are built from the
// base URL, a national cloud's or a loopback fake's, never from a fixed
// host; each mode's path and link form go together.
func TestMembership_LinksFromTheBaseURL(t *testing.T) {
	bases := []string{
		"https://graph.microsoft.com/beta",
		"https://graph.microsoft.us/beta",
		"https://dod-graph.microsoft.us/beta",
		"https://microsoftgraph.chinacloudapi.cn/beta",
		"http://127.0.0.1:8080/beta",
	}
	for _, base := range bases {
		t.Run(base, func(t *testing.T) {
			ct := &captureTransport{}
			hc := &http.Client{Transport: ct}
			today, err := NewClient(WithBaseURL(base), WithHTTPClient(hc), WithTokenSource(StaticToken(testToken)))
			require.NoError(t, err)
			doc, err := NewClient(WithBaseURL(base), WithHTTPClient(hc), WithTokenSource(StaticToken(testToken)), WithDocPath())
			require.NoError(t, err)

			ctx := context.Background()
			_, err = today.AddConnector(ctx, testGroup, testConnector)
			require.NoError(t, err)
			_, err = doc.AddConnector(ctx, testGroup, testConnector)
			require.NoError(t, err)
			require.NoError(t, today.AddConnectorViaMemberOf(ctx, testGroup, testConnector))
			require.NoError(t, doc.AddConnectorViaMemberOf(ctx, testGroup, testConnector), "WithDocPath changes AddConnector only")

			wantURLs := []string{
				base + "/onPremisesPublishingProfiles/applicationProxy/connectorGroups/" + testGroup + "/members/$ref",
				base + "/connectorGroups/" + testGroup + "/members/$ref",
				base + "/onPremisesPublishingProfiles/applicationProxy/connectors/" + testConnector + "/memberOf/$ref",
				base + "/onPremisesPublishingProfiles/applicationProxy/connectors/" + testConnector + "/memberOf/$ref",
			}
			wantRefs := []string{
				base + "/onPremisesPublishingProfiles/applicationProxy/connectors/" + testConnector,
				base + "/connector/" + testConnector,
				base + "/onPremisesPublishingProfiles/applicationProxy/connectorGroups/" + testGroup,
				base + "/onPremisesPublishingProfiles/applicationProxy/connectorGroups/" + testGroup,
			}
			assert.Equal(t, wantURLs, ct.urls)
			assert.Equal(t, wantRefs, ct.refs)
			// Each link is one the service's own parser reads back.
			for _, ref := range ct.refs[:2] {
				id, err := graph.ParseConnectorLink(ref)
				assert.NoError(t, err, ref)
				assert.Equal(t, testConnector, id)
			}
			for _, ref := range ct.refs[2:] {
				id, err := graph.ParseConnectorGroupLink(ref)
				assert.NoError(t, err, ref)
				assert.Equal(t, testGroup, id)
			}
		})
	}
}

// WithDocPath posts the doc page's request: its path and its link form,
// and reads its 201 with the connector, through the validating transport.
func TestAddConnector_WithDocPath(t *testing.T) {
	e := setup(t, WithDocPath())
	var gotBody []byte
	e.mux.HandleFunc(docAddPattern, func(w http.ResponseWriter, r *http.Request) {
		testCommonHeaders(t, r)
		testHeader(t, r, "Content-Type", "application/json")
		gotBody = readAll(t, r)
		createdHandler(w, r)
	})
	e.mux.HandleFunc(addPattern, func(w http.ResponseWriter, r *http.Request) { t.Error("today's path used WithDocPath") })
	conn, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
	require.NoError(t, err)
	assert.Equal(t, connector01, *conn)
	assert.Equal(t, `{"@odata.id":"`+e.srv.URL+`/beta/connector/`+testConnector+`"}`, string(gotBody))
	assertValidTraffic(t, e.tr)
}

// The group id is path-escaped in AddConnectorViaMemberOf's link, as in the path.
func TestAddConnectorViaMemberOf_EscapesIDs(t *testing.T) {
	e := setup(t)
	var gotID, gotRef string
	e.mux.HandleFunc("POST "+appProxy+"/connectors/{id}/memberOf/$ref", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		json.Unmarshal(readAll(t, r), &body)
		gotID, gotRef = r.PathValue("id"), body["@odata.id"]
		noContent(w, r)
	})
	require.NoError(t, e.client.AddConnectorViaMemberOf(context.Background(), "g#h%i", "c?x=1#y"))
	assert.Equal(t, "c?x=1#y", gotID)
	assert.Equal(t, e.srv.URL+"/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/g%23h%25i", gotRef)
	id, err := graph.ParseConnectorGroupLink(gotRef)
	require.NoError(t, err)
	assert.Equal(t, "g#h%i", id)
	assert.False(t, strings.Contains(gotRef, "?"))
	assertValidTraffic(t, e.tr)
}
