package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// syncBuffer is an io.Writer that the serving goroutine writes while the
// test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServe runs `connectorgroups serve args...` in a goroutine and
// returns the exit code channel and the output.
func startServe(t *testing.T, ctx context.Context, args ...string) (<-chan int, *syncBuffer, *syncBuffer) {
	t.Helper()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	exited := make(chan int, 1)
	go func() { exited <- dispatch(ctx, append([]string{"serve"}, args...), stdout, stderr) }()
	return exited, stdout, stderr
}

// waitFor polls the output until re matches or time runs out.
func waitFor(t *testing.T, out *syncBuffer, exited <-chan int, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m
		}
		select {
		case code := <-exited:
			t.Fatalf("serve exited early with %d; output:\n%s", code, out.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("no match for %s in:\n%s", re, out.String())
	return nil
}

func waitExit(t *testing.T, exited <-chan int) int {
	t.Helper()
	select {
	case code := <-exited:
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not exit within 10s")
		return -1
	}
}

// The printed curl, parsed: the URL, the token and the body.
var curlLine = regexp.MustCompile(`curl -i -X POST (http://127\.0\.0\.1:\d+/beta/connectorGroups/[^/]+/members/\\\$ref) -H 'Authorization: Bearer ([^']+)' -H 'Content-Type: application/json' -d '([^']+)'`)

func TestServeAnswersTheDocExampleAndStopsCleanly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exited, stdout, stderr := startServe(t, ctx, "-addr", "127.0.0.1:0")

	url := waitFor(t, stdout, exited, regexp.MustCompile(`URL: (http://127\.0\.0\.1:\d+/beta)\s`))[1]
	m := waitFor(t, stdout, exited, curlLine)
	out := stdout.String()
	for _, want := range []string{
		"4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21", `"Default"`, "9e7c3a58-2b1d-4f60-8a94-c5e0d7b2f316",
		"members: 6c0e2b7d-91a4-4f38-b5d2-0a7e3c9f1e64", "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30",
		"dev-token", "Directory.ReadWrite.All", "reader-token",
	} {
		assert.Contains(t, out, want)
	}
	// The curl uses the first group and a connector that is not yet in it.
	assert.Equal(t, url+`/connectorGroups/4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21/members/\$ref`, m[1])
	assert.Equal(t, "dev-token", m[2])
	assert.Equal(t, `{"@odata.id":"https://graph.microsoft.com/beta/connector/d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"}`, m[3])

	// Run the printed curl.
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.ReplaceAll(m[1], `\$`, `$`), strings.NewReader(m[3]))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+m[2])
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusCreated, resp.StatusCode, string(body))
	assert.Contains(t, string(body), `"machineName":"CONNECTOR-01.contoso.com"`)

	cancel()
	assert.Equal(t, exitOK, waitExit(t, exited), "stderr:\n%s", stderr.String())
	assert.Contains(t, stderr.String(), "status=201", "requests are logged to stderr")
	assert.Contains(t, stderr.String(), "stopped")

	// The port is released.
	_, err = net.DialTimeout("tcp", strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/beta"), time.Second)
	assert.Error(t, err)
}

func TestServeWithASeedFileAndFaults(t *testing.T) {
	seed := filepath.Join(t.TempDir(), "seed.json")
	require.NoError(t, os.WriteFile(seed, []byte(`{
		"connectors": [{"id": "c-1", "machineName": "m1", "externalIp": "192.0.2.1", "status": "active"}],
		"connectorGroups": [{"id": "g-0", "name": "Default", "connectorGroupType": "applicationProxy", "isDefault": true, "region": "nam", "members": []},
			{"id": "g-1", "name": "One", "connectorGroupType": "applicationProxy", "region": "nam", "members": []}],
		"tokens": {"my-token": ["Directory.ReadWrite.All"]}}`), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exited, stdout, stderr := startServe(t, ctx, "-addr", "127.0.0.1:0", "-seed", seed, "-quiet",
		"-fault-rate", "1", "-fault-status", "503", "-retry-after", "2500ms")

	m := waitFor(t, stdout, exited, curlLine)
	assert.Contains(t, m[1], "/connectorGroups/g-1/")
	assert.Equal(t, "my-token", m[2])
	assert.Contains(t, m[3], "/connector/c-1")
	// The banner shows the Retry-After actually sent, in whole seconds.
	assert.Contains(t, stdout.String(), "Faults: 100% of requests answer 503 with Retry-After: 3 (seconds).")

	resp := postBannerCurl(t, ctx, m)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, "3", resp.Header.Get("Retry-After"))

	cancel()
	assert.Equal(t, exitOK, waitExit(t, exited))
	assert.NotContains(t, stderr.String(), "status=", "-quiet logs no requests")
}

// Usage errors are in main_test.go's TestUsageErrors. A well-formed
// address that cannot be listened on is a failure, not a usage error.
func TestServeCannotListen(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { busy.Close() })

	tests := []struct {
		name, addr string
	}{
		{"no such address", "256.0.0.1:0"},
		{"the port is taken", busy.Addr().String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, cancelled(), "serve", "-addr", tt.addr)
			assert.Equal(t, exitFailure, code, "stderr:\n%s", stderr)
			assert.Empty(t, stdout, "nothing is served, so no banner")
			assert.True(t, strings.HasPrefix(stderr, "connectorgroups serve: "), stderr)
			assert.Contains(t, stderr, tt.addr)
			assert.NotContains(t, stderr, "-h' for usage", "not a usage error")
		})
	}
}

