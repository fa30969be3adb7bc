package client

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// The reference server's default seed.
const (
	seedEmptyGroup    = "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21"
	seedEuropeGroup   = "9e7c3a58-2b1d-4f60-8a94-c5e0d7b2f316"
	seedConnector01   = "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"
	seedEuropeMember  = "6c0e2b7d-91a4-4f38-b5d2-0a7e3c9f1e64"
	seedInactiveConn  = "0b9d4e21-5a7c-4c86-9e3f-d1a2b6c8f057"
	seedMissingObject = "00000000-0000-4000-8000-000000000000"
)

// fakeEnv is a client talking to fakegraph through the validating
// transport, waiting on a fake clock.
type fakeEnv struct {
	client *Client
	tr     *contract.Transport
	clock  *fakeClock
	url    string
}

func setupFake(t *testing.T, basePath string, serverOpts []fakegraph.Option, opts ...Option) *fakeEnv {
	t.Helper()
	srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed(), serverOpts...)
	e := &fakeEnv{tr: newContractTransport(t, srv.Client().Transport), clock: newFakeClock(), url: srv.URL + basePath}
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

// Connector groups exist in beta only; the fake answers other base URLs
// as Graph does, and the client reads those errors whole.
func TestFakeGraph_BetaOnly(t *testing.T) {
	tests := []struct{ basePath, message string }{
		{"/v1.0", "Resource not found for the segment 'connectorGroups'."},
		{"", "Invalid version."},
	}
	for _, tt := range tests {
		t.Run("base "+tt.basePath, func(t *testing.T) {
			e := setupFake(t, tt.basePath, nil)
			_, err := e.client.AddConnector(context.Background(), seedEmptyGroup, seedConnector01)
			var ge *Error
			if !errors.As(err, &ge) || ge.StatusCode != http.StatusBadRequest || ge.Code != "BadRequest" || ge.Message != tt.message || ge.Date.IsZero() || ge.RequestID == "" {
				t.Fatalf("AddConnector: %#v, want 400 BadRequest %q with its date and request-id", err, tt.message)
			}
		})
	}
}

func TestFakeGraph_AddThenAddAgain(t *testing.T) {
	for _, basePath := range []string{"/beta", "/beta/"} {
		t.Run("base "+basePath, func(t *testing.T) {
			e := setupFake(t, basePath, nil)
			ctx := context.Background()

			conn, err := e.client.AddConnector(ctx, seedEmptyGroup, seedConnector01)
			if err != nil {
				t.Fatalf("AddConnector: %v", err)
			}
			want := Connector{ID: seedConnector01, MachineName: "CONNECTOR-01.contoso.com", ExternalIP: "203.0.113.10", Status: ConnectorActive, Version: "1.5.3437.0"}
			if *conn != want {
				t.Errorf("connector = %+v, want %+v", *conn, want)
			}

			_, err = e.client.AddConnector(ctx, seedEmptyGroup, seedConnector01)
			assertSentinel(t, err, "ErrAlreadyMember")
			var ge *Error
			if errors.As(err, &ge) && (ge.RequestID == "" || !uuidV4.MatchString(ge.ClientRequestID) || ge.Date.IsZero() || ge.AfterAmbiguousAttempt) {
				t.Errorf("error details: %+v", ge)
			}
			assertValidTraffic(t, e.tr)
		})
	}
}

func TestFakeGraph_Sentinels(t *testing.T) {
	tests := []struct {
		name, token, group, connector, want string
	}{
		{"already a member", "dev-token", seedEuropeGroup, seedEuropeMember, "ErrAlreadyMember"},
		{"no such group", "dev-token", seedMissingObject, seedConnector01, "ErrNotFound"},
		{"no such connector", "dev-token", seedEmptyGroup, seedMissingObject, "ErrNotFound"},
		{"unknown token", "not-a-token", seedEmptyGroup, seedConnector01, "ErrUnauthorized"},
		{"token without the scope", "reader-token", seedEmptyGroup, seedConnector01, "ErrForbidden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setupFake(t, "/beta", nil, WithTokenSource(StaticToken(tt.token)))
			conn, err := e.client.AddConnector(context.Background(), tt.group, tt.connector)
			if conn != nil {
				t.Errorf("connector = %+v", conn)
			}
			assertSentinel(t, err, tt.want)
			var ge *Error
			if !errors.As(err, &ge) || ge.Code == "" || ge.Message == "" || ge.RequestID == "" || ge.Attempts != 1 {
				t.Errorf("error = %#v", err)
			}
			assertValidTraffic(t, e.tr)
		})
	}
}

// The reference server's faults throttle the first attempt; the client
// waits out Retry-After and the second attempt adds the connector.
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

			conn, err := e.client.AddConnector(context.Background(), seedEmptyGroup, seedInactiveConn)
			if err != nil {
				t.Fatalf("AddConnector: %v", err)
			}
			if conn.ID != seedInactiveConn || conn.Status != ConnectorInactive {
				t.Errorf("connector = %+v", conn)
			}
			if got := e.clock.Waits(); !slices.Equal(got, []time.Duration{2 * time.Second}) {
				t.Errorf("waits = %v, want [2s]", got)
			}
			if n := e.tr.Exchanges(); n != 2 {
				t.Errorf("%d requests, want 2", n)
			}
			assertValidTraffic(t, e.tr)
		})
	}
}

func TestFakeGraph_GivesUpWhenAlwaysThrottled(t *testing.T) {
	e := setupFake(t, "/beta", []fakegraph.Option{fakegraph.WithFaults(fakegraph.Faults{Rate: 1, RetryAfter: time.Second})},
		WithRetry(RetryPolicy{MaxAttempts: 3}))
	_, err := e.client.AddConnector(context.Background(), seedEmptyGroup, seedConnector01)
	assertSentinel(t, err, "ErrThrottled")
	var ge *Error
	if !errors.As(err, &ge) || ge.Attempts != 3 || ge.RetryAfter != time.Second {
		t.Errorf("err = %v", err)
	}
	if got := e.clock.Waits(); !slices.Equal(got, []time.Duration{time.Second, time.Second}) || e.tr.Exchanges() != 3 {
		t.Errorf("waits %v over %d requests; want [1s 1s] over 3", got, e.tr.Exchanges())
	}
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
		if added[id] != 1 {
			t.Errorf("connector %s added %d times, want once", id, added[id])
		}
	}
	assertValidTraffic(t, e.tr)
}
