package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/fakegraph"
)

func TestBetaHint(t *testing.T) {
	for _, tt := range []struct{ base, want string }{
		{"http://127.0.0.1:8080/beta", ""},
		{"http://127.0.0.1:8080/beta/", ""},
		{"https://graph.microsoft.com/beta", ""},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/beta"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/beta"},
		{"http://127.0.0.1:8080/v1.0", "http://127.0.0.1:8080/beta"},
		{"https://graph.microsoft.com/v1.0/", "https://graph.microsoft.com/beta"},
		{"https://proxy.example/graph", "https://proxy.example/graph/beta"},
		{"http://user:secret@127.0.0.1:8080?x=1", "http://127.0.0.1:8080/beta"},
		{"not a url", ""},
	} {
		want := ""
		if tt.want != "" {
			want = "connector groups are served under /beta: did you mean " + tt.want + "?"
		}
		assert.Equal(t, want, betaHint(tt.base), tt.base)
	}
}

// A call to a base URL without /beta fails as Graph answers it, then says
// what was most likely meant; with /beta, a failure gets no such hint.
func TestBaseURLWithoutBetaGetsAHint(t *testing.T) {
	srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed())
	t.Setenv(envToken, "dev-token")
	t.Setenv(envBaseURL, "")
	for _, tt := range []struct {
		base      string
		args      []string
		wantError string // a regexp for the first line
		wantHint  bool
	}{
		{srv.URL, []string{"groups"}, `^error: BadRequest: Invalid version\. `, true},
		{srv.URL + "/v1.0", []string{"groups"}, `^error: BadRequest: Resource not found for the segment 'onPremisesPublishingProfiles'\. `, true},
		{srv.URL + "/beta", []string{"group", "get", "-id", addMissing}, `^error: Request_ResourceNotFound: `, false},
	} {
		t.Run(tt.base, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, t.Context(), append(tt.args, "-base-url", tt.base)...)
			assert.Equal(t, exitFailure, code, "stderr:\n%s", stderr)
			assert.Empty(t, stdout)
			lines := splitLines(stderr)
			require.NotEmpty(t, lines)
			assert.Regexp(t, tt.wantError, lines[0])
			if tt.wantHint {
				assert.Equal(t, []string{lines[0], "connectorgroups " + tt.args[0] + ": connector groups are served under /beta: did you mean " + srv.URL + "/beta?"}, lines)
			} else {
				assert.Len(t, lines, 1, "no hint")
			}
		})
	}
}

// verify says it too, after its report.
func TestVerifyWithoutBetaGetsAHint(t *testing.T) {
	srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed())
	code, _, stderr := runCmd(t, t.Context(), "verify", "-read-only", "-base-url", srv.URL, "-token", "dev-token",
		"-group", addEuropeGroup, "-connector", addConnector01, "-only", "read_acceptance")
	assert.Equal(t, exitFailure, code)
	assert.Equal(t, "connectorgroups verify: connector groups are served under /beta: did you mean "+srv.URL+"/beta?\n", stderr)
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
