package main

import (
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/client"
)

// version prints three lines: the program's version, the spec version its
// client speaks, and the Go that built it.
func TestVersion(t *testing.T) {
	code, stdout, stderr := runCmd(t, cancelled(), "version")
	require.Equal(t, exitOK, code, "stderr:\n%s", stderr)
	assert.Empty(t, stderr)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	require.Len(t, lines, 3, "stdout:\n%s", stdout)
	assert.Regexp(t, `^connectorgroups \S`, lines[0])
	assert.Equal(t, "spec "+client.Version, lines[1])
	assert.Equal(t, runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH, lines[2])

	code, stdout, stderr = runCmd(t, cancelled(), "version", "extra")
	assertUsageError(t, "version", code, stdout, stderr, "unexpected arguments: extra")
}
