package desired

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parseString(t *testing.T, text string) (*File, error) {
	t.Helper()
	return Parse("groups.yaml", strings.NewReader(text))
}

// problems is what a FileError says, as "line: message" lines.
func problems(t *testing.T, err error) []Problem {
	t.Helper()
	var fe *FileError
	require.True(t, errors.As(err, &fe), "want a *FileError, got %v", err)
	return fe.Problems
}

func TestParseReadsEveryKey(t *testing.T) {
	f, err := parseString(t, `connectorGroups:
  - name: Default              # the default group
    default: true
    connectors: [CONNECTOR-03.contoso.com]
  - name: Tokyo pilot
    region: asia
    connectors:
      - d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30
      - CONNECTOR-02.contoso.com
    applications: [11111111-2222-3333-4444-555555555555]
  - name: No region
    region: null
`)
	require.NoError(t, err)
	require.Len(t, f.ConnectorGroups, 3)
	def, tokyo, none := f.ConnectorGroups[0], f.ConnectorGroups[1], f.ConnectorGroups[2]
	assert.True(t, def.Default)
	assert.Nil(t, def.Region, "an omitted region is left as it is")
	assert.Equal(t, []string{"CONNECTOR-03.contoso.com"}, def.Connectors)
	assert.Nil(t, def.Applications)
	assert.False(t, tokyo.Default)
	require.NotNil(t, tokyo.Region)
	assert.Equal(t, "asia", *tokyo.Region)
	assert.Equal(t, []string{"d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30", "CONNECTOR-02.contoso.com"}, tokyo.Connectors)
	assert.Equal(t, []string{"11111111-2222-3333-4444-555555555555"}, tokyo.Applications)
	assert.Equal(t, []int{8, 9}, tokyo.lines.connectors)
	require.NotNil(t, none.Region)
	assert.Equal(t, "", *none.Region, "null is no region")
}

func TestParseReadsJSON(t *testing.T) {
	f, err := parseString(t, `{"connectorGroups": [{"name": "Default", "default": true, "region": null,
  "connectors": ["CONNECTOR-01.contoso.com"]}]}`)
	require.NoError(t, err)
	require.Len(t, f.ConnectorGroups, 1)
	assert.Equal(t, "", *f.ConnectorGroups[0].Region)
	assert.Equal(t, 2, f.ConnectorGroups[0].lines.connectors[0])
}

// Each problem is reported with its line, and every problem of a file at
// once.
func TestParseNamesEachProblemAndItsLine(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []Problem
	}{
		{"a connector listed twice", `connectorGroups:
  - name: A
    connectors: [c1]
  - name: B
    connectors:
      - C1
`, []Problem{{6, "connector C1 is listed twice (first at line 3)"}}},
		{"an application listed twice", `connectorGroups:
  - name: A
    applications: [a1, a1]
`, []Problem{{3, "application a1 is listed twice (first at line 3)"}}},
		{"two default groups", `connectorGroups:
  - name: A
    default: true
  - name: B
    default: true
`, []Problem{{5, `group "B" is a second default group (first at line 3); a tenant has one`}}},
		{"two groups of one name", `connectorGroups:
  - name: A
  - name: A
`, []Problem{{3, `two groups are named "A" (first at line 2); names are unique in a file`}}},
		{"an unknown key", `connectorGroups:
  - name: A
    conectors: [c1]
`, []Problem{{3, `unknown key "conectors"; the keys here are name, default, region, connectors, applications`}}},
		{"a key given twice", `connectorGroups:
  - name: A
    name: B
`, []Problem{{3, "name is given twice (first at line 2)"}}},
		{"a group without a name", `connectorGroups:
  - region: eur
`, []Problem{{2, "a group has no name"}}},
		{"an empty name", `connectorGroups:
  - name: ""
`, []Problem{{2, "a group's name is empty"}}},
		{"a name that is no text", `connectorGroups:
  - name: [A]
`, []Problem{{2, "name must be text"}}},
		{"default that is not a boolean", `connectorGroups:
  - name: A
    default: yes
`, []Problem{{3, "default must be true or false"}}},
		{"a region that is no region", `connectorGroups:
  - name: A
    region: north america
`, []Problem{{3, `region "north america" of group "A" is no region: write nam, eur, aus, asia or ind, or null for none`}}},
		{"connectors that are no list", `connectorGroups:
  - name: A
    connectors: c1
`, []Problem{{3, "connectors must be a list"}}},
		{"an application id with a slash", `connectorGroups:
  - name: A
    applications: [a/b]
`, []Problem{{3, `group "A" lists "a/b", which is no application id`}}},
		{"no connectorGroups", "groups: []\n", []Problem{{1, `unknown key "groups"; the keys here are connectorGroups`}}},
		{"an empty file", "", []Problem{{0, "the file is empty: it needs connectorGroups"}}},
		{"a list at the top", "- name: A\n", []Problem{{1, "the file must be a mapping with the key connectorGroups"}}},
		{"an alias", `connectorGroups:
  - name: A
    connectors: &c [c1]
  - name: B
    applications: *c
`, []Problem{{1, "the file uses a YAML alias (*name); write each value out"}}},
		{"two documents", "connectorGroups: []\n---\nconnectorGroups: []\n", []Problem{{2, "the file holds more than one YAML document; put every group under one connectorGroups"}}},
		{"not YAML", "connectorGroups: [\n", []Problem{{1, "not YAML: did not find expected node content"}}},
		{"several problems at once", `connectorGroups:
  - name: A
    default: true
    connectors: [c1, c1]
  - name: B
    default: true
`, []Problem{
			{4, "connector c1 is listed twice (first at line 4)"},
			{6, `group "B" is a second default group (first at line 3); a tenant has one`},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseString(t, tc.text)
			assert.Equal(t, tc.want, problems(t, err))
		})
	}
}

func TestFileErrorNamesTheFileAndLine(t *testing.T) {
	_, err := parseString(t, "connectorGroups:\n  - name: A\n  - name: A\n")
	assert.EqualError(t, err, `groups.yaml:3: two groups are named "A" (first at line 2); names are unique in a file`)
}

func TestParseRefusesAFileOverTheBound(t *testing.T) {
	big := strings.NewReader("connectorGroups: []\n" + strings.Repeat("#", MaxFileBytes))
	_, err := Parse("big.yaml", big)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "big.yaml")
}

func TestParseRefusesTextThatIsNotUTF8(t *testing.T) {
	_, err := parseString(t, "connectorGroups:\n  - name: \xff\n")
	assert.Equal(t, []Problem{{0, "the file is not UTF-8 text"}}, problems(t, err))
}

// A file built in Go is checked as a parsed one is, without lines.
func TestNewPlanChecksAFileBuiltInGo(t *testing.T) {
	f := &File{ConnectorGroups: []Group{{Name: "A", Connectors: []string{"c1", "c1"}}, {Name: "A"}}}
	_, err := NewPlan(t.Context(), nil, f, Options{})
	assert.EqualError(t, err, "connector c1 is listed twice\ntwo groups are named \"A\"; names are unique in a file")
}

func TestFileErrorListsTheFirstProblems(t *testing.T) {
	_, err := parseString(t, "connectorGroups:\n"+strings.Repeat("  - name: x\n", 1000))
	ps := problems(t, err)
	require.Len(t, ps, maxProblems+1)
	assert.Equal(t, Problem{Line: 3, Message: `two groups are named "x" (first at line 2); names are unique in a file`}, ps[0])
	assert.Equal(t, Problem{Message: "and 949 more problems"}, ps[maxProblems])
}
