package desired

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// The default seed's ids (fakegraph/defaultseed.json).
const (
	defaultGroup = "0c5e7a93-6d2f-4b18-9e40-a3f1c8d2b765"
	northAmerica = "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21"
	europe       = "9e7c3a58-2b1d-4f60-8a94-c5e0d7b2f316"
	connector01  = "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"
	connector02  = "6c0e2b7d-91a4-4f38-b5d2-0a7e3c9f1e64"
	connector03  = "0b9d4e21-5a7c-4c86-9e3f-d1a2b6c8f057"
	expenses     = "5f0e2a71-3b9c-4d84-a6e1-8c2d7f4b9a10" // in Europe
	intranet     = "3d8b6f0a-c2e4-4a91-b7d5-1e6f9c3a2b84" // assigned to none: reports the default
	payroll      = "b7d4c9e2-1f6a-4e35-8b07-3a9c5e2d1f48" // no on-premises publishing
)

// fake serves seed (nil: the default seed) and returns a client for it.
func fake(t *testing.T, seed *fakegraph.Seed) (*fakegraph.Server, *client.Client) {
	t.Helper()
	ts := fakegraph.NewTestServer(t, seed)
	c, err := client.NewClient(client.WithBaseURL(ts.URL+"/beta"), client.WithTokenSource(client.StaticToken("dev-token")))
	require.NoError(t, err)
	return ts.Fake, c
}

func mustParse(t *testing.T, text string) *File {
	t.Helper()
	f, err := parseString(t, text)
	require.NoError(t, err)
	return f
}

func plan(t *testing.T, c *client.Client, f *File, opts Options) []string {
	t.Helper()
	p, err := NewPlan(context.Background(), c, f, opts)
	require.NoError(t, err)
	return texts(p.Changes)
}

func texts(changes []Change) []string {
	out := []string{}
	for _, ch := range changes {
		out = append(out, ch.String())
	}
	return out
}

// apply plans and applies, and checks that a second plan is empty.
func apply(t *testing.T, c *client.Client, f *File, opts Options) []string {
	t.Helper()
	p, err := NewPlan(context.Background(), c, f, opts)
	require.NoError(t, err)
	var done []Change
	require.NoError(t, p.Apply(context.Background(), c, func(ch Change) { done = append(done, ch) }))
	assert.Equal(t, texts(p.Changes), texts(done), "done is called once per change, in order")
	assert.Empty(t, plan(t, c, f, opts), "a second plan after apply")
	return texts(done)
}

func TestExportedFileRoundTrips(t *testing.T) {
	beyond, err := fakegraph.LoadSeedFile("../testdata/seeds/beyond-enums.json")
	require.NoError(t, err)
	for name, seed := range map[string]*fakegraph.Seed{"default seed": nil, "beyond enums": beyond} {
		t.Run(name, func(t *testing.T) {
			_, c := fake(t, seed)
			f, err := Export(context.Background(), c)
			require.NoError(t, err)
			var buf bytes.Buffer
			require.NoError(t, f.Encode(&buf))
			again, err := Parse("export.yaml", &buf)
			require.NoError(t, err, buf.String())
			assert.Empty(t, plan(t, c, again, Options{Prune: true}), buf.String())
		})
	}
}

func TestExportWritesTheDefaultGroupFirstWithEachRegion(t *testing.T) {
	_, c := fake(t, nil)
	f, err := Export(context.Background(), c)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, f.Encode(&buf))
	assert.Contains(t, buf.String(), `connectorGroups:
  - name: Default
    default: true
    region: nam
    connectors:
      - CONNECTOR-01.contoso.com
      - CONNECTOR-03.contoso.com
    applications:
      - 3d8b6f0a-c2e4-4a91-b7d5-1e6f9c3a2b84 # Intranet portal
  - name: Europe
    region: eur
`)
}

func TestExportRefusesGroupsThatShareAName(t *testing.T) {
	seed := fakegraph.DefaultSeed()
	seed.ConnectorGroups[2].Name = "North America"
	_, c := fake(t, seed)
	_, err := Export(context.Background(), c)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"North America" (`+northAmerica+" and "+europe+")")

	seed = fakegraph.DefaultSeed()
	seed.ConnectorGroups[2].Name = "Default" // the default group's name
	_, c = fake(t, seed)
	_, err = Export(context.Background(), c)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"Default" (`+defaultGroup+" and "+europe+")")
}

