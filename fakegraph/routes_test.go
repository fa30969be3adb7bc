package fakegraph

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// Every path of the spec, with a method it does not declare (HEAD
// included, which ServeMux would let a GET pattern serve): 405 with Allow
// listing the spec's methods there, before authentication.
func TestMethodNotAllowedOnEveryPath(t *testing.T) {
	paths := []struct {
		path  string
		allow string
	}{
		{membersPath("/beta", emptyGroupID), "POST"},
		{groupsPath, "GET, POST"},
		{groupPath(emptyGroupID), "GET, PATCH, DELETE"},
		{membersOf(emptyGroupID), "GET"},
		{membersOf(emptyGroupID) + "/$ref", "POST"},
		{connectorsPath, "GET"},
		{connectorPath(docConnectorID), "GET"},
		{memberOfPath(docConnectorID), "GET"},
		{memberOfPath(docConnectorID) + "/$ref", "POST"},
		{applicationsPath, "GET"},
		{applicationPath(expensesAppID), "GET"},
		{applicationGroupPath(expensesAppID), "GET"},
		{applicationGroupPath(expensesAppID) + "/$ref", "PUT, DELETE"},
		{groupApplicationsPath(emptyGroupID), "GET"},
		{groupApplicationsPath(emptyGroupID) + "/$ref", "POST"},
		{groupPath("a%2Fb"), "GET, PATCH, DELETE"},
	}
	v, err := specvalidator.Load()
	require.NoError(t, err)
	require.Len(t, v.Doc().Paths.Map(), len(paths)-1, "every spec path is here")
	for _, p := range paths {
		for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions} {
			if strings.Contains(", "+p.allow+", ", ", "+method+", ") {
				continue
			}
			t.Run(method+" "+p.path, func(t *testing.T) {
				s, srv := newServer(t, nil)
				before := s.Snapshot()
				c := apiCall(method, p.path, "")
				c.token = "" // 405 comes before authentication
				ex := send(t, srv, c)
				require.Equal(t, http.StatusMethodNotAllowed, ex.status, "body: %s", ex.body)
				assert.Equal(t, p.allow, ex.header.Get("Allow"))
				if method != http.MethodHead {
					requireGraphError(t, ex, http.StatusMethodNotAllowed, graph.CodeRequestBadRequest, "Specified HTTP method is not allowed for the request target.")
				}
				assert.Equal(t, before, s.Snapshot())
			})
		}
	}
}

// A path that fits none of the spec's paths gets Graph's 400 naming the
// first segment that fits none.
func TestUnknownSegmentsOnTodaysPaths(t *testing.T) {
	tests := []struct {
		name, method, path, segment string
	}{
		{"v1.0 has no onPremisesPublishingProfiles", "GET", "/v1.0" + graph.ApplicationProxyPath + "/connectorGroups", "onPremisesPublishingProfiles"},
		{"v1.0, a connector's memberOf", "POST", "/v1.0" + graph.ApplicationProxyPath + "/connectors/x/memberOf/$ref", "onPremisesPublishingProfiles"},
		{"another profile", "GET", "/beta/onPremisesPublishingProfiles/provisioning/connectors", "provisioning"},
		{"applications", "GET", ap + "/applications", "applications"},
		{"a connector's members", "GET", connectorPath(docConnectorID) + "/members", "members"},
		{"a group's memberOf", "GET", groupPath(emptyGroupID) + "/memberOf", "memberOf"},
		{"a member by id", "GET", membersOf(emptyGroupID) + "/" + docConnectorID, docConnectorID},
		{"a segment after $ref", "POST", membersOf(emptyGroupID) + "/$ref/x", "x"},
		{"an escaped slash in a literal segment", "GET", "/beta/onPremisesPublishingProfiles/applicationProxy%2Fconnectors", "applicationProxy/connectors"},
		{"a root connectors set", "GET", "/beta/connectors", "connectors"},
		{"a trailing slash", "GET", groupsPath + "/", ""},
		{"the profile alone", "GET", "/beta/onPremisesPublishingProfiles", "onPremisesPublishingProfiles"},
		{"case matters", "GET", "/beta/onPremisesPublishingProfiles/applicationProxy/ConnectorGroups", "ConnectorGroups"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newServer(t, nil)
			requireGraphError(t, send(t, srv, apiCall(tt.method, tt.path, "")), http.StatusBadRequest, graph.CodeBadRequest,
				"Resource not found for the segment '"+tt.segment+"'.")
		})
	}
}

