package fakegraph

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

func TestDefaultSeed(t *testing.T) {
	seed := DefaultSeed()
	require.NoError(t, seed.Validate())
	ids := func() (groups, connectors []string) {
		for _, g := range seed.ConnectorGroups {
			groups = append(groups, g.ID)
		}
		for _, c := range seed.Connectors {
			connectors = append(connectors, c.ID)
		}
		return
	}
	groups, connectors := ids()
	// Other packages' tests rely on these ids.
	assert.Equal(t, []string{defaultGroupID, emptyGroupID, europeGroupID}, groups)
	assert.Equal(t, []string{docConnectorID, europeMember, inactiveConnID}, connectors)
	assert.True(t, seed.ConnectorGroups[0].IsDefault)
	assert.False(t, seed.ConnectorGroups[1].IsDefault || seed.ConnectorGroups[2].IsDefault, "one default")
	assert.Empty(t, seed.ConnectorGroups[0].Members, "the default group gets its connectors by the rule, not by listing")
	assert.Empty(t, seed.ConnectorGroups[1].Members)
	assert.Equal(t, []string{europeMember}, seed.ConnectorGroups[2].Members)
	// By the rule, the connectors no group lists start in the default one.
	s := newStore(seed)
	for _, want := range []struct {
		group   string
		members []string
	}{
		{defaultGroupID, []string{inactiveConnID, docConnectorID}},
		{emptyGroupID, []string{}},
		{europeGroupID, []string{europeMember}},
	} {
		g, err := s.Group(want.group)
		require.NoError(t, err)
		assert.Equal(t, want.members, g.Members, "group %s", g.Name)
	}
	assert.Equal(t, map[string][]string{
		"dev-token":    {"Directory.ReadWrite.All"},
		"admin-token":  {"Directory.AccessAsUser.All"},
		"reader-token": {"Directory.Read.All"},
	}, seed.Tokens)

	// Each call is a fresh copy.
	seed.ConnectorGroups[0].Members = append(seed.ConnectorGroups[0].Members, "x")
	seed.Tokens["dev-token"][0] = "changed"
	again := DefaultSeed()
	assert.Empty(t, again.ConnectorGroups[0].Members)
	assert.Equal(t, "Directory.ReadWrite.All", again.Tokens["dev-token"][0])
}

