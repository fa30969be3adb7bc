package fakegraph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The default seed's applications (defaultseed.json).
const (
	expensesAppID = "5f0e2a71-3b9c-4d84-a6e1-8c2d7f4b9a10" // publishing on, assigned to Europe
	intranetAppID = "3d8b6f0a-c2e4-4a91-b7d5-1e6f9c3a2b84" // publishing on, not assigned: reports Default
	payrollAppID  = "b7d4c9e2-1f6a-4e35-8b07-3a9c5e2d1f48" // publishing off
)

const applicationsPath = "/beta/applications"

func applicationPath(id string) string      { return applicationsPath + "/" + id }
func applicationGroupPath(id string) string { return applicationPath(id) + "/connectorGroup" }
func groupApplicationsPath(groupID string) string {
	return groupPath(groupID) + "/applications"
}

// applicationRef is a link to an application, on Graph's host.
func applicationRef(id string) string {
	return graph.ApplicationLinkAt(graph.ServiceRoot+"/"+graph.Beta, id)
}

// The two ways to put an application into a group, as calls.
func assignByGroup(groupID, appID string) call {
	return apiCall(http.MethodPost, groupApplicationsPath(groupID)+"/$ref", refBody(applicationRef(appID)))
}
func assignByApplication(groupID, appID string) call {
	return apiCall(http.MethodPut, applicationGroupPath(appID)+"/$ref", refBody(groupRef(groupID)))
}
func unassign(appID string) call {
	return apiCall(http.MethodDelete, applicationGroupPath(appID)+"/$ref", "")
}

// groupOfApplication reads the group an application reports over HTTP.
func groupOfApplication(t *testing.T, ex exchange) api.ConnectorGroup {
	t.Helper()
	requireSuccess(t, ex, http.StatusOK)
	return decodeAs[api.ConnectorGroup](t, ex)
}

// applicationIDs lists the ids on a page of applications.
func applicationIDs(t *testing.T, ex exchange) []string {
	t.Helper()
	requireSuccess(t, ex, http.StatusOK)
	ids := []string{}
	for _, a := range decodeAs[api.ApplicationCollection](t, ex).Value {
		ids = append(ids, a.Id)
	}
	return ids
}

// The applications are read as the seed has them: sorted by id, each with
// its onPremisesPublishing object, or null when publishing is off.
func TestApplicationsRead(t *testing.T) {
	_, srv := newServer(t, nil)
	ex := send(t, srv, apiCall(http.MethodGet, applicationsPath, ""))
	assert.Equal(t, []string{intranetAppID, expensesAppID, payrollAppID}, applicationIDs(t, ex))
	assert.Contains(t, string(ex.body), `"@odata.context":"https://graph.microsoft.com/beta/$metadata#applications"`)
	assert.Contains(t, string(ex.body), `"displayName":"Payroll API","onPremisesPublishing":null}`, "null, as Graph sends a nullable property")

	ex = send(t, srv, apiCall(http.MethodGet, applicationPath(expensesAppID), ""))
	requireSuccess(t, ex, http.StatusOK)
	got := decodeAs[api.Application](t, ex)
	assert.Equal(t, expensesAppID, got.Id)
	assert.Equal(t, "8c3e1d52-7a4f-4b69-9e20-d5b7a1c4f683", got.AppId)
	require.NotNil(t, got.OnPremisesPublishing)
	assert.Equal(t, "https://expenses-contoso.msappproxy.net/", *got.OnPremisesPublishing.ExternalUrl)
	assert.Equal(t, "aadPreAuthentication", *got.OnPremisesPublishing.ExternalAuthenticationType)
	assert.Equal(t, "https://graph.microsoft.com/beta/$metadata#applications/$entity", *got.OdataContext)

	requireGraphError(t, send(t, srv, apiCall(http.MethodGet, applicationPath("nope"), "")), http.StatusNotFound, graph.CodeResourceNotFound, sprintf(notFound, "nope"))
	requireGraphError(t, send(t, srv, apiCall(http.MethodGet, applicationGroupPath("nope"), "")), http.StatusNotFound, graph.CodeResourceNotFound, sprintf(notFound, "nope"))
}

