package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// The default seed's default group.
const lifecycleDefaultGroup = "0c5e7a93-6d2f-4b18-9e40-a3f1c8d2b765"

// cliSession runs client commands against one fake, every request through
// the contract suite's validating transport.
type cliSession struct {
	t    *testing.T
	base string
	tr   *contract.Transport
	fake *fakegraph.Server
	// sent is "METHOD operationId" of every request, in order.
	sent []string
	// through, when set, carries the commands' requests instead of tr (it
	// should end in tr); clientOptions come after the command's own, for
	// a command without subcommands.
	through       http.RoundTripper
	clientOptions []client.Option
}

func newCLISession(t *testing.T) *cliSession {
	t.Helper()
	return newCLISessionOn(t, fakegraph.DefaultSeed())
}

// newCLISessionOn is newCLISession on a fake of the test's.
func newCLISessionOn(t *testing.T, seed *fakegraph.Seed, opts ...fakegraph.Option) *cliSession {
	t.Helper()
	s := &cliSession{t: t}
	tr, err := contract.NewTransport(http.DefaultTransport, contract.WithOnExchange(func(ex contract.Exchange) {
		s.sent = append(s.sent, ex.Method+" "+ex.Operation)
	}))
	require.NoError(t, err)
	srv := fakegraph.NewTestServer(t, seed, opts...)
	t.Setenv("GRAPH_TOKEN", "dev-token")
	s.base, s.tr, s.fake = srv.URL+"/beta", tr, srv.Fake
	return s
}

// run runs one command line (a command and, for group and connector, its
// subcommand, then flags) with -base-url set, routed as the command table
// routes it.
func (s *cliSession) run(args ...string) (code int, stdout, stderr string) {
	s.t.Helper()
	var run func(ctx context.Context, args []string, stdout, stderr io.Writer) int
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		var rt http.RoundTripper = s.tr
		if s.through != nil {
			rt = s.through
		}
		switch {
		case len(c.subs) > 0:
			run = subcommandGroup(c.name, c.summary, c.subs, rt)
		default:
			for _, cc := range []clientCommand{groupsCommand, membersCommand, addClientCommand, connectorsCommand, memberOfCommand, moveCommand, appsCommand, exportCommand, planCommand, applyCommand} {
				if cc.name == c.name {
					run = cc.run(rt, s.clientOptions...)
				}
			}
		}
	}
	require.NotNil(s.t, run, "no client command %v", args)
	rest := args[1:]
	if args[0] == "group" || args[0] == "connector" || args[0] == "app" {
		rest = append([]string{rest[0], "-base-url", s.base}, rest[1:]...)
	} else {
		rest = append([]string{"-base-url", s.base}, rest...)
	}
	var out, errOut bytes.Buffer
	code = run(context.Background(), rest, &out, &errOut)
	return code, out.String(), errOut.String()
}

// ok runs a command that must succeed and returns its stdout.
func (s *cliSession) ok(args ...string) string {
	s.t.Helper()
	code, stdout, stderr := s.run(args...)
	require.Equal(s.t, exitOK, code, "%v: stderr:\n%s", args, stderr)
	assert.Empty(s.t, stderr, "%v: stderr", args)
	return stdout
}

// fails runs a command that the service must refuse: exit 1, nothing on
// stdout, one error line matching want on stderr.
func (s *cliSession) fails(want string, args ...string) {
	s.t.Helper()
	code, stdout, stderr := s.run(args...)
	assert.Equal(s.t, exitFailure, code, "%v: exit code; stderr:\n%s", args, stderr)
	assert.Empty(s.t, stdout, "%v: stdout", args)
	assert.Regexp(s.t, `^error: `+want+`.* \(status \d{3}, request-id [0-9a-f-]{36}\)\n$`, stderr, "%v", args)
}

func (s *cliSession) assertValidTraffic() {
	s.t.Helper()
	require.NotZero(s.t, s.tr.Exchanges(), "no request went through the validating transport")
	for _, v := range s.tr.Violations() {
		s.t.Errorf("contract violation: %s", v)
	}
}