func TestServeHelp(t *testing.T) {
	code, stdout, stderr := runCmd(t, cancelled(), "serve", "-h")
	assert.Equal(t, exitOK, code)
	assert.Empty(t, stderr)
	for _, want := range []string{"-trust-unsigned-jwt", "-allow-remote-unsigned-jwt", "-fault-rate RATE", "-addr HOST:PORT", "-seed FILE", "-page-size N"} {
		assert.Contains(t, stdout, want)
	}
}

// serve has no fault rules of its own: fakegraph's apply, so zero values
// take fakegraph's defaults (status 429, Retry-After 1 second), and the
// banner shows what is sent.
func TestServeTakesFakegraphsFaultDefaults(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exited, stdout, stderr := startServe(t, ctx, "-addr", "127.0.0.1:0", "-quiet",
		"-fault-rate", "1", "-fault-status", "0", "-retry-after", "0s")

	m := waitFor(t, stdout, exited, curlLine)
	assert.Contains(t, stdout.String(), "Faults: 100% of requests answer 429 with Retry-After: 1 (seconds).")

	resp := postBannerCurl(t, ctx, m)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))

	cancel()
	assert.Equal(t, exitOK, waitExit(t, exited), "stderr:\n%s", stderr.String())
}

// -page-size caps every list's pages: a walk of the default seed's three
// connectors with -page-size 2 takes two pages.
func TestServePageSize(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exited, stdout, stderr := startServe(t, ctx, "-addr", "127.0.0.1:0", "-quiet", "-page-size", "2")
	url := waitFor(t, stdout, exited, regexp.MustCompile(`URL: (http://127\.0\.0\.1:\d+/beta)\s`))[1]

	next := url + "/onPremisesPublishingProfiles/applicationProxy/connectors"
	var sizes []int
	for next != "" && len(sizes) < 5 {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, next, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer dev-token")
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		require.NoError(t, err)
		var page struct {
			Value    []json.RawMessage `json:"value"`
			NextLink string            `json:"@odata.nextLink"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		sizes, next = append(sizes, len(page.Value)), page.NextLink
	}
	assert.Equal(t, []int{2, 1}, sizes)

	cancel()
	assert.Equal(t, exitOK, waitExit(t, exited), "stderr:\n%s", stderr.String())
}

// getOnce sends one complete request on conn and reads the whole response,
// leaving conn open (keep-alive).
func getOnce(t *testing.T, conn net.Conn, br *bufio.Reader) {
	t.Helper()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err := io.WriteString(conn, "GET /beta/nothing HTTP/1.1\r\nHost: fake\r\n\r\n")
	require.NoError(t, err)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	require.NoError(t, conn.SetDeadline(time.Time{}))
}

// Stopping does not wait for connections that have no request in a handler:
// an idle keep-alive connection, one that sent nothing, a request whose
// headers or body are half sent. serve closes them at once and exits 0.
func TestServeStopsAtOnceDespiteIdleAndHalfSentConnections(t *testing.T) {
	tests := []struct {
		name string
		hold func(t *testing.T, conn net.Conn, br *bufio.Reader)
	}{
		{"idle keep-alive connection", func(t *testing.T, conn net.Conn, br *bufio.Reader) {
			getOnce(t, conn, br)
		}},
		{"connected, nothing sent", func(t *testing.T, conn net.Conn, br *bufio.Reader) {}},
		{"headers half sent", func(t *testing.T, conn net.Conn, br *bufio.Reader) {
			_, err := io.WriteString(conn, "POST /beta/connectorGroups/g/members/$ref HTTP/1.1\r\nHost: fake\r\nContent-Type: appl")
			require.NoError(t, err)
		}},
		{"second request's headers half sent", func(t *testing.T, conn net.Conn, br *bufio.Reader) {
			getOnce(t, conn, br)
			_, err := io.WriteString(conn, "POST /beta/connectorGroups/g/members/$ref HTTP/1.1\r\nHost: fa")
			require.NoError(t, err)
		}},
		{"body half sent", func(t *testing.T, conn net.Conn, br *bufio.Reader) {
			_, err := io.WriteString(conn, "POST /beta/connectorGroups/g/members/$ref HTTP/1.1\r\nHost: fake\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"@odata.id\":")
			require.NoError(t, err)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			exited, stdout, stderr := startServe(t, ctx, "-addr", "127.0.0.1:0", "-quiet")
			url := waitFor(t, stdout, exited, regexp.MustCompile(`URL: http://(127\.0\.0\.1:\d+)/beta\s`))[1]

			conn, err := net.Dial("tcp", url)
			require.NoError(t, err)
			defer conn.Close()
			br := bufio.NewReader(conn)
			tt.hold(t, conn, br)
			// The server accepts in order: once a later connection is
			// answered, conn has been accepted too.
			later, err := net.Dial("tcp", url)
			require.NoError(t, err)
			getOnce(t, later, bufio.NewReader(later))
			later.Close()

			cancel()
			assert.Equal(t, exitOK, waitExit(t, exited), "stderr:\n%s", stderr.String())
			// The held connection was closed (cleanly, or with a reset when
			// bytes were left unread), with no response on it.
			require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
			rest, err := io.ReadAll(br)
			if err != nil {
				assert.ErrorIs(t, err, syscall.ECONNRESET, "the server closes the connection")
			}
			assert.Empty(t, string(rest), "nothing is answered on it")
		})
	}
}

