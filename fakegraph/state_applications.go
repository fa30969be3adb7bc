package fakegraph

// The state API of the applications (state.go says what it promises):
// read them, the group each reports and each group's, and assign and
// unassign them as the API does, without HTTP.

// Applications returns every application, sorted by id, each with the
// group it is assigned to ("" when none).
func (s *Server) Applications() []Application { return s.store.Applications() }

// Application returns one application, or ErrApplicationNotFound.
func (s *Server) Application(id string) (Application, error) { return s.store.Application(id) }

// ApplicationGroup returns the group the application reports (GET
// applications/{id}/connectorGroup): the one it is assigned to, else the
// default group; ErrPublishingNotEnabled when its publishing is off, or
// ErrApplicationNotFound.
func (s *Server) ApplicationGroup(applicationID string) (ConnectorGroup, error) {
	return s.store.ApplicationGroup(applicationID)
}

// GroupApplications returns the applications that report the group,
// sorted by id, or ErrGroupNotFound.
func (s *Server) GroupApplications(groupID string) ([]Application, error) {
	return s.store.GroupApplications(groupID)
}

// AssignApplication does what PUT applications/{id}/connectorGroup/$ref
// does: the application is then in the group, and in no other. It returns
// ErrApplicationNotFound, ErrPublishingNotEnabled or ErrGroupNotFound, and
// changes nothing, when it cannot. Its arguments come in MoveConnector's
// order, the group first.
func (s *Server) AssignApplication(groupID, applicationID string) error {
	return s.store.AssignApplication(groupID, applicationID, fromApplication)
}

// UnassignApplication does what DELETE applications/{id}/connectorGroup/$ref
// does: the application is assigned to no group, and reports the default
// one.
func (s *Server) UnassignApplication(applicationID string) error {
	return s.store.UnassignApplication(applicationID)
}

// seedApplications is the applications as a seed writes them.
func seedApplications(apps []Application) []SeedApplication {
	if len(apps) == 0 {
		return nil
	}
	out := make([]SeedApplication, len(apps))
	for i, a := range apps {
		out[i] = SeedApplication(a) // the same fields, with the JSON tags
	}
	return out
}
