package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Reads, PATCH and DELETE are retried as the policy allows, after any
// retryable failure, ambiguous ones included; every attempt sends the same
// client-request-id and the whole body again.
func TestRetry_IdempotentOperations(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		success http.HandlerFunc
		call    func(c *Client) error
	}{
		{"ListConnectorGroups", "GET " + appProxy + "/connectorGroups", jsonHandler(200, `{"value":[`+groupNAJSON+`]}`),
			func(c *Client) error { _, err := c.ListConnectorGroups(context.Background()); return err }},
		{"GetConnectorGroup", "GET " + appProxy + "/connectorGroups/" + testGroup, jsonHandler(200, groupNAJSON),
			func(c *Client) error { _, err := c.GetConnectorGroup(context.Background(), testGroup); return err }},
		{"UpdateConnectorGroup", "PATCH " + appProxy + "/connectorGroups/" + testGroup, noContent,
			func(c *Client) error {
				return c.UpdateConnectorGroup(context.Background(), testGroup, ConnectorGroupUpdate{Name: "renamed"})
			}},
		{"DeleteConnectorGroup", "DELETE " + appProxy + "/connectorGroups/" + testGroup, noContent,
			func(c *Client) error { return c.DeleteConnectorGroup(context.Background(), testGroup) }},
		{"ListMembers", "GET " + appProxy + "/connectorGroups/" + testGroup + "/members", jsonHandler(200, `{"value":[]}`),
			func(c *Client) error { _, err := c.ListMembers(context.Background(), testGroup); return err }},
		{"ListConnectors", "GET " + appProxy + "/connectors", jsonHandler(200, `{"value":[`+connectorJSON+`]}`),
			func(c *Client) error { _, err := c.ListConnectors(context.Background()); return err }},
		{"GetConnector", "GET " + appProxy + "/connectors/" + testConnector, jsonHandler(200, connectorJSON),
			func(c *Client) error { _, err := c.GetConnector(context.Background(), testConnector); return err }},
		{"GetConnectorGroupOf", "GET " + appProxy + "/connectors/" + testConnector + "/memberOf", jsonHandler(200, `{"value":[`+groupNAJSON+`]}`),
			func(c *Client) error {
				_, err := c.GetConnectorGroupOf(context.Background(), testConnector)
				return err
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			rec := &recorder{}
			seq := &sequence{handlers: []http.HandlerFunc{hangUp(t), graphErrorHandler(502, "BadGateway", "Bad gateway."), throttled("1"), tt.success}}
			e.mux.Handle(tt.pattern, rec.wrap(seq))
			require.NoError(t, tt.call(e.client))
			assert.Equal(t, 4, seq.Count())
			for i := range rec.ids {
				assert.Equal(t, rec.ids[0], rec.ids[i], "attempt %d's client-request-id", i+1)
				assert.Equal(t, rec.bodies[0], rec.bodies[i], "attempt %d's body", i+1)
			}
			assert.Len(t, e.clock.Waits(), 3)
			assertValidRequests(t, e.tr)
		})
	}
}

// Creating is not idempotent: after an attempt that may have created the
// group, the call ends with that attempt's error, saying why it was not
// retried, although the policy had attempts left.
func TestCreateConnectorGroup_NotRetriedAfterAmbiguousAttempt(t *testing.T) {
	tests := []struct {
		name       string
		first      http.HandlerFunc
		wantStatus int // 0: a transport error
	}{
		{"connection dropped after the request", hangUp(t), 0},
		{"500", graphErrorHandler(500, "generalException", "General exception while processing."), 500},
		{"502", graphErrorHandler(502, "BadGateway", "Bad gateway."), 502},
		{"504", graphErrorHandler(504, "GatewayTimeout", "Gateway timeout."), 504},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			seq := &sequence{handlers: []http.HandlerFunc{tt.first, jsonHandler(201, groupNAJSON)}}
			e.mux.Handle("POST "+appProxy+"/connectorGroups", seq)

			g, err := e.client.CreateConnectorGroup(context.Background(), NewConnectorGroup{Name: "North America"})
			require.Error(t, err)
			assert.Nil(t, g)
			assert.Contains(t, err.Error(), "not retried")
			assert.Contains(t, err.Error(), "could act twice")
			assert.NotContains(t, err.Error(), testToken)
			assert.Equal(t, 1, seq.Count(), "requests")
			assert.Empty(t, e.clock.Waits())
			var ge *Error
			if tt.wantStatus == 0 {
				assert.False(t, errors.As(err, &ge), "a transport error, not an *Error: %v", err)
			} else {
				require.True(t, errors.As(err, &ge), "%v", err)
				assert.Equal(t, tt.wantStatus, ge.StatusCode)
				assert.Equal(t, 1, ge.Attempts)
			}
			assertValidRequests(t, e.tr)
		})
	}
}

