package desired_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/testkit/docquote"
)

// exampleMarker stands in docs/desired-state.md right before the Go code
// that quotes Example.
const exampleMarker = "<!-- quotes desired/example_test.go: Example -->"

// docs/desired-state.md's Go code is Example's quoted part, word for word,
// so that the page shows code that compiles and runs with every go test.
func TestDocQuotesExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/desired-state.md")
	require.NoError(t, err)
	quoted := docquote.FencedAfter(t, string(doc), exampleMarker, "go")

	example, err := os.ReadFile("example_test.go")
	require.NoError(t, err)
	part := docquote.Between(t, string(example), "\t// docs/desired-state.md quotes from here.\n", "\t// docs/desired-state.md quotes up to here.\n")
	assert.Equal(t, untab(part), quoted, "docs/desired-state.md must quote Example's marked part, word for word")

	// The output the page shows, in the ```text block before the code, is
	// the example's Output.
	before, _, _ := strings.Cut(string(doc), exampleMarker)
	i := strings.LastIndex(before, "```text\n")
	require.NotEqual(t, -1, i, "docs/desired-state.md shows no output before %q", exampleMarker)
	shown, _, ok := strings.Cut(before[i+len("```text\n"):], "```\n")
	require.True(t, ok)
	_, output, ok := strings.Cut(string(example), "\t// Output:\n")
	require.True(t, ok, "Example has no Output")
	output, _, _ = strings.Cut(output, "}\n")
	var want strings.Builder
	for line := range strings.SplitSeq(strings.TrimRight(output, "\n"), "\n") {
		want.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "\t//"), " ") + "\n")
	}
	assert.Equal(t, want.String(), shown, "the output docs/desired-state.md shows must be Example's")
}

// untab removes one tab from the start of each line: the quoted part is
// the body of a function.
func untab(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "\t")
	}
	return strings.Join(lines, "\n")
}
