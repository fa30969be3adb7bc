package contract_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// A run against a real tenant must leave it as it found it: the fake's
// whole state, read through its state API, is the same after a run as
// before, whether the run passed, failed midway or was cancelled.

// regionLockIgnored answers a PATCH of a group that holds connectors 204,
// as a server that ignores the region rule would (the group is left as it
// is): stateful_move then stops with the connector in the run's group.
func regionLockIgnored(fake *fakegraph.Server) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if opOf(r) == graph.OpUpdateConnectorGroup && withDevToken(r) {
				if g, err := fake.Group(idAfter(r, "connectorGroups")); err == nil && len(g.Members) > 0 {
					writeNoContent(w, r)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// cancelAfter cancels the run once the fake has answered the first
// request op matches: the request has taken effect, and every later one
// fails on the cancelled context.
func cancelAfter(match func(*http.Request) bool, cancel context.CancelFunc) func(*fakegraph.Server) func(http.Handler) http.Handler {
	var once sync.Once
	return func(*fakegraph.Server) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				next.ServeHTTP(w, r)
				if match(r) {
					once.Do(cancel)
				}
			})
		}
	}
}

func isMoveIntoRunsGroup(r *http.Request) bool {
	return opOf(r) == graph.OpAddConnectorGroupMember && withDevToken(r) && idAfter(r, "connectorGroups") != emptyGroup
}

func TestARunLeavesTheServerAsItFoundIt(t *testing.T) {
	tests := []struct {
		name       string
		wrap       func(cancel context.CancelFunc) func(*fakegraph.Server) func(http.Handler) http.Handler
		only       []string
		wantFailed []string
		wantOK     bool
	}{
		{name: "a passing run", wrap: func(context.CancelFunc) func(*fakegraph.Server) func(http.Handler) http.Handler {
			return func(*fakegraph.Server) func(http.Handler) http.Handler { return nil }
		}, wantOK: true},
		{name: "a check fails midway: the move copies", wrap: func(context.CancelFunc) func(*fakegraph.Server) func(http.Handler) http.Handler {
			return copyNotMove
		}, wantFailed: []string{contract.CheckStatefulDocPath, contract.CheckStatefulMove}},
		{name: "a check stops with the connector in the run's group", wrap: func(context.CancelFunc) func(*fakegraph.Server) func(http.Handler) http.Handler {
			return regionLockIgnored
		}, only: []string{contract.CheckStatefulMove}, wantFailed: []string{contract.CheckStatefulMove}},
		{name: "a server that ignores the token", wrap: func(context.CancelFunc) func(*fakegraph.Server) func(http.Handler) http.Handler {
			return func(*fakegraph.Server) func(http.Handler) http.Handler {
				return onRequest(func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+devToken) })
			}
		}, wantFailed: []string{contract.CheckIgnoredAuth}},
		{name: "a server that takes a system-set property in a PATCH", wrap: func(context.CancelFunc) func(*fakegraph.Server) func(http.Handler) http.Handler {
			return func(*fakegraph.Server) func(http.Handler) http.Handler {
				return acceptsProperty(graph.OpUpdateConnectorGroup, "isDefault")
			}
		}, wantFailed: []string{contract.CheckNegativeData}},
		{name: "the run is cancelled after the move into the run's group", wrap: func(cancel context.CancelFunc) func(*fakegraph.Server) func(http.Handler) http.Handler {
			return cancelAfter(isMoveIntoRunsGroup, cancel)
		}, wantFailed: []string{contract.CheckStatefulMove}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), testRunTimeout)
			defer cancel()
			srv, fake := startFakeWithState(t, tt.wrap(cancel))
			before := fake.Snapshot()

			rep, err := contract.Run(ctx, fakeTarget(srv), tt.only...)
			require.NoError(t, err)

			var text bytes.Buffer
			require.NoError(t, rep.WriteText(&text, true))
			assert.Equal(t, before, fake.Snapshot(), "the state after the run; report:\n%s", text.String())
			require.NotNil(t, rep.Cleanup, "the run changed things, so it reports its cleanup")
			assert.Equal(t, contract.StatusPass, rep.Cleanup.Status, rep.Cleanup.Detail)
			assert.Contains(t, rep.Cleanup.Detail, "group "+defaultGroup, "the connector is back where it started")
			assert.Equal(t, tt.wantOK, rep.OK(), text.String())
			for _, check := range tt.wantFailed {
				assert.Contains(t, rep.FailedChecks(), check, text.String())
			}
		})
	}
}

// Cut short, a run skips the checks it did not get to and says why; it
// is no pass.
func TestACancelledRunSaysSoAndSkipsTheRest(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), testRunTimeout)
	defer cancel()
	srv, _ := startFakeWithState(t, cancelAfter(isMoveIntoRunsGroup, cancel))

	rep, err := contract.Run(ctx, fakeTarget(srv))

	require.NoError(t, err)
	assert.Equal(t, context.Canceled.Error(), rep.Interrupted)
	assert.False(t, rep.OK())
	res, ok := rep.Result(contract.CheckStatefulDelete)
	require.True(t, ok)
	assert.Equal(t, contract.StatusSkip, res.Status)
	assert.Contains(t, res.Detail, "not run: the run was interrupted")
	assert.Contains(t, rep.Summary(), "interrupted: context canceled")
}