// Attempts the service answered without acting, 429 and 503, are
// retried; so is one that never got a connection. Every attempt sends
// the same body and client-request-id.
func TestCreateConnectorGroup_RetriedWhenNotCarriedOut(t *testing.T) {
	unavailable := graphErrorHandler(503, "serviceNotAvailable", "The service is temporarily unavailable.")
	for name, first := range map[string]http.HandlerFunc{"429": throttled("3"), "503": unavailable} {
		t.Run(name, func(t *testing.T) {
			e := setup(t)
			rec := &recorder{}
			seq := &sequence{handlers: []http.HandlerFunc{first, jsonHandler(201, groupNAJSON)}}
			e.mux.Handle("POST "+appProxy+"/connectorGroups", rec.wrap(seq))
			g, err := e.client.CreateConnectorGroup(context.Background(), NewConnectorGroup{Name: "North America", Region: RegionNorthAmerica})
			require.NoError(t, err)
			assert.Equal(t, groupNA, *g)
			assert.Equal(t, 2, seq.Count())
			require.Len(t, rec.ids, 2)
			assert.Equal(t, rec.ids[0], rec.ids[1])
			assert.Equal(t, `{"name":"North America","region":"nam"}`, rec.bodies[1])
			assertValidTraffic(t, e.tr)
		})
	}

	t.Run("connection refused", func(t *testing.T) {
		mux := http.NewServeMux()
		srv := httptest.NewTLSServer(mux)
		t.Cleanup(srv.Close)
		closed := closedLoopbackAddr(t)
		rt := srv.Client().Transport.(*http.Transport).Clone()
		var dials atomic.Int32
		rt.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			var d net.Dialer
			if dials.Add(1) == 1 {
				return d.DialContext(ctx, "tcp", closed)
			}
			return d.DialContext(ctx, network, addr)
		}
		e := newEnv(t, mux, srv, rt)
		seq := &sequence{handlers: []http.HandlerFunc{jsonHandler(201, groupNAJSON)}}
		mux.Handle("POST "+appProxy+"/connectorGroups", seq)
		g, err := e.client.CreateConnectorGroup(context.Background(), NewConnectorGroup{Name: "North America"})
		require.NoError(t, err)
		assert.Equal(t, groupNA, *g)
		assert.Equal(t, 1, seq.Count(), "requests served")
		assert.Equal(t, 2, e.tr.Exchanges(), "attempts")
		assertValidRequests(t, e.tr)
	})
}

// A DELETE retried after an ambiguous attempt and answered 404 ends with
// that 404, AfterAmbiguousAttempt set: most likely the first attempt
// deleted the group. After an answer that acted on nothing (429), the
// flag stays false.
func TestDeleteConnectorGroup_NotFoundAfterAmbiguousAttempt(t *testing.T) {
	tests := []struct {
		name          string
		first         http.HandlerFunc
		wantAmbiguous bool
	}{
		{"connection dropped", hangUp(t), true},
		{"502", graphErrorHandler(502, "BadGateway", "Bad gateway."), true},
		{"429", throttled("1"), false},
		{"503", graphErrorHandler(503, "serviceNotAvailable", "Unavailable."), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			notFound := graphErrorHandler(404, "Request_ResourceNotFound", "Resource '"+testGroup+"' does not exist or one of its queried reference-property objects are not present.")
			seq := &sequence{handlers: []http.HandlerFunc{tt.first, notFound}}
			e.mux.Handle("DELETE "+appProxy+"/connectorGroups/"+testGroup, seq)
			err := e.client.DeleteConnectorGroup(context.Background(), testGroup)
			assertSentinel(t, err, "ErrNotFound")
			ge := asError(t, err)
			assert.Equal(t, tt.wantAmbiguous, ge.AfterAmbiguousAttempt)
			assert.Equal(t, 2, ge.Attempts)
			assertValidRequests(t, e.tr)
		})
	}
}

// AddConnectorViaMemberOf keeps AddConnector's ambiguity handling: a retry answered
// "already a member" after an ambiguous attempt is ErrAlreadyMember with
// AfterAmbiguousAttempt.
func TestAddConnectorViaMemberOf_AlreadyMemberAfterAmbiguousFailure(t *testing.T) {
	tests := []struct {
		name          string
		first         http.HandlerFunc
		wantAmbiguous bool
	}{
		{"connection dropped", hangUp(t), true},
		{"500", graphErrorHandler(500, "generalException", "General exception."), true},
		{"429", throttled("1"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			seq := &sequence{handlers: []http.HandlerFunc{tt.first, graphErrorHandler(400, "Request_BadRequest", alreadyMember)}}
			e.mux.Handle("POST "+appProxy+"/connectors/"+testConnector+"/memberOf/$ref", seq)
			err := e.client.AddConnectorViaMemberOf(context.Background(), testGroup, testConnector)
			assertSentinel(t, err, "ErrAlreadyMember")
			ge := asError(t, err)
			assert.Equal(t, tt.wantAmbiguous, ge.AfterAmbiguousAttempt)
			assert.Equal(t, 2, ge.Attempts)
			assert.Equal(t, tt.wantAmbiguous, strings.Contains(err.Error(), "may have added it"))
			assertValidRequests(t, e.tr)
		})
	}
}