// An id the spec's router cannot route (an escaped slash) is an id that
// names nothing: the 404 of a group or of a connector, as the path says,
// even where the decoded path would read as another operation's, and
// before its body or query is judged: an id that ends in the slash (0%2F)
// reads to kin-openapi's router as the same path with a trailing slash.
func TestUnroutableIDsOnTodaysPaths(t *testing.T) {
	tests := []struct {
		name, method, path, body, standIn, id string
	}{
		{"get a group", "GET", groupsPath + "/a%2Fb", "", groupPath("x"), "a/b"},
		{"get a group that reads as its members", "GET", groupsPath + "/x%2Fmembers", "", groupPath("x"), "x/members"},
		{"not judged as the members list it reads as", "GET", groupsPath + "/x%2Fmembers?$top=0", "", groupPath("x"), "x/members"},
		{"update a group", "PATCH", groupsPath + "/a%2Fb", `{"name":"n"}`, groupPath("x"), "a/b"},
		{"delete a group", "DELETE", groupsPath + "/a%2Fb", "", groupPath("x"), "a/b"},
		{"a group's members", "GET", groupsPath + "/a%2Fb/members", "", membersOf("x"), "a/b"},
		{"move into a group", "POST", groupsPath + "/a%2Fb/members/$ref", refBody(todayRef(docConnectorID)), membersOf("x") + "/$ref", "a/b"},
		{"get a connector", "GET", connectorsPath + "/a%2Fb", "", connectorPath("x"), "a/b"},
		{"get a connector that reads as its memberOf", "GET", connectorsPath + "/x%2FmemberOf", "", connectorPath("x"), "x/memberOf"},
		{"a connector's memberOf", "GET", connectorsPath + "/a%2Fb/memberOf", "", memberOfPath("x"), "a/b"},
		{"move a connector", "POST", connectorsPath + "/a%2Fb/memberOf/$ref", refBody(groupRef(emptyGroupID)), memberOfPath("x") + "/$ref", "a/b"},
		{"a trailing slash in the id, a bad body", "PATCH", groupsPath + "/0%2F", `{"bad":1}`, groupPath("x"), "0/"},
		{"a trailing slash in the id, a bad query", "GET", connectorsPath + "/0%2F?$top=1", "", connectorPath("x"), "0/"},
		{"a trailing slash in the id, delete", "DELETE", groupsPath + "/0%2F", "", groupPath("x"), "0/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			before := s.Snapshot()
			ex, err := roundTrip(srv, apiCall(tt.method, tt.path, tt.body))
			require.NoError(t, err)
			requireSpecValidAs(t, ex, tt.standIn)
			requireGraphError(t, ex, http.StatusNotFound, graph.CodeResourceNotFound, sprintf(notFound, tt.id))
			assert.Equal(t, before, s.Snapshot())
		})
	}
}

// opCall is a request to each operation that succeeds on the default seed.
func opCalls() map[string]call {
	return map[string]call{
		graph.OpAddConnectorDoc:           docCall(emptyGroupID, docConnectorID),
		graph.OpListConnectorGroups:       apiCall(http.MethodGet, groupsPath, ""),
		graph.OpCreateConnectorGroup:      apiCall(http.MethodPost, groupsPath, `{"name":"New"}`),
		graph.OpGetConnectorGroup:         apiCall(http.MethodGet, groupPath(europeGroupID), ""),
		graph.OpUpdateConnectorGroup:      apiCall(http.MethodPatch, groupPath(europeGroupID), `{"name":"EU"}`),
		graph.OpDeleteConnectorGroup:      apiCall(http.MethodDelete, groupPath(emptyGroupID), ""),
		graph.OpListConnectorGroupMembers: apiCall(http.MethodGet, membersOf(europeGroupID), ""),
		graph.OpAddConnectorGroupMember:   addByMembers(emptyGroupID, docConnectorID),
		graph.OpListConnectors:            apiCall(http.MethodGet, connectorsPath, ""),
		graph.OpGetConnector:              apiCall(http.MethodGet, connectorPath(docConnectorID), ""),
		graph.OpListConnectorMemberOf:     apiCall(http.MethodGet, memberOfPath(docConnectorID), ""),
		graph.OpAddConnectorMemberOf:      addByMemberOf(emptyGroupID, docConnectorID),

		graph.OpListApplications:                apiCall(http.MethodGet, applicationsPath, ""),
		graph.OpGetApplication:                  apiCall(http.MethodGet, applicationPath(expensesAppID), ""),
		graph.OpListConnectorGroupApplications:  apiCall(http.MethodGet, groupApplicationsPath(europeGroupID), ""),
		graph.OpAddConnectorGroupApplication:    assignByGroup(emptyGroupID, expensesAppID),
		graph.OpGetApplicationConnectorGroup:    apiCall(http.MethodGet, applicationGroupPath(expensesAppID), ""),
		graph.OpSetApplicationConnectorGroup:    assignByApplication(emptyGroupID, expensesAppID),
		graph.OpRemoveApplicationConnectorGroup: apiCall(http.MethodDelete, applicationGroupPath(expensesAppID)+"/$ref", ""),
	}
}