func decodeJSON[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(s), &v), "stdout is not the JSON expected:\n%s", s)
	return v
}

type groupJSON struct {
	ID                 string  `json:"id"`
	Name               string  `json:"name"`
	ConnectorGroupType string  `json:"connectorGroupType"`
	IsDefault          bool    `json:"isDefault"`
	Region             *string `json:"region"`
}

type connectorJSON struct {
	ID string `json:"id"`
}

func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

// The whole lifecycle through the CLI: create a group, move a connector in,
// list it, refuse to delete the group while it is not empty, move the
// connector back, delete the group. The fake's state ends as it began.
func TestCLI_Lifecycle(t *testing.T) {
	s := newCLISession(t)
	before := s.fake.Snapshot()

	groups := decodeJSON[[]groupJSON](t, s.ok("groups"))
	require.Len(t, groups, 3)
	assert.Equal(t, []string{lifecycleDefaultGroup, addEmptyGroup, addEuropeGroup}, ids(groups, func(g groupJSON) string { return g.ID }))

	created := decodeJSON[groupJSON](t, s.ok("group", "create", "-name", "Demo", "-region", "eur"))
	require.NotEmpty(t, created.ID)
	assert.Equal(t, "Demo", created.Name)
	assert.Equal(t, "applicationProxy", created.ConnectorGroupType)
	assert.False(t, created.IsDefault)
	require.NotNil(t, created.Region)
	assert.Equal(t, "eur", *created.Region)

	assert.Equal(t, created, decodeJSON[groupJSON](t, s.ok("group", "get", "-id", created.ID)))

	renamed := decodeJSON[groupJSON](t, s.ok("group", "update", "-id", created.ID, "-name", "Demo renamed"))
	assert.Equal(t, "Demo renamed", renamed.Name, "update prints the group as it is now")

	assert.Equal(t, connectorJSON{ID: addConnector01}, decodeJSON[connectorJSON](t, s.ok("add", "-group", created.ID, "-connector", addConnector01)))
	members := decodeJSON[[]connectorJSON](t, s.ok("members", "-group", created.ID))
	assert.Equal(t, []connectorJSON{{ID: addConnector01}}, members)
	assert.NotContains(t, s.ok("members", "-group", lifecycleDefaultGroup), addConnector01, "the add moved it out of the default group")
	assert.Equal(t, created.ID, decodeJSON[groupJSON](t, s.ok("memberof", "-connector", addConnector01)).ID)

	s.fails(`Request_BadRequest: The connector group '`+regexp.QuoteMeta(created.ID)+`' still has connectors`, "group", "delete", "-id", created.ID)
	s.fails(`Request_BadRequest: .*default group`, "group", "delete", "-id", lifecycleDefaultGroup)

	assert.Equal(t, connectorJSON{ID: addConnector01}, decodeJSON[connectorJSON](t, s.ok("move", "-connector", addConnector01, "-group", lifecycleDefaultGroup)), "move prints the connector")
	assert.Equal(t, lifecycleDefaultGroup, decodeJSON[groupJSON](t, s.ok("memberof", "-connector", addConnector01)).ID, "move moved it back")
	cleared := decodeJSON[groupJSON](t, s.ok("group", "update", "-id", created.ID, "-clear-region"))
	assert.Nil(t, cleared.Region, "-clear-region leaves the group with no region")
	assert.Equal(t, "Demo renamed", cleared.Name)
	assert.Empty(t, s.ok("group", "delete", "-id", created.ID), "delete prints nothing")
	s.fails(`Request_ResourceNotFound: Resource '`+regexp.QuoteMeta(created.ID)+`' does not exist`, "group", "get", "-id", created.ID)

	assert.Equal(t, before, s.fake.Snapshot(), "the lifecycle leaves the fake as it found it")
	s.assertValidTraffic()
}

