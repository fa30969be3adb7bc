package fakegraph

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The applications' property: random sequences of what can be done to
// applications and their groups over HTTP (assign from either side,
// remove an assignment, change a group's region, delete a group, create
// one, move a connector), each judged against a model of its own that
// knows only the rules of store_applications.go:
//
//   - an application with publishing on reports the group it was assigned
//     to, else the default group; one with publishing off reports none
//     (404 Application_NotFound) and cannot be assigned;
//   - every group lists exactly the applications that report it, so an
//     application is listed by one group at most;
//   - a group that holds applications or connectors keeps its region and
//     cannot be deleted.
//
// After every step the fake's whole answer is read back (each
// application's group, each group's applications, through paging) and
// compared with the model. -property.app-steps=N sets the number of steps.

var propertyAppSteps = flag.Int("property.app-steps", 300, "how many steps TestPropertyApplicationsModel takes")

// appModel is the property's own model of the applications.
type appModel struct {
	defaultGroup string
	groups       []string          // ids, in creation order
	regions      map[string]string // group → region ("" none)
	connectors   map[string]int    // group → how many connectors it holds
	published    map[string]bool   // application → publishing on
	assigned     map[string]string // application → group it was assigned to, "" none
	apps         []string          // application ids, sorted
}

func newAppModel(seed *Seed) *appModel {
	m := &appModel{regions: map[string]string{}, connectors: map[string]int{}, published: map[string]bool{}, assigned: map[string]string{}}
	for _, g := range seed.Placed() {
		m.groups = append(m.groups, g.ID)
		m.regions[g.ID] = g.Region
		m.connectors[g.ID] = len(g.Members)
		if g.IsDefault {
			m.defaultGroup = g.ID
		}
	}
	for _, a := range seed.Applications {
		m.apps = append(m.apps, a.ID)
		m.published[a.ID] = a.Published()
		m.assigned[a.ID] = a.ConnectorGroup
	}
	slices.Sort(m.apps)
	return m
}

// reports is the group the application reports, "" for none.
func (m *appModel) reports(app string) string {
	switch {
	case !m.published[app]:
		return ""
	case m.assigned[app] != "":
		return m.assigned[app]
	}
	return m.defaultGroup
}

// listed is the group's applications, sorted by id.
func (m *appModel) listed(group string) []string {
	out := []string{}
	for _, a := range m.apps {
		if m.reports(a) == group {
			out = append(out, a)
		}
	}
	return out
}

func (m *appModel) hasGroup(id string) bool { return slices.Contains(m.groups, id) }

// propertyAppSeed is the default seed with two more applications, so that
// a group can hold several: one more published, one more without.
func propertyAppSeed() *Seed {
	seed := DefaultSeed()
	seed.Applications = append(seed.Applications,
		SeedApplication{ID: "0a1b2c3d-0000-4000-8000-000000000001", AppID: "p-1", DisplayName: "Extra", OnPremisesPublishing: json.RawMessage(`{"externalUrl":"https://extra/"}`), ConnectorGroup: emptyGroupID},
		SeedApplication{ID: "ffffffff-0000-4000-8000-000000000002", AppID: "p-2", DisplayName: "Plain"},
	)
	return seed
}