// What a token may do depends on the operation: today's operations take
// delegated Directory.ReadWrite.All only, create also as an application
// permission; the doc's operation keeps the doc's two scopes of either
// kind; the applications are read with any of the directory's read
// permissions, of either kind. Seeded tokens are delegated; a JWT's scp is
// delegated, its roles application.
func TestAuthorizationPerOperation(t *testing.T) {
	writerApp := unsignedJWT(t, map[string]any{"roles": []string{graph.ScopeDirectoryReadWriteAll}})
	writerUser := unsignedJWT(t, map[string]any{"scp": "User.Read " + graph.ScopeDirectoryReadWriteAll})
	adminUser := unsignedJWT(t, map[string]any{"scp": graph.ScopeDirectoryAccessAsUserAll})
	readerApp := unsignedJWT(t, map[string]any{"roles": []string{graph.ScopeDirectoryReadAll}})
	appReaderUser := unsignedJWT(t, map[string]any{"scp": graph.ScopeApplicationReadAll})
	readsApplications := func(op string) bool { return op == graph.OpListApplications || op == graph.OpGetApplication }
	tokens := []struct {
		name, token string
		allowed     func(op string) bool
	}{
		{"dev-token", "dev-token", func(string) bool { return true }},
		{"admin-token", "admin-token", func(op string) bool { return op == graph.OpAddConnectorDoc }},
		{"reader-token", "reader-token", readsApplications},
		{"JWT scp ReadWrite.All", writerUser, func(string) bool { return true }},
		{"JWT scp AccessAsUser.All", adminUser, func(op string) bool { return op == graph.OpAddConnectorDoc }},
		{"JWT roles ReadWrite.All", writerApp, func(op string) bool {
			return op == graph.OpAddConnectorDoc || op == graph.OpCreateConnectorGroup || readsApplications(op)
		}},
		{"JWT roles Read.All", readerApp, readsApplications},
		{"JWT scp Application.Read.All", appReaderUser, readsApplications},
	}
	v, err := specvalidator.Load()
	require.NoError(t, err)
	calls := opCalls()
	require.Len(t, calls, len(graph.Operations()), "a call for every operation")
	for op, c := range calls {
		req, err := http.NewRequest(c.method, "http://fake"+c.path, nil)
		require.NoError(t, err)
		require.Equal(t, op, v.OperationID(req), "the call for %s", op)
	}
	for _, tok := range tokens {
		for _, op := range graph.Operations() {
			t.Run(tok.name+" "+op, func(t *testing.T) {
				s, srv := newServer(t, nil, WithTrustUnsignedJWT())
				before := s.Snapshot()
				c := calls[op]
				c.token = tok.token
				ex := send(t, srv, c)
				if tok.allowed(op) {
					assert.Less(t, ex.status, 300, "body: %s", ex.body)
					return
				}
				requireGraphError(t, ex, http.StatusForbidden, graph.CodeAuthorizationRequestDenied, graph.MsgInsufficientPrivileges)
				assert.Equal(t, before, s.Snapshot())
			})
		}
	}
}

// Every operation authenticates before it validates: no token is 401,
// whatever the payload.
func TestEveryOperationNeedsAToken(t *testing.T) {
	for op, c := range opCalls() {
		t.Run(op, func(t *testing.T) {
			s, srv := newServer(t, nil)
			before := s.Snapshot()
			c.token = ""
			if c.body != "" {
				c.contentType, c.body = "text/plain", "not json"
			}
			requireGraphError(t, send(t, srv, c), http.StatusUnauthorized, graph.CodeInvalidAuthenticationToken, graph.MsgTokenEmpty)
			assert.Equal(t, before, s.Snapshot())
		})
	}
}
