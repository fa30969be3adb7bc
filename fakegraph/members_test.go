package fakegraph

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

const connectorsPath = ap + "/connectors"

func connectorPath(id string) string  { return connectorsPath + "/" + id }
func membersOf(groupID string) string { return groupPath(groupID) + "/members" }
func memberOfPath(id string) string   { return connectorPath(id) + "/memberOf" }

// todayRef is a link to a connector in today's form, on Graph's host.
func todayRef(connectorID string) string { return graph.ConnectorLink(graph.Beta, connectorID) }

// groupRef is a link to a connector group, on Graph's host.
func groupRef(groupID string) string {
	return graph.ConnectorGroupLinkAt(graph.ServiceRoot+"/"+graph.Beta, groupID)
}

// The three ways to put a connector into a group, as calls.
func addByDoc(groupID, connectorID string) call { return docCall(groupID, connectorID) }
func addByMembers(groupID, connectorID string) call {
	return apiCall(http.MethodPost, membersOf(groupID)+"/$ref", refBody(todayRef(connectorID)))
}
func addByMemberOf(groupID, connectorID string) call {
	return apiCall(http.MethodPost, memberOfPath(connectorID)+"/$ref", refBody(groupRef(groupID)))
}

// Every add moves: the old group no longer lists the connector, the new one
// does, and memberOf names the new one. The doc's path answers 201 with the
// connector, today's two paths 204; all share one state.
func TestAddMoves(t *testing.T) {
	ways := []struct {
		name   string
		add    func(groupID, connectorID string) call
		status int
	}{
		{"the doc's path", addByDoc, http.StatusCreated},
		{"today's members/$ref", addByMembers, http.StatusNoContent},
		{"the connector's memberOf/$ref", addByMemberOf, http.StatusNoContent},
	}
	for i, way := range ways {
		t.Run(way.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			ex := send(t, srv, way.add(emptyGroupID, docConnectorID))
			if way.status == http.StatusCreated {
				assert.Equal(t, docConnectorID, requireCreated(t, ex).Id)
			} else {
				requireSuccess(t, ex, way.status)
			}

			members := func(groupID string) []string {
				ex := send(t, srv, apiCall(http.MethodGet, membersOf(groupID), ""))
				requireSuccess(t, ex, http.StatusOK)
				return pageIDs(decodeAs[connectorPage](t, ex).Value)
			}
			assert.Equal(t, []string{docConnectorID}, members(emptyGroupID), "the new group lists it")
			assert.Equal(t, []string{inactiveConnID}, members(defaultGroupID), "the old one no longer does")
			ex = send(t, srv, apiCall(http.MethodGet, memberOfPath(docConnectorID), ""))
			requireSuccess(t, ex, http.StatusOK)
			assert.Equal(t, []string{emptyGroupID}, pageIDs(decodeAs[groupPage](t, ex).Value), "memberOf names the new group only")

			// Adding it where it is now is the duplicate, by every path.
			for _, again := range ways {
				requireGraphError(t, send(t, srv, again.add(emptyGroupID, docConnectorID)), http.StatusBadRequest, graph.CodeRequestBadRequest, graph.MsgAlreadyMember)
			}
			// And a move by another path takes it on from there.
			next := ways[(i+1)%len(ways)]
			require.Equal(t, next.status, send(t, srv, next.add(europeGroupID, docConnectorID)).status)
			g, err := s.GroupOf(docConnectorID)
			require.NoError(t, err)
			assert.Equal(t, europeGroupID, g.ID)
			assert.Equal(t, []string{europeMember, docConnectorID}, memberIDs(t, s, europeGroupID))
			assert.Empty(t, memberIDs(t, s, emptyGroupID))
		})
	}
}

func TestListConnectorGroupMembers(t *testing.T) {
	_, srv := newServer(t, nil)
	ex := send(t, srv, apiCall(http.MethodGet, membersOf(defaultGroupID), ""))
	requireSuccess(t, ex, http.StatusOK)
	page := decodeAs[connectorPage](t, ex)
	require.NotNil(t, page.OdataContext)
	assert.Equal(t, graph.MembersContext(graph.Beta, defaultGroupID), *page.OdataContext)
	assert.Nil(t, page.OdataNextLink)
	assert.Equal(t, []string{inactiveConnID, docConnectorID}, pageIDs(page.Value), "the connectors the seed placed nowhere, sorted by id")
	assert.Nil(t, page.Value[0].OdataContext)
	assert.Equal(t, api.ConnectorStatusInactive, page.Value[0].Status)

	ex = send(t, srv, apiCall(http.MethodGet, membersOf(emptyGroupID), ""))
	requireSuccess(t, ex, http.StatusOK)
	assert.JSONEq(t, `{"@odata.context":"`+graph.MembersContext(graph.Beta, emptyGroupID)+`","value":[]}`, string(ex.body), "an empty list is [], not null")

	requireGraphError(t, send(t, srv, apiCall(http.MethodGet, membersOf("nope"), "")), http.StatusNotFound, graph.CodeResourceNotFound, sprintf(notFound, "nope"))
}

