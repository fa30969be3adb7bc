package fakegraph

import (
	"context"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// A group's members, read and moved in at today's path. The doc's path
// (handler.go) moves connectors the same way, in the same model.

// ListConnectorGroupMembers answers a page of the group's connectors,
// sorted by id, or 404.
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups~1{id}~1members/get
func (h *handler) ListConnectorGroupMembers(ctx context.Context, req api.ListConnectorGroupMembersRequestObject) (api.ListConnectorGroupMembersResponseObject, error) {
	fetch := func(after string, limit int) ([]listedConnector, bool, error) {
		return h.store.MembersPage(req.Id, after, limit)
	}
	return servePage(ctx, h, listKey(graph.OpListConnectorGroupMembers, req.Id), listQuery{req.Params.Top, req.Params.Skiptoken},
		graph.MembersContext(graph.Beta, req.Id), fetch, idOfListedConnector, appendListedConnector,
		func(err error) graphError { return storeError(err, req.Id, "") }), nil
}

// AddConnectorGroupMember moves the linked connector into the group, out
// of the one it was in, and answers 204, as today's service does; adding
// it to the group it is in is the duplicate 400.
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups~1{id}~1members~1$ref/post
func (h *handler) AddConnectorGroupMember(ctx context.Context, req api.AddConnectorGroupMemberRequestObject) (api.AddConnectorGroupMemberResponseObject, error) {
	if req.Body == nil {
		return emptyPayload.response(ctx), nil
	}
	if _, ge := h.moveByConnectorLink(req.Id, req.Body.OdataId); ge != nil {
		return ge.response(ctx), nil
	}
	return noContent(), nil
}
