package compat_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sdkModule = "github.com/microsoftgraph/msgraph-beta-sdk-go"

// The version this suite proves, and the docs name, is the one go.mod
// requires.
func TestTheProvenSDKVersionIsGoModsAndTheDocs(t *testing.T) {
	mod, err := os.ReadFile("go.mod")
	require.NoError(t, err)
	assert.Contains(t, strings.Split(string(mod), "\n"), "\t"+sdkModule+" "+sdkVersion, "go.mod requires %s %s", sdkModule, sdkVersion)
	for _, doc := range []string{"../../README.md", "../../docs/sdk-compat.md"} {
		text, err := os.ReadFile(doc)
		require.NoError(t, err)
		assert.Contains(t, string(text), sdkModule+"` "+sdkVersion, "%s names the SDK version proven", doc)
	}
}
