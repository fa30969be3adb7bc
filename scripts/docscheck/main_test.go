package main

import (
	"os"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

func TestMissingFromNamesEachAbsentOperation(t *testing.T) {
	ops := []operation{{"listConnectors", "List connectors"}, {"getConnector", `Get "one" connector`}}
	for _, tc := range []struct {
		name, html string
		want       []string
	}{
		{"both named", `{"operationId":"listConnectors","summary":"List connectors"},{"operationId":"getConnector","summary":"Get \"one\" connector"}`, nil},
		{"a summary missing", `"listConnectors","List connectors","getConnector"`, []string{`getConnector: "Get \"one\" connector"`}},
		{"nothing", `<html></html>`, []string{`listConnectors: "listConnectors"`, `listConnectors: "List connectors"`, `getConnector: "getConnector"`, `getConnector: "Get \"one\" connector"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, missingFrom(tc.html, ops))
		})
	}
}

// Text that only a script carries is not rendered.
func TestNotRenderedIgnoresScripts(t *testing.T) {
	dom := `<nav><span>connector</span></nav><script type="module">{"x":"<span>connectorGroup</span>"}</script>`
	assert.Equal(t, []string{"connectorGroup"}, notRendered(dom, []string{"connector", "connectorGroup"}))
	assert.False(t, hydrated(`<div><span>Loading...</span></div>`))
	assert.True(t, hydrated(`<div>Search Ctrl+K</div><script>"<span>Loading...</span>"</script>`))
}

// The real spec has every operation internal/graph knows, each with an id
// and a summary.
func TestOperationsOfTheSpec(t *testing.T) {
	data, err := os.ReadFile("../../openapi/connectorgroups.yaml")
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(data)
	require.NoError(t, err)
	ops := operations(doc)
	assert.Len(t, ops, len(graph.Operations()))
	for _, op := range ops {
		assert.NotEmpty(t, op.id)
		assert.NotEmpty(t, op.summary, op.id)
	}
}

func TestTagsOutsideCode(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Resource not found for the segment '<segment>'.", []string{"<segment>"}},
		{"Resource not found for the segment `'<segment>'`.", nil},
		{"`Authorization: Bearer <token>` and <b>bold</b>", []string{"<b>", "</b>"}},
		{"``a ` <x> `` then <y>", []string{"<y>"}},
		{"an unclosed ` then <z>", []string{"<z>"}},
		{"see <https://learn.microsoft.com/graph> and 1 < 2 > 0", nil},
		{"a list of `<a>` and `<b>`", nil},
	} {
		assert.Equal(t, tc.want, tagsOutsideCode(tc.text), tc.text)
	}
}

// Every description and summary of the spec renders as written: no
// placeholder is swallowed as an HTML tag.
func TestTheSpecHasNoRawHTMLTags(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("../../openapi/connectorgroups.yaml")
	require.NoError(t, err)
	found, err := rawTags(doc)
	require.NoError(t, err)
	assert.Empty(t, found)
}
