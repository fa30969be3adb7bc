package fakegraph

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Applications and the one connector group each is in: the
// connectorGroup's other relationship (beta CSDL: a group's applications,
// an application's connectorGroup). The rules, in one place:
//
//   - An application whose on-premises publishing is off (its
//     onPremisesPublishing is null) has no connector group and cannot be
//     given one: Application_NotFound "OnPremisesPublishing is not
//     enabled" [seen, terraform-provider-microsoft365 PR #3213].
//   - An application with publishing on is in at most one group it was
//     assigned to; assigning it elsewhere moves it.
//   - One that is not assigned (never, or since its assignment was
//     removed) reports the tenant's default group [seen after a removal,
//     same PR; inferred for one never assigned], and the default group
//     lists it. So as read, every published application is in exactly one
//     group, as every connector is.
//   - A group holds the applications that report it: its region cannot
//     change while it holds any [doc: connectorGroup resource], and it
//     cannot be deleted while it holds any [inferred: Graph refuses to
//     delete a group that is not empty].

// The application sentinels.
var (
	ErrApplicationNotFound = errors.New("fakegraph: application not found")
	// ErrPublishingNotEnabled: the application's on-premises publishing is
	// off, so it has no connector group and cannot be assigned one.
	ErrPublishingNotEnabled = errors.New("fakegraph: the application's on-premises publishing is not enabled")
	// ErrAlreadyAssigned: a $ref add of an application to the group it is
	// in already.
	ErrAlreadyAssigned = errors.New("fakegraph: the application is in the group already")
	// ErrGroupHoldsApplications is ErrGroupNotEmpty for a group that holds
	// applications but no connectors.
	ErrGroupHoldsApplications = fmt.Errorf("%w: it holds applications", ErrGroupNotEmpty)
	// ErrRegionLockedByApplications is ErrRegionLocked for a group that
	// holds applications but no connectors.
	ErrRegionLockedByApplications = fmt.Errorf("%w: it holds applications", ErrRegionLocked)
)

// Application is the fake's record of an application: the part of Graph's
// application that Application Proxy needs.
type Application struct {
	ID          string
	AppID       string
	DisplayName string
	// OnPremisesPublishing is the onPremisesPublishing object as compact
	// JSON, nil when on-premises publishing is off.
	OnPremisesPublishing json.RawMessage
	// ConnectorGroup is the id of the group the application was assigned
	// to, "" when it is not assigned: one with publishing on then reports
	// the default group (ApplicationGroup).
	ConnectorGroup string
}

// Published reports whether the application's on-premises publishing is
// on, the condition of having a connector group.
func (a Application) Published() bool { return a.OnPremisesPublishing != nil }

// appRecord is one application in the store.
type appRecord struct {
	app      Application // ConnectorGroup unused here; see assigned
	assigned *groupRecord
}

// snapshot copies the application with the id of the group it was
// assigned to.
func (r *appRecord) snapshot() Application {
	a := r.app
	a.OnPremisesPublishing = slices.Clone(a.OnPremisesPublishing)
	a.ConnectorGroup = ""
	if r.assigned != nil {
		a.ConnectorGroup = r.assigned.group.ID
	}
	return a
}

// addApplications copies a validated seed's applications into a store
// whose groups are in place.
func (s *store) addApplications(seed []SeedApplication) {
	s.apps = make(map[string]*appRecord, len(seed))
	s.appIDs = make([]string, 0, len(seed))
	for _, a := range seed {
		rec := &appRecord{app: Application{ID: a.ID, AppID: a.AppID, DisplayName: a.DisplayName, OnPremisesPublishing: a.publishing()}}
		if a.ConnectorGroup != "" {
			rec.assigned = s.groups[a.ConnectorGroup]
		}
		s.apps[a.ID] = rec
		s.appIDs = append(s.appIDs, a.ID)
	}
	slices.Sort(s.appIDs)
}

// reportedGroup is the group the application reports: the one it was
// assigned to, else the default group; nil when its publishing is off.
// The caller holds the lock.
func (s *store) reportedGroup(r *appRecord) *groupRecord {
	switch {
	case !r.app.Published():
		return nil
	case r.assigned != nil:
		return r.assigned
	}
	return s.defaultGroup
}

