package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/internal/har"
	"github.com/connectorgroups/connectorgroups/internal/testkit/wirecorpus"
)

const (
	harDefaultGroup = "0c5e7a93-6d2f-4b18-9e40-a3f1c8d2b765"
	harConnector01  = "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"
	harEmptyGroup   = "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21"
	harEuropeGroup  = "9e7c3a58-2b1d-4f60-8a94-c5e0d7b2f316"
)

func runVerifyHARCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = dispatch(context.Background(), append([]string{"verify-har"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

// recordFake runs all 12 operations against the fake through
// client.Recorder and returns the HAR it wrote.
func recordFake(t *testing.T) *har.File {
	t.Helper()
	srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed(), fakegraph.WithPageSize(2))
	rec := client.NewRecorder()
	opts := []client.Option{client.WithBaseURL(srv.URL + "/beta"), client.WithTokenSource(client.StaticToken("dev-token")), client.WithRecorder(rec)}
	c, err := client.NewClient(opts...)
	require.NoError(t, err)
	doc, err := client.NewClient(append(opts, client.WithDocPath())...)
	require.NoError(t, err)
	ctx := t.Context()

	_, err = c.ListConnectorGroups(ctx)
	require.NoError(t, err)
	g, err := c.CreateConnectorGroup(ctx, client.NewConnectorGroup{Name: "Recorded", Region: client.RegionAsia})
	require.NoError(t, err)
	_, err = c.GetConnectorGroup(ctx, g.ID)
	require.NoError(t, err)
	require.NoError(t, c.UpdateConnectorGroup(ctx, g.ID, client.ConnectorGroupUpdate{Name: "Recorded, renamed"}))
	_, err = doc.AddConnector(ctx, harEmptyGroup, harConnector01) // the doc's path: 201
	require.NoError(t, err)
	_, err = c.AddConnector(ctx, g.ID, harConnector01) // today's: 204
	require.NoError(t, err)
	_, err = c.ListMembers(ctx, g.ID)
	require.NoError(t, err)
	_, err = c.GetConnectorGroupOf(ctx, harConnector01)
	require.NoError(t, err)
	require.NoError(t, c.AddConnectorViaMemberOf(ctx, harDefaultGroup, harConnector01))
	require.NoError(t, c.DeleteConnectorGroup(ctx, g.ID))
	_, err = c.ListConnectors(ctx)
	require.NoError(t, err)
	_, err = c.GetConnector(ctx, "00000000-0000-4000-8000-000000000000")
	require.ErrorIs(t, err, client.ErrNotFound)

	// The applications, after the connectors' entries, which keep their
	// places (broken.har's edits name them).
	const expenses, payroll = "5f0e2a71-3b9c-4d84-a6e1-8c2d7f4b9a10", "b7d4c9e2-1f6a-4e35-8b07-3a9c5e2d1f48"
	_, err = c.ListApplications(ctx)
	require.NoError(t, err)
	_, err = c.GetApplication(ctx, expenses)
	require.NoError(t, err)
	require.NoError(t, c.AddApplication(ctx, harEmptyGroup, expenses))
	_, err = c.ListGroupApplications(ctx, harEmptyGroup)
	require.NoError(t, err)
	require.NoError(t, c.RemoveApplicationConnectorGroup(ctx, expenses))
	_, err = c.GetApplicationConnectorGroup(ctx, expenses)
	require.NoError(t, err)
	require.NoError(t, c.AddApplicationViaConnectorGroup(ctx, harEuropeGroup, expenses))
	require.ErrorIs(t, c.AddApplicationViaConnectorGroup(ctx, harEmptyGroup, payroll), client.ErrPublishingNotEnabled)

	var buf bytes.Buffer
	_, err = rec.WriteTo(&buf)
	require.NoError(t, err)
	f, err := har.Read(&buf, har.DefaultMaxBytes)
	require.NoError(t, err)
	return f
}

func writeHAR(t *testing.T, f *har.File) string {
	t.Helper()
	data, err := json.MarshalIndent(f, "", "  ")
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "traffic.har")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

// Traffic the client recorded from the fake is what the spec says.
func TestVerifyHARPassesOnTrafficRecordedFromTheFake(t *testing.T) {
	f := recordFake(t)
	n := len(f.Log.Entries)
	require.GreaterOrEqual(t, n, 23, "19 operations: three lists take two pages, and one PUT is refused")
	code, out, stderr := runVerifyHARCmd(t, writeHAR(t, f))
	assert.Equal(t, exitOK, code, "stdout:\n%s\nstderr:\n%s", out, stderr)
	assert.Equal(t, fmt.Sprintf("%d entries: %d checked, 0 outside the spec, 0 without a response; 0 violations", n, n), summaryOf(t, out))
}

// The real Graph corpus, as devtools would export it (https URLs on
// graph.microsoft.com, base64 bodies, HTTP/2 pseudo-headers, vendor
// fields), mixed with traffic outside the spec: each corpus response
// violates the spec exactly where its file says the live service does
// (# known-deviation), and nothing else; the rest is counted, not checked.
func TestVerifyHARReadsTheRealGraphCorpus(t *testing.T) {
	corpus, err := wirecorpus.Load("../../testdata/graph-responses")
	require.NoError(t, err)
	var entries []json.RawMessage
	var want []string
	for i, r := range corpus {
		var headers []map[string]string
		for name, values := range r.Header {
			for _, v := range values {
				headers = append(headers, map[string]string{"name": strings.ToLower(name), "value": v})
			}
		}
		content := map[string]any{"size": len(r.Body), "mimeType": r.Header.Get("Content-Type"), "text": string(r.Body)}
		if i%2 == 0 {
			content["text"], content["encoding"] = base64.StdEncoding.EncodeToString(r.Body), "base64"
		}
		entries = append(entries, mustJSON(t, map[string]any{
			"startedDateTime": "2026-12-01T12:00:00.000Z", "time": 120, "_resourceType": "fetch",
			"request": map[string]any{
				"method": "POST", "url": "https://graph.microsoft.com/beta/connectorGroups/" + harEmptyGroup + "/members/$ref", "httpVersion": "h2",
				"headers": []map[string]string{
					{"name": ":authority", "value": "graph.microsoft.com"}, {"name": ":method", "value": "POST"},
					{"name": "authorization", "value": "Bearer eyJ0eXAiOiJKV1QiLCJub25jZSI6Im5vdC1hLXJlYWwtdG9rZW4ifQ.e30.sig"},
					{"name": "content-type", "value": "application/json"},
				},
				"queryString": []any{}, "cookies": []any{}, "headersSize": -1, "bodySize": 90,
				"postData": map[string]string{"mimeType": "application/json", "text": `{"@odata.id":"https://graph.microsoft.com/beta/connector/` + harConnector01 + `"}`},
			},
			"response": map[string]any{"status": r.Status, "statusText": "", "httpVersion": "h2", "headers": headers, "cookies": []any{}, "content": content, "redirectURL": "", "headersSize": -1, "bodySize": -1},
			"cache":    map[string]any{}, "timings": map[string]any{"send": 0, "wait": 120, "receive": 0},
		}))
		for _, field := range r.KnownDeviations() {
			want = append(want, fmt.Sprintf("entry %d: addConnectorToConnectorGroup response %s", i, field))
		}
	}
	outside := []struct{ method, url string }{
		{"POST", "https://login.microsoftonline.com/common/oauth2/v2.0/token"},
		{"GET", "https://graph.microsoft.com/v1.0/me"},
		{"GET", "https://graph.microsoft.com/v1.0/onPremisesPublishingProfiles/applicationProxy/connectorGroups"},
		{"OPTIONS", "https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups"},
		{"GET", "https://developer.microsoft.com/graph/graph-explorer/app.js"},
	}
	// A request that got no response (devtools' status 0): its request is
	// checked, and counted apart.
	entries = append(entries, mustJSON(t, map[string]any{
		"request": map[string]any{"method": "GET", "url": "https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors",
			"headers": []map[string]string{{"name": "Authorization", "value": "Bearer x.y.z"}}},
		"response": map[string]any{"status": 0, "headers": []any{}, "content": map[string]any{"mimeType": "x-unknown"}},
	}))
	for _, o := range outside {
		entries = append(entries, mustJSON(t, map[string]any{
			"request":  map[string]any{"method": o.method, "url": o.url, "headers": []any{}},
			"response": map[string]any{"status": 200, "headers": []any{}, "content": map[string]any{"mimeType": "text/html", "text": "<p>not Graph's</p>"}},
		}))
	}
	path := filepath.Join(t.TempDir(), "devtools.har")
	require.NoError(t, os.WriteFile(path, mustJSON(t, map[string]any{"log": map[string]any{
		"version": "1.2", "creator": map[string]string{"name": "WebInspector", "version": "537.36"}, "pages": []any{}, "entries": entries,
	}}), 0o644))

	code, out, _ := runVerifyHARCmd(t, path)
	var got []string
	for line := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(line, "entry ") {
			head, _, _ := strings.Cut(line, ": ")
			rest := strings.TrimPrefix(line, head+": ")
			op, _, _ := strings.Cut(rest, ":")
			got = append(got, head+": "+op)
		}
	}
	slices.Sort(got)
	got = slices.Compact(got)
	slices.Sort(want)
	assert.Equal(t, want, got, "the violations are the corpus's known deviations")
	assert.NotEmpty(t, want, "the corpus names known deviations; without them this test proves less")
	assert.Equal(t, exitFailure, code)
	assert.Equal(t, fmt.Sprintf("%d entries: %d checked, %d outside the spec, 1 without a response; %d violations",
		len(corpus)+1+len(outside), len(corpus)+1, len(outside), violationLines(out)), summaryOf(t, out))
}

// Hand-edited copies of the fake's traffic break the spec in each
// direction; each violation names the entry, the operation, the
// direction and the field.
func TestVerifyHARReportsEachViolation(t *testing.T) {
	base := recordFake(t)
	find := func(f *har.File, method, suffix string, status int) int {
		for i, e := range f.Log.Entries {
			if e.Request.Method == method && strings.HasSuffix(e.Request.URL, suffix) && e.Response.Status == status {
				return i
			}
		}
		t.Fatalf("no %s …%s %d in the recording", method, suffix, status)
		return -1
	}
	for _, tc := range []struct {
		name string
		edit func(f *har.File) int // returns the entry it broke
		want string                // "operation direction field"
	}{
		{"a create that writes the system-set id", func(f *har.File) int {
			i := find(f, "POST", "/applicationProxy/connectorGroups", 200)
			f.Log.Entries[i].Request.PostData.Text = `{"name":"x","id":"00000000-0000-4000-8000-000000000001"}`
			return i
		}, "createConnectorGroup request body"},
		{"a create whose isDefault is no boolean", func(f *har.File) int {
			i := find(f, "POST", "/applicationProxy/connectorGroups", 200)
			f.Log.Entries[i].Request.PostData.Text = `{"name":"x","isDefault":"true"}`
			return i
		}, "createConnectorGroup request body/isDefault"},
		{"a request without a token", func(f *har.File) int {
			i := find(f, "GET", "/applicationProxy/connectorGroups", 200)
			f.Log.Entries[i].Request.Headers = slices.DeleteFunc(f.Log.Entries[i].Request.Headers, func(h har.NameValue) bool { return h.Name == "Authorization" })
			return i
		}, "listConnectorGroups request header/Authorization"},
		{"a connector status outside its enum", func(f *har.File) int {
			i := find(f, "GET", "/applicationProxy/connectors", 200)
			f.Log.Entries[i].Response.Content.Text = strings.Replace(f.Log.Entries[i].Response.Content.Text, `"status":"active"`, `"status":"degraded"`, 1)
			return i
		}, "listConnectors response body/value/"},
		{"a response without request-id", func(f *har.File) int {
			i := find(f, "GET", "/applicationProxy/connectors/00000000-0000-4000-8000-000000000000", 404)
			f.Log.Entries[i].Response.Headers = slices.DeleteFunc(f.Log.Entries[i].Response.Headers, func(h har.NameValue) bool { return h.Name == "Request-Id" })
			return i
		}, "getConnector response header/request-id"},
		{"a 200 where only 204 is declared", func(f *har.File) int {
			i := find(f, "DELETE", "", 204)
			f.Log.Entries[i].Response.Status = 200
			return i
		}, "deleteConnectorGroup response status"},
		{"a response body the recorder did not keep", func(f *har.File) int {
			i := find(f, "GET", "/applicationProxy/connectors", 200)
			f.Log.Entries[i].Response.Content.Text = "" // no content.text in the file; size stays
			return i
		}, "listConnectors response body: not recorded: the response had "},
		{"a method the spec does not declare for the path", func(f *har.File) int {
			i := find(f, "PATCH", "", 204)
			f.Log.Entries[i].Request.Method = "PUT"
			return i
		}, "PUT /beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := cloneHAR(t, base)
			i := tc.edit(f)
			code, out, stderr := runVerifyHARCmd(t, writeHAR(t, f))
			assert.Equal(t, exitFailure, code, "stderr: %s", stderr)
			assert.Contains(t, out, fmt.Sprintf("entry %d: %s", i, tc.want))
			for line := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
				if strings.HasPrefix(line, "entry ") {
					assert.True(t, strings.HasPrefix(line, fmt.Sprintf("entry %d: ", i)), "only the edited entry violates: %s", line)
				}
			}
		})
	}
}

