package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCmd runs the CLI in-process, as main does, with args after the
// program's name.
func runCmd(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = dispatch(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// The table lists every command once, in order, and each name reaches its
// own run function: `<name> -h` prints that command's usage line.
func TestCommandTable(t *testing.T) {
	want := []string{"serve", "add", "verify"}
	names := make([]string, 0, len(commands))
	for _, c := range commands {
		names = append(names, c.name)
		assert.NotEmpty(t, c.summary, c.name)
		assert.NotNil(t, c.run, c.name)
	}
	require.Equal(t, want, names, "the command table")

	// A cancelled context: a command that starts serving by mistake stops.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, name := range want {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, ctx, name, "-h")
			assert.Equal(t, exitOK, code, "stderr:\n%s", stderr)
			out := stdout + stderr
			first, _, _ := strings.Cut(out, "\n")
			assert.True(t, strings.HasPrefix(first, "usage: connectorgroups "+name+" "), "%s -h printed %q first", name, first)
		})
	}
}
