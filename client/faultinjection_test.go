package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The client's promises, held against the reference server with its fault
// injection on, and counted at the server: it retries, waits out
// Retry-After, stops after its bound, ends with the last Graph error, and
// reports an add whose answer was lost as "already a member" after an
// ambiguous attempt. retry_test.go and replay_test.go prove the same
// rules against scripted handlers; TestFakeGraph_RetriesThrottling and
// TestFakeGraph_GivesUpWhenAlwaysThrottled one call each against the fake.

// serverLog records what the fake logged for each request: its path,
// status and request-id, in order.
type serverLog struct {
	mu      sync.Mutex
	entries []logEntry
}

type logEntry struct {
	path, requestID string
	status          int
}

func (l *serverLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *serverLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *serverLog) WithGroup(string) slog.Handler            { return l }
func (l *serverLog) Handle(_ context.Context, r slog.Record) error {
	var e logEntry
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "path":
			e.path = a.Value.String()
		case "status":
			e.status = int(a.Value.Int64())
		case graph.HeaderRequestID:
			e.requestID = a.Value.String()
		}
		return true
	})
	l.mu.Lock()
	l.entries = append(l.entries, e)
	l.mu.Unlock()
	return nil
}

// of is every request whose path ends with suffix, in order.
func (l *serverLog) of(suffix string) []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []logEntry
	for _, e := range l.entries {
		if strings.HasSuffix(e.path, suffix) {
			out = append(out, e)
		}
	}
	return out
}

// manyConnectorsSeed has n connectors in the default group and an empty
// group, "target", to move them to.
func manyConnectorsSeed(n int) *fakegraph.Seed {
	seed := &fakegraph.Seed{Tokens: map[string][]string{"dev-token": {"Directory.ReadWrite.All"}},
		ConnectorGroups: []fakegraph.SeedConnectorGroup{
			{ID: "default", Name: "Default", ConnectorGroupType: "applicationProxy", IsDefault: true, Members: []string{}},
			{ID: "target", Name: "Target", ConnectorGroupType: "applicationProxy", Members: []string{}},
		}}
	for i := range n {
		seed.Connectors = append(seed.Connectors, fakegraph.SeedConnector{ID: fmt.Sprintf("c-%02d", i), MachineName: "m", ExternalIP: "192.0.2.1", Status: "active"})
	}
	return seed
}

// lockedRand is a seeded source the fake's concurrent handlers may share.
func lockedRand(seed uint64) func() float64 {
	var mu sync.Mutex
	r := rand.New(rand.NewPCG(seed, seed))
	return func() float64 {
		mu.Lock()
		defer mu.Unlock()
		return r.Float64()
	}
}

// Half of all requests fail, at random (seeded, so the run is the same
// each time). Each of many moves either succeeds, after at most
// MaxAttempts requests and a Retry-After wait between each two, and is in
// the state; or it gives up after exactly MaxAttempts requests with the
// last one's Graph error, request-id included, and is not in the state.
func TestFaults_RandomThrottlingKeepsEveryPromise(t *testing.T) {
	const (
		calls       = 40
		maxAttempts = 4
		retryAfter  = 3 * time.Second
	)
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			log := &serverLog{}
			faults := fakegraph.Faults{Rate: 0.5, Status: status, RetryAfter: retryAfter, Rand: lockedRand(7)}
			e := setupFakeSeed(t, manyConnectorsSeed(calls), "/beta",
				[]fakegraph.Option{fakegraph.WithFaults(faults), fakegraph.WithLogger(slog.New(log))},
				WithRetry(RetryPolicy{MaxAttempts: maxAttempts}))
			wantCode := map[int]string{429: graph.CodeTooManyRequests, 503: graph.CodeServiceNotAvailable}[status]

			succeeded, gaveUp, retries := 0, 0, 0
			for i := range calls {
				connector := fmt.Sprintf("c-%02d", i)
				err := e.client.AddConnectorViaMemberOf(context.Background(), "target", connector)
				attempts := log.of("/connectors/" + connector + "/memberOf/$ref")
				require.NotEmpty(t, attempts)
				for _, a := range attempts[:len(attempts)-1] {
					assert.Equal(t, status, a.status, "%s: only a fault is retried", connector)
				}
				retries += len(attempts) - 1
				last := attempts[len(attempts)-1]
				if err == nil {
					succeeded++
					assert.Equal(t, http.StatusNoContent, last.status)
					assert.LessOrEqual(t, len(attempts), maxAttempts, "%s: within the bound", connector)
					assert.Equal(t, "target", e.groupOf(t, connector), "%s: moved", connector)
					continue
				}
				gaveUp++
				assertSentinel(t, err, "ErrThrottled")
				ge := asError(t, err)
				assert.Len(t, attempts, maxAttempts, "%s: stops after its bound, counted at the server", connector)
				assert.Equal(t, maxAttempts, ge.Attempts)
				assert.Equal(t, status, ge.StatusCode)
				assert.Equal(t, wantCode, ge.Code)
				assert.Equal(t, last.requestID, ge.RequestID, "%s: the error is the last answer's", connector)
				assert.Equal(t, retryAfter, ge.RetryAfter)
				assert.False(t, ge.AfterAmbiguousAttempt, "a throttled request was not carried out")
				assert.Equal(t, "default", e.groupOf(t, connector), "%s: a throttled move is never applied", connector)
			}
			waits := e.clock.Waits()
			assert.Len(t, waits, retries, "one wait before each retry")
			for _, w := range waits {
				assert.Equal(t, retryAfter, w, "each wait is the Retry-After sent")
			}
			t.Logf("%d moves: %d succeeded, %d gave up after %d attempts; %d retries, each after %v", calls, succeeded, gaveUp, maxAttempts, retries, retryAfter)
			assert.Positive(t, succeeded, "the seeded faults let some moves through")
			assert.Positive(t, gaveUp, "the seeded faults made some moves give up")
			assertValidTraffic(t, e.tr)
		})
	}
}

