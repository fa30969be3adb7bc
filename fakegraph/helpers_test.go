package fakegraph

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// Ids from defaultseed.json.
const (
	defaultGroupID = "0c5e7a93-6d2f-4b18-9e40-a3f1c8d2b765" // "Default": holds docConnectorID and inactiveConnID, which the seed places nowhere
	emptyGroupID   = "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21" // "North America", no members
	europeGroupID  = "9e7c3a58-2b1d-4f60-8a94-c5e0d7b2f316" // has member europeMember
	docConnectorID = "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30" // the doc example's connector
	europeMember   = "6c0e2b7d-91a4-4f38-b5d2-0a7e3c9f1e64"
	inactiveConnID = "0b9d4e21-5a7c-4c86-9e3f-d1a2b6c8f057"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func membersPath(prefix, groupID string) string {
	return prefix + "/connectorGroups/" + groupID + "/members/$ref"
}

func refBody(ref string) string {
	b, _ := json.Marshal(map[string]string{"@odata.id": ref})
	return string(b)
}

func docRef(connectorID string) string {
	return "https://graph.microsoft.com/beta/connector/" + connectorID
}

// exchange is one request and its response, body read.
type exchange struct {
	req    *http.Request
	status int
	header http.Header
	body   []byte
}

// call is a request to send: by default the doc's POST with dev-token.
type call struct {
	method      string
	path        string
	token       string   // "" sends no Authorization header; see authHeader
	authHeader  string   // the raw Authorization value, overrides token
	authHeaders []string // several Authorization headers, overrides both
	contentType string
	body        string
	header      map[string]string
}

func docCall(groupID, connectorID string) call {
	return call{
		method: http.MethodPost, path: membersPath("/beta", groupID), token: "dev-token",
		contentType: "application/json", body: refBody(docRef(connectorID)),
	}
}

// send makes the call through real HTTP and checks the response against
// the spec whenever the path names an operation. Redirects are not followed:
// the fake must never answer with one.
func send(t *testing.T, srv *httptest.Server, c call) exchange {
	t.Helper()
	ex, err := roundTrip(srv, c)
	require.NoError(t, err)
	requireSpecValid(t, ex)
	return ex
}

// roundTrip sends without asserting anything, for use off the test's
// goroutine. On error the exchange is unusable (its req may be nil).
func roundTrip(srv *httptest.Server, c call) (exchange, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, c.method, srv.URL+c.path, strings.NewReader(c.body))
	if err != nil {
		return exchange{}, fmt.Errorf("building %s %s: %w", c.method, c.path, err)
	}
	if c.body == "" {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	switch {
	case c.authHeaders != nil:
		for _, v := range c.authHeaders {
			req.Header.Add("Authorization", v)
		}
	case c.authHeader != "":
		req.Header.Set("Authorization", c.authHeader)
	case c.token != "":
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	client := *srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		return exchange{}, fmt.Errorf("%s %s: %w", c.method, c.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return exchange{}, fmt.Errorf("%s %s: reading the body: %w", c.method, c.path, err)
	}
	return exchange{req: req, status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// requireSpecValid checks the response against the spec, status included,
// when the request names an operation; every such response must conform.
func requireSpecValid(t *testing.T, ex exchange) {
	t.Helper()
	v, err := specvalidator.Load()
	require.NoError(t, err)
	if _, _, err := v.Route(ex.req); err != nil {
		return // no operation (unknown path, other method): see requireGraphError
	}
	err = v.ValidateResponse(context.Background(), ex.req, ex.status, ex.header, ex.body)
	require.Empty(t, specvalidator.Violations(v.OperationID(ex.req), specvalidator.DirectionResponse, err),
		"response %d %s", ex.status, ex.body)
}

// requireSpecValidAs checks the response against the operation that the
// server served it as, for a request whose own path the spec's router
// cannot route (an id with an encoded slash): standIn is a path the router
// routes to that operation. Unlike requireSpecValid, it never skips.
func requireSpecValidAs(t *testing.T, ex exchange, standIn string) {
	t.Helper()
	req := ex.req.Clone(context.Background())
	u := *req.URL
	u.Path, u.RawPath = standIn, ""
	req.URL = &u
	v, err := specvalidator.Load()
	require.NoError(t, err)
	_, _, err = v.Route(req)
	require.NoError(t, err, "the stand-in %s must name an operation", standIn)
	err = v.ValidateResponse(context.Background(), req, ex.status, ex.header, ex.body)
	require.Empty(t, specvalidator.Violations(v.OperationID(req), specvalidator.DirectionResponse, err),
		"response %d %s", ex.status, ex.body)
}

// requireGraphError checks a Graph error by hand, shape included, so that
// it also covers responses the spec has no operation for (404/405).
func requireGraphError(t *testing.T, ex exchange, status int, code, message string) api.ODataError {
	t.Helper()
	require.Equal(t, status, ex.status, "body: %s", ex.body)
	assert.Equal(t, "application/json", ex.header.Get("Content-Type"))
	requireRequestIDs(t, ex)

	var raw map[string]map[string]any
	require.NoError(t, json.Unmarshal(ex.body, &raw), "the body must be JSON: %s", ex.body)
	require.Contains(t, raw, "error", "an ODataError has a top-level error")

	var odata api.ODataError
	require.NoError(t, json.Unmarshal(ex.body, &odata))
	assert.Equal(t, code, odata.Error.Code)
	if message != "" {
		assert.Equal(t, message, odata.Error.Message)
	}
	inner := odata.Error.InnerError
	require.NotNil(t, inner, "innerError")
	require.NotNil(t, inner.Date, "innerError.date")
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$`, *inner.Date, "innerError.date is UTC without a zone, as Graph writes it")
	date, ok := graph.ParseDate(*inner.Date)
	require.True(t, ok, "innerError.date %q", *inner.Date)
	assert.WithinDuration(t, time.Now(), date, time.Minute)
	require.NotNil(t, inner.RequestId)
	require.NotNil(t, inner.ClientRequestId)
	assert.Equal(t, ex.header.Get("request-id"), *inner.RequestId)
	assert.Equal(t, ex.header.Get("client-request-id"), *inner.ClientRequestId)
	return odata
}

// requireRequestIDs checks the correlation headers every response carries.
func requireRequestIDs(t *testing.T, ex exchange) {
	t.Helper()
	assert.Regexp(t, uuidPattern, ex.header.Get("request-id"))
	clientID := ex.header.Get("client-request-id")
	if sent := ex.req.Header.Get("client-request-id"); sent != "" {
		assert.Equal(t, sent, clientID, "client-request-id is echoed unchanged")
	} else {
		assert.Equal(t, ex.header.Get("request-id"), clientID, "without one sent, client-request-id is the request-id")
	}
}

// requireCreated checks a 201 and returns its connector.
func requireCreated(t *testing.T, ex exchange) api.Connector {
	t.Helper()
	require.Equal(t, http.StatusCreated, ex.status, "body: %s", ex.body)
	assert.Equal(t, graph.ContentTypeEntity, ex.header.Get("Content-Type"), "Graph's media type for entities")
	assert.Equal(t, "4.0", ex.header.Get("OData-Version"))
	requireRequestIDs(t, ex)
	var c api.Connector
	require.NoError(t, json.Unmarshal(ex.body, &c))
	if assert.NotNil(t, c.OdataContext, "@odata.context") {
		assert.Equal(t, "https://graph.microsoft.com/beta/$metadata#connectors/$entity", *c.OdataContext)
	}
	return c
}

// newServer returns a Server on the default seed and an httptest server
// for it, for tests that look inside the store.
func newServer(t *testing.T, seed *Seed, opts ...Option) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(seed, opts...)
	require.NoError(t, err)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func memberIDs(t *testing.T, s *Server, groupID string) []string {
	t.Helper()
	members, err := s.store.Members(groupID)
	require.NoError(t, err)
	ids := make([]string, 0, len(members))
	for _, m := range members {
		ids = append(ids, m.ID)
	}
	return ids
}

// ap is where today's operations live, under /beta.
const ap = "/beta" + graph.ApplicationProxyPath

// apiCall is a request with dev-token to one of today's operations; a
// non-empty body goes as JSON.
func apiCall(method, path, body string) call {
	c := call{method: method, path: path, token: "dev-token", body: body}
	if body != "" {
		c.contentType = "application/json"
	}
	return c
}

// requireSuccess checks a 2xx as Graph sends it: the status, Graph's
// entity media type on a body (none on a 204), OData-Version and the
// correlation ids.
func requireSuccess(t *testing.T, ex exchange, status int) {
	t.Helper()
	require.Equal(t, status, ex.status, "body: %s", ex.body)
	assert.Equal(t, "4.0", ex.header.Get("OData-Version"))
	requireRequestIDs(t, ex)
	if status == http.StatusNoContent {
		assert.Empty(t, ex.body)
		assert.Empty(t, ex.header.Get("Content-Type"))
		return
	}
	assert.Equal(t, graph.ContentTypeEntity, ex.header.Get("Content-Type"))
}

// decodeAs reads a success body into T.
func decodeAs[T any](t *testing.T, ex exchange) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(ex.body, &v), "body: %s", ex.body)
	return v
}

// groupPage and connectorPage are one page of a list, as the spec has it.
type (
	groupPage     = api.ConnectorGroupCollection
	connectorPage = api.ConnectorCollection
)

// pageIDs lists the ids on a page.
func pageIDs[T api.ConnectorGroup | api.Connector](items []T) []string {
	ids := []string{}
	for _, it := range items {
		switch v := any(it).(type) {
		case api.ConnectorGroup:
			ids = append(ids, v.Id)
		case api.Connector:
			ids = append(ids, v.Id)
		}
	}
	return ids
}

// followable turns an absolute @odata.nextLink into the path and query to
// send to srv, checking that it names srv itself.
func followable(t *testing.T, srv *httptest.Server, next string) string {
	t.Helper()
	require.True(t, strings.HasPrefix(next, srv.URL+"/"), "@odata.nextLink %q is absolute, on the server asked", next)
	return strings.TrimPrefix(next, srv.URL)
}

// walkIDs follows @odata.nextLink from first until a page comes without
// one, and returns every id in order and the ids of each page. between
// runs after each page but the last, before the next is asked for.
func walkIDs(t *testing.T, srv *httptest.Server, first string, between func(page int)) (all []string, pages [][]string) {
	t.Helper()
	path := first
	for i := 0; ; i++ {
		require.Less(t, i, 50, "the walk ends")
		ex := send(t, srv, apiCall(http.MethodGet, path, ""))
		requireSuccess(t, ex, http.StatusOK)
		var page struct {
			Value    []struct{ ID string } `json:"value"`
			NextLink *string               `json:"@odata.nextLink"`
		}
		require.NoError(t, json.Unmarshal(ex.body, &page))
		ids := []string{}
		for _, v := range page.Value {
			ids = append(ids, v.ID)
		}
		all, pages = append(all, ids...), append(pages, ids)
		if page.NextLink == nil {
			return all, pages
		}
		require.NotEmpty(t, ids, "a page with a nextLink is not empty")
		if between != nil {
			between(i)
		}
		path = followable(t, srv, *page.NextLink)
	}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
