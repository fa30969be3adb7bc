package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The stop under load, with a real process and a real SIGTERM: the test
// binary run as the CLI (TestMain). Each request moves a connector of its
// own into a group of its own, so its answer alone says whether it may be
// in the final state, which serve writes with -state-out once it stops.

const (
	loadRequests = 40
	loadLatency  = 400 * time.Millisecond // every request waits this long in its handler
	loadStagger  = 15 * time.Millisecond  // between the requests' starts
	// SIGTERM goes once sentBeforeSIGTERM requests are written out whole
	// and the server has had sigtermAfter to read them: they are then in
	// their handlers, for loadLatency.
	sentBeforeSIGTERM = 5
	sigtermAfter      = 100 * time.Millisecond
)

// loadSeed has one default group, and per request a connector (in the
// default group) and an empty group to move it to.
func loadSeed(t *testing.T) string {
	t.Helper()
	seed := fakegraph.Seed{Tokens: map[string][]string{"dev-token": {"Directory.ReadWrite.All"}}}
	seed.ConnectorGroups = append(seed.ConnectorGroups, fakegraph.SeedConnectorGroup{ID: "g-default", Name: "Default", ConnectorGroupType: "applicationProxy", IsDefault: true, Members: []string{}})
	for i := range loadRequests {
		seed.Connectors = append(seed.Connectors, fakegraph.SeedConnector{ID: loadConnector(i), MachineName: fmt.Sprintf("LOAD-%02d", i), ExternalIP: "192.0.2.1", Status: "active"})
		seed.ConnectorGroups = append(seed.ConnectorGroups, fakegraph.SeedConnectorGroup{ID: loadGroup(i), Name: fmt.Sprintf("Load %02d", i), ConnectorGroupType: "applicationProxy", Members: []string{}})
	}
	path := filepath.Join(t.TempDir(), "seed.json")
	data, err := json.Marshal(seed)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

func loadConnector(i int) string { return fmt.Sprintf("c-%02d", i) }
func loadGroup(i int) string     { return fmt.Sprintf("g-%02d", i) }

// loadRequest is request i: the doc's add (201), today's add (204) or
// memberOf/$ref (204), in turn.
func loadRequest(base string, i int) (*http.Request, error) {
	var path, link string
	switch i % 3 {
	case 0:
		path, link = "/connectorGroups/"+loadGroup(i)+"/members/$ref", graph.DocConnectorLink(graph.Beta, loadConnector(i))
	case 1:
		path, link = graph.ConnectorGroupsPath()+"/"+loadGroup(i)+"/members/$ref", "https://graph.microsoft.com/beta"+graph.ApplicationProxyPath+"/connectors/"+loadConnector(i)
	default:
		path, link = graph.ApplicationProxyPath+"/connectors/"+loadConnector(i)+"/memberOf/$ref", "https://graph.microsoft.com/beta"+graph.ConnectorGroupsPath()+"/"+loadGroup(i)
	}
	body, _ := json.Marshal(map[string]string{"@odata.id": link})
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(string(body)))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer dev-token")
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

// outcome is what became of one request: its status, or 0 for no answer.
type outcome struct {
	status     int
	err        error
	answeredAt time.Time
}

// startServeProcess runs the CLI's serve as a process of its own and
// returns it with its URL once the banner is out.
func startServeProcess(t *testing.T, args ...string) (cmd *exec.Cmd, url string, stderr *syncBuffer, exited <-chan error) {
	t.Helper()
	return startServeCommand(t, exec.Command(os.Args[0], append([]string{"serve", "-addr", "127.0.0.1:0", "-quiet"}, args...)...))
}

// startServeCommand is startServeProcess for a command that runs serve,
// through a shell for instance.
func startServeCommand(t *testing.T, cmd *exec.Cmd) (_ *exec.Cmd, url string, stderr *syncBuffer, exited <-chan error) {
	t.Helper()
	cmd.Env = append(os.Environ(), "CONNECTORGROUPS_TEST_MAIN=1")
	stderr = &syncBuffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() }) // if the test failed before it stopped
	done := make(chan error, 1)
	found := make(chan string, 1)
	urlLine := regexp.MustCompile(`^URL: (http://127\.0\.0\.1:\d+/beta)\s`)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := urlLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		done <- cmd.Wait()
	}()
	select {
	case url = <-found:
	case err := <-done:
		t.Fatalf("serve exited before its banner: %v; stderr:\n%s", err, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatalf("no banner within 10s; stderr:\n%s", stderr.String())
	}
	return cmd, url, stderr, done
}

