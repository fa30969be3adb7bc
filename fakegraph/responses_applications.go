package fakegraph

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The generated strict server's response interfaces of the application
// operations (responses.go has the others).
func (r response) VisitListApplicationsResponse(w http.ResponseWriter) error { return r.write(w) }
func (r response) VisitGetApplicationResponse(w http.ResponseWriter) error   { return r.write(w) }
func (r response) VisitGetApplicationConnectorGroupResponse(w http.ResponseWriter) error {
	return r.write(w)
}
func (r response) VisitSetApplicationConnectorGroupResponse(w http.ResponseWriter) error {
	return r.write(w)
}
func (r response) VisitRemoveApplicationConnectorGroupResponse(w http.ResponseWriter) error {
	return r.write(w)
}
func (r response) VisitListConnectorGroupApplicationsResponse(w http.ResponseWriter) error {
	return r.write(w)
}
func (r response) VisitAddConnectorGroupApplicationResponse(w http.ResponseWriter) error {
	return r.write(w)
}

// The application errors.
var (
	publishingNotEnabled = graphError{status: http.StatusNotFound, code: graph.CodeApplicationNotFound, message: graph.MsgPublishingNotEnabled}
	alreadyAssigned      = badRequest(graph.CodeRequestBadRequest, graph.MsgAlreadyAssigned)
)

// applicationError maps a failure of the store, or of reading a link, on
// the group and application the request names; either may be "". What is
// not the applications' own goes to storeError.
func applicationError(err error, groupID, applicationID string) graphError {
	switch {
	case errors.Is(err, ErrApplicationNotFound):
		return resourceNotFound(applicationID)
	case errors.Is(err, ErrPublishingNotEnabled):
		return publishingNotEnabled
	case errors.Is(err, ErrAlreadyAssigned):
		return alreadyAssigned
	case errors.Is(err, graph.ErrNotAnApplicationLink):
		return invalidURL
	}
	return storeError(err, groupID, "")
}

// applicationRuleError is storeError's answer to the two group rules a
// group's applications break: its region cannot change, it cannot be
// deleted. ok is false for any other error.
func applicationRuleError(err error, groupID string) (graphError, bool) {
	var format string
	switch {
	case errors.Is(err, ErrGroupHoldsApplications):
		format = graph.MsgGroupHasApplications
	case errors.Is(err, ErrRegionLockedByApplications):
		format = graph.MsgRegionLockedApplications
	default:
		return graphError{}, false
	}
	return badRequest(graph.CodeRequestBadRequest, graph.OneLine(fmt.Sprintf(format, groupID), 300)), true
}
