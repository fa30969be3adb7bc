package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
)

// TestMain lets a test run the real main, signal handling included: the
// test binary run again with CONNECTORGROUPS_TEST_MAIN=1 is the CLI. With
// CONNECTORGROUPS_TEST_CURL=1 it is curl, for the examples' test on a
// machine without one (fakecurl_test.go).
func TestMain(m *testing.M) {
	if os.Getenv("CONNECTORGROUPS_TEST_MAIN") == "1" {
		main() // exits
	}
	if os.Getenv("CONNECTORGROUPS_TEST_CURL") == "1" {
		os.Exit(fakeCurl(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// runCmd runs the CLI in-process, as main does, with args after the
// program's name.
func runCmd(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = dispatch(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// cancelled is a context that is done already: a command that starts
// serving by mistake stops at once instead of hanging the test.
func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// assertUsageError checks the one style of a usage error: exit 2, nothing
// on stdout, on stderr one "connectorgroups <cmd>: <problem>" line per
// problem (problems[i] is a part of line i), then the hint. cmd is "" for
// the program itself.
func assertUsageError(t *testing.T, cmd string, code int, stdout, stderr string, problems ...string) {
	t.Helper()
	name := "connectorgroups"
	if cmd != "" {
		name += " " + cmd
	}
	assert.Equal(t, exitUsage, code, "exit code; stderr:\n%s", stderr)
	assert.Empty(t, stdout, "stdout")
	require.True(t, strings.HasSuffix(stderr, "\n"), "stderr ends with a newline: %q", stderr)
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	require.Len(t, lines, len(problems)+1, "one line per problem, then the hint; stderr:\n%s", stderr)
	for i, p := range problems {
		assert.True(t, strings.HasPrefix(lines[i], name+": "), "line %d %q lacks the prefix %q", i+1, lines[i], name+": ")
		assert.Contains(t, lines[i], p, "line %d", i+1)
	}
	assert.Equal(t, "Run '"+name+" -h' for usage.", lines[len(lines)-1], "the last line")
}

// The table lists every command once, in order, and each name reaches its
// own run function: `<name> -h` prints that command's usage line, and
// `help <name>` prints the same.
func TestCommandTable(t *testing.T) {
	want := []string{"serve", "groups", "group", "members", "add", "connectors", "connector", "memberof", "move", "apps", "app", "export", "plan", "apply", "verify", "verify-har", "version"}
	names := make([]string, 0, len(commands))
	for _, c := range commands {
		names = append(names, c.name)
		assert.NotEmpty(t, c.summary, c.name)
		assert.NotNil(t, c.run, c.name)
	}
	require.Equal(t, want, names, "the command table")

	for _, name := range want {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, cancelled(), name, "-h")
			assert.Equal(t, exitOK, code, "stderr:\n%s", stderr)
			assert.Empty(t, stderr)
			first, _, _ := strings.Cut(stdout, "\n")
			assert.True(t, first == "usage: connectorgroups "+name || strings.HasPrefix(first, "usage: connectorgroups "+name+" "), "%s -h printed %q first", name, first)

			code, helpOut, helpErr := runCmd(t, cancelled(), "help", name)
			assert.Equal(t, exitOK, code, "help %s: stderr:\n%s", name, helpErr)
			assert.Equal(t, stdout, helpOut, "help %s prints what %s -h prints", name, name)
			assert.Empty(t, helpErr)
		})
	}
}

func TestTopLevelHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"-help"}, {"--help"}, {"help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, stdout, stderr := runCmd(t, cancelled(), args...)
			assert.Equal(t, exitOK, code)
			assert.Empty(t, stderr)
			assert.True(t, strings.HasPrefix(stdout, "usage: connectorgroups <command> [flags]\n"), stdout)
			// The commands in the table's order, then help.
			assert.Regexp(t, `(?s)\n  serve .*\n  groups .*\n  group .*\n  members .*\n  add .*\n  connectors .*\n  connector .*\n  memberof .*\n  move .*\n  apps .*\n  app .*\n  export .*\n  plan .*\n  apply .*\n  verify .*\n  verify-har .*\n  version .*\n  help `, stdout)
		})
	}
}