// holdsApplications reports whether any application reports g; the
// caller holds the lock. A tenant has few applications, so it looks at
// each.
func (s *store) holdsApplications(g *groupRecord) bool {
	for _, id := range s.appIDs {
		if s.reportedGroup(s.apps[id]) == g {
			return true
		}
	}
	return false
}

// Applications returns every application, sorted by id.
func (s *store) Applications() []Application {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.applicationsOf(s.appIDs)
}

// applicationsOf copies the applications with these ids; the caller holds
// the lock.
func (s *store) applicationsOf(ids []string) []Application {
	out := make([]Application, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.apps[id].snapshot())
	}
	return out
}

// Application returns one application.
func (s *store) Application(id string) (Application, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.apps[id]
	if !ok {
		return Application{}, ErrApplicationNotFound
	}
	return r.snapshot(), nil
}

// ApplicationGroup returns the group the application reports.
func (s *store) ApplicationGroup(id string) (ConnectorGroup, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.apps[id]
	if !ok {
		return ConnectorGroup{}, ErrApplicationNotFound
	}
	g := s.reportedGroup(r)
	if g == nil {
		return ConnectorGroup{}, ErrPublishingNotEnabled
	}
	return g.snapshot(), nil
}

// GroupApplications returns the applications that report the group,
// sorted by id.
func (s *store) GroupApplications(groupID string) ([]Application, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, ok := s.groups[groupID]
	if !ok {
		return nil, ErrGroupNotFound
	}
	out, _ := s.groupApplicationsAfter(g, "", len(s.appIDs))
	return out, nil
}

// ApplicationsPage is a page of every application.
func (s *store) ApplicationsPage(after string, limit int) ([]Application, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids, more := pageAfter(s.appIDs, after, limit)
	return s.applicationsOf(ids), more
}

// GroupApplicationsPage is a page of the group's applications.
func (s *store) GroupApplicationsPage(groupID, after string, limit int) ([]Application, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, ok := s.groups[groupID]
	if !ok {
		return nil, false, ErrGroupNotFound
	}
	page, more := s.groupApplicationsAfter(g, after, limit)
	return page, more, nil
}

// groupApplicationsAfter is the page of g's applications, in id order,
// that starts strictly after after and holds at most limit, and whether
// more follow; the caller holds the lock.
func (s *store) groupApplicationsAfter(g *groupRecord, after string, limit int) ([]Application, bool) {
	start, _, _ := pageBounds(s.appIDs, after, 0)
	out := []Application{}
	for _, id := range s.appIDs[start:] {
		r := s.apps[id]
		if s.reportedGroup(r) != g {
			continue
		}
		if len(out) == limit {
			return out, true
		}
		out = append(out, r.snapshot())
	}
	return out, false
}

// assignSide says from which side an assignment is made: it decides
// which 404 comes first and whether assigning an application to the group
// it is in is refused.
type assignSide bool

const (
	fromGroup       assignSide = false // POST connectorGroups/{id}/applications/$ref
	fromApplication assignSide = true  // PUT applications/{id}/connectorGroup/$ref
)

// AssignApplication puts the application into the group, out of the one
// it was in. From the application's side (a PUT, which sets the link)
// assigning it to the group it reports changes nothing and succeeds; from
// the group's side (a $ref add) that is ErrAlreadyAssigned. The resource
// of the request's path is looked up first. Nothing changes unless it
// succeeds.
func (s *store) AssignApplication(groupID, applicationID string, side assignSide) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	to, groupOK := s.groups[groupID]
	r, appOK := s.apps[applicationID]
	switch {
	case side == fromApplication && !appOK:
		return ErrApplicationNotFound
	case side == fromApplication && !r.app.Published():
		return ErrPublishingNotEnabled
	case !groupOK:
		return ErrGroupNotFound
	case !appOK:
		return ErrApplicationNotFound
	case !r.app.Published():
		return ErrPublishingNotEnabled
	case side == fromGroup && s.reportedGroup(r) == to:
		return ErrAlreadyAssigned
	}
	r.assigned = to
	return nil
}

// UnassignApplication removes the application's assignment: it then
// reports the default group. Removing one that is not assigned changes
// nothing and succeeds [inferred].
func (s *store) UnassignApplication(applicationID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.apps[applicationID]
	switch {
	case !ok:
		return ErrApplicationNotFound
	case !r.app.Published():
		return ErrPublishingNotEnabled
	}
	r.assigned = nil
	return nil
}