// An application reports the group it is assigned to; one not assigned,
// the default group; one without on-premises publishing, none: 404
// Application_NotFound. Each group lists the applications that report it.
func TestApplicationReportsOneGroup(t *testing.T) {
	_, srv := newServer(t, nil)
	g := groupOfApplication(t, send(t, srv, apiCall(http.MethodGet, applicationGroupPath(expensesAppID), "")))
	assert.Equal(t, europeGroupID, g.Id)
	assert.Contains(t, string(send(t, srv, apiCall(http.MethodGet, applicationGroupPath(expensesAppID), "")).body),
		`"@odata.context":"https://graph.microsoft.com/beta/$metadata#applications('`+expensesAppID+`')/connectorGroup/$entity"`)
	g = groupOfApplication(t, send(t, srv, apiCall(http.MethodGet, applicationGroupPath(intranetAppID), "")))
	assert.Equal(t, defaultGroupID, g.Id)
	assert.True(t, g.IsDefault)
	requireGraphError(t, send(t, srv, apiCall(http.MethodGet, applicationGroupPath(payrollAppID), "")),
		http.StatusNotFound, graph.CodeApplicationNotFound, graph.MsgPublishingNotEnabled)

	assert.Equal(t, []string{expensesAppID}, applicationIDs(t, send(t, srv, apiCall(http.MethodGet, groupApplicationsPath(europeGroupID), ""))))
	assert.Equal(t, []string{intranetAppID}, applicationIDs(t, send(t, srv, apiCall(http.MethodGet, groupApplicationsPath(defaultGroupID), ""))))
	assert.Equal(t, []string{}, applicationIDs(t, send(t, srv, apiCall(http.MethodGet, groupApplicationsPath(emptyGroupID), ""))))
	requireGraphError(t, send(t, srv, apiCall(http.MethodGet, groupApplicationsPath("nope"), "")), http.StatusNotFound, graph.CodeResourceNotFound, sprintf(notFound, "nope"))
}

// Both ways of assigning move the application: afterwards exactly one
// group lists it, the one it reports.
func TestAssignApplicationMoves(t *testing.T) {
	ways := []struct {
		name   string
		assign func(groupID, appID string) call
	}{
		{"the group's applications/$ref", assignByGroup},
		{"the application's connectorGroup/$ref", assignByApplication},
	}
	for _, way := range ways {
		t.Run(way.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			for _, move := range []struct{ app, from, to string }{
				{expensesAppID, europeGroupID, emptyGroupID},
				{intranetAppID, defaultGroupID, europeGroupID},
				{expensesAppID, emptyGroupID, defaultGroupID},
			} {
				requireSuccess(t, send(t, srv, way.assign(move.to, move.app)), http.StatusNoContent)
				g := groupOfApplication(t, send(t, srv, apiCall(http.MethodGet, applicationGroupPath(move.app), "")))
				assert.Equal(t, move.to, g.Id)
				assert.NotContains(t, applicationIDs(t, send(t, srv, apiCall(http.MethodGet, groupApplicationsPath(move.from), ""))), move.app, "the group it left")
				assert.Contains(t, applicationIDs(t, send(t, srv, apiCall(http.MethodGet, groupApplicationsPath(move.to), ""))), move.app, "the group it joined")
				listed := 0
				for _, grp := range s.Groups() {
					apps, err := s.GroupApplications(grp.ID)
					require.NoError(t, err)
					for _, a := range apps {
						if a.ID == move.app {
							listed++
						}
					}
				}
				assert.Equal(t, 1, listed, "an application is in one group at most")
			}
			a, err := s.Application(expensesAppID)
			require.NoError(t, err)
			assert.Equal(t, defaultGroupID, a.ConnectorGroup, "assigned to the default group now, not merely reporting it")
		})
	}
}