// Every command's usage errors, and the program's, in the one style.
func TestUsageErrors(t *testing.T) {
	t.Setenv(envToken, "")
	t.Setenv(envReaderToken, "")
	t.Setenv(envBaseURL, "")

	// add's usage errors must not send anything.
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		http.Error(w, "no request was expected", http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	addURL := srv.URL + "/beta"
	addArgs := func(extra ...string) []string {
		return append([]string{"add", "-base-url", addURL, "-group", addEmptyGroup, "-connector", addConnector01}, extra...)
	}
	const verifyURL = "http://127.0.0.1:1/beta" // nothing listens: usage errors send nothing
	verifyArgs := func(extra ...string) []string {
		return append([]string{"verify", "-base-url", verifyURL, "-token", "t", "-group", "g", "-connector", "c"}, extra...)
	}

	dir := t.TempDir()
	writeSeed := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	const connectors = `"connectors": [{"id": "c-1", "machineName": "m1", "externalIp": "192.0.2.1", "status": "active"}]`
	const groups = `"connectorGroups": [{"id": "g-1", "name": "One", "connectorGroupType": "applicationProxy", "isDefault": true, "region": "nam"}]`
	badSeed := writeSeed("bad.json", `{"connectors": [{"id": "c-1", "status": "sleeping"}], "connectorGroups": [], "tokens": {}}`)
	typoSeed := writeSeed("typo.json", `{"connector": []}`)
	nullSeed := writeSeed("null.json", "null\n")
	noGroups := writeSeed("nogroups.json", `{`+connectors+`, "connectorGroups": [], "tokens": {"t": ["Directory.ReadWrite.All"]}}`)
	noTokens := writeSeed("notokens.json", `{`+connectors+`, `+groups+`}`)
	missingSeed := filepath.Join(dir, "nope.json")
	desiredFile := writeSeed("desired.yaml", "connectorGroups:\n  - name: Europe\n")
	badDesired := writeSeed("bad.yaml", "connectorGroups:\n  - nmae: Europe\n")
	checkList := strings.Join(contract.CheckNames(), ", ")

	tests := []struct {
		name     string
		env      string // GRAPH_TOKEN
		args     []string
		cmd      string   // whose usage error it is; "" for the program's
		problems []string // a part of each problem line, in order
	}{
		// The program.
		{"no command", "", nil, "", []string{"no command given; the commands are serve, groups, group, members, add, connectors, connector, memberof, move, apps, app, export, plan, apply, verify, verify-har, version"}},
		{"unknown command", "", []string{"nosuch"}, "", []string{`unknown command "nosuch"`}},
		{"a flag for a command", "", []string{"-v", "add"}, "", []string{`unknown command "-v"`}},
		{"help for an unknown command", "", []string{"help", "nosuch"}, "", []string{`unknown command "nosuch"`}},
		{"help for two commands", "", []string{"help", "add", "serve"}, "", []string{"add has no subcommands; help takes a command, or a command and its subcommand"}},

		// serve.
		{"serve: unknown flag", "", []string{"serve", "-port", "80"}, "serve", []string{"flag provided but not defined: -port"}},
		{"serve: bad flag value", "", []string{"serve", "-fault-rate", "lots"}, "serve", []string{`invalid value "lots" for flag -fault-rate`}},
		{"serve: stray argument", "", []string{"serve", "now"}, "serve", []string{"unexpected arguments: now"}},
		{"serve: negative -latency", "", []string{"serve", "-latency", "-1s"}, "serve", []string{"-latency: latency -1s is negative"}},
		{"serve: -max-conns 0", "", []string{"serve", "-max-conns", "0"}, "serve", []string{"-max-conns: max connections 0 is less than 1"}},
		{"serve: -state-out in no directory", "", []string{"serve", "-state-out", filepath.Join(dir, "nowhere", "state.json")}, "serve", []string{`-state-out "` + filepath.Join(dir, "nowhere", "state.json") + `": its directory does not exist`}},
		{"serve: -addr without a host", "", []string{"serve", "-addr", "8080"}, "serve", []string{`-addr "8080" is not HOST:PORT`}},
		{"serve: -addr with a named port", "", []string{"serve", "-addr", "127.0.0.1:http"}, "serve", []string{`-addr "127.0.0.1:http": the port "http" is not a number from 0 to 65535`}},
		{"serve: -addr with a port too big", "", []string{"serve", "-addr", "127.0.0.1:65536"}, "serve", []string{`the port "65536" is not a number from 0 to 65535`}},
		{"serve: invalid seed, every problem", "", []string{"serve", "-seed", badSeed}, "serve",
			[]string{"invalid seed " + badSeed + ": connectorGroups is empty", "invalid seed " + badSeed + `: connectors[0] (id "c-1"): status "sleeping" is not one of active, inactive`}},
		{"serve: unknown seed field", "", []string{"serve", "-seed", typoSeed}, "serve", []string{`unknown field "connector"`}},
		{"serve: missing seed file", "", []string{"serve", "-seed", missingSeed}, "serve", []string{"invalid seed " + missingSeed + ": open " + missingSeed + ": no such file"}},
		{"serve: null seed", "", []string{"serve", "-seed", nullSeed}, "serve", []string{"invalid seed " + nullSeed + ": the top level is null"}},
		{"serve: seed without groups", "", []string{"serve", "-seed", noGroups}, "serve", []string{"invalid seed " + noGroups + ": connectorGroups is empty"}},
		{"serve: seed without tokens", "", []string{"serve", "-seed", noTokens}, "serve", []string{"tokens is empty: every request would be 401"}},
		{"serve: fault rate out of range", "", []string{"serve", "-fault-rate", "2"}, "serve", []string{"fault rate 2 is not between 0 and 1"}},
		{"serve: fault status", "", []string{"serve", "-fault-rate", "0.5", "-fault-status", "500"}, "serve", []string{"fault status 500 is neither 429 nor 503"}},
		{"serve: fault status without a rate", "", []string{"serve", "-fault-status", "500"}, "serve", []string{"fault status 500 is neither 429 nor 503"}},
		{"serve: retry-after negative", "", []string{"serve", "-fault-rate", "0.5", "-retry-after", "-1s"}, "serve", []string{"fault Retry-After -1s is negative"}},
		{"serve: every fault problem", "", []string{"serve", "-fault-rate", "-1", "-fault-status", "200", "-retry-after", "-1s"}, "serve",
			[]string{"fault rate -1 is not between 0 and 1", "fault status 200 is neither 429 nor 503", "fault Retry-After -1s is negative"}},
		{"serve: page size 0", "", []string{"serve", "-page-size", "0"}, "serve", []string{"-page-size: page size 0 is less than 1"}},
		{"serve: page size negative", "", []string{"serve", "-page-size", "-3"}, "serve", []string{"-page-size: page size -3 is less than 1"}},
		{"serve: page size not a number", "", []string{"serve", "-page-size", "two"}, "serve", []string{`invalid value "two" for flag -page-size`}},
		{"serve: several problems at once", "", []string{"serve", "-addr", "8080", "-seed", missingSeed, "-fault-status", "200", "-page-size", "0", "x"}, "serve",
			[]string{"unexpected arguments: x", `-addr "8080" is not HOST:PORT`, "invalid seed " + missingSeed, "fault status 200 is neither 429 nor 503", "-page-size: page size 0"}},

		// add.
		{"add: no group", "dev-token", []string{"add", "-base-url", addURL, "-connector", addConnector01}, "add", []string{"-group is required"}},
		{"add: no connector", "dev-token", []string{"add", "-base-url", addURL, "-group", addEmptyGroup}, "add", []string{"-connector is required"}},
		{"add: nothing", "", []string{"add"}, "add", []string{"-group is required", "-connector is required", "no token: set GRAPH_TOKEN or pass -token"}},
		{"add: no token", "", addArgs(), "add", []string{"no token: set GRAPH_TOKEN or pass -token"}},
		{"add: unknown flag", "dev-token", []string{"add", "-grop", addEmptyGroup}, "add", []string{"flag provided but not defined: -grop"}},
		{"add: bad flag value", "dev-token", addArgs("-timeout", "soon"), "add", []string{`invalid value "soon" for flag -timeout`}},
		{"add: extra arguments", "dev-token", addArgs("extra"), "add", []string{"unexpected arguments: extra"}},
		{"add: bad timeout", "dev-token", addArgs("-timeout", "0s"), "add", []string{"-timeout must be positive"}},
		{"add: bad base URL", "dev-token", []string{"add", "-base-url", "localhost:8080/beta", "-group", addEmptyGroup, "-connector", addConnector01}, "add", []string{"absolute http(s) URL"}},
		{"add: slash in group", "dev-token", []string{"add", "-base-url", addURL, "-group", "a/b", "-connector", addConnector01}, "add", []string{"invalid id"}},
		{"add: newline in -token", "", addArgs("-token", "dev\ntoken"), "add", []string{"invalid token: it contains white space or control characters"}},
		{"add: trailing newline in GRAPH_TOKEN", "dev-token\n", addArgs(), "add", []string{"invalid token: it contains white space or control characters"}},

		// export, plan and apply.
		{"plan: nothing", "", []string{"plan"}, "plan", []string{"-f is required", "no token: set GRAPH_TOKEN or pass -token"}},
		{"plan: -o table", "dev-token", []string{"plan", "-base-url", addURL, "-f", desiredFile, "-o", "table"}, "plan", []string{`-o must be text or json, not "table"`}},
		{"plan: -o id", "dev-token", []string{"plan", "-base-url", addURL, "-f", desiredFile, "-o", "id"}, "plan", []string{`-o must be text or json, not "id"`}},
		{"plan: a missing file", "dev-token", []string{"plan", "-base-url", addURL, "-f", missingSeed}, "plan", []string{"open " + missingSeed + ": no such file"}},
		{"plan: a file with problems", "dev-token", []string{"plan", "-base-url", addURL, "-f", badDesired}, "plan", []string{badDesired + `:2: unknown key "nmae"`, badDesired + ":2: a group has no name"}},
		{"plan: a stray argument", "dev-token", []string{"plan", "-base-url", addURL, "-f", desiredFile, "now"}, "plan", []string{"unexpected arguments: now"}},
		{"apply: nothing", "dev-token", []string{"apply", "-base-url", addURL}, "apply", []string{"-f is required"}},
		{"apply: a file with problems", "dev-token", []string{"apply", "-base-url", addURL, "-f", badDesired, "-dry-run"}, "apply", []string{badDesired + `:2: unknown key "nmae"`, badDesired + ":2: a group has no name"}},
		{"apply: -o is no flag of apply", "dev-token", []string{"apply", "-base-url", addURL, "-f", desiredFile, "-o", "json"}, "apply", []string{"flag provided but not defined: -o"}},
		{"export: -o in no directory", "dev-token", []string{"export", "-base-url", addURL, "-o", filepath.Join(dir, "nowhere", "groups.yaml")}, "export", []string{`-o "` + filepath.Join(dir, "nowhere", "groups.yaml") + `": its directory does not exist`}},
		{"export: no token", "", []string{"export", "-base-url", addURL}, "export", []string{"no token: set GRAPH_TOKEN or pass -token"}},

		// verify-har.
		{"verify-har: no file", "", []string{"verify-har"}, "verify-har", []string{"want exactly one FILE.har"}},
		{"verify-har: two files", "", []string{"verify-har", "a.har", "b.har"}, "verify-har", []string{"want exactly one FILE.har"}},
		{"verify-har: a missing file", "", []string{"verify-har", missingSeed}, "verify-har", []string{"open " + missingSeed + ": no such file"}},
		{"verify-har: a file that is no HAR", "", []string{"verify-har", nullSeed}, "verify-har", []string{"is not a HAR file this can read: log: missing"}},
		{"verify-har: unknown flag", "", []string{"verify-har", "-strict", "a.har"}, "verify-har", []string{"flag provided but not defined: -strict"}},

		// verify.
		{"verify: nothing", "", []string{"verify"}, "verify", []string{"-base-url (or $GRAPH_BASE_URL) is required", "-token (or $GRAPH_TOKEN) is required", "-group is required", "-connector is required"}},
		{"verify: no token", "", []string{"verify", "-base-url", verifyURL, "-group", "g", "-connector", "c"}, "verify", []string{"-token (or $GRAPH_TOKEN) is required"}},
		{"verify: a relative base URL", "", []string{"verify", "-base-url", "/beta", "-token", "t", "-group", "g", "-connector", "c"}, "verify", []string{`the base URL "/beta" is not an absolute http(s) URL`}},
		{"verify: bad timeout", "", verifyArgs("-timeout", "0s"), "verify", []string{"-timeout must be positive"}},
		{"verify: an unknown check lists the known", "", verifyArgs("-only", "no_such_check"), "verify", []string{"unknown check(s) no_such_check; known: " + checkList}},
		// Each selects nothing: running nothing must not pass.
		{"verify: -only ,", "", verifyArgs("-only", ","), "verify", []string{"no check selected"}},
		{"verify: -only blank", "", verifyArgs("-only", " "), "verify", []string{"no check selected"}},
		{"verify: -only empty", "", verifyArgs("-only", ""), "verify", []string{"no check selected"}},
		{"verify: a stray argument", "", verifyArgs("extra"), "verify", []string{"unexpected arguments: extra"}},
		{"verify: an unknown flag", "", verifyArgs("-nope"), "verify", []string{"flag provided but not defined: -nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(envToken, tt.env)
			sent.Store(0)
			code, stdout, stderr := runCmd(t, cancelled(), tt.args...)
			assertUsageError(t, tt.cmd, code, stdout, stderr, tt.problems...)
			assert.Zero(t, sent.Load(), "requests sent")
			for _, secret := range []string{"dev-token", "dev\ntoken"} {
				assert.NotContains(t, stderr, secret, "a token in the output")
			}
		})
	}
}

// flagLine is one flag in PrintDefaults' output: "  -name PLACEHOLDER".
var flagLine = regexp.MustCompile(`(?m)^  -([a-z-]+)(?: ([^\t\n]+))?(?:\t|$)`)

// Every command's usage names each flag's value the same way in the
// synopsis and in the flag list, with an upper-case placeholder, and the
// synopsis names only flags that exist.
func TestUsageTextIsConsistent(t *testing.T) {
	// Every command that has flags: the subcommands stand for the command
	// that groups them.
	var leaves []string
	for _, c := range commands {
		if len(c.subs) == 0 {
			leaves = append(leaves, c.name)
		}
		for _, s := range c.subs {
			leaves = append(leaves, s.name)
		}
	}
	for _, name := range leaves {
		t.Run(name, func(t *testing.T) {
			code, stdout, _ := runCmd(t, cancelled(), append(strings.Fields(name), "-h")...)
			require.Equal(t, exitOK, code)
			synopsis, rest, _ := strings.Cut(stdout, "\n")
			if synopsis == "usage: connectorgroups "+name {
				assert.NotContains(t, rest, "\nflags:", "a command without flags lists none")
				return
			}
			require.True(t, strings.HasPrefix(synopsis, "usage: connectorgroups "+name+" "), synopsis)
			_, flagList, ok := strings.Cut(rest, "\nflags:\n")
			require.True(t, ok, "a flags: section")

			defined := map[string]bool{}
			for _, m := range flagLine.FindAllStringSubmatch(flagList, -1) {
				name, placeholder := m[1], m[2]
				defined[name] = true
				if placeholder == "" { // a bool
					assert.Regexp(t, `(^| |\[)-`+regexp.QuoteMeta(name)+`(\]| |$)`, synopsis, "the synopsis names -%s", name)
					continue
				}
				assert.Regexp(t, `^[A-Z][A-Z:]*$`, placeholder, "-%s's placeholder", name)
				assert.Contains(t, synopsis, "-"+name+" "+placeholder, "the synopsis names -%s %s", name, placeholder)
			}
			require.NotEmpty(t, defined)
			for _, m := range regexp.MustCompile(`(?:^| |\[)-([a-z-]+)`).FindAllStringSubmatch(strings.TrimPrefix(synopsis, "usage: connectorgroups "+name), -1) {
				assert.True(t, defined[m[1]], "the synopsis names -%s, which is not a flag", m[1])
			}
		})
	}
}

// Ctrl-C (SIGINT) and SIGTERM stop `connectorgroups serve` with status 0,
// as `make serve` relies on.
func TestMainStopsWithStatusZeroOnASignal(t *testing.T) {
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "serve", "-addr", "127.0.0.1:0", "-quiet")
			cmd.Env = append(os.Environ(), "CONNECTORGROUPS_TEST_MAIN=1")
			var stderr syncBuffer
			cmd.Stderr = &stderr
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			exited := make(chan error, 1)
			t.Cleanup(func() {
				_ = cmd.Process.Kill() // if the test failed before it stopped
			})

			ready := make(chan struct{})
			go func() {
				sc := bufio.NewScanner(stdout)
				for sc.Scan() {
					if sc.Text() == "Press Ctrl-C to stop." {
						close(ready)
						break
					}
				}
				_, _ = io.Copy(io.Discard, stdout)
				exited <- cmd.Wait()
			}()
			select {
			case <-ready:
			case err := <-exited:
				t.Fatalf("serve exited before its banner: %v; stderr:\n%s", err, stderr.String())
			case <-time.After(10 * time.Second):
				t.Fatalf("no banner within 10s; stderr:\n%s", stderr.String())
			}

			require.NoError(t, cmd.Process.Signal(sig))
			select {
			case err := <-exited:
				assert.NoError(t, err, "exit status; stderr:\n%s", stderr.String())
				assert.Equal(t, 0, cmd.ProcessState.ExitCode())
				assert.Contains(t, stderr.String(), "connectorgroups serve: stopped")
			case <-time.After(10 * time.Second):
				t.Fatalf("serve did not stop within 10s of %v", sig)
			}
		})
	}
}
