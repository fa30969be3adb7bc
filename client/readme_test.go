package client_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/testkit/docquote"
)

// quickstartMarker stands in README.md right before the Go program that
// quotes Example_quickstart.
const quickstartMarker = "<!-- quotes client/example_quickstart_test.go: Example_quickstart -->"

// README.md's Go program is Example_quickstart, which compiles and runs
// with every go test: its main is the example's quoted part, word for
// word, and the whole program, imports included, builds.
func TestREADMEQuotesExampleQuickstart(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	program := docquote.FencedAfter(t, string(readme), quickstartMarker, "go")

	example, err := os.ReadFile("example_quickstart_test.go")
	require.NoError(t, err)
	quoted := docquote.Between(t, string(example), "\t// README.md quotes from here.\n", "\t// README.md quotes up to here.\n")

	assert.Equal(t, dedent(quoted), dedent(mainBody(t, program)),
		"README.md's main must be Example_quickstart's quoted part, word for word")

	// The README's program builds as a reader would paste it: in a file of
	// its own, with this module's packages.
	dir := t.TempDir()
	file := filepath.Join(dir, "main.go")
	require.NoError(t, os.WriteFile(file, []byte(program), 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// go test puts its own go command first on PATH.
	build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, "quickstart"), file)
	build.Dir = ".." // the module's root: the program imports its packages
	out, err := build.CombinedOutput()
	require.NoError(t, err, "README.md's Go program does not build:\n%s", out)
}

// mainBody returns the statements of the program's func main, as written.
func mainBody(t *testing.T, program string) string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "main.go", program, parser.ParseComments)
	require.NoError(t, err)
	require.Equal(t, "main", f.Name.Name, "the README's program is package main")
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == "main" && fn.Recv == nil {
			start := fset.Position(fn.Body.Lbrace).Offset + 1
			end := fset.Position(fn.Body.Rbrace).Offset
			return strings.TrimPrefix(program[start:end], "\n")
		}
	}
	t.Fatal("the README's program has no func main")
	return ""
}

// dedent removes the indentation every non-blank line shares.
func dedent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n\t "), "\n")
	prefix, first := "", true
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		ws := l[:len(l)-len(strings.TrimLeft(l, "\t "))]
		if first || !strings.HasPrefix(ws, prefix) {
			prefix = commonPrefix(prefix, ws, first)
		}
		first = false
	}
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, prefix)
	}
	return strings.Join(lines, "\n")
}

func commonPrefix(a, b string, first bool) string {
	if first {
		return b
	}
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return a[:n]
}