// A $ref add of an application to the group it is in is the duplicate
// 400, as for members; a PUT of the same link sets it again, 204.
func TestAssignApplicationToItsGroup(t *testing.T) {
	s, srv := newServer(t, nil)
	before := s.Snapshot()
	requireGraphError(t, send(t, srv, assignByGroup(europeGroupID, expensesAppID)), http.StatusBadRequest, graph.CodeRequestBadRequest, graph.MsgAlreadyAssigned)
	requireGraphError(t, send(t, srv, assignByGroup(defaultGroupID, intranetAppID)), http.StatusBadRequest, graph.CodeRequestBadRequest, graph.MsgAlreadyAssigned)
	assert.Equal(t, before, s.Snapshot())
	requireSuccess(t, send(t, srv, assignByApplication(europeGroupID, expensesAppID)), http.StatusNoContent)
	assert.Equal(t, before, s.Snapshot())
}

// An application without on-premises publishing cannot be assigned, by
// either side, nor have an assignment removed: 404 Application_NotFound
// "OnPremisesPublishing is not enabled", and nothing changes.
func TestUnpublishedApplicationCannotBeAssigned(t *testing.T) {
	for _, c := range []call{assignByGroup(emptyGroupID, payrollAppID), assignByApplication(emptyGroupID, payrollAppID), unassign(payrollAppID)} {
		t.Run(c.method, func(t *testing.T) {
			s, srv := newServer(t, nil)
			before := s.Snapshot()
			requireGraphError(t, send(t, srv, c), http.StatusNotFound, graph.CodeApplicationNotFound, graph.MsgPublishingNotEnabled)
			assert.Equal(t, before, s.Snapshot())
		})
	}
	s, _ := newServer(t, nil)
	assert.ErrorIs(t, s.AssignApplication(emptyGroupID, payrollAppID), ErrPublishingNotEnabled)
	_, err := s.ApplicationGroup(payrollAppID)
	assert.ErrorIs(t, err, ErrPublishingNotEnabled)
}

// Removing the assignment leaves the application in the default group,
// not in none; removing it again changes nothing.
func TestUnassignApplication(t *testing.T) {
	s, srv := newServer(t, nil)
	for range 2 {
		requireSuccess(t, send(t, srv, unassign(expensesAppID)), http.StatusNoContent)
		g := groupOfApplication(t, send(t, srv, apiCall(http.MethodGet, applicationGroupPath(expensesAppID), "")))
		assert.Equal(t, defaultGroupID, g.Id)
		assert.True(t, g.IsDefault)
		assert.Equal(t, []string{intranetAppID, expensesAppID}, applicationIDs(t, send(t, srv, apiCall(http.MethodGet, groupApplicationsPath(defaultGroupID), ""))))
		assert.Empty(t, applicationIDs(t, send(t, srv, apiCall(http.MethodGet, groupApplicationsPath(europeGroupID), ""))))
		a, err := s.Application(expensesAppID)
		require.NoError(t, err)
		assert.Empty(t, a.ConnectorGroup, "not assigned")
	}
	requireGraphError(t, send(t, srv, unassign("nope")), http.StatusNotFound, graph.CodeResourceNotFound, sprintf(notFound, "nope"))
}