// Tables are for people: a header, then one aligned row per item.
func TestCLI_Tables(t *testing.T) {
	s := newCLISession(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"groups", "-o", "table"}, `ID                                    NAME           REGION  DEFAULT  TYPE
0c5e7a93-6d2f-4b18-9e40-a3f1c8d2b765  Default        nam     true     applicationProxy
4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21  North America  nam     false    applicationProxy
9e7c3a58-2b1d-4f60-8a94-c5e0d7b2f316  Europe         eur     false    applicationProxy
`},
		{[]string{"connectors", "-o", "table"}, `ID                                    MACHINE                   EXTERNAL IP   STATUS    VERSION
0b9d4e21-5a7c-4c86-9e3f-d1a2b6c8f057  CONNECTOR-03.contoso.com  198.51.100.7  inactive  1.5.2926.0
6c0e2b7d-91a4-4f38-b5d2-0a7e3c9f1e64  CONNECTOR-02.contoso.com  203.0.113.11  active    1.5.3437.0
d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30  CONNECTOR-01.contoso.com  203.0.113.10  active    1.5.3437.0
`},
		{[]string{"connector", "get", "-id", addConnector01, "-o", "table"}, `ID                                    MACHINE                   EXTERNAL IP   STATUS  VERSION
d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30  CONNECTOR-01.contoso.com  203.0.113.10  active  1.5.3437.0
`},
		{[]string{"memberof", "-connector", addEuropeMember, "-o", "table"}, `ID                                    NAME    REGION  DEFAULT  TYPE
9e7c3a58-2b1d-4f60-8a94-c5e0d7b2f316  Europe  eur     false    applicationProxy
`},
		{[]string{"members", "-group", addEmptyGroup, "-o", "table"}, "ID  MACHINE  EXTERNAL IP  STATUS  VERSION\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			assert.Equal(t, tt.want, s.ok(tt.args...))
		})
	}
	s.assertValidTraffic()
}

// An empty list is [] in JSON, so that scripts can count it, whether the
// client returns an empty list or none at all.
func TestCLI_EmptyListIsAnArray(t *testing.T) {
	s := newCLISession(t)
	assert.Equal(t, "[]\n", s.ok("members", "-group", addEmptyGroup))
	for _, v := range []any{[]client.Connector(nil), []client.ConnectorGroup(nil)} {
		var out bytes.Buffer
		require.NoError(t, printJSON(&out, v))
		assert.Equal(t, "[]\n", out.String(), "%T", v)
	}
}

// The doc's path, on request, answers as the doc says: 201 with the whole
// connector.
func TestCLI_AddOnTheDocPath(t *testing.T) {
	s := newCLISession(t)
	got := decodeJSON[map[string]any](t, s.ok("add", "-doc-path", "-group", addEmptyGroup, "-connector", addConnector01))
	assert.Equal(t, "CONNECTOR-01.contoso.com", got["machineName"])
	g, err := s.fake.GroupOf(addConnector01)
	require.NoError(t, err)
	assert.Equal(t, addEmptyGroup, g.ID)
	s.assertValidTraffic()
}

// The client commands' usage errors, in the one style, sending nothing.
func TestCLI_UsageErrors(t *testing.T) {
	t.Setenv("GRAPH_TOKEN", "dev-token")
	tests := []struct {
		args     []string
		cmd      string
		problems []string
	}{
		{[]string{"group"}, "group", []string{"no subcommand given; the subcommands are get, create, update, delete"}},
		{[]string{"group", "remove"}, "group", []string{`unknown subcommand "remove"`}},
		{[]string{"connector"}, "connector", []string{"no subcommand given; the subcommands are get"}},
		{[]string{"group", "get"}, "group get", []string{"-id is required"}},
		{[]string{"group", "create", "-region", "eur"}, "group create", []string{"-name is required"}},
		{[]string{"group", "update", "-id", "g"}, "group update", []string{"nothing to change"}},
		{[]string{"group", "update", "-id", "g", "-region", "eur", "-clear-region"}, "group update", []string{"-region and -clear-region cannot go together"}},
		{[]string{"move", "-connector", "c"}, "move", []string{"-group is required"}},
		{[]string{"help", "add", "x"}, "", []string{"add has no subcommands"}},
		{[]string{"members"}, "members", []string{"-group is required"}},
		{[]string{"memberof"}, "memberof", []string{"-connector is required"}},
		{[]string{"connector", "get"}, "connector get", []string{"-id is required"}},
		{[]string{"groups", "-o", "yaml"}, "groups", []string{`-o must be json, table or id, not "yaml"`}},
		{[]string{"groups", "extra"}, "groups", []string{"unexpected arguments: extra"}},
		{[]string{"add", "-group", "g"}, "add", []string{"-connector is required"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			// The context is cancelled: a usage error must come before
			// any request, and none could go out.
			code, stdout, stderr := runCmd(t, cancelled(), tt.args...)
			assertUsageError(t, tt.cmd, code, stdout, stderr, tt.problems...)
		})
	}
}