func TestPropertyApplicationsModel(t *testing.T) {
	seed := propertyAppSeed()
	s, srv := newServer(t, seed)
	m := newAppModel(seed)
	r := rand.New(rand.NewPCG(20261207, 7))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	anyGroup := func() string {
		if r.IntN(12) == 0 {
			return "00000000-0000-4000-8000-00000000dead"
		}
		return pick(m.groups)
	}
	anyApp := func() string {
		if r.IntN(15) == 0 {
			return "00000000-0000-4000-8000-00000000beef"
		}
		return pick(m.apps)
	}
	regions := []string{"nam", "eur", "aus", "asia", "ind"}
	steps := map[string]int{}
	for i := range *propertyAppSteps {
		var c call
		var want int
		var what string
		switch op := r.IntN(8); op {
		case 0, 1: // assign from the group's side
			g, a := anyGroup(), anyApp()
			what, c = "POST applications/$ref", assignByGroup(g, a)
			switch {
			case !m.hasGroup(g), !slices.Contains(m.apps, a), !m.published[a]:
				want = http.StatusNotFound
			case m.reports(a) == g:
				want = http.StatusBadRequest
			default:
				want = http.StatusNoContent
				m.assigned[a] = g
			}
		case 2, 3: // assign from the application's side
			g, a := anyGroup(), anyApp()
			what, c = "PUT connectorGroup/$ref", assignByApplication(g, a)
			switch {
			case !slices.Contains(m.apps, a), !m.published[a], !m.hasGroup(g):
				want = http.StatusNotFound
			default:
				want = http.StatusNoContent
				m.assigned[a] = g
			}
		case 4: // remove an assignment
			a := anyApp()
			what, c = "DELETE connectorGroup/$ref", unassign(a)
			switch {
			case !slices.Contains(m.apps, a), !m.published[a]:
				want = http.StatusNotFound
			default:
				want = http.StatusNoContent
				m.assigned[a] = ""
			}
		case 5: // change a region
			g, region := anyGroup(), pick(regions)
			what, c = "PATCH region", apiCall(http.MethodPatch, groupPath(g), `{"region":"`+region+`"}`)
			switch {
			case !m.hasGroup(g):
				want = http.StatusNotFound
			case region != m.regions[g] && (m.connectors[g] > 0 || len(m.listed(g)) > 0):
				want = http.StatusBadRequest
			default:
				want = http.StatusNoContent
				m.regions[g] = region
			}
		case 6: // delete a group, or make one when few are left
			if len(m.groups) < 4 {
				what = "POST connectorGroups"
				ex := send(t, srv, apiCall(http.MethodPost, groupsPath, `{"name":"made"}`))
				requireSuccess(t, ex, http.StatusOK)
				id := decodeAs[api.ConnectorGroup](t, ex).Id
				m.groups, m.regions[id] = append(m.groups, id), ""
				steps[what]++
				m.check(t, s, srv, i, what)
				continue
			}
			g := anyGroup()
			what, c = "DELETE group", apiCall(http.MethodDelete, groupPath(g), "")
			switch {
			case !m.hasGroup(g):
				want = http.StatusNotFound
			case g == m.defaultGroup, m.connectors[g] > 0, len(m.listed(g)) > 0:
				want = http.StatusBadRequest
			default:
				want = http.StatusNoContent
				m.groups = slices.DeleteFunc(m.groups, func(id string) bool { return id == g })
			}
		default: // move a connector, so that groups fill and empty
			connector := pick([]string{docConnectorID, europeMember, inactiveConnID})
			g := pick(m.groups)
			from, err := s.GroupOf(connector)
			require.NoError(t, err)
			what, c = "POST members/$ref", addByMembers(g, connector)
			if from.ID == g {
				want = http.StatusBadRequest
			} else {
				want = http.StatusNoContent
				m.connectors[from.ID]--
				m.connectors[g]++
			}
		}
		ex := send(t, srv, c)
		require.Equal(t, want, ex.status, "step %d, %s %s: body %s", i, what, c.path, ex.body)
		steps[what]++
		m.check(t, s, srv, i, what)
	}
	t.Logf("steps: %v", steps)
	for _, what := range []string{"POST applications/$ref", "PUT connectorGroup/$ref", "DELETE connectorGroup/$ref", "PATCH region", "DELETE group", "POST connectorGroups", "POST members/$ref"} {
		require.NotZero(t, steps[what], "no step did %s: the property would pass vacuously there", what)
	}
}

// check reads everything back over HTTP (each application's group, each
// group's applications through paging) and through the state API, and
// compares both with the model.
func (m *appModel) check(t *testing.T, s *Server, srv *httptest.Server, step int, what string) {
	t.Helper()
	at := fmt.Sprintf("after step %d (%s)", step, what)
	for _, a := range m.apps {
		ex := send(t, srv, apiCall(http.MethodGet, applicationGroupPath(a), ""))
		want := m.reports(a)
		if want == "" {
			requireGraphError(t, ex, http.StatusNotFound, graph.CodeApplicationNotFound, graph.MsgPublishingNotEnabled)
			continue
		}
		require.Equal(t, http.StatusOK, ex.status, "%s: application %s: %s", at, a, ex.body)
		require.Equal(t, want, decodeAs[api.ConnectorGroup](t, ex).Id, "%s: the group application %s reports", at, a)
	}
	for _, g := range m.groups {
		ids, _ := walkIDs(t, srv, groupApplicationsPath(g)+"?$top=2", nil)
		if ids == nil {
			ids = []string{}
		}
		require.Equal(t, m.listed(g), ids, "%s: group %s's applications", at, g)
		apps, err := s.GroupApplications(g)
		require.NoError(t, err, at)
		require.Len(t, apps, len(ids), "%s: the state API agrees", at)
		grp, err := s.Group(g)
		require.NoError(t, err, at)
		require.Equal(t, m.regions[g], grp.Region, "%s: group %s's region", at, g)
	}
	require.Len(t, s.Groups(), len(m.groups), at)
}