// Links of the wrong kind or shape are 400 Invalid URL; a link of the
// right shape that names nothing, and a path that does, 404; nothing
// changes.
func TestAssignApplicationRefusals(t *testing.T) {
	tests := []struct {
		name   string
		call   call
		status int
		code   string
		msg    string
	}{
		{"POST: a connector's link", apiCall(http.MethodPost, groupApplicationsPath(emptyGroupID)+"/$ref", refBody(todayRef(docConnectorID))), 400, graph.CodeBadRequest, graph.MsgInvalidURL},
		{"POST: a group's link", apiCall(http.MethodPost, groupApplicationsPath(emptyGroupID)+"/$ref", refBody(groupRef(europeGroupID))), 400, graph.CodeBadRequest, graph.MsgInvalidURL},
		{"POST: a bare id", apiCall(http.MethodPost, groupApplicationsPath(emptyGroupID)+"/$ref", refBody(expensesAppID)), 400, graph.CodeBadRequest, graph.MsgInvalidURL},
		{"POST: no such application", assignByGroup(emptyGroupID, "nope"), 404, graph.CodeResourceNotFound, sprintf(notFound, "nope")},
		{"POST: no such group", assignByGroup("nope", expensesAppID), 404, graph.CodeResourceNotFound, sprintf(notFound, "nope")},
		{"POST: the directoryObjects form of the link is taken", apiCall(http.MethodPost, groupApplicationsPath(emptyGroupID)+"/$ref",
			refBody("https://graph.microsoft.com/beta/directoryObjects/nope")), 404, graph.CodeResourceNotFound, sprintf(notFound, "nope")},
		{"PUT: an application's link", apiCall(http.MethodPut, applicationGroupPath(expensesAppID)+"/$ref", refBody(applicationRef(intranetAppID))), 400, graph.CodeBadRequest, graph.MsgInvalidURL},
		{"PUT: no such group", assignByApplication("nope", expensesAppID), 404, graph.CodeResourceNotFound, sprintf(notFound, "nope")},
		{"PUT: no such application", assignByApplication(emptyGroupID, "nope"), 404, graph.CodeResourceNotFound, sprintf(notFound, "nope")},
		{"PUT: an empty body", apiCall(http.MethodPut, applicationGroupPath(expensesAppID)+"/$ref", ""), 400, graph.CodeBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			before := s.Snapshot()
			requireGraphError(t, send(t, srv, tt.call), tt.status, tt.code, tt.msg)
			assert.Equal(t, before, s.Snapshot())
		})
	}
	t.Run("PUT: another kind of content", func(t *testing.T) {
		s, srv := newServer(t, nil)
		before := s.Snapshot()
		c := assignByApplication(emptyGroupID, expensesAppID)
		c.contentType = "text/plain"
		requireGraphError(t, send(t, srv, c), http.StatusUnsupportedMediaType, "UnsupportedMediaType", "")
		assert.Equal(t, before, s.Snapshot())
	})
}

// A group that holds applications but no connectors keeps its region and
// cannot be deleted, each with the applications' own message; once the
// application leaves, both are allowed.
func TestGroupHoldingOnlyApplications(t *testing.T) {
	s, srv := newServer(t, nil)
	requireSuccess(t, send(t, srv, assignByApplication(emptyGroupID, intranetAppID)), http.StatusNoContent)
	before := s.Snapshot()
	requireGraphError(t, send(t, srv, apiCall(http.MethodPatch, groupPath(emptyGroupID), `{"region":"eur"}`)), http.StatusBadRequest, graph.CodeRequestBadRequest,
		"The region of connector group '"+emptyGroupID+"' cannot change while it has applications assigned.")
	requireGraphError(t, send(t, srv, apiCall(http.MethodDelete, groupPath(emptyGroupID), "")), http.StatusBadRequest, graph.CodeRequestBadRequest,
		"The connector group '"+emptyGroupID+"' still has applications assigned; assign them to another group before deleting it.")
	assert.Equal(t, before, s.Snapshot())
	requireSuccess(t, send(t, srv, apiCall(http.MethodPatch, groupPath(emptyGroupID), `{"name":"NA"}`)), http.StatusNoContent)

	requireSuccess(t, send(t, srv, unassign(intranetAppID)), http.StatusNoContent)
	requireSuccess(t, send(t, srv, apiCall(http.MethodPatch, groupPath(emptyGroupID), `{"region":"eur"}`)), http.StatusNoContent)
	requireSuccess(t, send(t, srv, apiCall(http.MethodDelete, groupPath(emptyGroupID), "")), http.StatusNoContent)

	// A group that holds both is refused for its connectors first.
	requireGraphError(t, send(t, srv, apiCall(http.MethodDelete, groupPath(europeGroupID), "")), http.StatusBadRequest, graph.CodeRequestBadRequest,
		"The connector group '"+europeGroupID+"' still has connectors assigned; move them to another group before deleting it.")
}

