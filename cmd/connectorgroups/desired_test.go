package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/desired"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// Ids of the default seed that the desired-state tests name.
const (
	desiredConnector03 = "0b9d4e21-5a7c-4c86-9e3f-d1a2b6c8f057"
	desiredExpenses    = "5f0e2a71-3b9c-4d84-a6e1-8c2d7f4b9a10"
	desiredIntranet    = "3d8b6f0a-c2e4-4a91-b7d5-1e6f9c3a2b84"
)

// desiredTokyo, against the default seed, creates a group and moves two
// connectors: CONNECTOR-02 is in Europe already, and Europe's Expenses,
// which the file does not name, stays.
const desiredTokyo = `connectorGroups:
  - name: Default
    default: true
  - name: Europe
    connectors:
      - CONNECTOR-02.contoso.com
      - CONNECTOR-03.contoso.com
  - name: Tokyo pilot
    region: asia
    connectors: [CONNECTOR-01.contoso.com]
`

const desiredTokyoPlan = `create group "Tokyo pilot" in region asia
move connector CONNECTOR-03.contoso.com from "Default" to "Europe"
move connector CONNECTOR-01.contoso.com from "Default" to "Tokyo pilot"
`

// writeDesired writes a desired-state file in a directory of the test's
// and returns its path.
func writeDesired(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "desired.yaml")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

// writes is every request of the session that could change something.
func (s *cliSession) writes() []string {
	var out []string
	for _, r := range s.sent {
		if !strings.HasPrefix(r, http.MethodGet+" ") {
			out = append(out, r)
		}
	}
	return out
}

// plan prints the changes, one a line, and changes nothing; -o json
// prints them as one object.
func TestPlan_TextAndJSON(t *testing.T) {
	s := newCLISession(t)
	before := s.fake.StateAsSeed()
	path := writeDesired(t, desiredTokyo+`    applications: [`+desiredIntranet+`]
`)

	assert.Equal(t, desiredTokyoPlan+`move application "Intranet portal" (`+desiredIntranet+`) from "Default" to "Tokyo pilot"
`, s.ok("plan", "-f", path))

	out := s.ok("plan", "-f", path, "-o", "json")
	assert.JSONEq(t, `{"changes": [
		{"action": "createGroup", "group": {"name": "Tokyo pilot"}, "region": "asia"},
		{"action": "moveConnector", "group": {"id": "`+addEuropeGroup+`", "name": "Europe"}, "from": {"id": "`+lifecycleDefaultGroup+`", "name": "Default"},
		 "connector": {"id": "`+desiredConnector03+`", "machineName": "CONNECTOR-03.contoso.com"}},
		{"action": "moveConnector", "group": {"name": "Tokyo pilot"}, "from": {"id": "`+lifecycleDefaultGroup+`", "name": "Default"},
		 "connector": {"id": "`+addConnector01+`", "machineName": "CONNECTOR-01.contoso.com"}},
		{"action": "moveApplication", "group": {"name": "Tokyo pilot"}, "from": {"id": "`+lifecycleDefaultGroup+`", "name": "Default"},
		 "application": {"id": "`+desiredIntranet+`", "displayName": "Intranet portal"}}
	]}`, out)
	assertOneJSONObject(t, out)

	assert.Empty(t, s.writes(), "plan sends no write")
	assert.Equal(t, before, s.fake.StateAsSeed(), "plan changes nothing")
	s.assertValidTraffic()
}

// assertOneJSONObject checks that out is exactly one JSON object and a
// newline, for a program to read.
func assertOneJSONObject(t *testing.T, out string) {
	t.Helper()
	require.True(t, strings.HasSuffix(out, "}\n"), "one object, then a newline: %q", out)
	dec := json.NewDecoder(strings.NewReader(out))
	var v map[string]any
	require.NoError(t, dec.Decode(&v))
	require.ErrorIs(t, dec.Decode(&v), io.EOF, "nothing after the object")
}