func TestPlanCreatesAGroupAndMovesIntoIt(t *testing.T) {
	_, c := fake(t, nil)
	f := mustParse(t, `connectorGroups:
  - name: Default
    default: true
    connectors: [CONNECTOR-03.contoso.com]
  - name: Tokyo pilot
    region: asia
    connectors:
      - d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30
      - CONNECTOR-02.contoso.com
    applications: [5f0e2a71-3b9c-4d84-a6e1-8c2d7f4b9a10]
`)
	assert.Equal(t, []string{
		`create group "Tokyo pilot" in region asia`,
		`move connector CONNECTOR-01.contoso.com from "Default" to "Tokyo pilot"`,
		`move connector CONNECTOR-02.contoso.com from "Europe" to "Tokyo pilot"`,
		`move application "Expenses (on-premises)" (` + expenses + `) from "Europe" to "Tokyo pilot"`,
	}, apply(t, c, f, Options{}))
}

// A region changes once the moves have emptied the group, and what the
// file moves into the group follows the change.
func TestARegionChangesBetweenTheMovesOutAndIn(t *testing.T) {
	fk, c := fake(t, nil)
	f := mustParse(t, `connectorGroups:
  - name: Europe
    region: ind
    connectors: [CONNECTOR-01.contoso.com]
  - name: North America
    connectors: [CONNECTOR-02.contoso.com]
    applications: [`+expenses+`]
`)
	assert.Equal(t, []string{
		`move connector CONNECTOR-02.contoso.com from "Europe" to "North America"`,
		`move application "Expenses (on-premises)" (` + expenses + `) from "Europe" to "North America"`,
		`change the region of "Europe" from eur to ind`,
		`move connector CONNECTOR-01.contoso.com from "Default" to "Europe"`,
	}, apply(t, c, f, Options{}))
	g, err := fk.Group(europe)
	require.NoError(t, err)
	assert.Equal(t, "ind", g.Region)
	assert.Equal(t, []string{connector01}, g.Members)
}

// A change waits for the change of the group its group's connectors move
// to; two that wait on each other are refused.
func TestRegionChangesWaitForEachOther(t *testing.T) {
	_, c := fake(t, nil)
	f := mustParse(t, `connectorGroups:
  - name: Europe
    region: null
    applications: []
  - name: North America
    region: aus
    connectors: [CONNECTOR-02.contoso.com]
    applications: [`+expenses+`]
`)
	assert.Equal(t, []string{
		`change the region of "North America" from nam to aus`,
		`move connector CONNECTOR-02.contoso.com from "Europe" to "North America"`,
		`move application "Expenses (on-premises)" (` + expenses + `) from "Europe" to "North America"`,
		`change the region of "Europe" from eur to none`,
	}, apply(t, c, f, Options{}))

	_, c = fake(t, nil)
	f = mustParse(t, `connectorGroups:
  - name: Default
    default: true
    connectors: [CONNECTOR-01.contoso.com]
  - name: Europe
    region: asia
    connectors: [CONNECTOR-03.contoso.com]
  - name: North America
    connectors: [CONNECTOR-02.contoso.com]
    applications: [`+expenses+`]
`)
	_, err := NewPlan(context.Background(), c, f, Options{})
	require.NoError(t, err, "no cycle: the default keeps its region")

	seed := fakegraph.DefaultSeed()
	seed.ConnectorGroups[1].Members = []string{connector01}
	_, c = fake(t, seed)
	f = mustParse(t, `connectorGroups:
  - name: Europe
    region: asia
    connectors: [CONNECTOR-01.contoso.com]
    applications: []
  - name: North America
    region: aus
    connectors: [CONNECTOR-02.contoso.com]
    applications: [`+expenses+`]
`)
	_, err = NewPlan(context.Background(), c, f, Options{})
	assert.Equal(t, []Problem{{3, `the region changes of group "Europe" and of the groups its connectors or applications move to wait on each other: each group must be empty before its change. Apply the moves first, then the regions`}}, problems(t, err))
}