func TestAddConnectorGroupMemberRefusals(t *testing.T) {
	tests := []struct {
		name    string
		call    call
		status  int
		code    string
		message string
	}{
		{"unknown group", addByMembers("nope", docConnectorID), 404, graph.CodeResourceNotFound, sprintf(notFound, "nope")},
		{"unknown connector", addByMembers(emptyGroupID, "nope"), 404, graph.CodeResourceNotFound, sprintf(notFound, "nope")},
		{"a group link, not a connector's", apiCall(http.MethodPost, membersOf(emptyGroupID)+"/$ref", refBody(groupRef(europeGroupID))), 400, graph.CodeBadRequest, graph.MsgInvalidURL},
		{"the doc's link form works too", apiCall(http.MethodPost, membersOf(emptyGroupID)+"/$ref", refBody(docRef(docConnectorID))), 204, "", ""},
		{"no body", apiCall(http.MethodPost, membersOf(emptyGroupID)+"/$ref", ""), 400, graph.CodeBadRequest, msgEmptyPayload},
		{"already there", addByMembers(europeGroupID, europeMember), 400, graph.CodeRequestBadRequest, graph.MsgAlreadyMember},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			before := s.Snapshot()
			ex := send(t, srv, tt.call)
			if tt.status == http.StatusNoContent {
				requireSuccess(t, ex, tt.status)
				return
			}
			requireGraphError(t, ex, tt.status, tt.code, tt.message)
			assert.Equal(t, before, s.Snapshot())
		})
	}
}

func TestListConnectors(t *testing.T) {
	_, srv := newServer(t, nil)
	ex := send(t, srv, apiCall(http.MethodGet, connectorsPath, ""))
	requireSuccess(t, ex, http.StatusOK)
	page := decodeAs[connectorPage](t, ex)
	require.NotNil(t, page.OdataContext)
	assert.Equal(t, graph.ConnectorsContext(graph.Beta), *page.OdataContext)
	assert.Nil(t, page.OdataNextLink)
	assert.Equal(t, []string{inactiveConnID, europeMember, docConnectorID}, pageIDs(page.Value), "sorted by id")
}

func TestGetConnector(t *testing.T) {
	_, srv := newServer(t, nil)
	ex := send(t, srv, apiCall(http.MethodGet, connectorPath(docConnectorID), ""))
	requireSuccess(t, ex, http.StatusOK)
	c := decodeAs[api.Connector](t, ex)
	context, version := graph.ApplicationProxyConnectorEntityContext(graph.Beta), "1.5.3437.0"
	assert.Equal(t, api.Connector{OdataContext: &context, Id: docConnectorID, MachineName: "CONNECTOR-01.contoso.com", ExternalIp: "203.0.113.10", Status: api.ConnectorStatusActive, Version: &version}, c)
	requireGraphError(t, send(t, srv, apiCall(http.MethodGet, connectorPath("nope"), "")), http.StatusNotFound, graph.CodeResourceNotFound, sprintf(notFound, "nope"))
}

func TestListConnectorMemberOf(t *testing.T) {
	_, srv := newServer(t, nil)
	for connector, group := range map[string]string{docConnectorID: defaultGroupID, inactiveConnID: defaultGroupID, europeMember: europeGroupID} {
		ex := send(t, srv, apiCall(http.MethodGet, memberOfPath(connector), ""))
		requireSuccess(t, ex, http.StatusOK)
		page := decodeAs[groupPage](t, ex)
		require.NotNil(t, page.OdataContext)
		assert.Equal(t, graph.MemberOfContext(graph.Beta, connector), *page.OdataContext)
		assert.Nil(t, page.OdataNextLink)
		assert.Equal(t, []string{group}, pageIDs(page.Value), "exactly one group")
	}
	requireGraphError(t, send(t, srv, apiCall(http.MethodGet, memberOfPath("nope"), "")), http.StatusNotFound, graph.CodeResourceNotFound, sprintf(notFound, "nope"))
}

func TestAddConnectorMemberOfRefusals(t *testing.T) {
	path := memberOfPath(docConnectorID) + "/$ref"
	tests := []struct {
		name    string
		call    call
		status  int
		code    string
		message string
	}{
		{"a link of the right shape that names no group", addByMemberOf("nope", docConnectorID), 404, graph.CodeResourceNotFound, sprintf(notFound, "nope")},
		{"an unknown connector", addByMemberOf(emptyGroupID, "nope"), 404, graph.CodeResourceNotFound, sprintf(notFound, "nope")},
		{"unknown both: the path's connector first", addByMemberOf("no-group", "no-connector"), 404, graph.CodeResourceNotFound, sprintf(notFound, "no-connector")},
		{"a connector's link", apiCall(http.MethodPost, path, refBody(todayRef(europeMember))), 400, graph.CodeBadRequest, graph.MsgInvalidURL},
		{"the doc's root connectorGroups form", apiCall(http.MethodPost, path, refBody(graph.ServiceRoot+"/beta/connectorGroups/"+emptyGroupID)), 400, graph.CodeBadRequest, graph.MsgInvalidURL},
		{"a bare id", apiCall(http.MethodPost, path, refBody(emptyGroupID)), 400, graph.CodeBadRequest, graph.MsgInvalidURL},
		{"not a string", apiCall(http.MethodPost, path, `{"@odata.id":1}`), 400, graph.CodeBadRequest, graph.MsgInvalidURL},
		{"no @odata.id", apiCall(http.MethodPost, path, `{}`), 400, graph.CodeBadRequest, ""},
		{"the group it is in", addByMemberOf(defaultGroupID, docConnectorID), 400, graph.CodeRequestBadRequest, graph.MsgAlreadyMember},
		{"a link on any host, v1.0 included", apiCall(http.MethodPost, path, refBody("http://127.0.0.1:1/v1.0/onPremisesPublishingProfiles/applicationProxy/connectorGroups/"+emptyGroupID)), 204, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			before := s.Snapshot()
			ex := send(t, srv, tt.call)
			if tt.status == http.StatusNoContent {
				requireSuccess(t, ex, tt.status)
				g, err := s.GroupOf(docConnectorID)
				require.NoError(t, err)
				assert.Equal(t, emptyGroupID, g.ID)
				return
			}
			requireGraphError(t, ex, tt.status, tt.code, tt.message)
			assert.Equal(t, before, s.Snapshot())
		})
	}
}
