package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// The reference server's default seed: connectors 01 and 03 are in the
// default group, 02 in Europe, and North America is empty.
const (
	seedDefaultGroup  = "0c5e7a93-6d2f-4b18-9e40-a3f1c8d2b765"
	seedEmptyGroup    = "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21" // North America
	seedEuropeGroup   = "9e7c3a58-2b1d-4f60-8a94-c5e0d7b2f316"
	seedConnector01   = "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"
	seedEuropeMember  = "6c0e2b7d-91a4-4f38-b5d2-0a7e3c9f1e64" // CONNECTOR-02
	seedInactiveConn  = "0b9d4e21-5a7c-4c86-9e3f-d1a2b6c8f057" // CONNECTOR-03
	seedMissingObject = "00000000-0000-4000-8000-000000000000"
)

var seedConnector01Full = Connector{ID: seedConnector01, MachineName: "CONNECTOR-01.contoso.com", ExternalIP: "203.0.113.10", Status: ConnectorActive, Version: "1.5.3437.0"}

// fakeEnv is a client talking to fakegraph through the validating
// transport, waiting on a fake clock; fake is the server's state API.
type fakeEnv struct {
	client *Client
	fake   *fakegraph.TestServer
	tr     *contract.Transport
	clock  *fakeClock
	url    string
}

func setupFake(t *testing.T, basePath string, serverOpts []fakegraph.Option, opts ...Option) *fakeEnv {
	t.Helper()
	return setupFakeSeed(t, fakegraph.DefaultSeed(), basePath, serverOpts, opts...)
}

// setupFakeSeed is setupFake on a seed of the test's.
func setupFakeSeed(t *testing.T, seed *fakegraph.Seed, basePath string, serverOpts []fakegraph.Option, opts ...Option) *fakeEnv {
	t.Helper()
	srv := fakegraph.NewTestServer(t, seed, serverOpts...)
	e := &fakeEnv{fake: srv, tr: newContractTransport(t, srv.Client().Transport), clock: newFakeClock(), url: srv.URL + basePath}
	base := []Option{
		WithBaseURL(e.url),
		WithHTTPClient(&http.Client{Transport: e.tr}),
		WithTokenSource(StaticToken("dev-token")),
		withClock(e.clock, func() float64 { return 0.5 }),
	}
	c, err := NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	e.client = c
	return e
}

// groupOf is the fake's own answer to where a connector is.
func (e *fakeEnv) groupOf(t *testing.T, connectorID string) string {
	t.Helper()
	g, err := e.fake.Fake.GroupOf(connectorID)
	require.NoError(t, err)
	return g.ID
}

// Connector groups exist in beta only; the fake answers other base URLs
// as Graph does, and the client reads those errors whole.
func TestFakeGraph_BetaOnly(t *testing.T) {
	tests := []struct {
		basePath string
		opts     []Option
		message  string
	}{
		{"/v1.0", nil, "Resource not found for the segment 'onPremisesPublishingProfiles'."},
		{"/v1.0", []Option{WithDocPath()}, "Resource not found for the segment 'connectorGroups'."},
		{"", nil, "Invalid version."},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("base %q, %d options", tt.basePath, len(tt.opts)), func(t *testing.T) {
			e := setupFake(t, tt.basePath, nil, tt.opts...)
			_, err := e.client.AddConnector(context.Background(), seedEmptyGroup, seedConnector01)
			ge := asError(t, err)
			assert.Equal(t, http.StatusBadRequest, ge.StatusCode)
			assert.Equal(t, "BadRequest", ge.Code)
			assert.Equal(t, tt.message, ge.Message)
			assert.False(t, ge.Date.IsZero())
			assert.NotEmpty(t, ge.RequestID)
			_, err = e.client.ListConnectorGroups(context.Background())
			assert.Equal(t, http.StatusBadRequest, asError(t, err).StatusCode)
		})
	}
}

// An add moves the connector; adding it again is the duplicate, by
// today's path (204) and the doc's (201 with the connector).
func TestFakeGraph_AddThenAddAgain(t *testing.T) {
	tests := []struct {
		name     string
		basePath string
		opts     []Option
		want     Connector
	}{
		{"today", "/beta", nil, Connector{ID: seedConnector01}},
		{"today, base with a slash", "/beta/", nil, Connector{ID: seedConnector01}},
		{"doc", "/beta", []Option{WithDocPath()}, seedConnector01Full},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setupFake(t, tt.basePath, nil, tt.opts...)
			ctx := context.Background()
			require.Equal(t, seedDefaultGroup, e.groupOf(t, seedConnector01))

			conn, err := e.client.AddConnector(ctx, seedEmptyGroup, seedConnector01)
			require.NoError(t, err)
			assert.Equal(t, tt.want, *conn)
			assert.Equal(t, seedEmptyGroup, e.groupOf(t, seedConnector01), "moved")

			_, err = e.client.AddConnector(ctx, seedEmptyGroup, seedConnector01)
			assertSentinel(t, err, "ErrAlreadyMember")
			ge := asError(t, err)
			assert.NotEmpty(t, ge.RequestID)
			assert.Regexp(t, uuidV4, ge.ClientRequestID)
			assert.False(t, ge.Date.IsZero())
			assert.False(t, ge.AfterAmbiguousAttempt)
			assertValidTraffic(t, e.tr)
		})
	}
}