func TestPlanRefusesARegionChangeOnAGroupThatStaysFull(t *testing.T) {
	fk, c := fake(t, nil)
	before := fk.Snapshot()
	f := mustParse(t, `connectorGroups:
  - name: Europe
    region: ind
`)
	_, err := NewPlan(context.Background(), c, f, Options{})
	ps := problems(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, 3, ps[0].Line)
	assert.Contains(t, ps[0].Message, `group "Europe" keeps its region eur: it would still hold connector CONNECTOR-02.contoso.com, application "Expenses (on-premises)" (`+expenses+`)`)
	assert.Equal(t, before, fk.Snapshot(), "a plan writes nothing")

	// The default group holds the applications assigned to none.
	f = mustParse(t, `connectorGroups:
  - name: Default
    default: true
    region: eur
    connectors: []
  - name: North America
    connectors: [CONNECTOR-01.contoso.com, CONNECTOR-03.contoso.com]
`)
	_, err = NewPlan(context.Background(), c, f, Options{})
	ps = problems(t, err)
	require.Len(t, ps, 1)
	assert.Contains(t, ps[0].Message, `it would still hold application "Intranet portal" (`+intranet+`)`)
}

// Apply looks again before it sends a region: a connector that arrived
// since the plan stops it.
func TestApplyChecksTheGroupIsEmptyBeforeItsRegion(t *testing.T) {
	fk, c := fake(t, nil)
	f := mustParse(t, `connectorGroups:
  - name: North America
    region: eur
`)
	p, err := NewPlan(context.Background(), c, f, Options{})
	require.NoError(t, err)
	require.Equal(t, []string{`change the region of "North America" from nam to eur`}, texts(p.Changes))
	_, err = fk.MoveConnector(northAmerica, connector01)
	require.NoError(t, err)

	err = p.Apply(context.Background(), c, nil)
	require.ErrorIs(t, err, ErrServiceChanged)
	var ae *ApplyError
	require.True(t, errors.As(err, &ae))
	assert.Empty(t, ae.Done)
	assert.Empty(t, ae.NotDone)
	g, err := fk.Group(northAmerica)
	require.NoError(t, err)
	assert.Equal(t, "nam", g.Region)
	assert.EqualError(t, err0(ae), `desired: apply stopped at change 1 of 1, change the region of "North America" from nam to eur: desired: the service changed since the plan was made: group "North America" holds 1 connectors and 0 applications, so its region is left as it is`)
}

func err0(e *ApplyError) error { return e }

func TestPlanRenamesTheDefaultGroupAndMatchesItByDefault(t *testing.T) {
	_, c := fake(t, nil)
	f := mustParse(t, `connectorGroups:
  - name: North America   # the default, whatever its name; the other North America is no match
    default: true
    connectors: [CONNECTOR-02.contoso.com]
`)
	assert.Equal(t, []string{
		`rename the default group "Default" to "North America"`,
		`move connector CONNECTOR-02.contoso.com from "Europe" to "North America"`,
	}, apply(t, c, f, Options{}))
}

func TestPruneSparesTheDefaultAndTheSystemsGroups(t *testing.T) {
	seed := fakegraph.DefaultSeed()
	seed.ConnectorGroups = append(seed.ConnectorGroups, fakegraph.SeedConnectorGroup{
		ID: "3f35a33e-6b7c-4d8e-9f0a-1b2c3d4e5f60", Name: "Default group for AD Sync Fabric", ConnectorGroupType: "syncFabric", Region: "eur", Members: []string{},
	})
	fk, c := fake(t, seed)
	f := mustParse(t, "connectorGroups: []\n")
	assert.Equal(t, []string{
		`move connector CONNECTOR-02.contoso.com from "Europe" to "Default"`,
		`move application "Expenses (on-premises)" (` + expenses + `) from "Europe" to "Default"`,
		`delete group "Europe"`,
		`delete group "North America"`,
	}, apply(t, c, f, Options{Prune: true}))
	var names []string
	for _, g := range fk.Groups() {
		names = append(names, g.Name)
	}
	assert.ElementsMatch(t, []string{"Default", "Default group for AD Sync Fabric"}, names)
	assert.Empty(t, plan(t, c, f, Options{}), "without prune, omitted groups are left alone")
}