// Devtools' sanitized export drops Authorization: every request then
// breaks the spec's security requirement, unless -ignore-auth says so.
func TestVerifyHARIgnoreAuthForSanitizedExports(t *testing.T) {
	f := recordFake(t)
	for i := range f.Log.Entries {
		f.Log.Entries[i].Request.Headers = slices.DeleteFunc(f.Log.Entries[i].Request.Headers, func(h har.NameValue) bool { return h.Name == "Authorization" })
	}
	path := writeHAR(t, f)
	code, out, _ := runVerifyHARCmd(t, path)
	assert.Equal(t, exitFailure, code)
	assert.Equal(t, len(f.Log.Entries), strings.Count(out, " request header/Authorization: "), out)
	code, out, _ = runVerifyHARCmd(t, "-ignore-auth", path)
	assert.Equal(t, exitOK, code, out)
}

// Recorders that redact the whole Authorization value, as Dev Proxy does
// ("REDACTED"), still recorded a credential: no violation.
func TestVerifyHARReadsWhollyRedactedAuthorization(t *testing.T) {
	for _, value := range []string{"REDACTED", "[REDACTED]", "Bearer [REDACTED]"} {
		t.Run(value, func(t *testing.T) {
			f := recordFake(t)
			for i, e := range f.Log.Entries {
				for j, h := range e.Request.Headers {
					if h.Name == "Authorization" {
						f.Log.Entries[i].Request.Headers[j] = har.NameValue{Name: "authorization", Value: value}
					}
				}
			}
			code, out, _ := runVerifyHARCmd(t, writeHAR(t, f))
			assert.Equal(t, exitOK, code, out)
		})
	}
}

