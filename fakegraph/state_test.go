package fakegraph

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/gen/api"
)

func TestStateAPIReads(t *testing.T) {
	s, _ := newServer(t, nil)

	g, err := s.GroupOf(docConnectorID)
	require.NoError(t, err)
	assert.Equal(t, ConnectorGroup{ID: defaultGroupID, Name: "Default", ConnectorGroupType: "applicationProxy", IsDefault: true, Region: "nam",
		Members: []string{inactiveConnID, docConnectorID}}, g)
	_, err = s.GroupOf("nope")
	assert.ErrorIs(t, err, ErrConnectorNotFound)

	members, err := s.Members(europeGroupID)
	require.NoError(t, err)
	assert.Equal(t, []Connector{{ID: europeMember, MachineName: "CONNECTOR-02.contoso.com", ExternalIP: "203.0.113.11", Status: "active", Version: "1.5.3437.0"}}, members)
	members, err = s.Members(emptyGroupID)
	require.NoError(t, err)
	assert.Empty(t, members)
	_, err = s.Members("nope")
	assert.ErrorIs(t, err, ErrGroupNotFound)

	snap := s.Snapshot()
	assert.Equal(t, s.Groups(), snap.Groups)
	assert.Equal(t, s.Connectors(), snap.Connectors)
	assert.Equal(t, snap, s.Snapshot(), "two snapshots of one state are equal")
}

func TestSnapshotSharesNothing(t *testing.T) {
	s, _ := newServer(t, nil)
	snap := s.Snapshot()
	snap.Groups[0].Members[0] = "changed"
	snap.Groups[0].Name = "changed"
	snap.Connectors[0].MachineName = "changed"
	assert.NotEqual(t, snap, s.Snapshot())
	again := s.Snapshot()
	assert.Equal(t, inactiveConnID, again.Groups[0].Members[0])
	assert.Equal(t, "Default", again.Groups[0].Name)
}

// A change through the state API is what HTTP sees, and the reverse; a
// snapshot before and after says exactly what changed.
func TestStateAPIAndHTTPShareOneState(t *testing.T) {
	s, srv := newServer(t, nil)
	before := s.Snapshot()

	c, err := s.MoveConnector(emptyGroupID, docConnectorID)
	require.NoError(t, err)
	assert.Equal(t, docConnectorID, c.ID)
	_, err = s.MoveConnector(emptyGroupID, docConnectorID)
	assert.ErrorIs(t, err, ErrAlreadyMember, "moving it where it is")
	requireGraphError(t, send(t, srv, addByMembers(emptyGroupID, docConnectorID)), http.StatusBadRequest, "Request_BadRequest", "")
	ex := send(t, srv, apiCall(http.MethodGet, memberOfPath(docConnectorID), ""))
	assert.Equal(t, []string{emptyGroupID}, pageIDs(decodeAs[groupPage](t, ex).Value))

	requireSuccess(t, send(t, srv, addByMemberOf(europeGroupID, inactiveConnID)), http.StatusNoContent)
	g, err := s.GroupOf(inactiveConnID)
	require.NoError(t, err)
	assert.Equal(t, europeGroupID, g.ID)

	created := decodeAs[api.ConnectorGroup](t, send(t, srv, apiCall(http.MethodPost, groupsPath, `{"name":"Made"}`)))
	requireGraphError(t, send(t, srv, apiCall(http.MethodDelete, groupPath(emptyGroupID), "")), http.StatusBadRequest, "Request_BadRequest", "") // holds docConnectorID now
	_, err = s.Group(created.Id)
	require.NoError(t, err)

	after := s.Snapshot()
	want := Snapshot{Groups: []ConnectorGroup{
		{ID: defaultGroupID, Name: "Default", ConnectorGroupType: "applicationProxy", IsDefault: true, Region: "nam", Members: []string{}},
		{ID: emptyGroupID, Name: "North America", ConnectorGroupType: "applicationProxy", Region: "nam", Members: []string{docConnectorID}},
		{ID: europeGroupID, Name: "Europe", ConnectorGroupType: "applicationProxy", Region: "eur", Members: []string{inactiveConnID, europeMember}},
	}, Connectors: before.Connectors, Applications: before.Applications}
	want.Groups = append(want.Groups, ConnectorGroup{ID: created.Id, Name: "Made", ConnectorGroupType: "applicationProxy", Members: []string{}})
	slices.SortFunc(want.Groups, func(a, b ConnectorGroup) int { return strings.Compare(a.ID, b.ID) })
	assert.Equal(t, want, after)

	// Reset goes back to the seed, however often: the created group gone,
	// every connector where the seed placed it.
	for range 2 {
		s.Reset()
		assert.Equal(t, before, s.Snapshot())
		requireCreated(t, send(t, srv, docCall(emptyGroupID, docConnectorID)))
	}
}

// Reset brings back a group deleted since.
func TestResetRestoresDeletedGroups(t *testing.T) {
	s, srv := newServer(t, nil)
	before := s.Snapshot()
	requireSuccess(t, send(t, srv, apiCall(http.MethodDelete, groupPath(emptyGroupID), "")), http.StatusNoContent)
	requireSuccess(t, send(t, srv, apiCall(http.MethodPatch, groupPath(europeGroupID), `{"name":"EU"}`)), http.StatusNoContent)
	assert.NotEqual(t, before, s.Snapshot())
	s.Reset()
	assert.Equal(t, before, s.Snapshot())
	requireSuccess(t, send(t, srv, apiCall(http.MethodGet, groupPath(emptyGroupID), "")), http.StatusOK)
}