func TestPlanNamesEachProblemWithTheService(t *testing.T) {
	seed := fakegraph.DefaultSeed()
	seed.ConnectorGroups[1].Name = "Twice"
	seed.ConnectorGroups[2].Name = "Twice"
	seed.Connectors[2].MachineName = seed.Connectors[1].MachineName // 02 and 03 share it
	_, c := fake(t, seed)
	f := mustParse(t, `connectorGroups:
  - name: Twice
  - name: New
    region: japan
    connectors:
      - CONNECTOR-09.contoso.com
      - CONNECTOR-02.contoso.com
      - CONNECTOR-01.contoso.com
      - D2B1F9A0-3C5E-4A7B-8F61-2E9C4D7A5B30
    applications:
      - 00000000-0000-0000-0000-000000000000
      - `+payroll+`
  - name: Default
    default: true
    region: japan
`)
	_, err := NewPlan(context.Background(), c, f, Options{})
	assert.Equal(t, []Problem{
		{2, `the name "Twice" matches 2 groups on the service (` + northAmerica + ", " + europe + `); a file matches groups by name, so rename all but one of them first`},
		{4, `group "New" cannot be given region japan: Graph sets nam, eur, aus, asia, ind, or none (null); a group keeps another region only if it has it already`},
		{6, `unknown connector "CONNECTOR-09.contoso.com": the service has no connector with this id or machineName`},
		{7, `machineName "CONNECTOR-02.contoso.com" names 2 connectors (` + connector03 + ", " + connector02 + `); list each by its id`},
		{9, `connector ` + connector01 + ` is listed twice: as "D2B1F9A0-3C5E-4A7B-8F61-2E9C4D7A5B30" here and as "CONNECTOR-01.contoso.com" at line 8`},
		{11, `unknown application "00000000-0000-0000-0000-000000000000": the service has no application with this id`},
		{12, `application "Payroll API" (` + payroll + `) has no on-premises publishing, so it cannot have a connector group; turn publishing on first`},
		{15, `group "Default" cannot be given region japan: Graph sets nam, eur, aus, asia, ind, or none (null); a group keeps another region only if it has it already`},
	}, problems(t, err))
}

// A group keeps a region Graph sends but takes no more.
func TestAGroupKeepsARegionGraphNoLongerTakes(t *testing.T) {
	beyond, err := fakegraph.LoadSeedFile("../testdata/seeds/beyond-enums.json")
	require.NoError(t, err)
	_, c := fake(t, beyond)
	f := mustParse(t, "connectorGroups:\n  - name: Osaka\n    region: japan\n")
	assert.Empty(t, plan(t, c, f, Options{}))
}

func TestPlanJSONNamesEachField(t *testing.T) {
	none := ""
	for _, tc := range []struct {
		change Change
		want   string
	}{
		{Change{Action: CreateGroup, Group: GroupRef{Name: "A"}}, `{"action":"createGroup","group":{"name":"A"}}`},
		{Change{Action: SetRegion, Group: GroupRef{ID: "g", Name: "A"}, Region: &none, OldRegion: "eur"}, `{"action":"setRegion","group":{"id":"g","name":"A"},"region":null,"oldRegion":"eur"}`},
		{Change{Action: MoveConnector, Group: GroupRef{Name: "A"}, From: &GroupRef{ID: "d", Name: "Default"}, Connector: &ConnectorRef{ID: "c"}}, `{"action":"moveConnector","group":{"name":"A"},"from":{"id":"d","name":"Default"},"connector":{"id":"c"}}`},
		{Change{Action: RenameGroup, Group: GroupRef{ID: "d", Name: "Default"}, Name: "Main"}, `{"action":"renameGroup","group":{"id":"d","name":"Default"},"name":"Main"}`},
	} {
		b, err := tc.change.MarshalJSON()
		require.NoError(t, err)
		assert.JSONEq(t, tc.want, string(b))
		assert.False(t, strings.Contains(string(b), `"region":""`))
	}
}
