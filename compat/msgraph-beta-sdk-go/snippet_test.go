package compat_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/testkit/docquote"
)

// clientMarker stands in docs/sdk-compat.md right before the Go block
// that quotes client.go.
const clientMarker = "<!-- quotes compat/msgraph-beta-sdk-go/client.go -->"

// docs/sdk-compat.md shows client.go whole, byte for byte: the code a
// reader copies is the code this module compiles and the lifecycle runs.
func TestDocQuotesClientGo(t *testing.T) {
	doc, err := os.ReadFile("../../docs/sdk-compat.md")
	require.NoError(t, err)
	block := docquote.FencedAfter(t, string(doc), clientMarker, "go")

	code, err := os.ReadFile("client.go")
	require.NoError(t, err)
	assert.Equal(t, string(code), block, "docs/sdk-compat.md must quote client.go as it is")
}
