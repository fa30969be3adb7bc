package contract

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

const (
	guardBase    = "https://graph.example/beta"
	existingID   = "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21"
	defaultID    = "0c5e7a93-6d2f-4b18-9e40-a3f1c8d2b765"
	madeID       = "7d3e9b10-2c4a-4f8e-b6d1-9a0c5e2f4b87"
	newID        = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b"
	laterDefault = "b0c1d2e3-f4a5-4b6c-9d7e-8f9a0b1c2d3e"
	namedApp     = "5f0e2a71-3b9c-4d84-a6e1-8c2d7f4b9a10"
	otherApp     = "3d8b6f0a-c2e4-4a91-b7d5-1e6f9c3a2b84"
)

// recordedGuard is a guard whose record holds a group and the default.
func recordedGuard() *writeGuard {
	g := newWriteGuard(guardBase, Target{Application: namedApp})
	yes, no := true, false
	name, def := "North America", "Default"
	g.recordSnapshot(&snapshot{objects: map[string]map[string]entity{"connectorGroups": {
		existingID: {ID: existingID, Name: &name, IsDefault: &no},
		defaultID:  {ID: defaultID, Name: &def, IsDefault: &yes},
	}}}, listing{})
	return g
}

func TestTheGuardRefusesEveryChangeToWhatExisted(t *testing.T) {
	g := recordedGuard()
	ok, alarm := g.admitCreated(madeID)
	require.True(t, ok, alarm)
	g.observe(Exchange{Status: http.StatusOK, ResponseBody: []byte(`{"value":[{"id":"` + laterDefault + `","isDefault":true}]}`)})
	group := func(id string) string { return guardBase + graph.ConnectorGroupPath(id) }

	tests := []struct {
		name, method, target string
		refusal              string // "" when it may be sent
	}{
		{"a PATCH of a group that existed", http.MethodPatch, group(existingID), `group ` + existingID + ` ("North America"), which existed before this run: verify will not change or delete it`},
		{"a DELETE of the default group", http.MethodDelete, group(defaultID), `group ` + defaultID + ` ("Default"), which existed before this run (the default group): verify will not change or delete it`},
		{"the id in upper case", http.MethodDelete, group(strings.ToUpper(existingID)), "which existed before this run"},
		{"the id in braces", http.MethodDelete, group("{" + existingID + "}"), "names no object of a kind recorded before the run"},
		{"an id with a path in it", http.MethodDelete, group(madeID + "/../" + existingID), "names no object of a kind recorded before the run"},
		{"a group an answer called the default", http.MethodDelete, group(laterDefault), "which the server called the default group"},
		{"a member's $ref under a group that existed", http.MethodDelete, group(existingID) + "/members/" + madeID + "/$ref", "which existed before this run"},
		{"the doc's path", http.MethodDelete, guardBase + "/connectorGroups/" + defaultID, "(the default group)"},
		{"a path that names no recorded kind", http.MethodPatch, guardBase + graph.ConnectorPath(madeID), "names no object of a kind recorded before the run"},
		{"another host", http.MethodDelete, "https://elsewhere.example/beta" + graph.ConnectorGroupPath(madeID), "names no object of a kind recorded before the run"},
		{"a PUT", http.MethodPut, group(madeID), "verify sends no PUT but to set a link"},
		{"a PUT of a group's link", http.MethodPut, group(madeID) + "/members/$ref", "verify sends a PUT only to set an application's link"},
		{"a PATCH of the group this run made", http.MethodPatch, group(madeID), ""},
		{"a DELETE of an id no group has", http.MethodDelete, group(newID), ""},
		{"a POST to a group", http.MethodPost, group(existingID), "verify POSTs only to create a group or to add a reference"},
		{"a $ref add on another host", http.MethodPost, "https://elsewhere.example/beta" + graph.MembersRefPath(madeID), "verify POSTs only to create a group or to add a reference"},
		{"a create", http.MethodPost, guardBase + graph.ConnectorGroupsPath(), ""},
		{"the doc's add", http.MethodPost, guardBase + graph.DocMembersRefPath(existingID), ""},
		{"a move through memberOf", http.MethodPost, guardBase + graph.MemberOfRefPath(madeID), ""},
		{"a move into the default group", http.MethodPost, guardBase + graph.MembersRefPath(defaultID), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := g.admit(tt.method, tt.target, nil)
			if tt.refusal == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			reason, refused := isRefused(err)
			assert.True(t, refused)
			assert.Contains(t, reason, tt.refusal)
		})
	}
}

func TestTheGuardAdmitsOnlyNewCreatedIDs(t *testing.T) {
	g := recordedGuard()

	ok, alarm := g.admitCreated(strings.ToUpper(defaultID))
	assert.False(t, ok)
	assert.Equal(t, `the server answered the create with the id of group `+defaultID+` ("Default"), which existed before this run (the default group): verify will not change or delete it`, alarm)

	ok, alarm = g.admitCreated(" " + existingID + "\n")
	assert.False(t, ok)
	assert.Contains(t, alarm, "which is not made of letters, digits and hyphens")

	ok, alarm = g.admitCreated(madeID)
	assert.True(t, ok, alarm)
	ok, alarm = g.admitCreated(madeID)
	assert.False(t, ok)
	assert.Contains(t, alarm, "which an earlier create of this run already got")
}

