package desired

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzParse: any text is a File or a *FileError, never a panic; and a
// File that Parse accepts reads back the same once Encode has written it,
// so that export, which writes through Encode, says what it read.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"connectorGroups: []\n",
		"connectorGroups:\n  - name: Default\n    default: true\n    region: null\n    connectors: [a, b]\n    applications: [x]\n",
		`{"connectorGroups": [{"name": "true", "region": "eur", "connectors": ["1e3", "null", "~"]}]}`,
		"connectorGroups:\n  - name: \"a\\nb # c\"\n    connectors: ['- x', 'y: z']\n",
		"connectorGroups:\n  - &a {name: x}\n  - *a\n",
		"connectorGroups:\n- name: x\n---\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		file, err := Parse("fuzz.yaml", strings.NewReader(text))
		if err != nil {
			var fe *FileError
			require.True(t, errors.As(err, &fe), "%v", err)
			require.NotEmpty(t, fe.Problems)
			return
		}
		var buf bytes.Buffer
		require.NoError(t, file.Encode(&buf))
		again, err := Parse("fuzz.yaml", &buf)
		require.NoError(t, err, "Encode wrote what Parse refuses:\n%s", buf.String())
		require.Len(t, again.ConnectorGroups, len(file.ConnectorGroups))
		for i, g := range file.ConnectorGroups {
			h := again.ConnectorGroups[i]
			assert.Equal(t, g.Name, h.Name)
			assert.Equal(t, g.Default, h.Default)
			assert.Equal(t, g.Region, h.Region)
			assert.Equal(t, len(g.Connectors), len(h.Connectors))
			for j := range g.Connectors {
				assert.Equal(t, g.Connectors[j], h.Connectors[j])
			}
			assert.Equal(t, len(g.Applications), len(h.Applications))
			for j := range g.Applications {
				assert.Equal(t, g.Applications[j], h.Applications[j])
			}
		}
	})
}
