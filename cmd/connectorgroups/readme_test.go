package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The README's examples are a promise: run in order on one fresh server,
// each prints what the README shows. This test holds it to that. It reads
// every ```console block of README.md, starts `serve` as `make serve`
// does (on a free port instead of 8080), and runs each `$ ` command in
// order against it: `make serve` is the server's banner, `go run
// ./cmd/connectorgroups ...` runs the command in-process, curl is sent with
// net/http, `export` sets the environment and `echo $?` prints the last
// exit status. Output is compared after ids, dates, durations and the port
// are normalised; for curl, the status line, each header the README shows,
// and the body.
func TestREADMEExamplesRunInOrder(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	examples := consoleExamples(t, string(readme))
	require.NotEmpty(t, examples, "README.md has no ```console examples")
	// The reader runs the examples from the repository's root, so file
	// arguments (testdata/har/...) are relative to it.
	t.Chdir("../..")

	ctx, cancel := context.WithCancel(context.Background())
	exited, banner, stderr := startServe(t, ctx, "-addr", "127.0.0.1:0", "-quiet")
	t.Cleanup(func() {
		cancel()
		if code := waitExit(t, exited); code != exitOK {
			t.Errorf("serve exited %d; stderr:\n%s", code, stderr)
		}
	})
	base := waitFor(t, banner, exited, regexp.MustCompile(`URL: (http://127\.0\.0\.1:\d+)/beta`))[1]
	waitFor(t, banner, exited, regexp.MustCompile(`Press Ctrl-C to stop\.`))

	env := map[string]string{}
	lastExit := 0
	ran := map[string]int{}
	for _, ex := range examples {
		cmd := strings.ReplaceAll(ex.command, "http://127.0.0.1:8080", base)
		name := fmt.Sprintf("README.md:%d %s", ex.line, ex.command)
		if m := exportCommandOutput.FindStringSubmatch(cmd); m != nil {
			// export NAME=$(go run ./cmd/connectorgroups ...): the
			// command's stdout, its last newline cut, as sh does.
			args, _ := goRunArgs(t, shellWords(t, m[2], env))
			for k, v := range env {
				t.Setenv(k, v)
			}
			var out, errOut bytes.Buffer
			lastExit = dispatch(context.Background(), args, &out, &errOut)
			require.Equal(t, exitOK, lastExit, "%s: stderr:\n%s", name, errOut.String())
			env[m[1]] = strings.TrimRight(out.String(), "\n")
			ran[args[0]]++
			show(t, ex, errOut.String(), base)
			assert.Equal(t, normalise(ex.output, base), normalise(errOut.String(), base), "%s", name)
			continue
		}
		words := shellWords(t, cmd, env)
		var got string
		switch {
		case len(words) == 2 && words[0] == "make" && words[1] == "serve":
			got = banner.String()
		case len(words) >= 1 && words[0] == "export":
			for _, kv := range words[1:] {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
			}
		case len(words) == 2 && words[0] == "echo" && words[1] == "$?":
			got = fmt.Sprintln(lastExit)
		case len(words) >= 1 && words[0] == "curl":
			got = runCurl(t, words[1:])
			show(t, ex, got, base)
			assertCurlOutput(t, name, base, ex.output, got)
			ran["curl"]++
			continue
		default:
			args, vars := goRunArgs(t, words)
			for k, v := range env {
				t.Setenv(k, v)
			}
			for k, v := range vars {
				t.Setenv(k, v)
			}
			var out bytes.Buffer
			lastExit = dispatch(context.Background(), args, &out, &out)
			got = out.String()
			ran[args[0]]++
		}
		show(t, ex, got, base)
		assert.Equal(t, normalise(ex.output, base), normalise(got, base), "%s", name)
	}
	for _, c := range []string{"curl", "groups", "group", "members", "add", "connectors", "connector", "memberof", "move", "verify", "verify-har"} {
		assert.NotZero(t, ran[c], "the README runs no %s example", c)
	}
}

// show logs what a command printed, as the README would show it, when
// README_SHOW=1: the way to write a new example's output.
func show(t *testing.T, ex example, got, base string) {
	t.Helper()
	if os.Getenv("README_SHOW") == "1" {
		t.Logf("README.md:%d\n$ %s\n%s", ex.line, ex.command, strings.ReplaceAll(got, base, "http://127.0.0.1:8080"))
	}
}

// example is one `$ command` of a ```console block and what follows it.
type example struct {
	line    int
	command string
	output  string
}

