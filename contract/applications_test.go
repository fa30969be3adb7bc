package contract_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// isApplicationIntoRunsGroup matches the application check's first
// assignment: into the run's own group (none of the seed's), from the
// group's side.
func isApplicationIntoRunsGroup(r *http.Request) bool {
	group := idAfter(r, "connectorGroups")
	return opOf(r) == graph.OpAddConnectorGroupApplication && withDevToken(r) &&
		group != defaultGroup && group != emptyGroup && group != europeGroup && group != "00000000-0000-4000-8000-0000000000ff"
}

// The application a run moves goes back to what its group read before,
// whichever it was: assigned to a group (Expenses, in Europe), or not
// assigned and reporting the default group (Intranet); and so whether the
// run passed, stopped midway or was cancelled.
func TestARunPutsTheApplicationBack(t *testing.T) {
	tests := []struct {
		name       string
		app        string
		wrap       func(cancel context.CancelFunc) func(*fakegraph.Server) func(http.Handler) http.Handler
		wantFailed string
		// reported compares the group each application reports, not
		// whether it is assigned: against a server that answers no
		// group after a removal, the cleanup can only assign it to the
		// default group, which it reported before. The live service
		// shows no difference between the two.
		reported bool
	}{
		{"an assigned application", expensesApp, nil, "", false},
		{"an application that is not assigned", intranetApp, nil, "", false},
		{"the check stops with the application in the run's group", expensesApp, func(context.CancelFunc) func(*fakegraph.Server) func(http.Handler) http.Handler {
			return regionLockIgnoredForApplications
		}, contract.CheckStatefulAppAssign, false},
		{"the run is cancelled after the application's assignment", expensesApp, func(cancel context.CancelFunc) func(*fakegraph.Server) func(http.Handler) http.Handler {
			return cancelAfter(isApplicationIntoRunsGroup, cancel)
		}, contract.CheckStatefulAppAssign, false},
		{"an unassign that leaves no group", intranetApp, func(context.CancelFunc) func(*fakegraph.Server) func(http.Handler) http.Handler {
			return func(*fakegraph.Server) func(http.Handler) http.Handler { return unassignLeavesNothing() }
		}, contract.CheckStatefulAppAssign, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), testRunTimeout)
			defer cancel()
			wrap := func(*fakegraph.Server) func(http.Handler) http.Handler { return nil }
			if tt.wrap != nil {
				wrap = tt.wrap(cancel)
			}
			srv, fake := startFakeWithState(t, wrap)
			before := fake.Snapshot()
			reportedBefore := reportedGroups(fake)
			target := fakeTarget(srv)
			target.Application = tt.app

			rep, err := contract.Run(ctx, target)
			require.NoError(t, err)

			var text bytes.Buffer
			require.NoError(t, rep.WriteText(&text, true))
			after := fake.Snapshot()
			if tt.reported {
				assert.Equal(t, reportedBefore, reportedGroups(fake), "the group each application reports; report:\n%s", text.String())
				before.Applications, after.Applications = nil, nil
			}
			assert.Equal(t, before, after, "the state after the run, applications included; report:\n%s", text.String())
			require.NotNil(t, rep.Cleanup)
			assert.Equal(t, contract.StatusPass, rep.Cleanup.Status, rep.Cleanup.Detail)
			assert.Contains(t, rep.Cleanup.Detail, "application "+tt.app)
			if tt.wantFailed == "" {
				assert.True(t, rep.OK(), text.String())
				return
			}
			assert.Contains(t, rep.FailedChecks(), tt.wantFailed, text.String())
		})
	}
}