// Nothing verify-har prints carries a secret from the file, even where a
// reason would quote the value that broke the spec.
func TestVerifyHARRedactsSecrets(t *testing.T) {
	f := recordFake(t)
	const token = "eyJhbGciOiJub25lIn0.not-a-real-token-but-secret"
	const cookie = "session-cookie-secret-value"
	e := &f.Log.Entries[0] // listConnectorGroups
	for i, h := range e.Request.Headers {
		if h.Name == "Authorization" {
			e.Request.Headers[i].Value = "Bearer " + token
		}
	}
	e.Request.Headers = append(e.Request.Headers, har.NameValue{Name: "Cookie", Value: "s=" + cookie})
	e.Request.Cookies = []har.Cookie{{Name: "s", Value: cookie}}
	// A $top that is the token: the validator quotes a bad value.
	e.Request.URL += "?$top=" + token
	e.Request.QueryString = []har.NameValue{{Name: "$top", Value: token}}
	for _, format := range [][]string{nil, {"-json"}} {
		code, out, stderr := runVerifyHARCmd(t, append(format, writeHAR(t, f))...)
		assert.Equal(t, exitFailure, code)
		assert.Contains(t, out, "query/$top")
		assert.Contains(t, out, "[REDACTED]", "the reason quoted the value, redacted")
		for _, secret := range []string{token, cookie} {
			assert.NotContains(t, out+stderr, secret)
		}
	}
}