// export writes a file that plan finds in sync, to stdout or to a file
// (0644, replacing one that was there); the JSON plan of it is [], never
// null.
func TestExport_ThenPlanPrintsNoChange(t *testing.T) {
	s := newCLISession(t)
	before := s.fake.StateAsSeed()

	exported := s.ok("export")
	require.Contains(t, exported, "CONNECTOR-02.contoso.com", "the export lists the connectors")
	require.Contains(t, exported, desiredExpenses, "the export lists the applications")

	path := filepath.Join(t.TempDir(), "current.yaml")
	require.NoError(t, os.WriteFile(path, []byte("an older export\n"), 0o600))
	assert.Empty(t, s.ok("export", "-o", path), "-o FILE prints nothing")
	assertFile(t, path, exported, 0o644)
	assertOnlyFile(t, path)

	assert.Equal(t, "No changes: the service matches "+path+".\n", s.ok("plan", "-f", path))
	out := s.ok("plan", "-f", path, "-o", "json")
	assert.Equal(t, "{\n  \"changes\": []\n}\n", out)
	assertOneJSONObject(t, out)
	assert.Equal(t, "No changes: the service matches "+path+".\n", s.ok("apply", "-f", path))

	assert.Empty(t, s.writes(), "export, plan and an apply with nothing to do send no write")
	assert.Equal(t, before, s.fake.StateAsSeed())
	s.assertValidTraffic()
}

// apply makes the plan's changes, printing each, then how many; run again
// it finds nothing to do and writes nothing.
func TestApply_ThenAgainChangesNothing(t *testing.T) {
	s := newCLISession(t)
	path := writeDesired(t, desiredTokyo)

	assert.Equal(t, desiredTokyoPlan+"Applied 3 changes.\n", s.ok("apply", "-f", path))
	var tokyo fakegraph.ConnectorGroup
	for _, g := range s.fake.Groups() {
		if g.Name == "Tokyo pilot" {
			tokyo = g
		}
	}
	require.NotEmpty(t, tokyo.ID, "apply created the group")
	assert.Equal(t, "asia", tokyo.Region)
	for connector, group := range map[string]string{addConnector01: tokyo.ID, desiredConnector03: addEuropeGroup, addEuropeMember: addEuropeGroup} {
		g, err := s.fake.GroupOf(connector)
		require.NoError(t, err)
		assert.Equal(t, group, g.ID, "connector %s", connector)
	}
	g, err := s.fake.ApplicationGroup(desiredExpenses)
	require.NoError(t, err)
	assert.Equal(t, addEuropeGroup, g.ID, "an application the file does not name stays")

	after := s.fake.StateAsSeed()
	writes := len(s.writes())
	assert.Equal(t, "No changes: the service matches "+path+".\n", s.ok("apply", "-f", path))
	assert.Len(t, s.writes(), writes, "the second apply sends no write")
	assert.Equal(t, after, s.fake.StateAsSeed())
	s.assertValidTraffic()
}

// -dry-run prints what plan prints, and writes nothing.
func TestApply_DryRunWritesNothing(t *testing.T) {
	s := newCLISession(t)
	before := s.fake.StateAsSeed()
	path := writeDesired(t, desiredTokyo)

	assert.Equal(t, desiredTokyoPlan, s.ok("apply", "-f", path, "-dry-run"))
	assert.Equal(t, s.ok("plan", "-f", path), s.ok("apply", "-f", path, "-dry-run"), "the same lines as plan")
	assert.Empty(t, s.writes())
	assert.Equal(t, before, s.fake.StateAsSeed())
}

// failFromWrite makes the fake fail every request, 503 before routing,
// from the n-th write on: the faults' Rand reads a switch this transport
// throws as it sends that write.
type failFromWrite struct {
	base    http.RoundTripper
	n       int32
	writes  atomic.Int32
	failing atomic.Bool
}

func (f *failFromWrite) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodGet && f.writes.Add(1) >= f.n {
		f.failing.Store(true)
	}
	return f.base.RoundTrip(r)
}

// roll is the faults' Rand: below any rate while failing, above it else.
func (f *failFromWrite) roll() float64 {
	if f.failing.Load() {
		return 0
	}
	return 0.99
}