// loseFirst loses the answer to the first request that match picks.
func loseFirst(match func(*http.Request) bool) (lose func(*http.Request) bool, lost *atomic.Int32) {
	lost = &atomic.Int32{}
	return func(r *http.Request) bool {
		return match(r) && lost.Add(1) == 1
	}, lost
}

func isPost(suffix string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, suffix)
	}
}

// The first attempt of an add is carried out and its answer lost (the
// connection drops); the retry hears "already a member". The call says
// exactly that: ErrAlreadyMember, after an ambiguous attempt, and the
// connector is in the group.
func TestFaults_AnAddWhoseAnswerWasLostIsReportedAlreadyAMember(t *testing.T) {
	tests := []struct {
		name  string
		path  string // of the add
		opts  []Option
		write func(c *Client) error
	}{
		{"today's add", "/members/$ref", nil, func(c *Client) error {
			_, err := c.AddConnector(context.Background(), seedEmptyGroup, seedConnector01)
			return err
		}},
		{"the doc's add", "/members/$ref", []Option{WithDocPath()}, func(c *Client) error {
			_, err := c.AddConnector(context.Background(), seedEmptyGroup, seedConnector01)
			return err
		}},
		{"memberOf", "/memberOf/$ref", nil, func(c *Client) error {
			return c.AddConnectorViaMemberOf(context.Background(), seedEmptyGroup, seedConnector01)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lose, lost := loseFirst(isPost(tt.path))
			e := setupFake(t, "/beta", []fakegraph.Option{fakegraph.WithLostAnswers(lose)}, tt.opts...)
			err := tt.write(e.client)
			assertSentinel(t, err, "ErrAlreadyMember")
			ge := asError(t, err)
			assert.True(t, ge.AfterAmbiguousAttempt)
			assert.Equal(t, 2, ge.Attempts)
			assert.Contains(t, err.Error(), "an earlier attempt of this call may have added it")
			assert.Equal(t, int32(2), lost.Load(), "two attempts reached the fake")
			assert.Equal(t, seedEmptyGroup, e.groupOf(t, seedConnector01), "the lost attempt made the move")
		})
	}
}

// The calls that must not act twice: a create whose answer was lost is
// not retried, and the fake holds exactly one new group; a delete whose
// answer was lost is retried, and its 404 is reported with
// AfterAmbiguousAttempt rather than taken for success.
func TestFaults_LostAnswersToCreateAndDelete(t *testing.T) {
	t.Run("create", func(t *testing.T) {
		lose, lost := loseFirst(isPost("/connectorGroups"))
		e := setupFake(t, "/beta", []fakegraph.Option{fakegraph.WithLostAnswers(lose)})
		_, err := e.client.CreateConnectorGroup(context.Background(), NewConnectorGroup{Name: "Once"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "could act twice")
		assert.Equal(t, int32(1), lost.Load(), "not retried")
		var named []string
		for _, g := range e.fake.Fake.Groups() {
			if g.Name == "Once" {
				named = append(named, g.ID)
			}
		}
		assert.Len(t, named, 1, "the lost attempt created the group, once")
	})
	t.Run("delete", func(t *testing.T) {
		lose, lost := loseFirst(func(r *http.Request) bool { return r.Method == http.MethodDelete })
		e := setupFake(t, "/beta", []fakegraph.Option{fakegraph.WithLostAnswers(lose)})
		err := e.client.DeleteConnectorGroup(context.Background(), seedEmptyGroup)
		assertSentinel(t, err, "ErrNotFound")
		ge := asError(t, err)
		assert.True(t, ge.AfterAmbiguousAttempt)
		assert.Equal(t, 2, ge.Attempts)
		assert.Equal(t, int32(2), lost.Load())
		_, err = e.fake.Fake.Group(seedEmptyGroup)
		assert.True(t, errors.Is(err, fakegraph.ErrGroupNotFound), "the lost attempt deleted it")
	})
}