// A cleanup that cannot put things back fails the run, loudly: the server
// answered the delete 204 but kept the group.
func TestAFailedCleanupFailsTheRun(t *testing.T) {
	srv, fake := startFakeWithState(t, deleteLeavesGroup)
	before := len(fake.Groups())

	rep := runChecks(t, fakeTarget(srv))

	require.NotNil(t, rep.Cleanup)
	assert.Equal(t, contract.StatusFail, rep.Cleanup.Status)
	assert.True(t, strings.HasPrefix(rep.Cleanup.Detail, "THE SERVER IS LEFT CHANGED: "), rep.Cleanup.Detail)
	assert.True(t, rep.CleanupFailed())
	assert.False(t, rep.OK())
	assert.Contains(t, rep.Summary(), "CLEANUP FAILED")
	assert.Len(t, fake.Groups(), before+2, "the run's two groups, which the server would not delete, are there: the report is right")
	var text bytes.Buffer
	require.NoError(t, rep.WriteText(&text, false))
	assert.Contains(t, text.String(), "\nFAIL  cleanup ")
}

// Read-only runs change nothing and send nothing that could: only GETs,
// and writes without a valid token.
func TestReadOnlyRunsOnlyChecksThatChangeNothing(t *testing.T) {
	var (
		mu     sync.Mutex
		writes []string
	)
	srv, fake := startFakeWithState(t, func(*fakegraph.Server) func(http.Handler) http.Handler {
		return onRequest(func(r *http.Request) {
			valid := r.Header.Get("Authorization") == "Bearer "+devToken || r.Header.Get("Authorization") == "Bearer "+readerToken
			if valid && r.Method != http.MethodGet {
				mu.Lock()
				writes = append(writes, r.Method+" "+r.URL.Path)
				mu.Unlock()
			}
		})
	})
	before := fake.Snapshot()
	target := fakeTarget(srv)
	target.ReadOnly = true

	rep := runChecks(t, target)

	var want []string
	for _, c := range contract.Checks() {
		if c.ReadOnly {
			want = append(want, c.Name)
		}
	}
	assert.Equal(t, want, checkNames(rep))
	assert.Contains(t, want, contract.CheckIgnoredAuth)
	assert.NotContains(t, want, contract.CheckNegativeData)
	assert.True(t, rep.OK(), "%+v", rep.Results)
	assert.Zero(t, rep.Skipped)
	assert.Nil(t, rep.Cleanup, "nothing to clean up")
	assert.Empty(t, writes, "no write with a valid token")
	assert.Equal(t, before, fake.Snapshot())
	res, _ := rep.Result(contract.CheckIgnoredAuth)
	assert.Contains(t, res.Detail, "the reader token went to the reads only")
}

func TestReadOnlyRefusesAWriteCheck(t *testing.T) {
	target := contract.Target{BaseURL: "http://127.0.0.1:1/beta", Token: "t", Group: "g", Connector: "c", ReadOnly: true}

	_, err := contract.Run(t.Context(), target, contract.CheckPaging, contract.CheckStatefulMove)

	require.Error(t, err)
	assert.Contains(t, err.Error(), contract.CheckStatefulMove+" change(s) the server, so cannot run read-only")
	assert.Contains(t, err.Error(), contract.CheckPaging, "the read-only checks are listed")
}

// The judges see every operation of the spec, because some check sends it.
func TestAFullRunExercisesEveryOperation(t *testing.T) {
	var (
		mu   sync.Mutex
		seen = map[string]int{}
	)
	srv := startFake(t, onRequest(func(r *http.Request) {
		mu.Lock()
		seen[opOf(r)]++
		mu.Unlock()
	}))

	rep := runChecks(t, fakeTarget(srv))

	require.True(t, rep.OK())
	for _, op := range graph.Operations() {
		assert.NotZero(t, seen[op], "no request to %s", op)
	}
}

// Pages of one item: every walk, the checks' and cleanup's, follows
// @odata.nextLink to the end.
func TestTheSuitePassesOnePageAtATime(t *testing.T) {
	srv, fake := startFakeWithState(t, func(*fakegraph.Server) func(http.Handler) http.Handler { return nil }, fakegraph.WithPageSize(1))
	before := fake.Snapshot()

	rep := runChecks(t, fakeTarget(srv))

	var text bytes.Buffer
	require.NoError(t, rep.WriteText(&text, true))
	assert.True(t, rep.OK(), text.String())
	assert.Equal(t, before, fake.Snapshot())
	res, _ := rep.Result(contract.CheckStatefulCreate)
	assert.Contains(t, res.Detail, "4 pages", "the new group is found by following nextLink")
}
