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
// It reads @odata.id from the body the validator checked (see
// validateRequests), not from req.Body: the generated binding matches keys
// case-insensitively, so {"@odata.id": A, "@ODATA.ID": B} would hand it B
// after the schema was checked on A.
func (h *handler) AddConnectorToConnectorGroup(ctx context.Context, req api.AddConnectorToConnectorGroupRequestObject) (api.AddConnectorToConnectorGroupResponseObject, error) {
	ref, ok := validatedProperty(ctx, "@odata.id")
	if !ok {
		return emptyPayload.response(ctx), nil
	}
	connectorID, err := graph.ParseConnectorLink(ref)
	if err != nil {
		return addMemberError(err, req.Id, "").response(ctx), nil
	}
	c, err := h.store.AddMember(req.Id, connectorID)
	if err != nil {
		return addMemberError(err, req.Id, connectorID).response(ctx), nil
	}
	return connectorCreated(c), nil
}

type validatedBodyKey struct{}

// withValidatedBody puts the body the validator read into ctx.
func withValidatedBody(ctx context.Context, body any) context.Context {
	return context.WithValue(ctx, validatedBodyKey{}, body)
}

// validatedProperty returns a string property of the validated JSON body,
// matched byte for byte.
func validatedProperty(ctx context.Context, name string) (string, bool) {
	obj, _ := ctx.Value(validatedBodyKey{}).(map[string]any)
	s, ok := obj[name].(string)
	return s, ok
}
