package fakegraph

import (
	"context"

	"github.com/connectorgroups/connectorgroups/gen/api"
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
func (h *handler) AddConnectorToConnectorGroup(ctx context.Context, req api.AddConnectorToConnectorGroupRequestObject) (api.AddConnectorToConnectorGroupResponseObject, error) {
	if req.Body == nil {
		return strictResponse(ctx, emptyPayload), nil
	}
	connectorID, err := connectorIDFromODataID(req.Body.OdataId)
	if err != nil {
		return strictResponse(ctx, addMemberError(err, req.Id, "")), nil
	}
	c, err := h.store.AddMember(req.Id, connectorID)
	if err != nil {
		return strictResponse(ctx, addMemberError(err, req.Id, connectorID)), nil
	}
	ids := requestIDsFrom(ctx)
	return api.AddConnectorToConnectorGroup201JSONResponse{ConnectorCreatedJSONResponse: api.ConnectorCreatedJSONResponse{
		Body:    apiConnector(c),
		Headers: api.ConnectorCreatedResponseHeaders{RequestId: ids.requestID, ClientRequestId: ids.clientRequestID},
	}}, nil
}

func apiConnector(c Connector) api.Connector {
	out := api.Connector{
		Id:          c.ID,
		MachineName: c.MachineName,
		ExternalIp:  c.ExternalIP,
		Status:      api.ConnectorStatus(c.Status),
	}
	if c.Version != "" {
		out.Version = &c.Version
	}
	return out
}
