package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// Ids of fakegraph's default seed.
const (
	sentinelEmptyGroup = "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21"
	sentinelConnector  = "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"
)

// A bearer token never appears in what the project prints: serve's
// request log and last words, the client commands' -v output, their error
// lines, and the typed client's errors however they are formatted. Two
// random sentinels go through all of them: one seeded, so calls succeed
// with it, and one unknown, so calls fail with 401. The banner alone
// lists the seeded one, by design: it tells the user which tokens the
// fake accepts. (A panic's log is fakegraph's TestPanicLogNeverHoldsTheToken.)
// HAR files too: the client's recorder keeps calls made with either
// token, and verify-har reads the file back. And the token stays out when
// a server echoes it back, in its errors, headers or links.
func TestTokensNeverAppearInOutput(t *testing.T) {
	seeded, unknown := "sentinel-"+rand.Text(), "sentinel-"+rand.Text()
	seedPath := writeSeedWithToken(t, seeded)

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	exited, serveOut, serveErr := startServe(t, ctx, "-addr", "127.0.0.1:0", "-seed", seedPath)
	base := waitFor(t, serveOut, exited, regexp.MustCompile(`URL: (http://\S+)`))[1]

	outputs := map[string]string{}
	run := func(name string, wantCode int, args ...string) {
		t.Helper()
		code, stdout, stderr := runCmd(t, context.Background(), append(args, "-base-url", base)...)
		require.Equal(t, wantCode, code, "%s: stdout %s stderr %s", name, stdout, stderr)
		outputs[name+" stdout"], outputs[name+" stderr"] = stdout, stderr
	}
	run("groups -v", exitOK, "groups", "-v", "-token", seeded)
	run("group get (404) -v", exitFailure, "group", "get", "-id", "no-such-group", "-v", "-token", seeded)
	run("add -v", exitOK, "add", "-group", sentinelEmptyGroup, "-connector", sentinelConnector, "-v", "-token", seeded)
	run("add again (400) -v", exitFailure, "add", "-group", sentinelEmptyGroup, "-connector", sentinelConnector, "-v", "-token", seeded)
	run("groups (401) -v", exitFailure, "groups", "-v", "-token", unknown)
	run("group create (401) -v", exitFailure, "group", "create", "-name", "x", "-v", "-token", unknown)
	run("move (401) -v", exitFailure, "move", "-connector", sentinelConnector, "-group", sentinelEmptyGroup, "-v", "-token", unknown)
	run("groups (token with a space)", exitUsage, "groups", "-v", "-token", unknown+" x")
	desiredPath := writeDesired(t, desiredTokyo)
	run("export -v", exitOK, "export", "-v", "-token", seeded)
	run("plan -v", exitOK, "plan", "-f", desiredPath, "-v", "-token", seeded)
	run("plan -o json -v", exitOK, "plan", "-f", desiredPath, "-o", "json", "-v", "-token", seeded)
	run("apply -v", exitOK, "apply", "-f", desiredPath, "-v", "-token", seeded)
	run("plan (401) -v", exitFailure, "plan", "-f", desiredPath, "-v", "-token", unknown)
	run("export (401) -v", exitFailure, "export", "-v", "-token", unknown)
	t.Setenv(envToken, unknown)
	run("members (401, GRAPH_TOKEN) -v", exitFailure, "members", "-group", sentinelEmptyGroup, "-v")

	// The typed client's errors, every way a program might print them.
	c, err := client.NewClient(client.WithBaseURL(base), client.WithTokenSource(client.StaticToken(unknown)), client.WithoutRetry())
	require.NoError(t, err)
	_, err = c.GetConnectorGroup(context.Background(), sentinelEmptyGroup)
	var ge *client.Error
	require.ErrorAs(t, err, &ge)
	require.Equal(t, 401, ge.StatusCode)
	outputs["client error"] = fmt.Sprintf("%v\n%+v\n%#v\n%s\n%s", err, err, ge, ge.Body, errorLine(err, unknown))

	// A server that echoes the Authorization value wherever it can: in its
	// error (message, code, target, details, innerError; as sent and with
	// JSON escapes), in the headers that -v logs, and in a nextLink the
	// client refuses to follow. The commands and the typed client print
	// what it sent, the token redacted.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		token := strings.TrimPrefix(auth, "Bearer ")
		w.Header().Set("request-id", token)
		w.Header().Set("client-request-id", auth)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/connectors"):
			fmt.Fprintf(w, `{"@odata.nextLink":"https://elsewhere.example/beta/x?t=%s","value":[]}`, token)
			return
		case strings.HasSuffix(r.URL.Path, "/memberOf"): // two groups, which the client quotes by id
			fmt.Fprintf(w, `{"value":[{"id":"g-1","name":"a","isDefault":true},{"id":%q,"name":"b","isDefault":false}]}`, token)
			return
		}
		escaped := `\u0073` + strings.TrimPrefix(token, "s") // "s" spelled as a JSON escape
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `{"error":{"code":"Echo_%[2]s","message":"denied: %[1]s","target":"%[2]s","details":[{"code":"%[2]s","message":"%[3]s"}],"innerError":{"code":"%[2]s","message":"%[1]s","request-id":"%[3]s"}}}`, auth, token, escaped)
	}))
	defer echo.Close()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"group get (echoing server) -v", []string{"group", "get", "-id", "g-1", "-v"}},
		{"connectors (echoing nextLink) -v", []string{"connectors", "-v"}},
		{"memberof (echoing ids)", []string{"memberof", "-connector", "c-1"}},
		{"plan (echoing server) -v", []string{"plan", "-f", desiredPath, "-v"}},
		{"apply (echoing server)", []string{"apply", "-f", desiredPath}},
	} {
		code, stdout, stderr := runCmd(t, context.Background(), append(tc.args, "-token", seeded, "-base-url", echo.URL+"/beta")...)
		require.Equal(t, exitFailure, code, "%s: stdout %s stderr %s", tc.name, stdout, stderr)
		outputs[tc.name+" stdout"], outputs[tc.name+" stderr"] = stdout, stderr
	}
	ec, err := client.NewClient(client.WithBaseURL(echo.URL+"/beta"), client.WithTokenSource(client.StaticToken(seeded)), client.WithoutRetry())
	require.NoError(t, err)
	_, err = ec.GetConnectorGroup(context.Background(), "g-1")
	require.ErrorAs(t, err, &ge)
	outputs["client error (echoing server)"] = fmt.Sprintf("%v\n%+v\n%#v\n%#v\n%s\n%s", err, err, ge, *ge, ge.Body, errorLine(err, seeded))
	_, err = ec.ListConnectors(context.Background())
	require.Error(t, err)
	outputs["client error (echoing nextLink)"] = fmt.Sprintf("%v\n%+v\n%#v\n%s", err, err, err, errorLine(err, seeded))

	// A HAR file of calls made with both tokens, and verify-har's report on it.
	rec := client.NewRecorder()
	for _, tok := range []string{seeded, unknown} {
		rc, err := client.NewClient(client.WithBaseURL(base), client.WithTokenSource(client.StaticToken(tok)), client.WithoutRetry(), client.WithRecorder(rec))
		require.NoError(t, err)
		_, _ = rc.ListConnectorGroups(context.Background())
	}
	var har strings.Builder
	_, err = rec.WriteTo(&har)
	require.NoError(t, err)
	outputs["HAR file"] = har.String()
	harPath := filepath.Join(t.TempDir(), "calls.har")
	require.NoError(t, os.WriteFile(harPath, []byte(har.String()), 0o600))
	code, stdout, stderr := runCmd(t, context.Background(), "verify-har", harPath)
	require.NotEqual(t, exitUsage, code, "verify-har: %s %s", stdout, stderr)
	outputs["verify-har stdout"], outputs["verify-har stderr"] = stdout, stderr

	stop()
	require.Equal(t, exitOK, waitExit(t, exited))
	outputs["serve stderr (request log)"] = serveErr.String()

	// The outputs hold what was asked for, so their silence about the
	// tokens means something.
	assert.Contains(t, outputs["groups -v stderr"], "> Authorization: Bearer [REDACTED]")
	assert.Contains(t, outputs["HAR file"], "Bearer [REDACTED]", "the HAR file records the Authorization header")
	assert.Contains(t, outputs["verify-har stdout"], "entries", "verify-har reported on the file")
	assert.Contains(t, outputs["groups (401) -v stderr"], "401")
	assert.Contains(t, outputs["apply -v stdout"], "Applied ", "apply made its changes")
	assert.Contains(t, outputs["plan (401) -v stderr"], "status 401")
	assert.Contains(t, outputs["plan (echoing server) -v stderr"], "(status 403, request-id [REDACTED])")
	assert.Contains(t, outputs["group get (echoing server) -v stderr"], "error: Echo_[REDACTED]: denied: Bearer [REDACTED] (status 403, request-id [REDACTED])")
	assert.Contains(t, outputs["group get (echoing server) -v stderr"], "request-id=[REDACTED] client-request-id=Bearer [REDACTED]", "-v logs the headers")
	assert.Contains(t, outputs["connectors (echoing nextLink) -v stderr"], "https://elsewhere.example/beta/x?t=[REDACTED] is not on")
	assert.Contains(t, outputs["memberof (echoing ids) stderr"], `is in 2 groups ["g-1", "[REDACTED]"]`)
	assert.Contains(t, outputs["client error (echoing server)"], `"details":[{"code":"[REDACTED]","message":"[REDACTED]"}]`, "the body, its escaped spelling too")
	assert.Contains(t, outputs["serve stderr (request log)"], "status=401")
	assert.Contains(t, outputs["serve stderr (request log)"], "status=204")
	assert.Contains(t, serveOut.String(), seeded, "the banner lists the seeded tokens")
	outputs["serve stdout (banner) but for its token list"] = strings.ReplaceAll(serveOut.String(), seeded, "the seeded token")

	for name, text := range outputs {
		for _, tok := range []string{seeded, unknown} {
			assert.NotContains(t, text, tok, "%s holds a token", name)
			assert.NotContains(t, text, strings.TrimPrefix(tok, "sentinel-"), "%s holds a token's secret part", name)
		}
	}
}

// writeSeedWithToken writes the default seed with one more token, which
// may do everything, and returns its path.
func writeSeedWithToken(t *testing.T, token string) string {
	t.Helper()
	seed := fakegraph.DefaultSeed()
	seed.Tokens[token] = []string{"Directory.ReadWrite.All"}
	data, err := json.Marshal(seed)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "seed.json")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}