func consoleExamples(t *testing.T, readme string) []example {
	t.Helper()
	var out []example
	inBlock := false
	sc := bufio.NewScanner(strings.NewReader(readme))
	n := 0
	var cur *example
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case !inBlock && line == "```console":
			inBlock = true
		case inBlock && line == "```":
			inBlock = false
			cur = nil
		case inBlock && strings.HasPrefix(line, "$ "):
			out = append(out, example{line: n, command: strings.TrimPrefix(line, "$ ")})
			cur = &out[len(out)-1]
		case inBlock && cur != nil && strings.HasSuffix(cur.command, `\`) && cur.output == "":
			cur.command = strings.TrimSuffix(cur.command, `\`) + " " + strings.TrimSpace(line)
		case inBlock && cur != nil:
			cur.output += line + "\n"
		case inBlock:
			t.Fatalf("README.md:%d: output before any $ command in a console block", n)
		}
	}
	return out
}

// exportCommandOutput is `export NAME=$(command)`.
var exportCommandOutput = regexp.MustCompile(`^export ([A-Za-z_][A-Za-z0-9_]*)=\$\((.*)\)$`)

// shellWords splits a command as sh would, for the quoting the README
// uses: '...', "..." with $VAR, $VAR outside quotes, and backslash escapes.
func shellWords(t *testing.T, s string, env map[string]string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			require.GreaterOrEqual(t, j, 0, "unclosed ' in %s", s)
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			j := strings.IndexByte(s[i+1:], '"')
			require.GreaterOrEqual(t, j, 0, `unclosed " in %s`, s)
			cur.WriteString(os.Expand(s[i+1:i+1+j], func(k string) string { return env[k] }))
			i += j + 1
			inWord = true
		case c == '$' && i+1 < len(s) && isNameStart(s[i+1]):
			j := i + 1
			for j < len(s) && (isNameStart(s[j]) || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			v, ok := env[s[i+1:j]]
			require.True(t, ok, "$%s is not set in %s", s[i+1:j], s)
			cur.WriteString(v)
			i = j - 1
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

func isNameStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// goRunArgs reads `[VAR=value ...] go run ./cmd/connectorgroups args...`.
func goRunArgs(t *testing.T, words []string) ([]string, map[string]string) {
	t.Helper()
	vars := map[string]string{}
	for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
		k, v, _ := strings.Cut(words[0], "=")
		vars[k] = v
		words = words[1:]
	}
	require.True(t, len(words) > 3 && words[0] == "go" && words[1] == "run" && words[2] == "./cmd/connectorgroups",
		"the README test runs only curl, export, echo $?, make serve and go run ./cmd/connectorgroups, not %q", words)
	return words[3:], vars
}

// runCurl sends what `curl -i -X M URL -H ... -d ...` would and renders
// the response as curl -i prints it.
func runCurl(t *testing.T, args []string) string {
	t.Helper()
	method, url, body := http.MethodGet, "", ""
	header := http.Header{}
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "-i", "-s", "-sS":
		case "-X":
			i++
			method = args[i]
		case "-H":
			i++
			k, v, _ := strings.Cut(args[i], ":")
			header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		case "-d":
			i++
			body = args[i]
			if method == http.MethodGet {
				method = http.MethodPost
			}
		default:
			require.False(t, strings.HasPrefix(args[i], "-"), "curl flag %s is not emulated", args[i])
			url = args[i]
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header = header
	if body != "" && header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded") // as curl -d does
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	respBody, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %s\n", resp.Status)
	names := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		for _, v := range resp.Header[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	fmt.Fprintf(&b, "\n%s\n", respBody)
	return b.String()
}

// assertCurlOutput compares the status line, each header line the README
// shows (curl prints them all; the README shows those that matter) and the
// body.
func assertCurlOutput(t *testing.T, name, base, want, got string) {
	t.Helper()
	wantHead, wantBody, _ := strings.Cut(normalise(want, base), "\n\n")
	gotHead, gotBody, _ := strings.Cut(normalise(got, base), "\n\n")
	wantLines, gotLines := strings.Split(wantHead, "\n"), strings.Split(gotHead, "\n")
	assert.Equal(t, wantLines[0], gotLines[0], "%s: status line", name)
	for _, l := range wantLines[1:] {
		assert.Contains(t, gotLines[1:], l, "%s: header", name)
	}
	assert.Equal(t, strings.TrimSpace(wantBody), strings.TrimSpace(gotBody), "%s: body", name)
}

var normalisers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`), "<uuid>"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`), "<date>"},
	{regexp.MustCompile(`\((\d+(\.\d+)?(ns|µs|ms|s))\)`), "(<duration>)"},
	{regexp.MustCompile(`(?m)^Date: .*$`), "Date: <date>"},
	// A skip token is sealed with a key each server makes up.
	{regexp.MustCompile(`\$skiptoken=[A-Za-z0-9_-]+`), "$skiptoken=<token>"},
}

// normalise replaces what differs from run to run; the server's real base
// URL becomes the README's.
func normalise(s, base string) string {
	s = strings.ReplaceAll(s, base, "http://127.0.0.1:8080")
	for _, n := range normalisers {
		s = n.re.ReplaceAllString(s, n.with)
	}
	return s
}