// The application lists are paged like every list: $top, an absolute
// nextLink, each item once.
func TestApplicationListsArePaged(t *testing.T) {
	_, srv := newServer(t, nil)
	all, pages := walkIDs(t, srv, applicationsPath+"?$top=1", nil)
	assert.Equal(t, []string{intranetAppID, expensesAppID, payrollAppID}, all)
	assert.Len(t, pages, 3)

	requireSuccess(t, send(t, srv, assignByGroup(defaultGroupID, expensesAppID)), http.StatusNoContent)
	all, pages = walkIDs(t, srv, groupApplicationsPath(defaultGroupID)+"?$top=1", nil)
	assert.Equal(t, []string{intranetAppID, expensesAppID}, all)
	assert.Len(t, pages, 2)
	all, _ = walkIDs(t, srv, groupApplicationsPath(defaultGroupID)+"?$top=2", nil)
	assert.Equal(t, []string{intranetAppID, expensesAppID}, all)

	// A token of one list is not another's.
	ex := send(t, srv, apiCall(http.MethodGet, applicationsPath+"?$top=1", ""))
	var page struct {
		NextLink string `json:"@odata.nextLink"`
	}
	require.NoError(t, json.Unmarshal(ex.body, &page))
	next := followable(t, srv, page.NextLink)
	_, query, _ := strings.Cut(next, "?")
	requireGraphError(t, send(t, srv, apiCall(http.MethodGet, groupApplicationsPath(defaultGroupID)+"?"+query, "")), http.StatusBadRequest, graph.CodeBadRequest, graph.MsgInvalidSkipToken)
}

// The state API reads and changes what HTTP does; Reset puts every
// application back as the seed assigned it.
func TestApplicationsStateAPI(t *testing.T) {
	s, srv := newServer(t, nil)
	before := s.Snapshot()
	require.Len(t, before.Applications, 3)

	require.NoError(t, s.AssignApplication(emptyGroupID, expensesAppID))
	g := groupOfApplication(t, send(t, srv, apiCall(http.MethodGet, applicationGroupPath(expensesAppID), "")))
	assert.Equal(t, emptyGroupID, g.Id)
	requireSuccess(t, send(t, srv, assignByApplication(europeGroupID, intranetAppID)), http.StatusNoContent)
	got, err := s.ApplicationGroup(intranetAppID)
	require.NoError(t, err)
	assert.Equal(t, europeGroupID, got.ID)
	require.NoError(t, s.UnassignApplication(expensesAppID))
	assert.ErrorIs(t, s.AssignApplication("nope", expensesAppID), ErrGroupNotFound)
	assert.ErrorIs(t, s.AssignApplication(emptyGroupID, "nope"), ErrApplicationNotFound)
	_, err = s.Application("nope")
	assert.ErrorIs(t, err, ErrApplicationNotFound)
	_, err = s.GroupApplications("nope")
	assert.ErrorIs(t, err, ErrGroupNotFound)
	assert.NotEqual(t, before, s.Snapshot())

	for range 2 {
		s.Reset()
		assert.Equal(t, before, s.Snapshot())
		requireSuccess(t, send(t, srv, unassign(expensesAppID)), http.StatusNoContent)
	}
}