// postBannerCurl sends the request of the banner's curl, as matched by
// curlLine (URL, token, body), and returns the closed response.
func postBannerCurl(t *testing.T, ctx context.Context, m []string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.ReplaceAll(m[1], `\$`, `$`), strings.NewReader(m[3]))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+m[2])
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp
}

// -validate-responses holds every response to the spec: the fake's own
// answers, a GET with a body over the limit included (413, which every
// operation declares), break none of it, so serve stops with 0. Request
// lines are flushed before the last words.
func TestServeValidatesResponses(t *testing.T) {
	tests := []struct {
		name     string
		bigBody  bool
		wantCode int
		wantLast string
	}{
		{"a list", false, exitOK, "connectorgroups serve: stopped\n"},
		{"a GET with a body over the limit", true, exitOK, "connectorgroups serve: stopped\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			exited, stdout, stderr := startServe(t, ctx, "-addr", "127.0.0.1:0", "-validate-responses")
			url := waitFor(t, stdout, exited, regexp.MustCompile(`URL: (http://127\.0\.0\.1:\d+/beta)\s`))[1]
			var body io.Reader
			if tt.bigBody {
				body = strings.NewReader(strings.Repeat("x", fakegraph.MaxBodyBytes+1))
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+graph.ConnectorGroupsPath(), body)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer dev-token")
			resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			cancel()
			assert.Equal(t, tt.wantCode, waitExit(t, exited), "stderr:\n%s", stderr.String())
			log := stderr.String()
			assert.True(t, strings.HasSuffix(log, tt.wantLast), "stderr ends with %q:\n%s", tt.wantLast, log)
			assert.Less(t, strings.Index(log, "msg=request"), strings.Index(log, "connectorgroups serve: stopped"), "the request's line comes first:\n%s", log)
		})
	}
}

// A stop after a response broke the spec fails, says how many, and where
// to see them.
func TestLastWords(t *testing.T) {
	tests := []struct {
		violations int
		quiet      bool
		line       string
		code       int
	}{
		{0, false, "connectorgroups serve: stopped", exitOK},
		{0, true, "connectorgroups serve: stopped", exitOK},
		{1, false, "connectorgroups serve: stopped; 1 responses violated the spec (logged above)", exitFailure},
		{3, true, "connectorgroups serve: stopped; 3 responses violated the spec (run without -quiet to see them)", exitFailure},
	}
	for _, tt := range tests {
		line, code := lastWords(tt.violations, tt.quiet)
		assert.Equal(t, tt.line, line)
		assert.Equal(t, tt.code, code)
	}
}
