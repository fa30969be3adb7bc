package fakegraph

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

const (
	groupsPath = ap + "/connectorGroups"
	notFound   = "Resource '%s' does not exist or one of its queried reference-property objects are not present."
)

func groupPath(id string) string { return groupsPath + "/" + id }

func TestListConnectorGroups(t *testing.T) {
	_, srv := newServer(t, nil)
	ex := send(t, srv, apiCall(http.MethodGet, groupsPath, ""))
	requireSuccess(t, ex, http.StatusOK)
	page := decodeAs[groupPage](t, ex)
	require.NotNil(t, page.OdataContext)
	assert.Equal(t, graph.ConnectorGroupsContext(graph.Beta), *page.OdataContext)
	assert.Nil(t, page.OdataNextLink, "three groups fit the default page")
	assert.Equal(t, []string{defaultGroupID, emptyGroupID, europeGroupID}, pageIDs(page.Value), "sorted by id")
	assert.Equal(t, api.ConnectorGroup{Id: europeGroupID, Name: "Europe", ConnectorGroupType: graph.GroupTypeApplicationProxy, Region: ptr("eur")}, page.Value[2],
		"items carry no @odata.context of their own")
	assert.True(t, page.Value[0].IsDefault)
}

func TestGetConnectorGroup(t *testing.T) {
	_, srv := newServer(t, nil)
	ex := send(t, srv, apiCall(http.MethodGet, groupPath(defaultGroupID), ""))
	requireSuccess(t, ex, http.StatusOK)
	g := decodeAs[api.ConnectorGroup](t, ex)
	context := graph.ConnectorGroupEntityContext(graph.Beta)
	assert.Equal(t, api.ConnectorGroup{OdataContext: &context, Id: defaultGroupID, Name: "Default", ConnectorGroupType: graph.GroupTypeApplicationProxy, IsDefault: true, Region: ptr("nam")}, g)

	const unknown = "00000000-0000-4000-8000-00000000dead"
	requireGraphError(t, send(t, srv, apiCall(http.MethodGet, groupPath(unknown), "")), http.StatusNotFound, graph.CodeResourceNotFound,
		"Resource '"+unknown+"' does not exist or one of its queried reference-property objects are not present.")
}

func TestCreateConnectorGroup(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantName   string
		wantRegion *string // nil: "region": null
	}{
		{"the create page's example", `{"name":"Connector Group Demo","region":"eur"}`, "Connector Group Demo", ptr("eur")},
		{"no region", `{"name":"No region"}`, "No region", nil},
		{"region null", `{"name":"Null region","region":null}`, "Null region", nil},
		{"the SDKs' @odata.type", `{"@odata.type":"#microsoft.graph.connectorGroup","name":"Typed"}`, "Typed", nil},
		{"a future region", `{"name":"Later","region":"unknownFutureValue"}`, "Later", ptr("unknownFutureValue")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			before := s.Snapshot()
			ex := send(t, srv, apiCall(http.MethodPost, groupsPath, tt.body))
			requireSuccess(t, ex, http.StatusOK) // as the live service answers; WithAnswers tests the doc's 201
			raw := decodeAs[map[string]any](t, ex)
			assert.Contains(t, raw, "region", "a nullable property is sent, null or not")
			g := decodeAs[api.ConnectorGroup](t, ex)
			assert.Regexp(t, uuidPattern, g.Id, "the system sets a fresh id")
			assert.Equal(t, tt.wantName, g.Name)
			assert.Equal(t, graph.GroupTypeApplicationProxy, g.ConnectorGroupType)
			assert.False(t, g.IsDefault)
			if tt.wantRegion == nil {
				assert.Nil(t, g.Region)
			} else if assert.NotNil(t, g.Region) {
				assert.Equal(t, *tt.wantRegion, *g.Region)
			}
			require.NotNil(t, g.OdataContext)
			assert.Equal(t, graph.ConnectorGroupEntityContext(graph.Beta), *g.OdataContext)

			// The new group is there, empty, and nothing else changed.
			after := s.Snapshot()
			require.Len(t, after.Groups, len(before.Groups)+1)
			got, err := s.Group(g.Id)
			require.NoError(t, err)
			assert.Empty(t, got.Members)
			read := send(t, srv, apiCall(http.MethodGet, groupPath(g.Id), ""))
			requireSuccess(t, read, http.StatusOK)
			assert.JSONEq(t, string(ex.body), string(read.body), "GET answers what create did")
			members := send(t, srv, apiCall(http.MethodGet, groupPath(g.Id)+"/members", ""))
			requireSuccess(t, members, http.StatusOK)
			assert.Empty(t, decodeAs[connectorPage](t, members).Value)
		})
	}
	t.Run("two creates make two groups", func(t *testing.T) {
		_, srv := newServer(t, nil)
		a := decodeAs[api.ConnectorGroup](t, send(t, srv, apiCall(http.MethodPost, groupsPath, `{"name":"Same"}`)))
		b := decodeAs[api.ConnectorGroup](t, send(t, srv, apiCall(http.MethodPost, groupsPath, `{"name":"Same"}`)))
		assert.NotEqual(t, a.Id, b.Id)
	})
}

