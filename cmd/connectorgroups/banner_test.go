package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// bigSeed has the given numbers of connectors, groups and tokens; the first
// group is the default and lists the first members connectors as members
// (the others start in it too, as no group lists them).
func bigSeed(t *testing.T, connectors, groups, members, tokens int) *fakegraph.Seed {
	t.Helper()
	s := &fakegraph.Seed{Tokens: map[string][]string{}}
	for i := range connectors {
		s.Connectors = append(s.Connectors, fakegraph.SeedConnector{
			ID: fmt.Sprintf("c-%06d", i), MachineName: "CONNECTOR.contoso.com", ExternalIP: "192.0.2.1", Status: "active"})
	}
	for i := range groups {
		g := fakegraph.SeedConnectorGroup{ID: fmt.Sprintf("g-%05d", i), Name: "Group", ConnectorGroupType: "applicationProxy", IsDefault: i == 0, Region: "nam", Members: []string{}}
		if i == 0 {
			for _, c := range s.Connectors[:members] {
				g.Members = append(g.Members, c.ID)
			}
		}
		s.ConnectorGroups = append(s.ConnectorGroups, g)
	}
	for i := range tokens {
		s.Tokens[fmt.Sprintf("reader-%05d", i)] = []string{"Directory.Read.All"}
	}
	s.Tokens["writer"] = []string{"Directory.ReadWrite.All"}
	require.NoError(t, s.Validate())
	return s
}

// A big seed gets a summary: its banner stays small, counts what it leaves
// out, and still ends with a curl that works.
func TestBannerSummarisesBigSeeds(t *testing.T) {
	const maxBanner = 4 << 10
	tests := []struct {
		name  string
		seed  *fakegraph.Seed
		want  []string
		curl  string // group/connector in the curl; "" for none
		avoid []string
	}{
		{"a group of 100k members", bigSeed(t, 100_001, 2, 100_000, 0),
			[]string{"members: c-000000, c-000001, c-000002 … and 99998 more\n", "  c-000009  CONNECTOR.contoso.com", "  … and 99991 more\n", "members: none\n"},
			"g-00001/members/\\$ref -H 'Authorization: Bearer writer' -H 'Content-Type: application/json' -d '{\"@odata.id\":\"https://graph.microsoft.com/beta/connector/c-000000\"}'",
			[]string{"c-000010"}},
		{"100k connectors no group lists", bigSeed(t, 100_000, 2, 0, 0),
			[]string{"members: c-000000, c-000001, c-000002 … and 99997 more\n", "members: none\n", "  … and 99990 more\n"},
			"g-00001/members/\\$ref", []string{"c-000010"}},
		{"many groups", bigSeed(t, 20, 5_000, 20, 0),
			[]string{"  g-00009  ", "  … and 4990 more\n", "  … and 10 more\n"},
			"g-00001/members/\\$ref -H 'Authorization: Bearer writer' -H 'Content-Type: application/json' -d '{\"@odata.id\":\"https://graph.microsoft.com/beta/connector/c-000000\"}'",
			[]string{"g-00010"}},
		{"many tokens, the curl's listed", bigSeed(t, 1, 2, 0, 50_000),
			[]string{"  reader-00009 ", "  writer         Directory.ReadWrite.All                  every operation\n", "  … and 49990 more\n"},
			"g-00001/members/\\$ref -H 'Authorization: Bearer writer'", []string{"reader-00010"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			printBanner(&b, "http://127.0.0.1:8080/beta", tt.seed, false, fakegraph.Faults{}, fakegraph.AnswersSeen)
			out := b.String()
			assert.LessOrEqual(t, b.Len(), maxBanner, "banner size; banner:\n%s", out)
			for _, w := range tt.want {
				assert.Contains(t, out, w)
			}
			for _, a := range tt.avoid {
				assert.NotContains(t, out, a, "listed beyond the summary")
			}
			assert.Contains(t, out, "curl -i -X POST http://127.0.0.1:8080/beta/connectorGroups/"+tt.curl)
			assert.True(t, strings.HasSuffix(out, "\nPress Ctrl-C to stop.\n"))
		})
	}
}

