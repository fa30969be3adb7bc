package compat_test

// applicationSteps is where the steps of a connector group's applications
// go (list a group's applications, assign one through
// connectorGroups/{id}/applications/$ref and through
// applications/{id}/connectorGroup/$ref, read and unassign it) once the
// fake serves them. They run after the throttling steps, while the group
// the lifecycle created still exists, and before the cleanup deletes it.
func applicationSteps() []step {
	return nil
}
