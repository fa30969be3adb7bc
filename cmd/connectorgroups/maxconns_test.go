package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lowFileLimit is the file limit (ulimit -n, soft and hard) these tests
// give serve: below the connections they open.
const lowFileLimit = 128

// serveUnderFileLimit is serve run through sh with ulimit -n lowFileLimit.
func serveUnderFileLimit(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to set a file limit with")
	}
	script := "ulimit -n " + strconv.Itoa(lowFileLimit) + ` && exec "$0" "$@"`
	return exec.Command(sh, append([]string{"-c", script, os.Args[0], "serve", "-addr", "127.0.0.1:0", "-quiet"}, args...)...)
}

// Under a file limit of 128, more idle keep-alive clients than it allows
// come one after another: serve's default bound, taken from the limit,
// keeps it from running out of files; each client is answered (the
// connection idle the longest is closed to make room), then a new one,
// and serve never fails to accept ("too many open files").
func TestServeUnderALowFileLimit(t *testing.T) {
	cmd, url, stderr, exited := startServeCommand(t, serveUnderFileLimit(t))
	hostPort := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/beta")

	const clients = lowFileLimit + 40
	for i := range clients {
		conn, err := net.DialTimeout("tcp", hostPort, 10*time.Second)
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close() })
		require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
		_, err = io.WriteString(conn, "GET /beta/onPremisesPublishingProfiles/applicationProxy/connectors HTTP/1.1\r\nHost: fake\r\nAuthorization: Bearer dev-token\r\n\r\n")
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err, "client %d of %d is answered", i+1, clients)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.NoError(t, conn.SetDeadline(time.Time{}))
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	req, err := http.NewRequest(http.MethodGet, url+"/onPremisesPublishingProfiles/applicationProxy/connectorGroups", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer dev-token")
	resp, err := client.Do(req)
	require.NoError(t, err, "a new client is answered")
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-exited:
		assert.NoError(t, err, "serve stops cleanly; stderr:\n%s", stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10s")
	}
	assert.NotContains(t, stderr.String(), "too many open files")
}

// Asking for more connections than the file limit allows is a usage
// error, before anything listens.
func TestServeRefusesMaxConnsOverTheFileLimit(t *testing.T) {
	cmd := serveUnderFileLimit(t, "-max-conns", "1000")
	cmd.Env = append(os.Environ(), "CONNECTORGROUPS_TEST_MAIN=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, exitUsage, exit.ExitCode())
	assert.Contains(t, stderr.String(), "-max-conns: max connections 1000 is more than the process may open: its file limit (RLIMIT_NOFILE) is 128")
}
