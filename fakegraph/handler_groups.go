package fakegraph

import (
	"context"
	"net/http"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The connector groups' lifecycle: list, create, get, update, delete.

// ListConnectorGroups answers a page of every group, sorted by id.
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups/get
func (h *handler) ListConnectorGroups(ctx context.Context, req api.ListConnectorGroupsRequestObject) (api.ListConnectorGroupsResponseObject, error) {
	fetch := func(after string, limit int) ([]ConnectorGroup, bool, error) {
		groups, more := h.store.GroupsPage(after, limit)
		return groups, more, nil
	}
	return servePage(ctx, h, listKey(graph.OpListConnectorGroups, ""), listQuery{req.Params.Top, req.Params.Skiptoken},
		graph.ConnectorGroupsContext(graph.Beta), fetch, idOfGroup, appendGroupItem,
		func(err error) graphError { return storeError(err, "", "") }), nil
}

// CreateConnectorGroup adds a group and answers with it: 200, as the live
// service does, or 201, as the create page documents (WithAnswers). The
// validator has refused the system-set id and any property the type
// lacks; isDefault and connectorGroupType, which the live service accepts
// and ignores, are ignored here too, so the group is never the default
// and its type is the system's. Region null (bound as "") or absent is no
// region.
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups/post
func (h *handler) CreateConnectorGroup(ctx context.Context, req api.CreateConnectorGroupRequestObject) (api.CreateConnectorGroupResponseObject, error) {
	if req.Body == nil {
		return emptyPayload.response(ctx), nil
	}
	region := ""
	if req.Body.Region != nil {
		region = string(*req.Body.Region)
	}
	return groupEntity(ctx, h.answers.createStatus(), h.store.CreateGroup(req.Body.Name, region)), nil
}

// GetConnectorGroup answers one group, or 404.
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups~1{id}/get
func (h *handler) GetConnectorGroup(ctx context.Context, req api.GetConnectorGroupRequestObject) (api.GetConnectorGroupResponseObject, error) {
	g, err := h.store.Group(req.Id)
	if err != nil {
		return storeError(err, req.Id, "").response(ctx), nil
	}
	return groupEntity(ctx, http.StatusOK, g), nil
}

// UpdateConnectorGroup changes the name or the region and answers 204, as
// the live service does, or 200 with the group, as the update page
// documents (WithAnswers). isDefault and connectorGroupType are ignored,
// as the live service ignores them. "region": null clears the region: it
// reaches the handler as a pointer to the empty region, the store's no
// region (see bindNullsAsEmpty), where no region sent is a nil pointer.
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups~1{id}/patch
func (h *handler) UpdateConnectorGroup(ctx context.Context, req api.UpdateConnectorGroupRequestObject) (api.UpdateConnectorGroupResponseObject, error) {
	if req.Body == nil {
		return emptyPayload.response(ctx), nil
	}
	patch := groupPatch{name: req.Body.Name}
	if req.Body.Region != nil {
		region := string(*req.Body.Region)
		patch.region = &region
	}
	g, err := h.store.UpdateGroup(req.Id, patch)
	if err != nil {
		return storeError(err, req.Id, "").response(ctx), nil
	}
	if h.answers.updateAnswersGroup() {
		return groupEntity(ctx, http.StatusOK, g), nil
	}
	return noContent(), nil
}

// DeleteConnectorGroup removes an empty group that is not the default one
// and answers 204; a later GET is 404.
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups~1{id}/delete
func (h *handler) DeleteConnectorGroup(ctx context.Context, req api.DeleteConnectorGroupRequestObject) (api.DeleteConnectorGroupResponseObject, error) {
	if err := h.store.DeleteGroup(req.Id); err != nil {
		return storeError(err, req.Id, "").response(ctx), nil
	}
	return noContent(), nil
}