func TestLoadSeedRejects(t *testing.T) {
	const valid = `{"connectors":[{"id":"c-1","machineName":"m","externalIp":"192.0.2.1","status":"active"}],
		"connectorGroups":[{"id":"g-1","name":"G","connectorGroupType":"applicationProxy","isDefault":true,"region":"nam","members":["c-1"]}],
		"tokens":{"t":["Directory.ReadWrite.All"]}}`
	_, err := LoadSeed(strings.NewReader(valid))
	require.NoError(t, err, "the base case is valid")

	tests := []struct {
		name string
		json string
		want []string // each must appear in the error
	}{
		{"unknown field", strings.Replace(valid, `"machineName"`, `"hostName"`, 1), []string{`unknown field "hostName"`}},
		{"not JSON", `{"connectors": [`, []string{"decoding JSON"}},
		{"trailing data", valid + ` {}`, []string{"after the top-level object"}},
		{"duplicate connector id", strings.Replace(valid, `"status":"active"}]`, `"status":"active"},{"id":"c-1","status":"inactive"}]`, 1),
			[]string{`connectors[1] (id "c-1"): duplicate connector id`}},
		{"duplicate group id", strings.Replace(valid, `"members":["c-1"]}]`, `"members":["c-1"]},{"id":"g-1","name":"H","connectorGroupType":"applicationProxy","region":"eur"}]`, 1),
			[]string{`connectorGroups[1] (id "g-1"): duplicate connectorGroup id`}},
		{"unknown member", strings.Replace(valid, `"members":["c-1"]`, `"members":["c-1","c-9"]`, 1), []string{`member "c-9" is not a connector id`}},
		{"member twice", strings.Replace(valid, `"members":["c-1"]`, `"members":["c-1","c-1"]`, 1), []string{`member "c-1" is listed twice`}},
		{"bad status", strings.Replace(valid, `"active"`, `"running"`, 1), []string{`connectors[0] (id "c-1"): status "running" is not one of active, inactive`}},
		{"a region no enum member could be", strings.Replace(valid, `"nam"`, `"Japan East"`, 1),
			[]string{`connectorGroups[0] (id "g-1"): region "Japan East" is not the name of an enum member (a letter or underscore, then letters, digits and underscores, at most 128 characters), such as nam, eur, aus, asia, ind, unknownFutureValue or japan (or null)`}},
		{"a region of 129 characters", strings.Replace(valid, `"nam"`, `"`+strings.Repeat("r", graph.MaxEnumMemberLength+1)+`"`, 1), []string{`region "rrr`, "is not the name of an enum member"}},
		{"a type no enum member could be", strings.Replace(valid, `"applicationProxy"`, `"application proxy"`, 1),
			[]string{`connectorGroups[0] (id "g-1"): connectorGroupType "application proxy" is not the name of an enum member (a letter or underscore, then letters, digits and underscores, at most 128 characters), such as applicationProxy or syncFabric`}},
		{"no type", strings.Replace(valid, `"connectorGroupType":"applicationProxy",`, ``, 1), []string{`connectorGroupType "" is not the name of an enum member`}},
		{"no default group", strings.Replace(valid, `"isDefault":true`, `"isDefault":false`, 1),
			[]string{"no connectorGroup is the default: exactly one must have isDefault true"}},
		{"two default groups", strings.Replace(valid, `"members":["c-1"]}]`, `"members":["c-1"]},{"id":"g-2","name":"H","connectorGroupType":"applicationProxy","isDefault":true,"members":[]}]`, 1),
			[]string{`connectorGroups "g-1", "g-2" all have isDefault true: exactly one group is the default`}},
		{"a connector in two groups", strings.Replace(valid, `"members":["c-1"]}]`, `"members":["c-1"]},{"id":"g-2","name":"H","connectorGroupType":"applicationProxy","members":["c-1"]}]`, 1),
			[]string{`connector "c-1" is a member of connectorGroups "g-1" and "g-2": a connector is in exactly one group`}},
		{"empty connector id", strings.Replace(valid, `"id":"c-1"`, `"id":""`, 1), []string{"connectors[0]: id is empty", `member "c-1" is not a connector id`}},
		{"empty group id and name", strings.Replace(valid, `"id":"g-1","name":"G"`, `"id":"","name":" "`, 1), []string{"connectorGroups[0]: id is empty", "name is empty"}},
		{"id with a slash", strings.Replace(valid, `"id":"g-1"`, `"id":"g/1"`, 1), []string{`id "g/1" contains '/'`}},
		{"a name one character too long", strings.Replace(valid, `"name":"G"`, `"name":"`+strings.Repeat("é", graph.MaxNameLength+1)+`"`, 1),
			[]string{`connectorGroups[0] (id "g-1"): name is 257 characters long; at most 256 are allowed`}},
		{"a name of a megabyte", strings.Replace(valid, `"name":"G"`, `"name":"`+strings.Repeat("n", 1<<20)+`"`, 1),
			[]string{`connectorGroups[0] (id "g-1"): name is 1048576 characters long; at most 256 are allowed`}},
		{"a lone surrogate in a name", strings.Replace(valid, `"name":"G"`, `"name":"G\ud800"`, 1),
			[]string{`fakegraph: seed: the JSON text escapes a lone surrogate \ud800 at byte `}},
		{"invalid UTF-8 in a name", strings.Replace(valid, `"name":"G"`, "\"name\":\"G\xff\"", 1),
			[]string{`fakegraph: seed: the JSON text is not valid UTF-8 at byte `}},
		{"token with a space", strings.Replace(valid, `"t":`, `"a b":`, 1), []string{`token "a b" has whitespace`}},
		{"empty scope", strings.Replace(valid, `["Directory.ReadWrite.All"]`, `[""]`, 1), []string{`token "t": scope "" is empty`}},
		{"empty input", ``, []string{"decoding JSON"}},
		{"null", `null`, []string{"the top level is null; it must be an object with connectors, connectorGroups and tokens"}},
		{"null among blanks", " \n null \n", []string{"the top level is null"}},
		{"an array", `[` + valid + `]`, []string{"the top level is an array"}},
		{"a string", `"seed.json"`, []string{"the top level is a string"}},
		{"a number", `42`, []string{"the top level is a number"}},
		{"a boolean", `true`, []string{"the top level is a boolean"}},
		{"an empty object", `{}`, []string{"connectorGroups is empty"}},
		{"no groups", `{"connectors":[{"id":"c-1","machineName":"m","externalIp":"192.0.2.1","status":"active"}],"connectorGroups":[],"tokens":{"t":["Directory.ReadWrite.All"]}}`,
			[]string{"connectorGroups is empty: a tenant always has its default group"}},
		{"groups null", strings.Replace(valid, `"connectorGroups":[{"id":"g-1","name":"G","connectorGroupType":"applicationProxy","isDefault":true,"region":"nam","members":["c-1"]}]`, `"connectorGroups":null`, 1),
			[]string{"connectorGroups is empty"}},
		{"every problem at once", strings.NewReplacer(`"active"`, `"x"`, `"nam"`, `"y y"`, `"members":["c-1"]`, `"members":["z"]`).Replace(valid),
			[]string{`status "x"`, `region "y y"`, `member "z"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadSeed(strings.NewReader(tt.json))
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestLoadSeedFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	require.NoError(t, os.WriteFile(good, defaultSeedJSON, 0o600))
	seed, err := LoadSeedFile(good)
	require.NoError(t, err)
	assert.Equal(t, DefaultSeed(), seed)

	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"connectors":[{"id":"c","status":"paused"}]}`), 0o600))
	_, err = LoadSeedFile(bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), bad, "the message names the file")
	assert.Contains(t, err.Error(), `status "paused"`)

	_, err = LoadSeedFile(filepath.Join(dir, "missing.json"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestSeedPlaced(t *testing.T) {
	seed := DefaultSeed()
	placed := seed.Placed()
	require.Len(t, placed, 3)
	assert.Equal(t, []string{docConnectorID, inactiveConnID}, placed[0].Members, "the default group gets the unlisted connectors, in seed order")
	assert.Empty(t, placed[1].Members)
	assert.Equal(t, []string{europeMember}, placed[2].Members)
	placed[2].Members[0] = "changed"
	assert.Equal(t, []string{europeMember}, seed.ConnectorGroups[2].Members, "Placed copies")
	assert.Empty(t, seed.ConnectorGroups[0].Members, "and changes nothing")

	// The default group need not come first, and keeps the members it lists.
	seed = &Seed{
		Connectors: []SeedConnector{{ID: "c-1"}, {ID: "c-2"}, {ID: "c-3"}},
		ConnectorGroups: []SeedConnectorGroup{
			{ID: "g-1", Members: []string{"c-2"}},
			{ID: "g-0", IsDefault: true, Members: []string{"c-3"}},
		},
	}
	placed = seed.Placed()
	assert.Equal(t, []string{"c-2"}, placed[0].Members)
	assert.Equal(t, []string{"c-3", "c-1"}, placed[1].Members)
}

// A tenant without connectors is a tenant: its groups can still be listed,
// created, renamed and deleted.
func TestLoadSeedWithoutConnectors(t *testing.T) {
	seed, err := LoadSeed(strings.NewReader(`{"connectors":[],"connectorGroups":[{"id":"g-1","name":"Default","connectorGroupType":"applicationProxy","isDefault":true,"region":"nam","members":[]}],"tokens":{"t":["Directory.ReadWrite.All"]}}`))
	if err != nil {
		t.Fatalf("a seed without connectors: %v", err)
	}
	srv, err := New(seed)
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Connectors(); len(got) != 0 {
		t.Errorf("connectors: %v", got)
	}
}

// LoadSeed decodes an object in one pass; what it reports, and in which
// order, is what the two-pass decoding reported.
func TestLoadSeedOnePass(t *testing.T) {
	const valid = `{"connectors":[{"id":"c-1","machineName":"m","externalIp":"192.0.2.1","status":"active"}],
		"connectorGroups":[{"id":"g-1","name":"G","connectorGroupType":"applicationProxy","isDefault":true,"region":"nam","members":[]}],
		"tokens":{"t":["Directory.ReadWrite.All"]}}`
	seed, err := LoadSeed(strings.NewReader(" \r\n\t" + valid + "\n\n"))
	require.NoError(t, err, "blanks around the object")
	assert.Equal(t, "c-1", seed.Connectors[0].ID)

	for _, tt := range []struct{ name, json, want string }{
		{"an unknown field", strings.Replace(valid, `"status"`, `"stat":"x","status"`, 1), `unknown field "stat"`},
		{"trailing data wins over an unknown field", strings.Replace(valid, `"status"`, `"stat":"x","status"`, 1) + ` {}`, "after the top-level object"},
		{"a wrong type", strings.Replace(valid, `"status":"active"`, `"status":1`, 1), "cannot unmarshal number"},
		{"truncated", valid[:40], "decoding JSON"},
		{"a syntax error", strings.Replace(valid, `"m"`, `m`, 1), "invalid character"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadSeed(strings.NewReader(tt.json))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// A seed holds only names the fake would take over HTTP: up to
// graph.MaxNameLength characters (code points, so 256 emoji of 4 bytes
// each fit), valid UTF-8; one character more names the group.
func TestSeedNamesFollowTheSpecsLimit(t *testing.T) {
	longest := strings.Repeat("😀", graph.MaxNameLength)
	seed := DefaultSeed()
	seed.ConnectorGroups[1].Name = longest
	s, err := New(seed)
	require.NoError(t, err, "a name of exactly the limit is valid")
	g, err := s.Group(seed.ConnectorGroups[1].ID)
	require.NoError(t, err)
	assert.Equal(t, longest, g.Name)

	for _, tt := range []struct{ name, want string }{
		{longest + "x", "name is 257 characters long; at most 256 are allowed"},
		{"G\xff", "name is not valid UTF-8"},
		{"\xed\xa0\x80", "name is not valid UTF-8"}, // U+D800 as CESU-8: no Go string of text holds it
	} {
		seed := DefaultSeed()
		seed.ConnectorGroups[1].Name = tt.name
		_, err := New(seed)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `connectorGroups[1] (id "`+seed.ConnectorGroups[1].ID+`"): `+tt.want)
	}
}