// heldConnections opens connections that hold no request in flight: idle
// keep-alives after a whole request, and half-open ones that sent part of
// a request line, of the headers or of a body. Were any of them waited
// for, serve would give up after shutdownTimeout and exit 1.
func heldConnections(t *testing.T, hostPort string) []net.Conn {
	t.Helper()
	var conns []net.Conn
	for range 3 {
		conn, err := net.Dial("tcp", hostPort)
		require.NoError(t, err)
		getOnce(t, conn, bufio.NewReader(conn))
		conns = append(conns, conn)
	}
	for _, partial := range []string{
		"POST /beta/connectorGr",
		"POST " + graph.ConnectorGroupsPath() + " HTTP/1.1\r\nHost: fake\r\nAuthoriz",
		"POST /beta" + graph.ConnectorGroupsPath() + " HTTP/1.1\r\nHost: fake\r\nAuthorization: Bearer dev-token\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{\"name\":",
	} {
		conn, err := net.Dial("tcp", hostPort)
		require.NoError(t, err)
		_, err = io.WriteString(conn, partial)
		require.NoError(t, err)
		conns = append(conns, conn)
	}
	for _, c := range conns {
		t.Cleanup(func() { c.Close() })
	}
	return conns
}

// SIGTERM during load: requests in flight finish and are answered; no
// request is half applied (one answered 201 or 204 is in the final state,
// one unanswered or refused is not); idle and half-open connections do not
// hold the stop; the process exits 0.
func TestServeStopsUnderLoadOnSIGTERM(t *testing.T) {
	stateOut := filepath.Join(t.TempDir(), "state.json")
	cmd, url, stderr, exited := startServeProcess(t, "-seed", loadSeed(t), "-latency", loadLatency.String(), "-state-out", stateOut)
	hostPort := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/beta")
	heldConnections(t, hostPort)

	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	outcomes := make([]outcome, loadRequests)
	var wg sync.WaitGroup
	var written atomic.Int32
	enoughWritten := make(chan time.Time, 1)
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) {
		if written.Add(1) == sentBeforeSIGTERM {
			enoughWritten <- time.Now()
		}
	}}
	var sigtermAt, enoughAt time.Time
	sigtermDue := func() bool {
		if enoughAt.IsZero() {
			select {
			case enoughAt = <-enoughWritten:
			default:
				return false
			}
		}
		return time.Since(enoughAt) >= sigtermAfter
	}
	sendSIGTERM := func() {
		require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
		sigtermAt = time.Now()
	}
	for i := range loadRequests {
		if sigtermAt.IsZero() && sigtermDue() {
			sendSIGTERM()
		}
		wg.Go(func() {
			req, err := loadRequest(url, i)
			if err != nil {
				outcomes[i] = outcome{err: err}
				return
			}
			resp, err := client.Do(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
			if err != nil {
				outcomes[i] = outcome{err: err}
				return
			}
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			outcomes[i] = outcome{status: resp.StatusCode, err: err, answeredAt: time.Now()}
		})
		time.Sleep(loadStagger)
	}
	if sigtermAt.IsZero() { // a slow start: the requests are still in flight
		require.Eventually(t, sigtermDue, 5*time.Second, 5*time.Millisecond, "%d requests written", sentBeforeSIGTERM)
		sendSIGTERM()
	}
	wg.Wait()

	select {
	case err := <-exited:
		require.NoError(t, err, "exit status; stderr:\n%s", stderr.String())
		assert.Equal(t, 0, cmd.ProcessState.ExitCode())
		// The held connections did not hold the stop: it took the
		// requests in flight, not serve's 5 s limit for them.
		assert.Less(t, time.Since(sigtermAt), loadLatency+shutdownTimeout/2, "the stop waited for no held connection")
	case <-time.After(10 * time.Second):
		t.Fatalf("serve did not exit within 10s of SIGTERM; stderr:\n%s", stderr.String())
	}
	assert.Contains(t, stderr.String(), "connectorgroups serve: stopped")

	state, err := fakegraph.LoadSeedFile(stateOut)
	require.NoError(t, err, "-state-out wrote a seed")
	placed := map[string]string{}
	for _, g := range state.Placed() {
		for _, c := range g.Members {
			placed[c] = g.ID
		}
	}
	var finishedAfterSIGTERM, applied, refused, unanswered int
	for i, o := range outcomes {
		moved := placed[loadConnector(i)] == loadGroup(i)
		switch {
		case o.err != nil && o.status == 0:
			unanswered++
			assert.False(t, moved, "request %d was never answered (%v), yet it was applied", i, o.err)
		case o.status == http.StatusCreated || o.status == http.StatusNoContent:
			applied++
			assert.True(t, moved, "request %d was answered %d, yet its move is not in the final state", i, o.status)
			if o.answeredAt.After(sigtermAt) {
				finishedAfterSIGTERM++
			}
		case o.status == http.StatusServiceUnavailable:
			refused++
			assert.False(t, moved, "request %d was refused 503 while draining, yet it was applied", i)
		default:
			t.Errorf("request %d: status %d, err %v", i, o.status, o.err)
		}
	}
	t.Logf("%d requests: %d applied (%d of them answered after SIGTERM), %d refused 503 while draining, %d unanswered (refused connection)",
		loadRequests, applied, finishedAfterSIGTERM, refused, unanswered)
	assert.Positive(t, finishedAfterSIGTERM, "requests in flight at SIGTERM finished and were answered")
	assert.Positive(t, refused+unanswered, "requests after SIGTERM were turned away")

}