// A state saved as a seed starts a server where the first stood,
// applications included: assigned, unassigned and unpublished alike.
func TestApplicationsStateAsSeedRoundTrip(t *testing.T) {
	s, srv := newServer(t, nil)
	requireSuccess(t, send(t, srv, assignByGroup(emptyGroupID, intranetAppID)), http.StatusNoContent)
	requireSuccess(t, send(t, srv, unassign(expensesAppID)), http.StatusNoContent)
	raw, err := json.Marshal(s.StateAsSeed())
	require.NoError(t, err)
	seed, err := LoadSeed(bytes.NewReader(raw))
	require.NoError(t, err, "%s", raw)
	again, err := New(seed)
	require.NoError(t, err)
	assert.Equal(t, s.Snapshot(), again.Snapshot())
	assert.NotContains(t, string(raw), `"connectorGroup":""`, "an unassigned application has no connectorGroup")
}

// The default seed has an application of each kind: assigned, published
// but not assigned, and without publishing.
func TestDefaultSeedApplications(t *testing.T) {
	seed := DefaultSeed()
	require.Len(t, seed.Applications, 3)
	byID := map[string]SeedApplication{}
	for _, a := range seed.Applications {
		byID[a.ID] = a
	}
	assert.Equal(t, europeGroupID, seed.ApplicationGroup(byID[expensesAppID]))
	assert.Equal(t, defaultGroupID, seed.ApplicationGroup(byID[intranetAppID]), "not assigned: the default group")
	assert.Empty(t, byID[intranetAppID].ConnectorGroup)
	assert.False(t, byID[payrollAppID].Published())
	assert.Empty(t, seed.ApplicationGroup(byID[payrollAppID]))
}