// Without -application the application checks that write are skipped and
// say so, and no request changes, or tries to change, an application.
func TestWithoutAnApplicationNoApplicationIsWritten(t *testing.T) {
	var mu sync.Mutex
	var writes []string
	srv, fake := startFakeWithState(t, func(*fakegraph.Server) func(http.Handler) http.Handler {
		return onRequest(func(r *http.Request) {
			switch opOf(r) {
			case graph.OpAddConnectorGroupApplication, graph.OpSetApplicationConnectorGroup, graph.OpRemoveApplicationConnectorGroup:
				mu.Lock()
				writes = append(writes, r.Method+" "+r.URL.Path)
				mu.Unlock()
			}
		})
	})
	before := fake.Snapshot()
	target := fakeTarget(srv)
	target.Application, target.UnpublishedApplication = "", ""

	rep := runChecks(t, target)

	assert.Empty(t, writes, "no application write was sent")
	assert.Equal(t, before, fake.Snapshot())
	assert.Zero(t, rep.Failed, "%+v", rep.Results)
	for _, check := range []string{contract.CheckStatefulAppAssign, contract.CheckStatefulAppPublishing} {
		res, _ := rep.Result(check)
		assert.Equal(t, contract.StatusSkip, res.Status, check)
		assert.Contains(t, res.Detail, "was given, so", check)
	}
	auth, _ := rep.Result(contract.CheckIgnoredAuth)
	assert.Contains(t, auth.Detail, "the application's writes were not sent: no -application")
	reads, _ := rep.Result(contract.CheckReads)
	assert.Equal(t, contract.StatusPass, reads.Status, "the applications are still read")
}

// Named the wrong way round, the checks say so and send nothing that
// could change either application.
func TestApplicationsOfTheWrongKindAreSkipped(t *testing.T) {
	srv, fake := startFakeWithState(t, func(*fakegraph.Server) func(http.Handler) http.Handler { return nil })
	before := fake.Snapshot()
	target := fakeTarget(srv)
	target.Application, target.UnpublishedApplication = payrollApp, intranetApp

	rep := runChecks(t, target, contract.CheckStatefulAppAssign, contract.CheckStatefulAppPublishing)

	assign, _ := rep.Result(contract.CheckStatefulAppAssign)
	assert.Equal(t, contract.StatusSkip, assign.Status)
	assert.Contains(t, assign.Detail, "has no on-premises publishing")
	publishing, _ := rep.Result(contract.CheckStatefulAppPublishing)
	assert.Equal(t, contract.StatusSkip, publishing.Status)
	assert.Contains(t, publishing.Detail, "has on-premises publishing on")
	assert.Equal(t, before, fake.Snapshot())
}

// A server whose groups list no application, while an application reports
// one of them, fails read_acceptance: the two sides of the relationship
// must agree.
func TestReadAcceptanceJudgesBothSides(t *testing.T) {
	srv := startFake(t, rewriteOp(graph.OpListConnectorGroupApplications, func(body map[string]any) { body["value"] = []any{} }))
	rep := runChecks(t, fakeTarget(srv), contract.CheckReads)
	res, _ := rep.Result(contract.CheckReads)
	assert.Equal(t, contract.StatusFail, res.Status)
	assert.True(t, strings.Contains(res.Detail, "whose applications do not list it"), res.Detail)
}

// rewriteOp edits the JSON body of op's 200s.
func rewriteOp(op string, edit func(map[string]any)) func(http.Handler) http.Handler {
	return rewrite(func(r *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
		if opOf(r) == op && rec.Code == http.StatusOK {
			editJSON(edit)(rec)
		}
	})
}

// Every application write of a whole run, by path or by a $ref add's
// body, names one of the two applications the target names.
func TestARunWritesOnlyTheNamedApplications(t *testing.T) {
	var mu sync.Mutex
	written := map[string]int{}
	srv, _ := startFakeWithState(t, func(*fakegraph.Server) func(http.Handler) http.Handler {
		return rewrite(func(r *http.Request, reqBody []byte, _ *httptest.ResponseRecorder) {
			var app string
			switch opOf(r) {
			case graph.OpSetApplicationConnectorGroup, graph.OpRemoveApplicationConnectorGroup:
				app = idAfter(r, "applications")
			case graph.OpAddConnectorGroupApplication:
				ref, _ := odataID(reqBody).(string)
				app, _ = graph.ParseApplicationLink(ref)
			default:
				return
			}
			mu.Lock()
			written[app]++
			mu.Unlock()
		})
	})
	rep := runChecks(t, fakeTarget(srv))
	require.True(t, rep.OK(), "%+v", rep.Results)
	delete(written, "") // bodies that name no application
	assert.NotZero(t, written[expensesApp])
	assert.NotZero(t, written[payrollApp])
	delete(written, expensesApp)
	delete(written, payrollApp)
	assert.Empty(t, written, "writes to applications the target does not name")
}
