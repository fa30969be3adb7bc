package compat_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clientMarker stands in docs/sdk-compat.md right before the Go block
// that quotes client.go.
const clientMarker = "<!-- quotes compat/msgraph-beta-sdk-go/client.go -->"

// docs/sdk-compat.md shows client.go whole, byte for byte: the code a
// reader copies is the code this module compiles and the lifecycle runs.
func TestDocQuotesClientGo(t *testing.T) {
	doc, err := os.ReadFile("../../docs/sdk-compat.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(doc), clientMarker)
	require.True(t, ok, "docs/sdk-compat.md lacks %q", clientMarker)
	rest = strings.TrimLeft(rest, "\n")
	require.True(t, strings.HasPrefix(rest, "```go\n"), "a ```go block must follow %q", clientMarker)
	block, _, ok := strings.Cut(strings.TrimPrefix(rest, "```go\n"), "\n```\n")
	require.True(t, ok, "the ```go block is not closed")

	code, err := os.ReadFile("client.go")
	require.NoError(t, err)
	assert.Equal(t, string(code), block+"\n", "docs/sdk-compat.md must quote client.go as it is")
}
