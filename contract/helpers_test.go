package contract_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/gen/api"
)

// The default seed's ids and tokens (fakegraph/defaultseed.json).
const (
	defaultGroup    = "0c5e7a93-6d2f-4b18-9e40-a3f1c8d2b765" // isDefault; docConnector starts in it
	emptyGroup      = "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21" // North America, no members
	europeGroup     = "9e7c3a58-2b1d-4f60-8a94-c5e0d7b2f316" // memberConnector is in it
	docConnector    = "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30" // the doc example's connector
	memberConnector = "6c0e2b7d-91a4-4f38-b5d2-0a7e3c9f1e64"
	devToken        = "dev-token"                            // Directory.ReadWrite.All
	readerToken     = "reader-token"                         // Directory.Read.All
	expensesApp     = "5f0e2a71-3b9c-4d84-a6e1-8c2d7f4b9a10" // published, in Europe
	intranetApp     = "3d8b6f0a-c2e4-4a91-b7d5-1e6f9c3a2b84" // published, not assigned: reports the default group
	payrollApp      = "b7d4c9e2-1f6a-4e35-8b07-3a9c5e2d1f48" // not published
)

// Bounds on the tests' requests and runs, so that a server that hangs
// fails its test fast instead of stalling to go test's 10-minute limit.
const (
	testRequestTimeout = 10 * time.Second
	testRunTimeout     = 30 * time.Second
)

// startFake serves a fresh reference server with the default seed, wrapped
// by wrap when it is not nil, for the server-side checks.
func startFake(t *testing.T, wrap func(http.Handler) http.Handler, opts ...fakegraph.Option) *httptest.Server {
	t.Helper()
	srv, _ := startFakeWithState(t, func(*fakegraph.Server) func(http.Handler) http.Handler { return wrap }, opts...)
	return srv
}

// startFakeWithState is startFake for a wrapper that needs the fake's
// state API, and returns the fake too, for Snapshot.
func startFakeWithState(t *testing.T, wrap func(*fakegraph.Server) func(http.Handler) http.Handler, opts ...fakegraph.Option) (*httptest.Server, *fakegraph.Server) {
	t.Helper()
	return startFakeOn(t, fakegraph.DefaultSeed(), wrap, opts...)
}

// startFakeOn is startFakeWithState on a seed of the test's.
func startFakeOn(t *testing.T, seed *fakegraph.Seed, wrap func(*fakegraph.Server) func(http.Handler) http.Handler, opts ...fakegraph.Option) (*httptest.Server, *fakegraph.Server) {
	t.Helper()
	fake, err := fakegraph.New(seed, opts...)
	require.NoError(t, err)
	var h http.Handler = fake
	if w := wrap(fake); w != nil {
		h = w(fake)
	}
	srv := httptest.NewServer(drainBodies(h))
	t.Cleanup(srv.Close)
	return srv, fake
}

// drainBodies reads what is left of each request body once h has
// answered. A Go server that leaves a large body unread (the fake answers
// the huge negative body 413 unread) lingers 500ms before closing the
// connection, and httptest's Close waits for it: that would add half a
// second to every run. It changes no response.
func drainBodies(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := r.Body
		h.ServeHTTP(w, r)
		_, _ = io.Copy(io.Discard, body)
	})
}

// fakeTarget points the server-side checks at srv's /beta with a connector
// that is not yet a member and the seed's applications of each kind,
// through srv's client bounded by testRequestTimeout.
func fakeTarget(srv *httptest.Server) contract.Target {
	client := *srv.Client()
	client.Timeout = testRequestTimeout
	return contract.Target{
		BaseURL:                srv.URL + "/beta",
		Token:                  devToken,
		ReaderToken:            readerToken,
		Group:                  emptyGroup,
		Connector:              docConnector,
		Application:            expensesApp,
		UnpublishedApplication: payrollApp,
		HTTPClient:             &client,
	}
}

func newTransport(t *testing.T, base http.RoundTripper, opts ...contract.TransportOption) *contract.Transport {
	t.Helper()
	tr, err := contract.NewTransport(base, opts...)
	require.NoError(t, err)
	return tr
}

// generatedClient is the generated client on rt, sending token as Bearer
// (none when token is empty).
func generatedClient(t *testing.T, baseURL string, rt http.RoundTripper, token string) *api.ClientWithResponses {
	t.Helper()
	opts := []api.ClientOption{api.WithHTTPClient(&http.Client{Transport: rt, Timeout: testRequestTimeout})}
	if token != "" {
		opts = append(opts, api.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+token)
			return nil
		}))
	}
	c, err := api.NewClientWithResponses(baseURL, opts...)
	require.NoError(t, err)
	return c
}

// addMember makes the doc's request for connector to group.
func addMember(t *testing.T, c *api.ClientWithResponses, group, connector string) *api.AddConnectorToConnectorGroupResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), testRunTimeout)
	defer cancel()
	resp, err := c.AddConnectorToConnectorGroupWithResponse(ctx, group, &api.AddConnectorToConnectorGroupParams{},
		api.AddConnectorToConnectorGroupJSONRequestBody{OdataId: "https://graph.microsoft.com/beta/connector/" + connector})
	require.NoError(t, err)
	return resp
}

// fields lists the violations' fields, for readable assertions.
func fields(vs []contract.Violation) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, v.Field)
	}
	return out
}
