package main

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// Ids of testdata/seeds/beyond-enums.json.
const (
	japanDefaultGroup = "a1ab5519-2c4d-4e6f-8a0b-1c2d3e4f5a6b"
	syncConnector     = "1a7e9b3c-64d2-4f80-b5a1-d09c8e2f7b46"
)

// What a real tenant answers beyond the published enums (region japan,
// connectorGroupType syncFabric) is printed as it came, in JSON and in
// tables; a command still sends only the published regions.
func TestCLI_ValuesBeyondThePublishedEnums(t *testing.T) {
	seed, err := fakegraph.LoadSeedFile("../../testdata/seeds/beyond-enums.json")
	require.NoError(t, err)
	s := newCLISessionOn(t, seed)

	assert.Equal(t, `ID                                    NAME                              REGION  DEFAULT  TYPE
3f35a33e-6b7c-4d8e-9f0a-1b2c3d4e5f60  Default group for AD Sync Fabric  eur     false    syncFabric
5e725447-9a1b-4c2d-8e3f-4a5b6c7d8e9f  Group-contoso-a18a3741            eur     false    syncFabric
7d3f1e29-8b4a-4c6d-9e0f-2a1b3c4d5e6f  Osaka                             japan   false    applicationProxy
a1ab5519-2c4d-4e6f-8a0b-1c2d3e4f5a6b  Default                           japan   true     applicationProxy
`, s.ok("groups", "-o", "table"))
	assert.Equal(t, `{
  "id": "a1ab5519-2c4d-4e6f-8a0b-1c2d3e4f5a6b",
  "name": "Default",
  "connectorGroupType": "applicationProxy",
  "isDefault": true,
  "region": "japan"
}
`, s.ok("group", "get", "-id", japanDefaultGroup))
	assert.Equal(t, `ID                                    NAME                    REGION  DEFAULT  TYPE
5e725447-9a1b-4c2d-8e3f-4a5b6c7d8e9f  Group-contoso-a18a3741  eur     false    syncFabric
`, s.ok("memberof", "-connector", syncConnector, "-o", "table"))
	listed := decodeJSON[[]groupJSON](t, s.ok("groups"))
	require.Len(t, listed, 4)
	assert.Equal(t, "syncFabric", listed[0].ConnectorGroupType)
	require.NotNil(t, listed[3].Region)
	assert.Equal(t, "japan", *listed[3].Region)

	// A rename of the japan group prints it as it is now, japan kept.
	renamed := decodeJSON[groupJSON](t, s.ok("group", "update", "-id", japanDefaultGroup, "-name", "Tokyo"))
	require.NotNil(t, renamed.Region)
	assert.Equal(t, "japan", *renamed.Region)

	// Requests keep to the published regions: bad usage, nothing sent.
	before := s.tr.Exchanges()
	code, stdout, stderr := s.run("group", "update", "-id", japanDefaultGroup, "-region", "japan")
	assertUsageError(t, "group update", code, stdout, stderr, `-region "japan" is not a region; the regions are nam, eur, aus, asia or ind`)
	assert.Equal(t, before, s.tr.Exchanges(), "nothing was sent")
	s.assertValidTraffic()
}

// group create and group update print the group whichever answers the
// service gives: create's body (200 or 201), update's group read back
// (after a 204, or a 200 with the group).
func TestCLI_BothAnswers(t *testing.T) {
	for _, answers := range []fakegraph.Answers{fakegraph.AnswersSeen, fakegraph.AnswersDocumented} {
		t.Run(answers.String(), func(t *testing.T) {
			s := newCLISessionOn(t, fakegraph.DefaultSeed(), fakegraph.WithAnswers(answers))
			created := decodeJSON[groupJSON](t, s.ok("group", "create", "-name", "Demo", "-region", "eur"))
			assert.Equal(t, "Demo", created.Name)
			assert.False(t, created.IsDefault)
			renamed := decodeJSON[groupJSON](t, s.ok("group", "update", "-id", created.ID, "-name", "Demo renamed"))
			assert.Equal(t, created.ID, renamed.ID)
			assert.Equal(t, "Demo renamed", renamed.Name)
			s.assertValidTraffic()
		})
	}
}

// `connectorgroups verify` passes against the fake whichever answers it
// gives, and against a tenant whose groups carry japan and syncFabric.
func TestVerifyPassesWithEitherAnswersAndBeyondThePublishedEnums(t *testing.T) {
	beyond, err := fakegraph.LoadSeedFile("../../testdata/seeds/beyond-enums.json")
	require.NoError(t, err)
	for _, tt := range []struct {
		name             string
		seed             *fakegraph.Seed
		answers          fakegraph.Answers
		group, connector string
	}{
		{"default seed, seen", fakegraph.DefaultSeed(), fakegraph.AnswersSeen, verifyGroup, verifyConnector},
		{"default seed, documented", fakegraph.DefaultSeed(), fakegraph.AnswersDocumented, verifyGroup, verifyConnector},
		{"beyond the enums, seen", beyond, fakegraph.AnswersSeen, "7d3f1e29-8b4a-4c6d-9e0f-2a1b3c4d5e6f", "5f0c2a71-3d8e-4b69-a1c4-7e2b9d0f6a13"},
		{"beyond the enums, documented", beyond, fakegraph.AnswersDocumented, "7d3f1e29-8b4a-4c6d-9e0f-2a1b3c4d5e6f", "5f0c2a71-3d8e-4b69-a1c4-7e2b9d0f6a13"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakegraph.NewTestServer(t, tt.seed, fakegraph.WithAnswers(tt.answers), fakegraph.WithResponseValidation())
			before := srv.Fake.Snapshot()
			code, out, stderr := runVerifyCmd(t, "-base-url", srv.URL+"/beta", "-token", "dev-token", "-reader-token", "reader-token",
				"-group", tt.group, "-connector", tt.connector,
				// Both seeds hold these two: Expenses, published, and Payroll API, not.
				"-application", "5f0e2a71-3b9c-4d84-a6e1-8c2d7f4b9a10", "-unpublished-application", "b7d4c9e2-1f6a-4e35-8b07-3a9c5e2d1f48")
			require.Equal(t, exitOK, code, "stdout:\n%s\nstderr:\n%s", out, stderr)
			assert.Equal(t, fmt.Sprintf("%d passed, 0 failed, 0 skipped", len(contract.Checks())), lastLine(out))
			assert.Empty(t, srv.Fake.ResponseViolations())
			assert.Equal(t, before, srv.Fake.Snapshot())
		})
	}
}