func TestFakeGraph_Sentinels(t *testing.T) {
	tests := []struct {
		name, token, group, connector string
		opts                          []Option
		want                          string
	}{
		{"already a member", "dev-token", seedEuropeGroup, seedEuropeMember, nil, "ErrAlreadyMember"},
		{"no such group", "dev-token", seedMissingObject, seedConnector01, nil, "ErrNotFound"},
		{"no such connector", "dev-token", seedEmptyGroup, seedMissingObject, nil, "ErrNotFound"},
		{"unknown token", "not-a-token", seedEmptyGroup, seedConnector01, nil, "ErrUnauthorized"},
		{"token without the scope", "reader-token", seedEmptyGroup, seedConnector01, nil, "ErrForbidden"},
		{"AccessAsUser on today's path", "admin-token", seedEmptyGroup, seedConnector01, nil, "ErrForbidden"},
		{"no such group, doc path", "dev-token", seedMissingObject, seedConnector01, []Option{WithDocPath()}, "ErrNotFound"},
		{"token without the scope, doc path", "reader-token", seedEmptyGroup, seedConnector01, []Option{WithDocPath()}, "ErrForbidden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setupFake(t, "/beta", nil, append([]Option{WithTokenSource(StaticToken(tt.token))}, tt.opts...)...)
			conn, err := e.client.AddConnector(context.Background(), tt.group, tt.connector)
			assert.Nil(t, conn)
			assertSentinel(t, err, tt.want)
			ge := asError(t, err)
			assert.NotEmpty(t, ge.Code)
			assert.NotEmpty(t, ge.Message)
			assert.NotEmpty(t, ge.RequestID)
			assert.Equal(t, 1, ge.Attempts)
			assertNoSecret(t, ge, tt.token)
			assertValidTraffic(t, e.tr)
		})
	}
}

// The doc page's scopes are the doc path's alone: Directory.AccessAsUser.All
// adds there, and nowhere else.
func TestFakeGraph_AccessAsUserOnTheDocPath(t *testing.T) {
	e := setupFake(t, "/beta", nil, WithTokenSource(StaticToken("admin-token")), WithDocPath())
	conn, err := e.client.AddConnector(context.Background(), seedEmptyGroup, seedConnector01)
	require.NoError(t, err)
	assert.Equal(t, seedConnector01Full, *conn)
	_, err = e.client.ListConnectorGroups(context.Background())
	assertSentinel(t, err, "ErrForbidden")
	assertValidTraffic(t, e.tr)
}

