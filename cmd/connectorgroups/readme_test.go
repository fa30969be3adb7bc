package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// The examples of README.md and docs/*.md are a promise: run in order, in
// a shell, against a fresh `make serve`, each prints what the page shows.
// This test holds them to it as a reader would run them. It builds the
// real binary once, and for each page that has ```console blocks starts
// it as `make serve` does (on a free port of 127.0.0.1 instead of 8080),
// then runs every `$ ` line of the page in one bash session with the
// binary on PATH: export, $(...), echo $?, curl and here-documents
// (`cat > desired.yaml <<'EOF'`, the lines up to EOF) are the shell's own.
// Each command's stdout and stderr are compared with what the page shows
// under it, the lines the CLI writes to stderr (its error and usage lines)
// apart from the rest. Ids the seed does not hold, dates and durations may
// differ from the page, but consistently: an id shown twice must come
// twice.
func TestDocExamplesRunAsShown(t *testing.T) {
	const root = "../.."
	pages := docPages(t, root)
	require.NotEmpty(t, pages, "README.md has no ```console examples")
	require.Equal(t, "README.md", pages[0].name, "README.md has no ```console examples")

	binDir := buildCLI(t)
	path := binDir + string(os.PathListSeparator) + curlPath(t)

	// The CLI's commands apart from the shell's: `export GRAPH_TOKEN=…`
	// is no run of `connectorgroups export`.
	ran, ranCLI := map[string]int{}, map[string]int{}
	rootBefore := entryNames(t, root)
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			runPage(t, root, filepath.Join(binDir, "connectorgroups"), path, p)
			for _, ex := range p.examples {
				if cliCommand.MatchString(ex.command) {
					ranCLI[commandOf(ex.command)]++
				} else {
					ran[commandOf(ex.command)]++
				}
			}
		})
	}
	assert.Equal(t, rootBefore, entryNames(t, root), "the examples wrote in the checkout's root")
	assert.NotZero(t, ran["curl"], "no page runs a curl example")
	for _, c := range []string{"groups", "group", "members", "add", "connectors", "connector", "memberof", "move", "apps", "app", "export", "plan", "apply", "verify", "verify-har"} {
		assert.NotZero(t, ranCLI[c], "no page runs a %s example", c)
	}
}

// page is one Markdown file and the examples of its ```console blocks.
type page struct {
	name     string // relative to the repository's root
	examples []example
}

// docPages returns README.md and then each docs/*.md, in name order, that
// has examples.
func docPages(t *testing.T, root string) []page {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	require.NoError(t, err)
	slices.Sort(docs)
	var pages []page
	for _, path := range append([]string{filepath.Join(root, "README.md")}, docs...) {
		text, err := os.ReadFile(path)
		require.NoError(t, err)
		name, err := filepath.Rel(root, path)
		require.NoError(t, err)
		if exs := consoleExamples(t, name, string(text)); len(exs) > 0 {
			pages = append(pages, page{name: filepath.ToSlash(name), examples: exs})
		}
	}
	return pages
}

// buildCLI builds the binary once, as `make serve` does, and returns its
// directory.
func buildCLI(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// go test puts its own go command first on PATH.
	out, err := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, "connectorgroups"), ".").CombinedOutput()
	require.NoError(t, err, "go build:\n%s", out)
	return dir
}