// `group -h` and `help group` list the subcommands; `group get -h` prints
// get's flags.
func TestCLI_SubcommandHelp(t *testing.T) {
	code, stdout, stderr := runCmd(t, cancelled(), "group", "-h")
	require.Equal(t, exitOK, code, stderr)
	assert.Regexp(t, `(?s)^usage: connectorgroups group <get\|create\|update\|delete\|apps> \[flags\]\n.*\n  get .*\n  create .*\n  update .*\n  delete .*\n  apps `, stdout)
	code, helpOut, _ := runCmd(t, cancelled(), "help", "group")
	require.Equal(t, exitOK, code)
	assert.Equal(t, stdout, helpOut)
	code, stdout, _ = runCmd(t, cancelled(), "group", "get", "-h")
	require.Equal(t, exitOK, code)
	assert.True(t, strings.HasPrefix(stdout, "usage: connectorgroups group get -id ID "), stdout)
	code, helpOut, _ = runCmd(t, cancelled(), "help", "group", "get")
	require.Equal(t, exitOK, code)
	assert.Equal(t, stdout, helpOut, "help group get prints what group get -h prints")
}

// -o id prints ids alone, one per line, for shell scripts; GRAPH_BASE_URL
// stands for -base-url.
func TestCLI_IDsForScripts(t *testing.T) {
	s := newCLISession(t)
	assert.Equal(t, lifecycleDefaultGroup+"\n"+addEmptyGroup+"\n"+addEuropeGroup+"\n", s.ok("groups", "-o", "id"))
	assert.Equal(t, addEuropeMember+"\n", s.ok("members", "-group", addEuropeGroup, "-o", "id"))

	t.Setenv("GRAPH_BASE_URL", s.base)
	var out, errOut bytes.Buffer
	code := groupCreateCommand.run(s.tr)(context.Background(), []string{"-name", "Scripted", "-o", "id"}, &out, &errOut)
	require.Equal(t, exitOK, code, errOut.String())
	id := strings.TrimSuffix(out.String(), "\n")
	g, err := s.fake.Group(id)
	require.NoError(t, err, "-o id printed %q", out.String())
	assert.Equal(t, "Scripted", g.Name)
	s.assertValidTraffic()
}

// An id the service sends that could break a script's line is refused,
// not printed.
func TestPrintIDsRefusesUnsafeIDs(t *testing.T) {
	for _, id := range []string{"", "a\nb", "a b", "a\tb"} {
		var out bytes.Buffer
		err := printIDs(&out, []client.ConnectorGroup{{ID: "ok"}, {ID: id}})
		assert.Error(t, err, "%q", id)
		assert.Empty(t, out.String(), "nothing is printed when one id is unsafe")
	}
}

// move prints the connector as it is after the move, in every format
// (it printed nothing, whatever -o asked for).
func TestMove_PrintsTheConnector(t *testing.T) {
	for _, tt := range []struct {
		format, want string
	}{
		{"json", connector01JSON},
		{"table", connector01Table},
		{"id", addConnector01 + "\n"},
	} {
		t.Run(tt.format, func(t *testing.T) {
			s := newCLISession(t)
			assert.Equal(t, tt.want, s.ok("move", "-connector", addConnector01, "-group", addEmptyGroup, "-o", tt.format))
			g, err := s.fake.GroupOf(addConnector01)
			require.NoError(t, err)
			assert.Equal(t, addEmptyGroup, g.ID, "the connector moved")
		})
	}
}