// A file that is no HAR is a usage error that says where it breaks.
func TestVerifyHARRefusesMalformedFiles(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, content, want string }{
		{"bad.har", "{\"log\": {\"version\": \"1.2\",\n  \"entries\": [}\n}", "line 2, column 15"},
		{"type.har", `{"log": {"version": "1.2", "entries": [{"request": {"method": "GET", "url": "https://h/beta/x"}, "response": {"status": "ok"}}]}}`, "entry 0: response.status"},
		{"nourl.har", `{"log": {"version": "1.2", "entries": [{"request": {"method": "GET"}}]}}`, "entry 0: request.url: missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			require.NoError(t, os.WriteFile(path, []byte(tc.content), 0o644))
			code, out, stderr := runVerifyHARCmd(t, path)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, out)
			assert.Contains(t, stderr, tc.want)
		})
	}
	code, _, stderr := runVerifyHARCmd(t)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "want exactly one FILE.har")
}

func summaryOf(t *testing.T, out string) string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	_, summary, ok := strings.Cut(lines[len(lines)-1], ": ")
	require.True(t, ok, "no summary line in %q", out)
	return summary
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return data
}

func cloneHAR(t *testing.T, f *har.File) *har.File {
	t.Helper()
	var c har.File
	require.NoError(t, json.Unmarshal(mustJSON(t, f), &c))
	return &c
}