// runPage runs one page's examples against a fresh server and compares.
func runPage(t *testing.T, root, bin, path string, p page) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	banner, hostPort := startServer(t, bin)

	outDir := t.TempDir()
	var script strings.Builder
	script.WriteString("__ret() { return \"$1\"; }\n")
	for i, ex := range p.examples {
		if ex.command == "make serve" {
			continue
		}
		cmd := strings.ReplaceAll(ex.command, "127.0.0.1:8080", hostPort)
		prefix := filepath.Join(outDir, strconv.Itoa(i))
		// Braces, not a subshell: export and variables must outlive the
		// command. $? is put back for the next line's echo $?.
		fmt.Fprintf(&script, "{ %s\n} >%q 2>%q; __rc=$?; echo \"$__rc\" >%q; __ret \"$__rc\"\n", cmd, prefix+".out", prefix+".err", prefix+".rc")
	}
	scriptFile := filepath.Join(outDir, "examples.sh")
	require.NoError(t, os.WriteFile(scriptFile, []byte(script.String()), 0o644))

	bash := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", scriptFile)
	bash.Dir = workDir(t, root)
	// A clean environment: the reader's GRAPH_TOKEN or proxy must not leak
	// in. curl hides its progress meter from a terminal, not from a pipe:
	// -sS in the home's .curlrc shows what the reader sees.
	home := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(home, ".curlrc"), []byte("silent\nshow-error\n"), 0o644))
	bash.Env = []string{"PATH=" + path, "HOME=" + home}
	bash.WaitDelay = 5 * time.Second
	shellOut, err := bash.CombinedOutput()
	require.NoError(t, err, "bash ran the examples of %s:\n%s", p.name, shellOut)

	ids := newIDMaps()
	base := "http://" + hostPort
	for i, ex := range p.examples {
		name := fmt.Sprintf("%s:%d $ %s", p.name, ex.line, ex.command)
		if ex.command == "make serve" {
			show(t, ex, banner, "", base)
			assert.Equal(t, ids.want.normalise(ex.output, base), ids.got.normalise(banner, base), "%s", name)
			continue
		}
		prefix := filepath.Join(outDir, strconv.Itoa(i))
		stdout, stderr := readFile(t, prefix+".out"), readFile(t, prefix+".err")
		show(t, ex, stdout, stderr, base)
		if commandOf(ex.command) == "curl" {
			assertCurlOutput(t, name, ids, base, ex.output, stdout)
			assert.Empty(t, stderr, "%s: stderr", name)
			continue
		}
		wantOut, wantErr := splitStreams(ex.output)
		assert.Equal(t, ids.want.normalise(wantOut, base), ids.got.normalise(stdout, base), "%s: stdout", name)
		assert.Equal(t, ids.want.normalise(wantErr, base), ids.got.normalise(stderr, base), "%s: stderr", name)
	}
}

// workDir is where a page's session runs. The reader runs the examples
// from the repository's root; the session runs in a directory of the
// test's that shows each of the root's files and directories (a symbolic
// link to it), so that a path such as testdata/har/broken.har reads as
// from the root, while a file an example writes (cat > desired.yaml)
// lands there and never in the checkout, where it could replace a
// reader's own.
func workDir(t *testing.T, root string) string {
	t.Helper()
	abs, err := filepath.Abs(root)
	require.NoError(t, err)
	entries, err := os.ReadDir(abs)
	require.NoError(t, err)
	dir := t.TempDir()
	for _, e := range entries {
		require.NoError(t, os.Symlink(filepath.Join(abs, e.Name()), filepath.Join(dir, e.Name())))
	}
	return dir
}

func entryNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names
}

// startServer starts `connectorgroups serve` as `make serve` does, on a
// free port, stops it when the test ends (it must exit 0, as on Ctrl-C),
// and returns its banner and address.
func startServer(t *testing.T, bin string) (banner, hostPort string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-quiet")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	got := make(chan string, 1)
	go func() {
		var b strings.Builder
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
			if sc.Text() == "Press Ctrl-C to stop." {
				got <- b.String()
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-exited:
			assert.NoError(t, err, "serve's exit; stderr:\n%s", stderr)
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Error("serve did not stop within 10s of SIGINT")
		}
	})
	select {
	case banner = <-got:
	case err := <-exited:
		t.Fatalf("serve exited before its banner: %v; stderr:\n%s", err, stderr)
	case <-time.After(15 * time.Second):
		t.Fatalf("no banner within 15s; stderr:\n%s", stderr)
	}
	m := regexp.MustCompile(`(?m)^URL: http://(127\.0\.0\.1:\d+)/beta `).FindStringSubmatch(banner)
	require.NotNil(t, m, "no URL in the banner:\n%s", banner)
	return banner, m[1]
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err, "the shell did not reach this example")
	return string(data)
}