// A small seed is listed whole, with nothing counted.
func TestBannerListsASmallSeedWhole(t *testing.T) {
	seed := bigSeed(t, bannerListMax, bannerListMax, bannerMembersMax, bannerListMax-1)
	for i, c := range seed.Connectors[bannerMembersMax:] { // one each in the other groups
		seed.ConnectorGroups[1+i%(bannerListMax-1)].Members = append(seed.ConnectorGroups[1+i%(bannerListMax-1)].Members, c.ID)
	}
	require.NoError(t, seed.Validate())
	var b bytes.Buffer
	printBanner(&b, "http://127.0.0.1:8080/beta", seed, false, fakegraph.Faults{}, fakegraph.AnswersSeen)
	out := b.String()
	assert.NotContains(t, out, "more")
	for _, c := range seed.Connectors {
		assert.Contains(t, out, "  "+c.ID+"  ")
	}
	for _, g := range seed.ConnectorGroups {
		assert.Contains(t, out, "  "+g.ID+"  ")
	}
	for tok := range seed.Tokens {
		assert.Contains(t, out, "  "+tok+" ")
	}
	assert.Contains(t, out, "members: c-000000, c-000001, c-000002\n")
}

func TestFirstMove(t *testing.T) {
	conns := func(ids ...string) []fakegraph.SeedConnector {
		var cs []fakegraph.SeedConnector
		for _, id := range ids {
			cs = append(cs, fakegraph.SeedConnector{ID: id})
		}
		return cs
	}
	group := func(id string, isDefault bool, members ...string) fakegraph.SeedConnectorGroup {
		return fakegraph.SeedConnectorGroup{ID: id, IsDefault: isDefault, Members: members}
	}
	tests := []struct {
		name                string
		seed                fakegraph.Seed
		wantGroup, wantConn string
	}{
		{"the first connector's group is skipped", fakegraph.Seed{Connectors: conns("a", "b"), ConnectorGroups: []fakegraph.SeedConnectorGroup{group("g1", true, "a"), group("g2", false)}}, "g2", "a"},
		{"a group before the first connector's", fakegraph.Seed{Connectors: conns("a", "b"), ConnectorGroups: []fakegraph.SeedConnectorGroup{group("g1", true, "b"), group("g2", false, "a")}}, "g1", "a"},
		{"placed in the default group by the rule", fakegraph.Seed{Connectors: conns("a"), ConnectorGroups: []fakegraph.SeedConnectorGroup{group("g1", true), group("g2", false)}}, "g2", "a"},
		{"one group holds every connector", fakegraph.Seed{Connectors: conns("a", "b"), ConnectorGroups: []fakegraph.SeedConnectorGroup{group("g1", true, "b")}}, "", ""},
		{"no connector", fakegraph.Seed{ConnectorGroups: []fakegraph.SeedConnectorGroup{group("g1", true), group("g2", false)}}, "", ""},
		{"the default seed", *fakegraph.DefaultSeed(), "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21", "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, c := firstMove(tt.seed.Connectors, tt.seed.Placed())
			assert.Equal(t, tt.wantGroup, g, "group")
			assert.Equal(t, tt.wantConn, c, "connector")
		})
	}
}

