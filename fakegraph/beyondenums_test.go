package fakegraph

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// beyondEnumsSeed is a tenant as real ones answer: its default group in
// "japan", and two syncFabric groups (testdata/seeds/README.md).
const beyondEnumsSeed = "../testdata/seeds/beyond-enums.json"

// Ids of beyondEnumsSeed.
const (
	japanDefaultID = "a1ab5519-2c4d-4e6f-8a0b-1c2d3e4f5a6b"
	syncFabricID   = "5e725447-9a1b-4c2d-8e3f-4a5b6c7d8e9f"
	syncConnector  = "1a7e9b3c-64d2-4f80-b5a1-d09c8e2f7b46"
)

// Values the published enums lack are seeded and served as they are, in
// every answer that carries a group, and the response check, which holds
// every answer to the spec, finds nothing wrong with them.
func TestValuesBeyondThePublishedEnumsAreServedUnchanged(t *testing.T) {
	seed, err := LoadSeedFile(beyondEnumsSeed)
	require.NoError(t, err)
	s, srv := newServer(t, seed, WithResponseValidation())

	type wire struct {
		ID                 string  `json:"id"`
		ConnectorGroupType string  `json:"connectorGroupType"`
		IsDefault          bool    `json:"isDefault"`
		Region             *string `json:"region"`
	}
	var list struct{ Value []wire }
	ex := send(t, srv, apiCall(http.MethodGet, groupsPath, ""))
	requireSuccess(t, ex, http.StatusOK)
	require.NoError(t, json.Unmarshal(ex.body, &list))
	got := map[string]wire{}
	for _, g := range list.Value {
		got[g.ID] = g
	}
	for _, sg := range seed.ConnectorGroups {
		g, ok := got[sg.ID]
		require.True(t, ok, "group %s is listed", sg.ID)
		assert.Equal(t, sg.ConnectorGroupType, g.ConnectorGroupType, "the list keeps %s's type", sg.Name)
		require.NotNil(t, g.Region)
		assert.Equal(t, sg.Region, *g.Region, "the list keeps %s's region", sg.Name)
		assert.Equal(t, sg.IsDefault, g.IsDefault)

		one := send(t, srv, apiCall(http.MethodGet, groupPath(sg.ID), ""))
		requireSuccess(t, one, http.StatusOK)
		var read wire
		require.NoError(t, json.Unmarshal(one.body, &read))
		assert.Equal(t, g, read, "GET answers what the list does")
	}
	assert.Equal(t, "japan", *got[japanDefaultID].Region)
	assert.True(t, got[japanDefaultID].IsDefault, "a real tenant's default group answered japan")
	assert.Equal(t, "syncFabric", got[syncFabricID].ConnectorGroupType)

	ex = send(t, srv, apiCall(http.MethodGet, memberOfPath(syncConnector), ""))
	requireSuccess(t, ex, http.StatusOK)
	var memberOf struct{ Value []wire }
	require.NoError(t, json.Unmarshal(ex.body, &memberOf))
	require.Len(t, memberOf.Value, 1)
	assert.Equal(t, got[syncFabricID], memberOf.Value[0], "memberOf too")

	// A rename leaves them as they are, and so does a seed made of the
	// state.
	requireSuccess(t, send(t, srv, apiCall(http.MethodPatch, groupPath(japanDefaultID), `{"name":"Tokyo"}`)), http.StatusNoContent)
	g, err := s.Group(japanDefaultID)
	require.NoError(t, err)
	assert.Equal(t, "japan", g.Region)
	again, err := New(s.StateAsSeed())
	require.NoError(t, err)
	assert.Equal(t, s.Snapshot(), again.Snapshot())

	assert.Empty(t, s.ResponseViolations(), "japan and syncFabric break no response schema")
}
