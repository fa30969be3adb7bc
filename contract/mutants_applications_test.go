package contract_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The applications' model mutants: each breaks one rule of applications
// and their connector group on the wire, around the fake, reading the
// fake's state API to know what it did.

// reportedGroups maps each published application to the group it
// reports, from the fake's state.
func reportedGroups(fake *fakegraph.Server) map[string]string {
	out := map[string]string{}
	for _, a := range fake.Applications() {
		if g, err := fake.ApplicationGroup(a.ID); err == nil {
			out[a.ID] = g.ID
		}
	}
	return out
}

// trackAssignments calls moved for each application a write request moved
// from one group to another.
func trackAssignments(fake *fakegraph.Server, moved func(app, from, to string)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				next.ServeHTTP(w, r)
				return
			}
			before := reportedGroups(fake)
			next.ServeHTTP(w, r)
			for app, to := range reportedGroups(fake) {
				if from := before[app]; from != "" && from != to {
					moved(app, from, to)
				}
			}
		})
	}
}

// applicationInTwoGroups copies instead of moving: after an application
// moves, the group it left still lists it (on its last page), so it is in
// two groups at once.
func applicationInTwoGroups(fake *fakegraph.Server) func(http.Handler) http.Handler {
	var mu sync.Mutex
	kept := map[string]map[string]bool{} // group → applications it still lists
	return func(next http.Handler) http.Handler {
		tracked := trackAssignments(fake, func(app, from, to string) {
			mu.Lock()
			defer mu.Unlock()
			if kept[from] == nil {
				kept[from] = map[string]bool{}
			}
			kept[from][app] = true
			delete(kept[to], app)
		})(next)
		return rewrite(func(r *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
			if opOf(r) != graph.OpListConnectorGroupApplications || rec.Code != http.StatusOK {
				return
			}
			mu.Lock()
			var apps []string
			for app := range kept[idAfter(r, "connectorGroups")] {
				apps = append(apps, app)
			}
			mu.Unlock()
			editJSON(func(m map[string]any) {
				if _, more := m["@odata.nextLink"]; more {
					return
				}
				value, _ := m["value"].([]any)
				for _, app := range apps {
					if a, ok := fetchEntity(next, r, graph.ApplicationPath(app)); ok {
						value = append(value, a)
					}
				}
				m["value"] = value
			})(rec)
		})(tracked)
	}
}

// unassignLeavesNothing answers an application's group 404, as if it had
// none, once its assignment was removed, until it is assigned again: the
// removal leaves nothing instead of the default group.
func unassignLeavesNothing() func(http.Handler) http.Handler {
	var mu sync.Mutex
	removed := map[string]bool{}
	return rewrite(func(r *http.Request, reqBody []byte, rec *httptest.ResponseRecorder) {
		app := idAfter(r, "applications")
		mu.Lock()
		defer mu.Unlock()
		switch op := opOf(r); {
		case op == graph.OpRemoveApplicationConnectorGroup && rec.Code == http.StatusNoContent:
			removed[app] = true
		case op == graph.OpSetApplicationConnectorGroup && rec.Code == http.StatusNoContent:
			delete(removed, app)
		case op == graph.OpAddConnectorGroupApplication && rec.Code == http.StatusNoContent:
			ref, _ := odataID(reqBody).(string)
			linked, _ := graph.ParseApplicationLink(ref)
			delete(removed, linked)
		case op == graph.OpGetApplicationConnectorGroup && removed[app] && rec.Code == http.StatusOK:
			rec.Code = http.StatusNotFound
			setGraphError(rec, graph.CodeResourceNotFound, "Resource '"+app+"' does not exist or one of its queried reference-property objects are not present.")
		}
	})
}

// publishingIgnored takes the assignment of an application whose
// on-premises publishing is off, from either side, with 204: it changes
// nothing, as a server that forgot the rule and failed later might.
func publishingIgnored(fake *fakegraph.Server) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var app string
			switch opOf(r) {
			case graph.OpSetApplicationConnectorGroup:
				app = idAfter(r, "applications")
			case graph.OpAddConnectorGroupApplication:
				body, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
				ref, _ := odataID(body).(string)
				app, _ = graph.ParseApplicationLink(ref)
			}
			if a, err := fake.Application(app); err == nil && !a.Published() && withDevToken(r) {
				writeNoContent(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// applicationsOnlyIn are the applications assigned to group, when it holds
// no connector: the case the region and delete rules for applications
// alone are about.
func applicationsOnlyIn(fake *fakegraph.Server, group string) []string {
	g, err := fake.Group(group)
	if err != nil || len(g.Members) > 0 || g.IsDefault {
		return nil
	}
	var out []string
	for _, a := range fake.Applications() {
		if a.ConnectorGroup == group {
			out = append(out, a.ID)
		}
	}
	return out
}

// regionLockIgnoredForApplications changes the region of a group that
// holds applications and no connector: it takes them out, lets the fake
// change the region, and puts them back.
func regionLockIgnoredForApplications(fake *fakegraph.Server) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			group := idAfter(r, "connectorGroups")
			var held []string
			if opOf(r) == graph.OpUpdateConnectorGroup && withDevToken(r) {
				held = applicationsOnlyIn(fake, group)
			}
			for _, app := range held {
				_ = fake.UnassignApplication(app)
			}
			next.ServeHTTP(w, r)
			for _, app := range held {
				_ = fake.AssignApplication(group, app)
			}
		})
	}
}

// deleteTakesGroupHoldingApplications deletes a group that holds
// applications and no connector, their assignments removed first.
func deleteTakesGroupHoldingApplications(fake *fakegraph.Server) func(http.Handler) http.Handler {
	return onRequest(func(r *http.Request) {
		if opOf(r) != graph.OpDeleteConnectorGroup || !withDevToken(r) {
			return
		}
		for _, app := range applicationsOnlyIn(fake, idAfter(r, "connectorGroups")) {
			if err := fake.UnassignApplication(app); err != nil && !errors.Is(err, fakegraph.ErrApplicationNotFound) {
				return
			}
		}
	})
}