func ptr[T any](v T) *T { return &v }

// A body may not write the system-set id, nor a property the type lacks:
// Graph's words, never the validator's. (isDefault and connectorGroupType
// are accepted and ignored: systemset_test.go.)
func TestCreateAndUpdateRefuseWhatTheSystemSets(t *testing.T) {
	readOnly := "The property '%s' is set by the system and cannot be written."
	unknown := "The property '%s' does not exist on type 'microsoft.graph.connectorGroup'. Make sure to only use property names that are defined by the type or mark the type as open type."
	tests := []struct {
		name, body, message string
	}{
		{"id", `{"name":"x","id":"00000000-0000-4000-8000-000000000001"}`, sprintf(readOnly, "id")},
		{"@odata.context", `{"name":"x","@odata.context":"y"}`, sprintf(readOnly, "@odata.context")},
		{"an unknown property", `{"name":"x","color":"blue"}`, sprintf(unknown, "color")},
		{"a property differing in case", `{"name":"x","Region":"eur"}`, sprintf(unknown, "Region")},
		{"both: the system's first", `{"name":"x","aaa":1,"id":"y"}`, sprintf(readOnly, "id")},
		{"an unknown one beside the ignored ones", `{"name":"x","isDefault":false,"connectorGroupType":"applicationProxy","color":"blue"}`, sprintf(unknown, "color")},
		{"two unknown: the first by name", `{"name":"x","zz":1,"bb":2}`, sprintf(unknown, "bb")},
		{"a system property and no name", `{"id":"x"}`, sprintf(readOnly, "id")},
	}
	for _, tt := range tests {
		for _, op := range []struct{ method, path string }{{http.MethodPost, groupsPath}, {http.MethodPatch, groupPath(emptyGroupID)}} {
			t.Run(op.method+" "+tt.name, func(t *testing.T) {
				s, srv := newServer(t, nil)
				before := s.Snapshot()
				odata := requireGraphError(t, send(t, srv, apiCall(op.method, op.path, tt.body)), http.StatusBadRequest, graph.CodeBadRequest, tt.message)
				assert.NotContains(t, odata.Error.Message, "unsupported", "no validator wording")
				assert.Equal(t, before, s.Snapshot(), "nothing created or changed")
			})
		}
	}
}