// The banner's curl works as pasted, whatever the seed's ids hold: it is
// built from internal/graph's link and shell-quoted, not formatted by hand.
func TestBannerCurlWorksForOddIDs(t *testing.T) {
	seedFile := filepath.Join(t.TempDir(), "seed.json")
	require.NoError(t, os.WriteFile(seedFile, []byte(`{
  "connectors": [{"id": "c?1#x'y", "machineName": "M", "externalIp": "192.0.2.1", "status": "active"}],
  "connectorGroups": [{"id": "g'0", "name": "D", "connectorGroupType": "applicationProxy", "isDefault": true, "region": "nam", "members": []},
    {"id": "g'1&%", "name": "G", "connectorGroupType": "applicationProxy", "region": "nam", "members": []}],
  "tokens": {"dev-token": ["Directory.ReadWrite.All"]}
}`), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	exited, stdout, _ := startServe(t, ctx, "-addr", "127.0.0.1:0", "-quiet", "-seed", seedFile)
	t.Cleanup(func() { cancel(); waitExit(t, exited) })
	line := waitFor(t, stdout, exited, regexp.MustCompile(`(?m)^  (curl .*)$`))[1]
	// As pasted into a shell.
	sh := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-c", line)
	sh.Env = []string{"PATH=" + curlPath(t), "HOME=" + t.TempDir()}
	var errOut strings.Builder
	sh.Stderr = &errOut // curl's progress meter
	raw, err := sh.Output()
	require.NoError(t, err, "%s", errOut.String())
	out := strings.ReplaceAll(string(raw), "\r\n", "\n")
	require.True(t, strings.HasPrefix(out, "HTTP/1.1 201 Created\n"), "the banner's %s got:\n%s", line, out)
	assert.Contains(t, out, `"id":"c?1#x'y"`)
}

// The banner's last hint says why no add can be tried, when none can.
func TestBannerSaysWhyNoAddCanSucceed(t *testing.T) {
	group := func(id string, isDefault bool, members ...string) fakegraph.SeedConnectorGroup {
		return fakegraph.SeedConnectorGroup{ID: id, Name: id, ConnectorGroupType: "applicationProxy", IsDefault: isDefault, Region: "nam", Members: members}
	}
	conn := fakegraph.SeedConnector{ID: "c-1", MachineName: "m", ExternalIP: "192.0.2.1", Status: "active"}
	writer := map[string][]string{"t": {"Directory.ReadWrite.All"}}
	tests := []struct {
		name string
		seed fakegraph.Seed
		want string
	}{
		{"no connectors", fakegraph.Seed{ConnectorGroups: []fakegraph.SeedConnectorGroup{group("g1", true), group("g2", false)}, Tokens: writer},
			"No connectors are seeded, so no add can succeed"},
		{"one group holds them all", fakegraph.Seed{Connectors: []fakegraph.SeedConnector{conn}, ConnectorGroups: []fakegraph.SeedConnectorGroup{group("g1", true)}, Tokens: writer},
			"There is one group and every connector is in it"},
		{"no token can add", fakegraph.Seed{Connectors: []fakegraph.SeedConnector{conn}, ConnectorGroups: []fakegraph.SeedConnectorGroup{group("g1", true), group("g2", false)}, Tokens: map[string][]string{"r": {"Directory.Read.All"}}},
			"No seeded token can add members"},
		{"the doc's example", fakegraph.Seed{Connectors: []fakegraph.SeedConnector{conn}, ConnectorGroups: []fakegraph.SeedConnectorGroup{group("g1", true), group("g2", false)}, Tokens: writer},
			"Try the doc's example:\n  curl -i -X POST http://127.0.0.1:8080/beta/connectorGroups/g2/members/\\$ref "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, tt.seed.Validate())
			var b bytes.Buffer
			printBanner(&b, "http://127.0.0.1:8080/beta", &tt.seed, false, fakegraph.Faults{}, fakegraph.AnswersSeen)
			assert.Contains(t, b.String(), tt.want)
		})
	}
}

// The banner lists the seed's applications, each with the group it
// reports, and counts what it leaves out; a seed without applications
// prints no such section.
func TestBannerListsApplications(t *testing.T) {
	seed := bigSeed(t, 1, 2, 0, 0)
	var b bytes.Buffer
	printBanner(&b, "http://127.0.0.1:8080/beta", seed, false, fakegraph.Faults{}, fakegraph.AnswersSeen)
	assert.NotContains(t, b.String(), "Applications:")

	published := json.RawMessage(`{"externalUrl":"https://a/"}`)
	seed.Applications = []fakegraph.SeedApplication{
		{ID: "a-assigned", AppID: "p-0", DisplayName: "Assigned", OnPremisesPublishing: published, ConnectorGroup: "g-00001"},
		{ID: "a-unassigned", AppID: "p-1", DisplayName: "Unassigned", OnPremisesPublishing: published},
		{ID: "a-unpublished", AppID: "p-2", DisplayName: "Unpublished"},
	}
	for i := range 20 {
		seed.Applications = append(seed.Applications, fakegraph.SeedApplication{ID: fmt.Sprintf("a-%03d", i), AppID: fmt.Sprintf("q-%03d", i), DisplayName: "More"})
	}
	require.NoError(t, seed.Validate())
	b.Reset()
	printBanner(&b, "http://127.0.0.1:8080/beta", seed, false, fakegraph.Faults{}, fakegraph.AnswersSeen)
	out := b.String()
	for _, want := range []string{
		"\nApplications:\n",
		`  a-assigned  "Assigned"  group: g-00001` + "\n",
		`  a-unassigned  "Unassigned"  group: g-00000 (the default; not assigned)` + "\n",
		`  a-unpublished  "Unpublished"  on-premises publishing off: no group` + "\n",
		"  a-006  ",
		"  … and 13 more\n",
	} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "a-007", "listed beyond the summary")
}
