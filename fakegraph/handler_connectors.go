package fakegraph

import (
	"context"
	"net/http"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Connectors, and the one group each is in, read and written from the
// connector's side.

// ListConnectors answers a page of every connector, sorted by id.
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectors/get
func (h *handler) ListConnectors(ctx context.Context, req api.ListConnectorsRequestObject) (api.ListConnectorsResponseObject, error) {
	fetch := func(after string, limit int) ([]listedConnector, bool, error) {
		connectors, more := h.store.ConnectorsPage(after, limit)
		return connectors, more, nil
	}
	return servePage(ctx, h, listKey(graph.OpListConnectors, ""), listQuery{req.Params.Top, req.Params.Skiptoken},
		graph.ConnectorsContext(graph.Beta), fetch, idOfListedConnector, appendListedConnector,
		func(err error) graphError { return storeError(err, "", "") }), nil
}

// GetConnector answers one connector, or 404.
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectors~1{id}/get
func (h *handler) GetConnector(ctx context.Context, req api.GetConnectorRequestObject) (api.GetConnectorResponseObject, error) {
	c, err := h.store.Connector(req.Id)
	if err != nil {
		return storeError(err, "", req.Id).response(ctx), nil
	}
	return connectorEntity(ctx, http.StatusOK, c, graph.ApplicationProxyConnectorEntityContext(graph.Beta)), nil
}

// ListConnectorMemberOf answers the connector's groups: exactly one, the
// group it is in, as a page like every list's; or 404.
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectors~1{id}~1memberOf/get
func (h *handler) ListConnectorMemberOf(ctx context.Context, req api.ListConnectorMemberOfRequestObject) (api.ListConnectorMemberOfResponseObject, error) {
	fetch := func(after string, limit int) ([]ConnectorGroup, bool, error) {
		return h.store.MemberOfPage(req.Id, after, limit)
	}
	return servePage(ctx, h, listKey(graph.OpListConnectorMemberOf, req.Id), listQuery{req.Params.Top, req.Params.Skiptoken},
		graph.MemberOfContext(graph.Beta, req.Id), fetch, idOfGroup, appendGroupItem,
		func(err error) graphError { return storeError(err, "", req.Id) }), nil
}

// AddConnectorMemberOf moves the connector into the group the body's
// @odata.id names (today's link form) and answers 204: the reverse of
// AddConnectorGroupMember, in the same model. A link of the right shape
// that names no group is 404; any other shape, 400 "Invalid URL format".
// openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectors~1{id}~1memberOf~1$ref/post
func (h *handler) AddConnectorMemberOf(ctx context.Context, req api.AddConnectorMemberOfRequestObject) (api.AddConnectorMemberOfResponseObject, error) {
	if req.Body == nil {
		return emptyPayload.response(ctx), nil
	}
	groupID, err := graph.ParseConnectorGroupLink(req.Body.OdataId)
	if err != nil {
		return storeError(err, "", req.Id).response(ctx), nil
	}
	if _, err := h.store.move(groupID, req.Id, connectorFirst); err != nil {
		return storeError(err, groupID, req.Id).response(ctx), nil
	}
	return noContent(), nil
}