func TestCreateConnectorGroupRefusals(t *testing.T) {
	tests := []struct {
		name, contentType, body string
		status                  int
		code, message, contains string
	}{
		{"no name", "application/json", `{"region":"eur"}`, 400, "BadRequest", "", `"name" is missing`},
		{"an empty name", "application/json", `{"name":""}`, 400, "BadRequest", "", "name"},
		{"a name that is no string", "application/json", `{"name":7}`, 400, "BadRequest", "", "name"},
		{"a region outside the enum", "application/json", `{"name":"x","region":"japan"}`, 400, "BadRequest", "", "region"},
		{"no body", "application/json", ``, 400, "BadRequest", "Empty Payload. JSON content expected.", ""},
		{"not JSON", "application/json", `{"name":`, 400, "BadRequest", msgUnreadableJSON, ""},
		{"an array", "application/json", `[]`, 400, "BadRequest", "", "object"},
		{"text/plain", "text/plain", `{"name":"x"}`, 415, "UnsupportedMediaType", "The content type 'text/plain' is not supported; send application/json.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			before := s.Snapshot()
			c := apiCall(http.MethodPost, groupsPath, tt.body)
			c.contentType = tt.contentType
			odata := requireGraphError(t, send(t, srv, c), tt.status, tt.code, tt.message)
			assert.Contains(t, odata.Error.Message, tt.contains)
			assert.Equal(t, before, s.Snapshot())
		})
	}
}

func TestUpdateConnectorGroup(t *testing.T) {
	locked := "The region of connector group '%s' cannot change while it has connectors assigned."
	tests := []struct {
		name, group, body string
		status            int
		message           string
		wantName          string
		wantRegion        string // "" for null
	}{
		{"rename a group with members", europeGroupID, `{"name":"EU"}`, 204, "", "EU", "eur"},
		{"rename the default group", defaultGroupID, `{"name":"Fallback"}`, 204, "", "Fallback", "nam"},
		{"the region it has, with members", europeGroupID, `{"region":"eur"}`, 204, "", "Europe", "eur"},
		{"another region, with members", europeGroupID, `{"region":"nam"}`, 400, sprintf(locked, europeGroupID), "Europe", "eur"},
		{"a name and a locked region: neither", europeGroupID, `{"name":"EU","region":"nam"}`, 400, sprintf(locked, europeGroupID), "Europe", "eur"},
		{"clear the region, with members", europeGroupID, `{"region":null}`, 400, sprintf(locked, europeGroupID), "Europe", "eur"},
		{"another region, empty", emptyGroupID, `{"region":"aus"}`, 204, "", "North America", "aus"},
		{"clear the region, empty", emptyGroupID, `{"region":null}`, 204, "", "North America", ""},
		{"nothing", emptyGroupID, `{}`, 204, "", "North America", "nam"},
		{"the SDKs' @odata.type", emptyGroupID, `{"@odata.type":"#microsoft.graph.connectorGroup","name":"NA"}`, 204, "", "NA", "nam"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			before := s.Snapshot()
			ex := send(t, srv, apiCall(http.MethodPatch, groupPath(tt.group), tt.body))
			if tt.status == http.StatusNoContent {
				requireSuccess(t, ex, http.StatusNoContent)
			} else {
				requireGraphError(t, ex, tt.status, graph.CodeRequestBadRequest, tt.message)
				assert.Equal(t, before, s.Snapshot(), "a refused update changes nothing")
			}
			read := send(t, srv, apiCall(http.MethodGet, groupPath(tt.group), ""))
			requireSuccess(t, read, http.StatusOK)
			g := decodeAs[api.ConnectorGroup](t, read)
			assert.Equal(t, tt.wantName, g.Name)
			if tt.wantRegion == "" {
				assert.Nil(t, g.Region)
			} else if assert.NotNil(t, g.Region) {
				assert.Equal(t, tt.wantRegion, string(*g.Region))
			}
			got, err := s.Group(tt.group)
			require.NoError(t, err)
			assert.Equal(t, tt.wantRegion, got.Region, "the state API agrees")
		})
	}
	t.Run("the region unlocks once the group is empty", func(t *testing.T) {
		s, srv := newServer(t, nil)
		_, err := s.MoveConnector(defaultGroupID, europeMember)
		require.NoError(t, err)
		require.NoError(t, s.UnassignApplication(expensesAppID))
		requireSuccess(t, send(t, srv, apiCall(http.MethodPatch, groupPath(europeGroupID), `{"region":"asia"}`)), http.StatusNoContent)
		g, err := s.Group(europeGroupID)
		require.NoError(t, err)
		assert.Equal(t, "asia", g.Region)
	})
	t.Run("unknown group", func(t *testing.T) {
		_, srv := newServer(t, nil)
		requireGraphError(t, send(t, srv, apiCall(http.MethodPatch, groupPath("nope"), `{"name":"x"}`)), http.StatusNotFound, graph.CodeResourceNotFound, sprintf(notFound, "nope"))
	})
	t.Run("an empty name", func(t *testing.T) {
		s, srv := newServer(t, nil)
		before := s.Snapshot()
		requireGraphError(t, send(t, srv, apiCall(http.MethodPatch, groupPath(emptyGroupID), `{"name":""}`)), http.StatusBadRequest, graph.CodeBadRequest, "")
		assert.Equal(t, before, s.Snapshot())
	})
}