// violationLines counts the lines of out that report a violation.
func violationLines(out string) int {
	n := 0
	for line := range strings.SplitSeq(out, "\n") {
		if strings.HasPrefix(line, "entry ") {
			n++
		}
	}
	return n
}

var updateHAR = flag.Bool("update-har", false, "rewrite testdata/har/recorded-from-fake.har from a recording of the fake")

// The committed HAR files docs/contract.md runs: the fake's traffic, recorded by
// client.Recorder, passes; broken.har, a copy edited by hand, fails once
// in each direction.
func TestCommittedHARFiles(t *testing.T) {
	const recorded = "../../testdata/har/recorded-from-fake.har"
	if *updateHAR {
		f := recordFake(t)
		data, err := json.MarshalIndent(f, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(recorded, append(data, '\n'), 0o644))
	}
	code, out, stderr := runVerifyHARCmd(t, recorded)
	assert.Equal(t, exitOK, code, "%s%s", out, stderr)

	code, out, _ = runVerifyHARCmd(t, "../../testdata/har/broken.har")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, out, "entry 2: createConnectorGroup request body/region: ")
	assert.Contains(t, out, "entry 13: getConnector response header/request-id: ")
	assert.Equal(t, 2, violationLines(out), out)
}

// A HAR file over -max-mib is refused, unread past the bound, with an
// error that names the bound and the flag; -max-mib must be a sane number.
func TestVerifyHARRefusesAFileOverItsBound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.har")
	f, err := os.Create(path)
	require.NoError(t, err)
	_, err = f.WriteString(`{"log": {"version": "1.2", "entries": [{"request": {"method": "GET", "url": "https://h/beta/x"}, "response": {"status": 200, "content": {"text": "`)
	require.NoError(t, err)
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	for range 2<<20/len(chunk) + 1 { // just over 2 MiB
		_, err = f.Write(chunk)
		require.NoError(t, err)
	}
	require.NoError(t, f.Close())

	code, out, stderr := runVerifyHARCmd(t, "-max-mib", "2", path)
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.Equal(t, "connectorgroups verify-har: "+path+": the HAR file is larger than 2097152 bytes, the most this program reads (-max-mib 2); not read further, and nothing checked: raise -max-mib to check it\nRun 'connectorgroups verify-har -h' for usage.\n", stderr)

	code, _, stderr = runVerifyHARCmd(t, "-max-mib", "3", path)
	assert.Equal(t, exitUsage, code, "read whole, the file is still malformed: %s", stderr)
	assert.Contains(t, stderr, "is not a HAR file this can read", "under the bound, the file is read")

	for _, bad := range []string{"0", "-1", "1048577"} {
		code, _, stderr = runVerifyHARCmd(t, "-max-mib", bad, path)
		assertUsageError(t, "verify-har", code, "", stderr, "-max-mib must be from 1 to 1048576")
	}
}