// show logs what a command printed, as the page would show it, when
// README_SHOW=1: the way to write a new example's output.
func show(t *testing.T, ex example, stdout, stderr, base string) {
	t.Helper()
	if os.Getenv("README_SHOW") == "1" {
		t.Logf("line %d\n$ %s\n%s%s", ex.line, ex.command, strings.ReplaceAll(stdout, base, "http://127.0.0.1:8080"), strings.ReplaceAll(stderr, base, "http://127.0.0.1:8080"))
	}
}

// example is one `$ command` of a ```console block and what follows it.
type example struct {
	line    int
	command string
	output  string
}

// heredoc finds a here-document's operator in a command (<<EOF, <<'EOF',
// <<"EOF" or <<-EOF); its word ends the document.
// <<< is a here-string, which ends with its line.
var heredoc = regexp.MustCompile(`(?:^|[^<])<<(-?)\s*(?:'(\w+)'|"(\w+)"|(\w+))`)

func consoleExamples(t *testing.T, name, text string) []example {
	t.Helper()
	var out []example
	inBlock := false
	sc := bufio.NewScanner(strings.NewReader(text))
	n := 0
	var cur *example
	// docEnd ends the here-document that cur's command is reading ("" for
	// none), and indented lets its line start with tabs (<<-).
	docEnd, indented := "", false
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case inBlock && docEnd != "":
			cur.command += "\n" + line
			if line == docEnd || indented && strings.TrimLeft(line, "\t") == docEnd {
				docEnd = ""
			}
		case !inBlock && line == "```console":
			inBlock = true
		case inBlock && line == "```":
			inBlock = false
			cur = nil
		case inBlock && strings.HasPrefix(line, "$ "):
			out = append(out, example{line: n, command: strings.TrimPrefix(line, "$ ")})
			cur = &out[len(out)-1]
			if m := heredoc.FindStringSubmatch(cur.command); m != nil {
				docEnd, indented = m[2]+m[3]+m[4], m[1] == "-"
			}
		case inBlock && cur != nil && strings.HasSuffix(cur.command, `\`) && cur.output == "":
			cur.command = strings.TrimSuffix(cur.command, `\`) + " " + strings.TrimSpace(line)
		case inBlock && cur != nil:
			cur.output += line + "\n"
		case inBlock:
			t.Fatalf("%s:%d: output before any $ command in a console block", name, n)
		}
	}
	if docEnd != "" {
		t.Fatalf("%s:%d: the here-document of %q has no %s line", name, cur.line, strings.SplitN(cur.command, "\n", 2)[0], docEnd)
	}
	return out
}

// cliCommand finds the CLI's command in an example's line.
var cliCommand = regexp.MustCompile(`(?:^|\$\()connectorgroups ([a-z-]+)`)

// commandOf names what an example runs: the CLI's command, or curl, make,
// export, echo or cat.
func commandOf(line string) string {
	if m := cliCommand.FindStringSubmatch(line); m != nil {
		return m[1]
	}
	first, _, _ := strings.Cut(line, " ")
	return first
}

// stderrLine is a line the CLI writes to stderr: a failure, or a usage
// error and its hint (usage.go, errorline.go).
var stderrLine = regexp.MustCompile(`^(error: |connectorgroups( [a-z-]+)*: |Run 'connectorgroups )`)

// splitStreams splits what a page shows under a command into what must
// have come on stdout and on stderr.
func splitStreams(shown string) (stdout, stderr string) {
	for line := range strings.SplitAfterSeq(shown, "\n") {
		if line == "" {
			continue
		}
		if stderrLine.MatchString(line) {
			stderr += line
		} else {
			stdout += line
		}
	}
	return stdout, stderr
}

// assertCurlOutput compares what curl -i printed with what the page shows:
// the status line, each header the page shows (curl prints them all; the
// page shows those that matter) and the body.
func assertCurlOutput(t *testing.T, name string, ids *idMaps, base, want, got string) {
	t.Helper()
	got = strings.ReplaceAll(got, "\r\n", "\n")
	wantHead, wantBody, _ := strings.Cut(want, "\n\n")
	gotHead, gotBody, _ := strings.Cut(got, "\n\n")
	wantLines, gotLines := strings.Split(wantHead, "\n"), strings.Split(gotHead, "\n")
	kept := []string{gotLines[0]}
	for _, w := range wantLines[1:] {
		header, _, _ := strings.Cut(w, ":")
		for _, g := range gotLines[1:] {
			if gh, _, _ := strings.Cut(g, ":"); strings.EqualFold(gh, header) {
				kept = append(kept, g)
			}
		}
	}
	want = wantHead + "\n\n" + strings.TrimSpace(wantBody)
	got = strings.Join(kept, "\n") + "\n\n" + strings.TrimSpace(gotBody)
	assert.Equal(t, ids.want.normalise(want, base), ids.got.normalise(got, base), "%s", name)
}

// idMaps names the ids of the page and of the run the same way: the
// seed's ids stay as they are, and every other id becomes <id N>, N
// counting in order of first appearance, on each side apart. An id the
// page shows twice must then come twice in the run, in the same places.
type idMaps struct{ want, got *idNames }

func newIDMaps() *idMaps {
	seed := fakegraph.DefaultSeed()
	known := map[string]bool{}
	for _, c := range seed.Connectors {
		known[c.ID] = true
	}
	for _, g := range seed.ConnectorGroups {
		known[g.ID] = true
	}
	return &idMaps{want: &idNames{known: known, names: map[string]string{}}, got: &idNames{known: known, names: map[string]string{}}}
}

type idNames struct {
	known map[string]bool
	names map[string]string
}

var (
	uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	normalisers = []struct {
		re   *regexp.Regexp
		with string
	}{
		{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`), "<date>"},
		{regexp.MustCompile(`\((\d+(\.\d+)?(ns|µs|ms|s))\)`), "(<duration>)"},
		// A skip token is sealed with a key each server makes up.
		{regexp.MustCompile(`\$skiptoken=[A-Za-z0-9_-]+`), "$skiptoken=<token>"},
	}
)

// normalise replaces what differs from run to run; the server's real base
// URL becomes the page's.
func (n *idNames) normalise(s, base string) string {
	s = strings.ReplaceAll(s, base, "http://127.0.0.1:8080")
	s = uuidPattern.ReplaceAllStringFunc(s, func(id string) string {
		if n.known[id] {
			return id
		}
		if _, ok := n.names[id]; !ok {
			n.names[id] = fmt.Sprintf("<id %d>", len(n.names)+1)
		}
		return n.names[id]
	})
	for _, r := range normalisers {
		s = r.re.ReplaceAllString(s, r.with)
	}
	return s
}

// curlPath is a PATH that finds curl: the machine's, or on a machine
// without one (or with README_FAKE_CURL=1), this test binary standing in
// for it (TestMain runs fakeCurl).
func curlPath(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("curl"); err == nil && os.Getenv("README_FAKE_CURL") != "1" {
		return os.Getenv("PATH")
	}
	return fakeCurlDir(t) + string(os.PathListSeparator) + os.Getenv("PATH")
}

func fakeCurlDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	self, err := os.Executable()
	require.NoError(t, err)
	script := fmt.Sprintf("#!/bin/sh\nCONNECTORGROUPS_TEST_CURL=1 exec %q \"$@\"\n", self)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "curl"), []byte(script), 0o755))
	return dir
}

// A here-document's lines are its command's, up to its word, whatever
// they look like; a here-string is not one.
func TestConsoleExamplesReadHereDocuments(t *testing.T) {
	page := "```console\n" +
		"$ cat > desired.yaml <<'EOF'\nconnectorGroups:\n$ not a command\nEOF\n" +
		"$ connectorgroups plan -f desired.yaml\nNo changes.\n" +
		"$ connectorgroups plan -f - <<-END\n\tconnectorGroups: []\n\tEND\n" +
		"$ cat <<< here\nhere\n" +
		"```\n"
	assert.Equal(t, []example{
		{line: 2, command: "cat > desired.yaml <<'EOF'\nconnectorGroups:\n$ not a command\nEOF"},
		{line: 6, command: "connectorgroups plan -f desired.yaml", output: "No changes.\n"},
		{line: 8, command: "connectorgroups plan -f - <<-END\n\tconnectorGroups: []\n\tEND"},
		{line: 11, command: "cat <<< here", output: "here\n"},
	}, consoleExamples(t, "page.md", page))
}