// A group's whole life through the client: create it, move a connector
// in, list its members, see it refuse deletion while it holds one, move
// the connector back, delete it.
func TestFakeGraph_Lifecycle(t *testing.T) {
	e := setupFake(t, "/beta", nil)
	ctx := context.Background()

	g, err := e.client.CreateConnectorGroup(ctx, NewConnectorGroup{Name: "Asia", Region: RegionAsia})
	require.NoError(t, err)
	assert.NotEmpty(t, g.ID)
	assert.Equal(t, ConnectorGroup{ID: g.ID, Name: "Asia", ConnectorGroupType: ConnectorGroupTypeApplicationProxy, Region: RegionAsia}, *g)
	got, err := e.client.GetConnectorGroup(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, g, got)
	groups, err := e.client.ListConnectorGroups(ctx)
	require.NoError(t, err)
	assert.Contains(t, groups, *g)
	assert.Len(t, groups, 4)

	require.NoError(t, e.client.UpdateConnectorGroup(ctx, g.ID, ConnectorGroupUpdate{Name: "Asia Pacific", Region: RegionAustralia}))
	got, err = e.client.GetConnectorGroup(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, "Asia Pacific", got.Name)
	assert.Equal(t, RegionAustralia, got.Region)
	require.NoError(t, e.client.UpdateConnectorGroup(ctx, g.ID, ConnectorGroupUpdate{}), "an empty update changes nothing")
	require.NoError(t, e.client.UpdateConnectorGroup(ctx, g.ID, ConnectorGroupUpdate{ClearRegion: true}))
	got, err = e.client.GetConnectorGroup(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, ConnectorGroupRegion(""), got.Region, "the region is cleared")
	assert.Equal(t, "Asia Pacific", got.Name, "and the name left as it was")

	require.NoError(t, e.client.AddConnectorViaMemberOf(ctx, g.ID, seedConnector01))
	of, err := e.client.GetConnectorGroupOf(ctx, seedConnector01)
	require.NoError(t, err)
	assert.Equal(t, g.ID, of.ID)
	members, err := e.client.ListMembers(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, []Connector{seedConnector01Full}, members)
	defaultMembers, err := e.client.ListMembers(ctx, seedDefaultGroup)
	require.NoError(t, err)
	assert.NotContains(t, defaultMembers, seedConnector01Full, "moved out of the default group")

	err = e.client.UpdateConnectorGroup(ctx, g.ID, ConnectorGroupUpdate{Region: RegionEurope})
	assertSentinel(t, err, "")
	assert.Equal(t, http.StatusBadRequest, asError(t, err).StatusCode, "region is locked while the group holds a connector")
	err = e.client.DeleteConnectorGroup(ctx, g.ID)
	assertSentinel(t, err, "")
	assert.Equal(t, http.StatusBadRequest, asError(t, err).StatusCode, "a group with connectors cannot be deleted")

	_, err = e.client.AddConnector(ctx, seedDefaultGroup, seedConnector01)
	require.NoError(t, err)
	require.NoError(t, e.client.DeleteConnectorGroup(ctx, g.ID))
	_, err = e.client.GetConnectorGroup(ctx, g.ID)
	assertSentinel(t, err, "ErrNotFound")
	err = e.client.DeleteConnectorGroup(ctx, g.ID)
	assertSentinel(t, err, "ErrNotFound")
	assertValidTraffic(t, e.tr)
}

// The default group cannot be deleted; the connectors' own reads agree
// with the seed.
func TestFakeGraph_DefaultGroupAndReads(t *testing.T) {
	e := setupFake(t, "/beta", nil)
	ctx := context.Background()
	err := e.client.DeleteConnectorGroup(ctx, seedDefaultGroup)
	assertSentinel(t, err, "")
	assert.Equal(t, http.StatusBadRequest, asError(t, err).StatusCode)

	conns, err := e.client.ListConnectors(ctx)
	require.NoError(t, err)
	ids := make([]string, len(conns))
	for i, c := range conns {
		ids[i] = c.ID
	}
	assert.ElementsMatch(t, []string{seedConnector01, seedEuropeMember, seedInactiveConn}, ids)
	conn, err := e.client.GetConnector(ctx, seedInactiveConn)
	require.NoError(t, err)
	assert.Equal(t, ConnectorInactive, conn.Status)
	_, err = e.client.GetConnector(ctx, seedMissingObject)
	assertSentinel(t, err, "ErrNotFound")
	for connector, group := range map[string]string{seedConnector01: seedDefaultGroup, seedEuropeMember: seedEuropeGroup, seedInactiveConn: seedDefaultGroup} {
		of, err := e.client.GetConnectorGroupOf(ctx, connector)
		require.NoError(t, err)
		assert.Equal(t, group, of.ID)
	}
	def, err := e.client.GetConnectorGroup(ctx, seedDefaultGroup)
	require.NoError(t, err)
	assert.True(t, def.IsDefault)
	assertValidTraffic(t, e.tr)
}

// With the fake's pages cut to 2 items, every list walks its nextLinks
// to the end and returns what the state API holds.
func TestFakeGraph_Paging(t *testing.T) {
	e := setupFake(t, "/beta", []fakegraph.Option{fakegraph.WithPageSize(2)})
	ctx := context.Background()
	for i := range 5 {
		_, err := e.client.CreateConnectorGroup(ctx, NewConnectorGroup{Name: fmt.Sprintf("group %d", i)})
		require.NoError(t, err)
	}
	before := e.tr.Exchanges()
	groups, err := e.client.ListConnectorGroups(ctx)
	require.NoError(t, err)
	assert.Len(t, groups, 8)
	assert.Equal(t, 4, e.tr.Exchanges()-before, "8 groups in pages of 2")
	want := e.fake.Fake.Groups()
	require.Len(t, want, len(groups))
	for i := range want {
		assert.Equal(t, want[i].ID, groups[i].ID)
	}

	members, err := e.client.ListMembers(ctx, seedDefaultGroup)
	require.NoError(t, err)
	assert.Len(t, members, 2)
	conns, err := e.client.ListConnectors(ctx)
	require.NoError(t, err)
	assert.Len(t, conns, 3)
	assertValidTraffic(t, e.tr)
}

