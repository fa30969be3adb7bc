package contract_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// testdata/seeds/beyond-enums.json: a tenant as real ones answer, its
// default group in "japan", two groups of type "syncFabric".
const beyondEnumsSeed = "../testdata/seeds/beyond-enums.json"

// Its ids: an applicationProxy group that is not the default, and a
// connector in the default group.
const (
	osakaGroup     = "7d3f1e29-8b4a-4c6d-9e0f-2a1b3c4d5e6f"
	tokyoConnector = "5f0c2a71-3d8e-4b69-a1c4-7e2b9d0f6a13"
	japanDefault   = "a1ab5519-2c4d-4e6f-8a0b-1c2d3e4f5a6b"
	syncFabric     = "5e725447-9a1b-4c2d-8e3f-4a5b6c7d8e9f"
	syncFabricDflt = "3f35a33e-6b7c-4d8e-9f0a-1b2c3d4e5f60"
)

func loadBeyondEnums(t *testing.T) *fakegraph.Seed {
	t.Helper()
	seed, err := fakegraph.LoadSeedFile(beyondEnumsSeed)
	require.NoError(t, err)
	return seed
}

// beyondEnumsTarget is fakeTarget on the beyond-enums seed.
func beyondEnumsTarget(srv *httptest.Server) contract.Target {
	t := fakeTarget(srv)
	t.Group, t.Connector = osakaGroup, tokyoConnector
	return t
}

// verify takes both answers of a create and an update: the live
// service's (200, 204) and the doc pages' (201, 200 with the group). The
// fake gives either, so every check passes against each.
func TestVerifyPassesWithEitherAnswers(t *testing.T) {
	for _, tt := range []struct {
		answers      fakegraph.Answers
		create, upd  string
		createStatus int
	}{
		{fakegraph.AnswersSeen, "(200)", "PATCH 204", http.StatusOK},
		{fakegraph.AnswersDocumented, "(201)", "PATCH 200", http.StatusCreated},
	} {
		t.Run(tt.answers.String(), func(t *testing.T) {
			srv, fake := startFakeWithState(t, func(*fakegraph.Server) func(http.Handler) http.Handler { return nil },
				fakegraph.WithAnswers(tt.answers), fakegraph.WithResponseValidation())
			before := fake.Snapshot()

			rep := runChecks(t, fakeTarget(srv))

			require.Zero(t, rep.Failed, "report: %+v", rep.Results)
			require.Zero(t, rep.Skipped)
			created, _ := rep.Result(contract.CheckStatefulCreate)
			assert.Contains(t, created.Detail, tt.create, "the fake answered as asked")
			updated, _ := rep.Result(contract.CheckStatefulUpdate)
			assert.Contains(t, updated.Detail, tt.upd)
			ignored, _ := rep.Result(contract.CheckStatefulSystemSet)
			assert.Equal(t, tt.createStatus, ignored.Evidence[0].Status)
			assert.Empty(t, fake.ResponseViolations())
			assert.Equal(t, before, fake.Snapshot(), "the run leaves the fake as it found it")
		})
	}
}

// verify passes against a tenant whose groups carry values the published
// enums lack, as real tenants' do, in either answers; the fake's own
// response check finds nothing wrong with them; and read_acceptance reads
// those groups back by id.
func TestVerifyPassesAgainstATenantBeyondThePublishedEnums(t *testing.T) {
	for _, answers := range []fakegraph.Answers{fakegraph.AnswersSeen, fakegraph.AnswersDocumented} {
		t.Run(answers.String(), func(t *testing.T) {
			srv, fake := startFakeOn(t, loadBeyondEnums(t), func(*fakegraph.Server) func(http.Handler) http.Handler { return nil },
				fakegraph.WithAnswers(answers), fakegraph.WithResponseValidation())
			before := fake.Snapshot()

			rep := runChecks(t, beyondEnumsTarget(srv))

			require.Zero(t, rep.Failed, "report: %+v", rep.Results)
			require.Zero(t, rep.Skipped)
			assert.Empty(t, fake.ResponseViolations(), "japan and syncFabric break no response schema")
			assert.Equal(t, before, fake.Snapshot(), "the run leaves the fake as it found it")

			reads, _ := rep.Result(contract.CheckReads)
			var readBack []string
			for _, e := range reads.Evidence {
				if strings.HasPrefix(e.Note, "get listed group ") {
					readBack = append(readBack, strings.TrimPrefix(e.Note, "get listed group "))
				}
			}
			assert.Equal(t, []string{syncFabricDflt, syncFabric, osakaGroup, japanDefault}, readBack,
				"every group here has a value beyond the published enums, so each is read back, in list order")
		})
	}
}

// A group's region beyond the published enum, wherever the group is
// sent, is no violation: the spec's response schema carries a string.
// Every check passes, and the client keeps the value.
func TestARegionBeyondThePublishedEnumIsNoViolation(t *testing.T) {
	srv := startFake(t, japanRegion)

	rep := runChecks(t, fakeTarget(srv))

	assert.Empty(t, rep.FailedChecks(), "report: %+v", rep.Results)
	schema, _ := rep.Result(contract.CheckResponseSchema)
	assert.Equal(t, contract.StatusPass, schema.Status)
}