func TestDeleteConnectorGroup(t *testing.T) {
	tests := []struct {
		name, group string
		status      int
		code, msg   string
	}{
		{"an empty group", emptyGroupID, 204, "", ""},
		{"the default group", defaultGroupID, 400, graph.CodeRequestBadRequest,
			"The connector group '" + defaultGroupID + "' is the default group, which cannot be deleted."},
		{"a group with connectors", europeGroupID, 400, graph.CodeRequestBadRequest,
			"The connector group '" + europeGroupID + "' still has connectors assigned; move them to another group before deleting it."},
		{"an unknown group", "nope", 404, graph.CodeResourceNotFound, sprintf(notFound, "nope")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			before := s.Snapshot()
			ex := send(t, srv, apiCall(http.MethodDelete, groupPath(tt.group), ""))
			if tt.status != http.StatusNoContent {
				requireGraphError(t, ex, tt.status, tt.code, tt.msg)
				assert.Equal(t, before, s.Snapshot())
				return
			}
			requireSuccess(t, ex, http.StatusNoContent)
			requireGraphError(t, send(t, srv, apiCall(http.MethodGet, groupPath(tt.group), "")), http.StatusNotFound, graph.CodeResourceNotFound, sprintf(notFound, tt.group))
			requireGraphError(t, send(t, srv, apiCall(http.MethodDelete, groupPath(tt.group), "")), http.StatusNotFound, graph.CodeResourceNotFound, "")
			list := decodeAs[groupPage](t, send(t, srv, apiCall(http.MethodGet, groupsPath, "")))
			assert.NotContains(t, pageIDs(list.Value), tt.group)
			requireGraphError(t, send(t, srv, docCall(tt.group, docConnectorID)), http.StatusNotFound, graph.CodeResourceNotFound, sprintf(notFound, tt.group))
		})
	}
	t.Run("the default group, even when empty", func(t *testing.T) {
		s, srv := newServer(t, nil)
		for _, c := range []string{docConnectorID, inactiveConnID} {
			_, err := s.MoveConnector(europeGroupID, c)
			require.NoError(t, err)
		}
		requireGraphError(t, send(t, srv, apiCall(http.MethodDelete, groupPath(defaultGroupID), "")), http.StatusBadRequest, graph.CodeRequestBadRequest,
			"The connector group '"+defaultGroupID+"' is the default group, which cannot be deleted.")
	})
	t.Run("a group emptied by moves", func(t *testing.T) {
		s, srv := newServer(t, nil)
		_, err := s.MoveConnector(defaultGroupID, europeMember)
		require.NoError(t, err)
		require.NoError(t, s.AssignApplication(emptyGroupID, expensesAppID))
		requireSuccess(t, send(t, srv, apiCall(http.MethodDelete, groupPath(europeGroupID), "")), http.StatusNoContent)
		assert.Len(t, s.Groups(), 2)
	})
}