// An apply that fails stops there: stdout has the changes made, stderr
// names the change that failed, then the changes not made, and the exit
// status is 1. Run again once the service answers, apply makes the rest.
func TestApply_StopsAtTheFirstFailure(t *testing.T) {
	fail := &failFromWrite{n: 2}
	s := newCLISessionOn(t, fakegraph.DefaultSeed(), fakegraph.WithFaults(fakegraph.Faults{Rate: 0.5, Status: http.StatusServiceUnavailable, Rand: fail.roll}))
	fail.base = s.tr
	s.through = fail
	s.clientOptions = []client.Option{client.WithoutRetry()} // the 503's Retry-After would be waited out
	path := writeDesired(t, desiredTokyo)

	code, stdout, stderr := s.run("apply", "-f", path)
	assert.Equal(t, exitFailure, code, "stderr:\n%s", stderr)
	assert.Equal(t, "create group \"Tokyo pilot\" in region asia\n", stdout, "the change made")
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	require.Len(t, lines, 3, "the error, then the change not made:\n%s", stderr)
	assert.Regexp(t, `^error: apply stopped at change 2 of 3, move connector CONNECTOR-03\.contoso\.com from "Default" to "Europe": \w+: .+ \(status 503, request-id [0-9a-f-]{36}, retry after 1s\)$`, lines[0])
	assert.Equal(t, "not done: 1 change", lines[1])
	assert.Equal(t, `  move connector CONNECTOR-01.contoso.com from "Default" to "Tokyo pilot"`, lines[2])

	g, err := s.fake.GroupOf(desiredConnector03)
	require.NoError(t, err)
	assert.Equal(t, lifecycleDefaultGroup, g.ID, "the failed move was not made")
	created := 0
	for _, g := range s.fake.Groups() {
		if g.Name == "Tokyo pilot" {
			created++
		}
	}
	assert.Equal(t, 1, created, "the group was created, once")

	fail.n = 1 << 30 // the service answers again
	fail.failing.Store(false)
	assert.Equal(t, strings.Join(strings.Split(desiredTokyoPlan, "\n")[1:], "\n")+"Applied 2 changes.\n", s.ok("apply", "-f", path))
	assert.Equal(t, "No changes: the service matches "+path+".\n", s.ok("apply", "-f", path))
}

