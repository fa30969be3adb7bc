package fakegraph

import (
	"context"
	"net/http"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Applications, and the one connector group each is in, read and written
// from both sides (store_applications.go holds the rules).

// ListApplications answers a page of every application, sorted by id.
// openapi/connectorgroups.yaml#/paths/~1applications/get
func (h *handler) ListApplications(ctx context.Context, req api.ListApplicationsRequestObject) (api.ListApplicationsResponseObject, error) {
	fetch := func(after string, limit int) ([]Application, bool, error) {
		apps, more := h.store.ApplicationsPage(after, limit)
		return apps, more, nil
	}
	return servePage(ctx, h, listKey(graph.OpListApplications, ""), listQuery{req.Params.Top, req.Params.Skiptoken},
		graph.ApplicationsContext(graph.Beta), fetch, idOfApplication, appendApplicationItem,
		func(err error) graphError { return applicationError(err, "", "") }), nil
}

// GetApplication answers one application, or 404.
// openapi/connectorgroups.yaml#/paths/~1applications~1{id}/get
func (h *handler) GetApplication(ctx context.Context, req api.GetApplicationRequestObject) (api.GetApplicationResponseObject, error) {
	a, err := h.store.Application(req.Id)
	if err != nil {
		return applicationError(err, "", req.Id).response(ctx), nil
	}
	buf := bodyBuffer(320 + len(a.OnPremisesPublishing))
	return pooledSuccess(http.StatusOK, buf, appendApplication(*buf, a, graph.ApplicationEntityContext(graph.Beta))), nil
}

// GetApplicationConnectorGroup answers the group the application reports:
// the one it is assigned to, else the default group; 404
// Application_NotFound when its publishing is off.
// openapi/connectorgroups.yaml#/paths/~1applications~1{id}~1connectorGroup/get
func (h *handler) GetApplicationConnectorGroup(ctx context.Context, req api.GetApplicationConnectorGroupRequestObject) (api.GetApplicationConnectorGroupResponseObject, error) {
	g, err := h.store.ApplicationGroup(req.Id)
	if err != nil {
		return applicationError(err, "", req.Id).response(ctx), nil
	}
	buf := bodyBuffer(320)
	return pooledSuccess(http.StatusOK, buf, appendGroup(*buf, g, graph.ApplicationConnectorGroupContext(graph.Beta, req.Id))), nil
}

// SetApplicationConnectorGroup assigns the application to the group the
// body's link names, or moves it there, and answers 204, as the doc page
// and the live service do.
// openapi/connectorgroups.yaml#/paths/~1applications~1{id}~1connectorGroup~1$ref/put
func (h *handler) SetApplicationConnectorGroup(ctx context.Context, req api.SetApplicationConnectorGroupRequestObject) (api.SetApplicationConnectorGroupResponseObject, error) {
	if req.Body == nil {
		return emptyPayload.response(ctx), nil
	}
	groupID, err := graph.ParseConnectorGroupLink(req.Body.OdataId)
	if err != nil {
		return applicationError(err, "", req.Id).response(ctx), nil
	}
	if err := h.store.AssignApplication(groupID, req.Id, fromApplication); err != nil {
		return applicationError(err, groupID, req.Id).response(ctx), nil
	}
	return noContent(), nil
}

// RemoveApplicationConnectorGroup removes the application's assignment
// and answers 204; it then reports the default group.
// openapi/connectorgroups.yaml#/paths/~1applications~1{id}~1connectorGroup~1$ref/delete
func (h *handler) RemoveApplicationConnectorGroup(ctx context.Context, req api.RemoveApplicationConnectorGroupRequestObject) (api.RemoveApplicationConnectorGroupResponseObject, error) {
	if err := h.store.UnassignApplication(req.Id); err != nil {
		return applicationError(err, "", req.Id).response(ctx), nil
	}
	return noContent(), nil
}

// ListConnectorGroupApplications answers a page of the applications that
// report the group, sorted by id, or 404.
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups~1{id}~1applications/get
func (h *handler) ListConnectorGroupApplications(ctx context.Context, req api.ListConnectorGroupApplicationsRequestObject) (api.ListConnectorGroupApplicationsResponseObject, error) {
	fetch := func(after string, limit int) ([]Application, bool, error) {
		return h.store.GroupApplicationsPage(req.Id, after, limit)
	}
	return servePage(ctx, h, listKey(graph.OpListConnectorGroupApplications, req.Id), listQuery{req.Params.Top, req.Params.Skiptoken},
		graph.GroupApplicationsContext(graph.Beta, req.Id), fetch, idOfApplication, appendApplicationItem,
		func(err error) graphError { return applicationError(err, req.Id, "") }), nil
}

// AddConnectorGroupApplication assigns the linked application to the
// group, out of the one it was in, and answers 204; adding it to the group
// it is in is the duplicate 400.
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups~1{id}~1applications~1$ref/post
func (h *handler) AddConnectorGroupApplication(ctx context.Context, req api.AddConnectorGroupApplicationRequestObject) (api.AddConnectorGroupApplicationResponseObject, error) {
	if req.Body == nil {
		return emptyPayload.response(ctx), nil
	}
	applicationID, err := graph.ParseApplicationLink(req.Body.OdataId)
	if err != nil {
		return applicationError(err, req.Id, "").response(ctx), nil
	}
	if err := h.store.AssignApplication(req.Id, applicationID, fromGroup); err != nil {
		return applicationError(err, req.Id, applicationID).response(ctx), nil
	}
	return noContent(), nil
}

func idOfApplication(a Application) string { return a.ID }