func TestWithoutARecordTheGuardSendsNoWrite(t *testing.T) {
	g := newWriteGuard(guardBase, Target{})
	g.recordSnapshot(nil, listing{fail: &Evidence{Request: "GET /beta" + graph.ConnectorGroupsPath(), Status: http.StatusTooManyRequests, Want: "200"}})

	for _, method := range []string{http.MethodPost, http.MethodPatch, http.MethodDelete} {
		err := g.admit(method, guardBase+graph.ConnectorGroupPath(newID), nil)
		require.Error(t, err, method)
		assert.True(t, unrecorded(err))
		assert.Contains(t, err.Error(), "the groups that existed before the run could not be read, so no write is sent: GET /beta"+graph.ConnectorGroupsPath()+" → 429, want 200")
	}
	assert.True(t, g.needsSnapshot(), "a later write tries again")
	for g.needsSnapshot() {
		g.recordSnapshot(nil, listing{fail: &Evidence{}})
	}
	assert.Equal(t, maxSnapshotAttempts, g.attempts, "a bounded number of times")
}

// The log keeps a little of each response body, however large: the
// caller gets the whole body, the judges its length.
func TestTheSessionKeepsLittleOfEachBody(t *testing.T) {
	page := `{"value":[{"id":"` + existingID + `","name":"` + strings.Repeat("x", 1<<20) + `"}]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(page))
	}))
	t.Cleanup(srv.Close)
	s, err := newSession(Target{BaseURL: srv.URL + "/beta", Token: "t", Group: "g", Connector: "c", HTTPClient: srv.Client()})
	require.NoError(t, err)

	ex := s.send(t.Context(), s.call("the groups", http.MethodGet, graph.ConnectorGroupsPath(), nil))

	require.NoError(t, ex.Err)
	assert.Len(t, ex.ResponseBody, len(page), "the caller gets it whole")
	logged := s.exchanges()
	require.Len(t, logged, 1)
	assert.Len(t, logged[0].ResponseBody, maxBodyKept)
	assert.Equal(t, len(page), logged[0].responseBytes)
	assert.Equal(t, "the groups", logged[0].note)
}

// Of the applications, only the links of the one the target names may be
// written, whether by path or by a $ref add's body; any other
// application, and the application itself, never.
func TestTheGuardWritesOnlyTheNamedApplicationsLinks(t *testing.T) {
	g := recordedGuard()
	app := func(id string) string { return guardBase + graph.ApplicationConnectorGroupRefPath(id) }
	link := func(id string) []byte {
		return []byte(`{"@odata.id":"` + graph.ApplicationLinkAt(guardBase, id) + `"}`)
	}
	tests := []struct {
		name, method, target string
		body                 []byte
		refusal              string
	}{
		{"a PUT of the named application's group", http.MethodPut, app(namedApp), nil, ""},
		{"the same, the id in upper case", http.MethodPut, app(strings.ToUpper(namedApp)), nil, ""},
		{"a DELETE of its assignment", http.MethodDelete, app(namedApp), nil, ""},
		{"a $ref add naming it", http.MethodPost, guardBase + graph.GroupApplicationsRefPath(existingID), link(namedApp), ""},
		{"its link in the directoryObjects form", http.MethodPost, guardBase + graph.GroupApplicationsRefPath(existingID), []byte(`{"@odata.id":"` + guardBase + `/directoryObjects/` + namedApp + `"}`), ""},
		{"a PUT of another application's group", http.MethodPut, app(otherApp), nil, "application " + otherApp + " is not one this run was given"},
		{"a DELETE of another's assignment", http.MethodDelete, app(otherApp), nil, "is not one this run was given"},
		{"a $ref add naming another", http.MethodPost, guardBase + graph.GroupApplicationsRefPath(madeID), link(otherApp), "is not one this run was given (-application, -unpublished-application): verify changes no other application: verify will not assign it"},
		{"a DELETE of the named application itself", http.MethodDelete, guardBase + graph.ApplicationPath(namedApp), nil, "never the application itself"},
		{"a PATCH of the named application", http.MethodPatch, guardBase + graph.ApplicationPath(namedApp), nil, "never the application itself"},
		{"a create of an application", http.MethodPost, guardBase + graph.ApplicationsPath(), nil, "verify POSTs only to create a group or to add a reference"},
		{"a $ref add of a connector", http.MethodPost, guardBase + graph.MembersRefPath(madeID), []byte(`{"@odata.id":"` + graph.ConnectorLinkAt(guardBase, otherApp) + `"}`), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := g.admit(tt.method, tt.target, tt.body)
			if tt.refusal == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			reason, refused := isRefused(err)
			assert.True(t, refused)
			assert.Contains(t, reason, tt.refusal)
		})
	}
	none := newWriteGuard(guardBase, Target{})
	none.recordSnapshot(&snapshot{objects: map[string]map[string]entity{}}, listing{})
	assert.Error(t, none.admit(http.MethodPut, app(namedApp), nil), "without -application, no application may be written")
}
