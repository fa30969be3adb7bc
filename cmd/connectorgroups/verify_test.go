package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// The default seed's empty group and the doc example's connector.
const (
	verifyGroup     = "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21"
	verifyConnector = "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"
	// The default seed's applications: one published and assigned, one
	// without on-premises publishing.
	verifyApplication = "5f0e2a71-3b9c-4d84-a6e1-8c2d7f4b9a10"
	verifyUnpublished = "b7d4c9e2-1f6a-4e35-8b07-3a9c5e2d1f48"
)

// runVerifyCmd runs the verify subcommand through dispatch, as main does.
func runVerifyCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = dispatch(context.Background(), append([]string{"verify"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func verifyArgs(baseURL string, extra ...string) []string {
	return append([]string{
		"-base-url", baseURL, "-token", "dev-token", "-reader-token", "reader-token",
		"-group", verifyGroup, "-connector", verifyConnector,
		"-application", verifyApplication, "-unpublished-application", verifyUnpublished,
	}, extra...)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestVerifyPassesAgainstTheReferenceServer(t *testing.T) {
	t.Parallel()
	srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed())

	code, out, stderr := runVerifyCmd(t, verifyArgs(srv.URL+"/beta")...)

	require.Equal(t, exitOK, code, "stdout:\n%s\nstderr:\n%s", out, stderr)
	n := len(contract.Checks())
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	require.Len(t, lines, n+2, "one line per check, the cleanup's and the summary")
	for _, line := range lines[:n+1] {
		assert.True(t, strings.HasPrefix(line, "PASS  "), line)
	}
	assert.True(t, strings.HasPrefix(lines[n], "PASS  cleanup "), lines[n])
	assert.Equal(t, fmt.Sprintf("%d passed, 0 failed, 0 skipped", n), lastLine(out))
	assert.NotContains(t, out+stderr, "dev-token")
	assert.NotContains(t, out+stderr, "reader-token")
}

func TestVerifyFailsAgainstABrokenServer(t *testing.T) {
	t.Parallel()
	alwaysOK := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{}`)
	}))
	t.Cleanup(alwaysOK.Close)

	code, out, _ := runVerifyCmd(t, verifyArgs(alwaysOK.URL+"/beta")...)

	assert.Equal(t, exitFailure, code)
	assert.Contains(t, out, "FAIL  response_schema_conformance")
	assert.Contains(t, out, "FAIL  ignored_auth")
	assert.Contains(t, out, "were not sent: verify sends no write before it has read every group that exists",
		"its group list has no value, so no write is sent")
	assert.NotContains(t, lastLine(out), " 0 failed")
}

func TestVerifyPrintsJSON(t *testing.T) {
	t.Parallel()
	srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed())

	code, out, stderr := runVerifyCmd(t, verifyArgs(srv.URL+"/beta", "-json")...)

	require.Equal(t, exitOK, code, stderr)
	var rep contract.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	assert.Equal(t, len(contract.Checks()), rep.Passed)
	assert.Zero(t, rep.Failed)
	assert.Len(t, rep.Results, len(contract.Checks()))
}

func TestVerifyRunsOnlyTheChecksAskedFor(t *testing.T) {
	t.Parallel()
	srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed())

	code, out, stderr := runVerifyCmd(t, verifyArgs(srv.URL+"/beta", "-only", "ignored_auth,status_code_conformance")...)

	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "2 passed, 0 failed, 0 skipped", lastLine(out))
}

// The traffic judges alone send nothing, so they skip: a run that verified
// nothing must fail, or CI would go green on it.
func TestVerifyFailsWhenNothingWasVerified(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		only        string
		wantSkipped int
	}{
		{"one traffic judge", "status_code_conformance", 1},
		{"two traffic judges", "status_code_conformance,not_a_server_error", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed())

			code, out, stderr := runVerifyCmd(t, verifyArgs(srv.URL+"/beta", "-only", tt.only)...)

			assert.Equal(t, exitFailure, code, "stdout:\n%s\nstderr:\n%s", out, stderr)
			assert.Equal(t, fmt.Sprintf("0 passed, 0 failed, %d skipped", tt.wantSkipped), lastLine(out))
			assert.Contains(t, stderr, "nothing was verified")
		})
	}
	t.Run("as JSON", func(t *testing.T) {
		t.Parallel()
		srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed())

		code, out, stderr := runVerifyCmd(t, verifyArgs(srv.URL+"/beta", "-json", "-only", "status_code_conformance")...)

		assert.Equal(t, exitFailure, code)
		var rep contract.Report
		require.NoError(t, json.Unmarshal([]byte(out), &rep), "stdout stays JSON: %s", out)
		assert.Equal(t, 1, rep.Skipped)
		assert.Contains(t, stderr, "nothing was verified")
	})
}

func TestVerifyTakesTheTokensFromTheEnvironment(t *testing.T) {
	srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed())
	t.Setenv(envToken, "dev-token")
	t.Setenv(envReaderToken, "reader-token")

	code, out, stderr := runVerifyCmd(t, "-base-url", srv.URL+"/beta", "-group", verifyGroup, "-connector", verifyConnector)

	require.Equal(t, exitOK, code, "stdout:\n%s\nstderr:\n%s", out, stderr)
	assert.Contains(t, lastLine(out), " 0 failed, 2 skipped", "the two application checks, without -application and -unpublished-application")
}

// A full run puts back what it changed: the fake's state is the same
// after it as before.
func TestVerifyLeavesTheServerAsItFoundIt(t *testing.T) {
	t.Parallel()
	srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed())
	before := srv.Fake.Snapshot()

	code, out, stderr := runVerifyCmd(t, verifyArgs(srv.URL+"/beta")...)

	require.Equal(t, exitOK, code, "stdout:\n%s\nstderr:\n%s", out, stderr)
	assert.Equal(t, before, srv.Fake.Snapshot())
	assert.Contains(t, out, "PASS  cleanup ")
}

func TestVerifyReadOnlyRunsOnlyTheChecksThatChangeNothing(t *testing.T) {
	t.Parallel()
	srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed())
	before := srv.Fake.Snapshot()

	code, out, stderr := runVerifyCmd(t, verifyArgs(srv.URL+"/beta", "-read-only")...)

	require.Equal(t, exitOK, code, "stdout:\n%s\nstderr:\n%s", out, stderr)
	var want []string
	for _, c := range contract.Checks() {
		if c.ReadOnly {
			want = append(want, c.Name)
		}
	}
	var got []string
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for _, line := range lines[:len(lines)-1] {
		got = append(got, strings.Fields(line)[1])
	}
	assert.Equal(t, want, got, "the read-only checks, in order, and no cleanup line: nothing changed")
	assert.Equal(t, fmt.Sprintf("%d passed, 0 failed, 0 skipped", len(want)), lastLine(out))
	assert.Equal(t, before, srv.Fake.Snapshot())
}

func TestVerifyReadOnlyRefusesACheckThatChangesTheServer(t *testing.T) {
	t.Parallel()
	code, out, stderr := runVerifyCmd(t, verifyArgs("http://127.0.0.1:1/beta", "-read-only", "-only", "paging_consistency,stateful_move")...)

	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.Contains(t, stderr, "connectorgroups verify: stateful_move change(s) the server, so cannot run read-only")
	assert.Contains(t, stderr, "Run 'connectorgroups verify -h' for usage.")
}

// deletesNothing answers every delete the fake would grant 204 and keeps
// the group: a server whose cleanup cannot work.
func deletesNothing(fake *fakegraph.Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		segs := strings.Split(r.URL.Path, "/")
		if r.Method == http.MethodDelete && len(segs) > 1 && segs[len(segs)-2] == "connectorGroups" && r.Header.Get("Authorization") == "Bearer dev-token" {
			if g, err := fake.Group(segs[len(segs)-1]); err == nil && !g.IsDefault && len(g.Members) == 0 {
				w.Header().Set("request-id", "7c1a3e52-9b0d-4c6f-8e21-3f5d6a9b0c14")
				w.Header().Set("client-request-id", r.Header.Get("client-request-id"))
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		fake.ServeHTTP(w, r)
	})
}

// A cleanup that leaves the server changed fails the run, on stdout and,
// loudly, on stderr.
func TestVerifySaysWhenItsCleanupFailed(t *testing.T) {
	t.Parallel()
	fake, err := fakegraph.New(fakegraph.DefaultSeed())
	require.NoError(t, err)
	srv := httptest.NewServer(deletesNothing(fake))
	t.Cleanup(srv.Close)

	code, out, stderr := runVerifyCmd(t, verifyArgs(srv.URL+"/beta")...)

	assert.Equal(t, exitFailure, code)
	assert.Contains(t, out, "FAIL  cleanup ")
	assert.Contains(t, lastLine(out), "CLEANUP FAILED: the server is left changed")
	assert.Contains(t, stderr, "connectorgroups verify: CLEANUP FAILED: THE SERVER IS LEFT CHANGED: group ")
	assert.Contains(t, stderr, `(created as "connectorgroups-verify-`)
	assert.Contains(t, stderr, "which this run created, is left behind: the server answered its DELETE 204 but still serves it")
	assert.NotContains(t, out+stderr, "dev-token")
}

// -h lists the checks, in run order, after the flags.
func TestVerifyHelpListsTheChecks(t *testing.T) {
	code, out, stderr := runVerifyCmd(t, "-h")
	require.Equal(t, exitOK, code, stderr)
	_, list, ok := strings.Cut(out, "\nchecks, in run order:\n")
	require.True(t, ok, out)
	var names []string
	for i, line := range strings.Split(strings.TrimRight(list, "\n"), "\n") {
		names = append(names, strings.Fields(line)[0])
		if i < len(contract.Checks()) {
			assert.Equal(t, contract.Checks()[i].ReadOnly, strings.Contains(line, " (read-only) "), line)
		}
	}
	assert.Equal(t, contract.CheckNames(), names)
	assert.Contains(t, out, "-read-only")
}

// A run that changed nothing never says the server is left changed: not
// when the server cannot be reached, nor when it refuses every write.
func TestVerifyNeverSaysLeftChangedWhenNoWriteWasAccepted(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	fake, err := fakegraph.New(fakegraph.DefaultSeed())
	require.NoError(t, err)
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			fake.ServeHTTP(w, r)
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("request-id", "7c1a3e52-9b0d-4c6f-8e21-3f5d6a9b0c14")
		w.Header().Set("client-request-id", r.Header.Get("client-request-id"))
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`)
	}))
	t.Cleanup(refusing.Close)

	for _, tt := range []struct{ name, baseURL, cleanup string }{
		{"an unreachable server", closedURL + "/beta", ""},
		{"a server that refuses every write", refusing.URL + "/beta", "PASS  cleanup                          nothing to undo: the server accepted none of the "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runVerifyCmd(t, verifyArgs(tt.baseURL)...)

			assert.Equal(t, exitFailure, code)
			assert.NotContains(t, strings.ToLower(out+stderr), "left changed", "stdout:\n%s\nstderr:\n%s", out, stderr)
			assert.NotContains(t, out+stderr, "CLEANUP FAILED")
			if tt.cleanup == "" {
				assert.NotContains(t, out, " cleanup ", "no write was sent: there is no cleanup line")
			} else {
				assert.Contains(t, out, tt.cleanup)
			}
		})
	}
}