// The reference server's faults throttle the first attempt; the client
// waits out Retry-After and the second attempt carries out the call,
// creating a group exactly once.
func TestFakeGraph_RetriesThrottling(t *testing.T) {
	for _, status := range []int{429, 503} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			var rolls atomic.Int32
			failFirst := func() float64 {
				if rolls.Add(1) == 1 {
					return 0 // below Rate: this request fails
				}
				return 0.99
			}
			e := setupFake(t, "/beta", []fakegraph.Option{fakegraph.WithFaults(fakegraph.Faults{Rate: 0.5, Status: status, RetryAfter: 2 * time.Second, Rand: failFirst})})

			g, err := e.client.CreateConnectorGroup(context.Background(), NewConnectorGroup{Name: "Retried"})
			require.NoError(t, err)
			assert.Equal(t, []time.Duration{2 * time.Second}, e.clock.Waits())
			assert.Equal(t, 2, e.tr.Exchanges())
			assert.Len(t, e.fake.Fake.Groups(), 4, "created once")
			_, err = e.fake.Fake.Group(g.ID)
			assert.NoError(t, err)
			assertValidTraffic(t, e.tr)
		})
	}
}

func TestFakeGraph_GivesUpWhenAlwaysThrottled(t *testing.T) {
	e := setupFake(t, "/beta", []fakegraph.Option{fakegraph.WithFaults(fakegraph.Faults{Rate: 1, RetryAfter: time.Second})},
		WithRetry(RetryPolicy{MaxAttempts: 3}))
	_, err := e.client.AddConnector(context.Background(), seedEmptyGroup, seedConnector01)
	assertSentinel(t, err, "ErrThrottled")
	ge := asError(t, err)
	assert.Equal(t, 3, ge.Attempts)
	assert.Equal(t, time.Second, ge.RetryAfter)
	assert.Equal(t, []time.Duration{time.Second, time.Second}, e.clock.Waits())
	assert.Equal(t, 3, e.tr.Exchanges())
	assertValidTraffic(t, e.tr)
}

// Many callers add the same connectors at once through one client: each
// is added once, every other call is ErrAlreadyMember.
func TestFakeGraph_ConcurrentAdds(t *testing.T) {
	e := setupFake(t, "/beta", nil)
	connectors := []string{seedConnector01, seedEuropeMember, seedInactiveConn}
	const perConnector = 6
	var mu sync.Mutex
	added := map[string]int{}
	var wg sync.WaitGroup
	for i := range perConnector * len(connectors) {
		id := connectors[i%len(connectors)]
		wg.Go(func() {
			_, err := e.client.AddConnector(context.Background(), seedEmptyGroup, id)
			switch {
			case err == nil:
				mu.Lock()
				added[id]++
				mu.Unlock()
			case !errors.Is(err, ErrAlreadyMember):
				t.Errorf("AddConnector(%s): %v", id, err)
			}
		})
	}
	wg.Wait()
	for _, id := range connectors {
		assert.Equal(t, 1, added[id], "connector %s added", id)
	}
	assertValidTraffic(t, e.tr)
}

// Concurrent moves of one connector between groups, by both paths, leave
// it in exactly one group, and the lists agree with its memberOf.
func TestFakeGraph_ConcurrentMovesKeepOneGroup(t *testing.T) {
	e := setupFake(t, "/beta", nil)
	ctx := context.Background()
	groups := []string{seedDefaultGroup, seedEmptyGroup, seedEuropeGroup}
	var wg sync.WaitGroup
	for i := range 12 {
		group := groups[i%len(groups)]
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				err = e.client.AddConnectorViaMemberOf(ctx, group, seedConnector01)
			} else {
				_, err = e.client.AddConnector(ctx, group, seedConnector01)
			}
			if err != nil && !errors.Is(err, ErrAlreadyMember) {
				t.Errorf("move to %s: %v", group, err)
			}
		})
	}
	wg.Wait()
	of, err := e.client.GetConnectorGroupOf(ctx, seedConnector01)
	require.NoError(t, err)
	var holding []string
	for _, g := range groups {
		members, err := e.client.ListMembers(ctx, g)
		require.NoError(t, err)
		if slices.ContainsFunc(members, func(c Connector) bool { return c.ID == seedConnector01 }) {
			holding = append(holding, g)
		}
	}
	assert.Equal(t, []string{of.ID}, holding)
	assert.Equal(t, e.groupOf(t, seedConnector01), of.ID)
	assertValidTraffic(t, e.tr)
}
