package fakegraph

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// An OData query option the operation does not take is refused, not
// ignored: a test relying on $filter must not pass against the fake when
// the live service would not filter. Other parameters are left alone, and
// a refused write changes nothing.
func TestUnsupportedQueryOptionsAreRefused(t *testing.T) {
	const beta = "/beta"
	groupOf01 := func(s *Server) string {
		g, err := s.GroupOf(docConnectorID)
		if err != nil {
			t.Fatal(err)
		}
		return g.ID
	}
	tests := []struct {
		name   string
		call   call
		option string // "" means accepted
		status int
	}{
		{"$filter on the connectors", apiCall(http.MethodGet, beta+graph.ConnectorsPath()+"?$filter=status%20eq%20'active'", ""), "$filter", 0},
		{"$select on a group", apiCall(http.MethodGet, beta+graph.ConnectorGroupPath(defaultGroupID)+"?$select=name", ""), "$select", 0},
		{"$top on one group", apiCall(http.MethodGet, beta+graph.ConnectorGroupPath(defaultGroupID)+"?$top=1", ""), "$top", 0},
		{"$expand on the groups", apiCall(http.MethodGet, beta+graph.ConnectorGroupsPath()+"?$top=2&$expand=members", ""), "$expand", 0},
		{"$count on a write", apiCall(http.MethodPost, beta+graph.MembersRefPath(emptyGroupID)+"?$count=true", refBody(graph.ConnectorLink(graph.Beta, docConnectorID))), "$count", 0},
		{"$top on a list", apiCall(http.MethodGet, beta+graph.ConnectorsPath()+"?$top=1", ""), "", http.StatusOK},
		{"a parameter that is not OData's", apiCall(http.MethodGet, beta+graph.ConnectorsPath()+"?api-version=1", ""), "", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, DefaultSeed())
			before := groupOf01(s)
			ex := send(t, srv, tt.call)
			if tt.option == "" {
				requireSuccess(t, ex, tt.status)
				return
			}
			requireGraphError(t, ex, http.StatusBadRequest, graph.CodeUnsupportedQuery, sprintf(graph.MsgUnsupportedQueryOption, tt.option))
			assert.Equal(t, before, groupOf01(s), "a refused request changes nothing")
		})
	}
}

// Two Content-Type headers are refused whatever their order, as two
// Authorization headers are, and the add does not happen.
func TestTwoContentTypesAreRefused(t *testing.T) {
	for _, order := range [][]string{{"application/json", "text/plain"}, {"text/plain", "application/json"}} {
		s, srv := newServer(t, DefaultSeed())
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/beta"+graph.MembersRefPath(emptyGroupID), strings.NewReader(refBody(graph.ConnectorLink(graph.Beta, docConnectorID))))
		if err != nil {
			t.Fatal(err)
		}
		req.Header["Content-Type"] = order
		req.Header.Set("Authorization", "Bearer dev-token")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "%v", order)
		g, err := s.GroupOf(docConnectorID)
		if err != nil {
			t.Fatal(err)
		}
		assert.Equal(t, defaultGroupID, g.ID, "%v: the add did not happen", order)
	}
}