// A seed's applications are checked as its groups are: every problem,
// each naming the application.
func TestSeedApplicationsRejects(t *testing.T) {
	const base = `{"connectors":[],"connectorGroups":[{"id":"g-1","name":"G","connectorGroupType":"applicationProxy","isDefault":true,"region":"nam","members":[]}],
		"tokens":{"t":["Directory.ReadWrite.All"]},"applications":[%s]}`
	const published = `{"id":"a-1","appId":"p-1","displayName":"A","onPremisesPublishing":{"externalUrl":"https://a.msappproxy.net/"}%s}`
	for _, ok := range []string{
		sprintf(published, ``),
		sprintf(published, `,"connectorGroup":"g-1"`),
		`{"id":"a-1","appId":"p-1","displayName":"A"}`,
		`{"id":"a-1","appId":"p-1","displayName":"A","onPremisesPublishing":null,"connectorGroup":""}`,
		`{"id":"a-1","appId":"p-1","displayName":"A","onPremisesPublishing":{"extra":[1,{"x":null}],"isOnPremPublishingEnabled":false}}`,
	} {
		_, err := LoadSeed(strings.NewReader(sprintf(base, ok)))
		assert.NoError(t, err, ok)
	}
	tests := []struct {
		name, apps string
		want       []string
	}{
		{"an unknown group", sprintf(published, `,"connectorGroup":"g-2"`), []string{`applications[0] (id "a-1"): connectorGroup "g-2" is not a connectorGroup id`}},
		{"assigned without publishing", `{"id":"a-1","appId":"p-1","displayName":"A","onPremisesPublishing":null,"connectorGroup":"g-1"}`,
			[]string{`applications[0] (id "a-1"): connectorGroup "g-1": an application whose onPremisesPublishing is null cannot be assigned`}},
		{"duplicate ids", sprintf(published, ``) + "," + strings.Replace(sprintf(published, ``), `"p-1"`, `"p-2"`, 1),
			[]string{`applications[1] (id "a-1"): duplicate application id`}},
		{"duplicate appIds", sprintf(published, ``) + "," + strings.Replace(sprintf(published, ``), `"a-1"`, `"a-2"`, 1),
			[]string{`applications[1] (id "a-2"): appId "p-1" is another application's too`}},
		{"no id, no appId", `{"displayName":"A"}`, []string{`applications[0]: id is empty`, `applications[0]: appId is empty`}},
		{"an empty displayName", `{"id":"a-1","appId":"p-1","displayName":" "}`, []string{`applications[0] (id "a-1"): displayName is empty`}},
		{"publishing not an object", `{"id":"a-1","appId":"p-1","displayName":"A","onPremisesPublishing":"yes"}`,
			[]string{`applications[0] (id "a-1"): onPremisesPublishing is a string; it must be an object, or null`}},
		{"a declared property of the wrong type", `{"id":"a-1","appId":"p-1","displayName":"A","onPremisesPublishing":{"externalUrl":5}}`,
			[]string{`onPremisesPublishing externalUrl is a number; it must be a string`}},
		{"a boolean that is null", `{"id":"a-1","appId":"p-1","displayName":"A","onPremisesPublishing":{"isOnPremPublishingEnabled":null}}`,
			[]string{`onPremisesPublishing isOnPremPublishingEnabled is null; it must be a boolean`}},
		{"an unknown field", `{"id":"a-1","appId":"p-1","displayName":"A","group":"g-1"}`, []string{`unknown field "group"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadSeed(strings.NewReader(sprintf(base, tt.apps)))
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// The fake writes an application as JSON that reads back as the same
// values, with onPremisesPublishing as the seed gave it, compacted.
func TestAppendApplication(t *testing.T) {
	a := Application{ID: `a"1`, AppID: "p\u2028", DisplayName: "Ünïcode <b>", OnPremisesPublishing: json.RawMessage(`{"externalUrl":"https://x/","extra":[1,2]}`)}
	out := appendApplication(nil, a, "ctx")
	var got map[string]any
	require.NoError(t, json.Unmarshal(out, &got), "%s", out)
	assert.Equal(t, map[string]any{
		"@odata.context": "ctx", "id": `a"1`, "appId": "p\u2028", "displayName": "Ünïcode <b>",
		"onPremisesPublishing": map[string]any{"externalUrl": "https://x/", "extra": []any{1.0, 2.0}},
	}, got)
	a.OnPremisesPublishing = nil
	assert.JSONEq(t, `{"id":"a\"1","appId":"p\u2028","displayName":"Ünïcode <b>","onPremisesPublishing":null}`, string(appendApplicationItem(nil, a)))
}

// Concurrent assignments of one application, from both sides, each happen
// whole: afterwards exactly one group lists it, the one it reports.
func TestConcurrentAssignmentsKeepOneGroup(t *testing.T) {
	s, srv := newServer(t, nil)
	groups := []string{defaultGroupID, emptyGroupID, europeGroupID}
	done := make(chan error)
	const workers, each = 6, 20
	for w := range workers {
		go func() {
			var err error
			for i := range each {
				g := groups[(w+i)%len(groups)]
				c := assignByApplication(g, expensesAppID)
				if (w+i)%2 == 0 {
					c = assignByGroup(g, expensesAppID)
				}
				ex, e := roundTrip(srv, c)
				if e == nil && ex.status != http.StatusNoContent && ex.status != http.StatusBadRequest {
					e = fmt.Errorf("%s %s: %d %s", c.method, c.path, ex.status, ex.body)
				}
				if err == nil {
					err = e
				}
			}
			done <- err
		}()
	}
	for range workers {
		require.NoError(t, <-done)
	}
	reported, err := s.ApplicationGroup(expensesAppID)
	require.NoError(t, err)
	listed := 0
	for _, g := range groups {
		apps, err := s.GroupApplications(g)
		require.NoError(t, err)
		for _, a := range apps {
			if a.ID == expensesAppID {
				listed++
				assert.Equal(t, reported.ID, g, "listed by the group it reports")
			}
		}
	}
	assert.Equal(t, 1, listed)
}