// A file with problems is bad usage (2): each problem on a line of its
// own, FILE:LINE: message, those Parse finds before anything is sent and
// those that show against the service alike.
func TestPlan_FileProblemsAreUsageErrors(t *testing.T) {
	tests := []struct {
		name, file string
		problems   []string // a part of each line, in order; FILE stands for the path
	}{
		{"an unknown key", "connectorGroups:\n  - name: Europe\n    regoin: eur\n",
			[]string{`FILE:3: unknown key "regoin"`}},
		{"two problems", "connectorGroups:\n  - name: Europe\n    regoin: eur\n    default: maybe\n",
			[]string{`FILE:3: unknown key "regoin"`, `FILE:4: default must be true or false`}},
		{"a connector the service does not know", "connectorGroups:\n  - name: Europe\n    connectors:\n      - CONNECTOR-09.contoso.com\n",
			[]string{`FILE:4: unknown connector "CONNECTOR-09.contoso.com"`}},
		// Europe holds CONNECTOR-02 and Expenses, which the file leaves
		// there: the region change is refused, not forced.
		{"a region change onto a group that holds connectors", "connectorGroups:\n  - name: Europe\n    region: asia\n",
			[]string{`FILE:3: group "Europe" keeps its region eur: it would still hold connector CONNECTOR-02.contoso.com, application "Expenses (on-premises)"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newCLISession(t)
			before := s.fake.StateAsSeed()
			path := writeDesired(t, tt.file)
			problems := make([]string, len(tt.problems))
			for i, p := range tt.problems {
				problems[i] = strings.ReplaceAll(p, "FILE", path)
			}
			for _, cmd := range []string{"plan", "apply"} {
				code, stdout, stderr := s.run(cmd, "-f", path)
				assertUsageError(t, cmd, code, stdout, stderr, problems...)
			}
			assert.Empty(t, s.writes())
			assert.Equal(t, before, s.fake.StateAsSeed())
		})
	}
}

// A service that fails, or none at all, is exit 1, with the error line.
func TestDesiredCommands_ServiceFailureIsExitOne(t *testing.T) {
	path := writeDesired(t, desiredTokyo)
	t.Setenv(envToken, "dev-token")
	run := func(base string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		cc := map[string]clientCommand{"export": exportCommand, "plan": planCommand, "apply": applyCommand}[args[0]]
		code := cc.run(nil, client.WithoutRetry())(context.Background(), append(args[1:], "-base-url", base), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	unavailable := fakegraph.NewTestServer(t, fakegraph.DefaultSeed(), fakegraph.WithFaults(fakegraph.Faults{Rate: 1, Status: http.StatusServiceUnavailable}))
	for _, args := range [][]string{{"export"}, {"plan", "-f", path}, {"apply", "-f", path}} {
		t.Run(args[0]+" 503", func(t *testing.T) {
			code, stdout, stderr := run(unavailable.URL+"/beta", args...)
			assert.Equal(t, exitFailure, code, "stderr:\n%s", stderr)
			assert.Empty(t, stdout)
			assert.Regexp(t, `^error: \w+: .+ \(status 503, request-id [0-9a-f-]{36}, retry after 1s\)\n$`, stderr)
		})
		t.Run(args[0]+" unreachable", func(t *testing.T) {
			code, stdout, stderr := run("http://127.0.0.1:1/beta", args...) // nothing listens on port 1
			assert.Equal(t, exitFailure, code, "stderr:\n%s", stderr)
			assert.Empty(t, stdout)
			assert.Regexp(t, `^error: .*connect.*\n$`, stderr)
		})
	}
}

// `-f -` reads the file from stdin, in the real binary: problems name it
// "-".
func TestPlan_ReadsStdin(t *testing.T) {
	srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed())
	run := func(stdin string, args ...string) (int, string, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a bound, not a measure
		defer cancel()
		cmd := exec.CommandContext(ctx, os.Args[0], args...)
		cmd.Env = append(os.Environ(), "CONNECTORGROUPS_TEST_MAIN=1", envToken+"=dev-token", envBaseURL+"="+srv.URL+"/beta")
		cmd.Stdin = strings.NewReader(stdin)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil {
			require.ErrorAs(t, err, &exit, "stderr:\n%s", errOut.String())
		}
		return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
	}

	code, stdout, stderr := run(desiredTokyo, "plan", "-f", "-")
	assert.Equal(t, exitOK, code, "stderr:\n%s", stderr)
	assert.Equal(t, desiredTokyoPlan, stdout)

	code, stdout, stderr = run("connectorGroups:\n  - nmae: Europe\n", "apply", "-f", "-")
	assertUsageError(t, "apply", code, stdout, stderr, `-:2: unknown key "nmae"`, "-:2: a group has no name")

	before := srv.Fake.StateAsSeed()
	code, stdout, stderr = run(desiredTokyo, "apply", "-f", "-", "-dry-run")
	assert.Equal(t, exitOK, code, "stderr:\n%s", stderr)
	assert.Equal(t, desiredTokyoPlan, stdout)
	assert.Equal(t, before, srv.Fake.StateAsSeed())

	code, exported, stderr := run("", "export")
	require.Equal(t, exitOK, code, "stderr:\n%s", stderr)
	code, stdout, stderr = run(exported, "plan", "-f", "-")
	assert.Equal(t, exitOK, code, "stderr:\n%s", stderr)
	assert.Equal(t, "No changes: the service matches the file on stdin.\n", stdout)
}

// A plan built in Go may have no list at all: its JSON is [] all the same.
func TestWritePlanJSON_NoChangesIsAnEmptyList(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, writePlanJSON(&out, &desired.Plan{}))
	assert.Equal(t, "{\n  \"changes\": []\n}\n", out.String())
}

// An apply that stopped is a failure (1) with what was not done, whatever
// stopped it: even an id the client would not send, which before any
// change is bad usage (2), since changes were made.
func TestApplyError_IsAFailureWhateverStoppedIt(t *testing.T) {
	t.Setenv(envToken, "dev-token")
	made := desired.Change{Action: desired.CreateGroup, Group: desired.GroupRef{Name: "Tokyo pilot"}}
	failed := desired.Change{Action: desired.MoveConnector, Group: desired.GroupRef{ID: "g", Name: "Tokyo pilot"}, Connector: &desired.ConnectorRef{ID: "c/1"}}
	stopped := clientCommand{name: "apply", flags: func(*flag.FlagSet) clientCall {
		return clientCall{run: func(context.Context, *client.Client, io.Writer) error {
			return &desired.ApplyError{Done: []desired.Change{made}, Failed: failed, NotDone: []desired.Change{made, made}, Err: fmt.Errorf("client: %w: c/1", client.ErrInvalidID)}
		}}
	}}
	var out, errOut bytes.Buffer
	code := stopped.run(nil)(context.Background(), []string{"-base-url", "http://127.0.0.1:1/beta"}, &out, &errOut)
	assert.Equal(t, exitFailure, code, "stderr:\n%s", errOut.String())
	assert.Regexp(t, `^error: apply stopped at change 2 of 4, move connector c/1 from no group to "Tokyo pilot": .*invalid id.*\nnot done: 2 changes\n  create group "Tokyo pilot"\n  create group "Tokyo pilot"\n$`, errOut.String())
}
