package soak

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// maxFailures stops the soak early: past it, more messages say nothing new.
const maxFailures = 20

// TestSoak runs the mixed workload (worker_test.go) against one fake and,
// at the end, holds the fake's whole state to the workers' models: every
// connector in exactly one group, the one its worker's model says; the
// groups are the shared ones and the workers' live ones, no more; no
// answer was a 5xx; and every list (checked as it came) held each item
// once, over pages of -soak.page-size.
func TestSoak(t *testing.T) {
	workers, ops := *flagWorkers, *flagOps
	require.Positive(t, workers)
	require.GreaterOrEqual(t, *flagConnectors, workers, "every worker needs a connector")
	require.Positive(t, *flagShared)
	seedValue := *flagSeed
	if seedValue == 0 {
		seedValue = uint64(time.Now().UnixNano())
	}
	t.Logf("soak: %d workers, %d operations, %d connectors, %d shared groups, page size %d, seed %d (replay with -soak.seed=%d)",
		workers, ops, *flagConnectors, *flagShared, *flagPageSize, seedValue, seedValue)

	seed, connectors, shared := soakSeed(*flagConnectors, *flagShared)
	fake, baseURL := startFake(t, seed, fakegraph.WithPageSize(*flagPageSize))
	wire := &countingTransport{next: &http.Transport{MaxIdleConnsPerHost: workers * 2}}
	c, err := client.NewClient(client.WithBaseURL(baseURL), client.WithHTTPClient(&http.Client{Transport: wire}),
		client.WithTokenSource(client.StaticToken("dev-token")))
	require.NoError(t, err)

	// The calls' context ends only when the soak gives up on failures: a
	// call cut off midway would leave its worker unsure of the state.
	// -soak.duration only stops new operations from starting.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopAt := time.Now().Add(*flagDuration)
	var failures atomic.Int32
	failf := func(format string, args ...any) {
		if failures.Add(1) > maxFailures {
			cancel()
			return
		}
		t.Errorf(format, args...)
	}
	ws := make([]*worker, workers)
	for i := range ws {
		var owned []string
		for j := i; j < len(connectors); j += workers {
			owned = append(owned, connectors[j])
		}
		ws[i] = &worker{id: i, c: c, rng: rand.New(rand.NewPCG(seedValue, uint64(i))), shared: shared,
			connectors: connectors, owned: owned, m: newModel(owned, shared[0]), failf: failf}
	}

	var remaining atomic.Int64
	remaining.Store(int64(ops))
	start := time.Now()
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Go(func() { w.run(ctx, stopAt, &remaining) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	done := min(int64(ops), int64(ops)-remaining.Load())
	if done < int64(ops) && failures.Load() <= maxFailures {
		t.Logf("soak: stopped after %v by -soak.duration, %d of %d operations done", *flagDuration, done, ops)
	}

	requireStateMatchesModels(t, fake, ws, shared, connectors)
	calls := 0
	for _, w := range ws {
		calls += w.calls
		t.Logf("worker %d: %s", w.id, w.summary())
	}
	status, requests, pages := wire.totals()
	t.Logf("soak: %d operations (%d client calls, %d requests, %d of them later pages) in %v: %.0f ops/s, %.0f requests/s; statuses %v",
		done, calls, requests, pages, elapsed.Round(time.Millisecond), float64(done)/elapsed.Seconds(), float64(requests)/elapsed.Seconds(), status)
	for code := range status {
		assert.Less(t, code, 500, "%d answers were %d", status[code], code)
	}
	assert.Zero(t, wire.transportErrors.Load(), "transport errors")
	if done > int64(workers*20) {
		assert.Positive(t, pages, "lists spanned pages, so nextLink was followed")
	}
}

// requireStateMatchesModels compares the fake's state, read without HTTP,
// with every worker's model.
func requireStateMatchesModels(t *testing.T, fake *fakegraph.Server, ws []*worker, shared, connectors []string) {
	t.Helper()
	snap := fake.Snapshot()
	holders := map[string][]string{}
	var groups []string
	for _, g := range snap.Groups {
		groups = append(groups, g.ID)
		for _, c := range g.Members {
			holders[c] = append(holders[c], g.ID)
		}
	}
	wantGroups := slices.Clone(shared)
	for _, w := range ws {
		wantGroups = append(wantGroups, w.m.ownGroups()...)
		for _, c := range w.owned {
			want := w.m.where[c]
			assert.Equal(t, []string{want}, holders[c], "connector %s (worker %d) is in exactly one group, the model's", c, w.id)
			if g, err := fake.GroupOf(c); assert.NoError(t, err) {
				assert.Equal(t, want, g.ID, "GroupOf(%s)", c)
			}
		}
	}
	slices.Sort(wantGroups)
	assert.Equal(t, wantGroups, groups, "the groups are the shared ones and the workers' live ones")
	total := 0
	for _, h := range holders {
		total += len(h)
	}
	assert.Equal(t, len(connectors), total, "no member lost or duplicated")
	assert.Len(t, snap.Connectors, len(connectors))
}

// soakSeed is a seed of n connectors, all in the default group, and
// sharedGroups groups of which the first is the default.
func soakSeed(n, sharedGroups int) (seed *fakegraph.Seed, connectors, shared []string) {
	seed = &fakegraph.Seed{Tokens: map[string][]string{"dev-token": {"Directory.ReadWrite.All"}}}
	for i := range n {
		id := fmt.Sprintf("c0000000-0000-4000-8000-%012d", i)
		connectors = append(connectors, id)
		seed.Connectors = append(seed.Connectors, fakegraph.SeedConnector{
			ID: id, MachineName: fmt.Sprintf("SOAK-%04d.contoso.com", i), ExternalIP: "192.0.2.1", Status: "active"})
	}
	for i := range sharedGroups {
		id := fmt.Sprintf("a0000000-0000-4000-8000-%012d", i)
		shared = append(shared, id)
		seed.ConnectorGroups = append(seed.ConnectorGroups, fakegraph.SeedConnectorGroup{
			ID: id, Name: fmt.Sprintf("Shared %d", i), ConnectorGroupType: "applicationProxy", IsDefault: i == 0, Region: "nam", Members: []string{}})
	}
	return seed, connectors, shared
}

// startFake serves the fake behind a DrainingServer, as serve does, on a
// loopback port; at the test's end it must stop cleanly.
func startFake(t *testing.T, seed *fakegraph.Seed, opts ...fakegraph.Option) (*fakegraph.Server, string) {
	t.Helper()
	fake, err := fakegraph.New(seed, opts...)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ds := fakegraph.NewDrainingServer(fake)
	served := make(chan error, 1)
	go func() { served <- ds.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		assert.NoError(t, ds.Shutdown(ctx), "the fake stops cleanly after the soak")
		assert.ErrorIs(t, <-served, http.ErrServerClosed)
	})
	return fake, "http://" + ln.Addr().String() + "/beta"
}

// countingTransport counts every answer by status, the requests for later
// pages, and transport errors.
type countingTransport struct {
	next            http.RoundTripper
	mu              sync.Mutex
	status          map[int]int
	requests, pages int
	transportErrors atomic.Int32
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests++
	if strings.Contains(r.URL.RawQuery, "skiptoken") {
		c.pages++
	}
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			c.transportErrors.Add(1)
		}
		return nil, err
	}
	if c.status == nil {
		c.status = map[int]int{}
	}
	c.status[resp.StatusCode]++
	return resp, nil
}

func (c *countingTransport) totals() (status map[int]int, requests, pages int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status, c.requests, c.pages
}
