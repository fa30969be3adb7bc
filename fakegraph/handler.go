package fakegraph

import (
	"context"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// handler implements the spec's operations on the store. By the time it
// runs, the request is authenticated and valid against the spec.
type handler struct {
	store *store
}

var _ api.StrictServerInterface = (*handler)(nil)

// AddConnectorToConnectorGroup adds the connector that the body's @odata.id
// names to the group and answers 201 with the connector, as the doc page says.
// openapi/connectorgroups.yaml#/paths/~1connectorGroups~1{id}~1members~1$ref/post
//
// The body it gets is the one the validator checked, re-encoded with the
// declared properties only (see validateRequests), so the generated
// binding's case-insensitive matching cannot pick another property.
func (h *handler) AddConnectorToConnectorGroup(ctx context.Context, req api.AddConnectorToConnectorGroupRequestObject) (api.AddConnectorToConnectorGroupResponseObject, error) {
	if req.Body == nil {
		return emptyPayload.response(ctx), nil
	}
	connectorID, err := graph.ParseConnectorLink(req.Body.OdataId)
	if err != nil {
		return addMemberError(err, req.Id, "").response(ctx), nil
	}
	c, err := h.store.AddMember(req.Id, connectorID)
	if err != nil {
		return addMemberError(err, req.Id, connectorID).response(ctx), nil
	}
	return connectorCreated(ctx, c), nil
}
