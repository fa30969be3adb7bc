package fakegraph

// TEMPORARY, replaced by the lifecycle work on the fake (issue 9): today's
// operations answer 500 until the model serves them.

import (
	"context"
	"errors"

	"github.com/connectorgroups/connectorgroups/gen/api"
)

var errPending = errors.New("fakegraph: operation not served yet")

func (h *handler) ListConnectorGroups(context.Context, api.ListConnectorGroupsRequestObject) (api.ListConnectorGroupsResponseObject, error) {
	return nil, errPending
}
func (h *handler) CreateConnectorGroup(context.Context, api.CreateConnectorGroupRequestObject) (api.CreateConnectorGroupResponseObject, error) {
	return nil, errPending
}
func (h *handler) DeleteConnectorGroup(context.Context, api.DeleteConnectorGroupRequestObject) (api.DeleteConnectorGroupResponseObject, error) {
	return nil, errPending
}
func (h *handler) GetConnectorGroup(context.Context, api.GetConnectorGroupRequestObject) (api.GetConnectorGroupResponseObject, error) {
	return nil, errPending
}
func (h *handler) UpdateConnectorGroup(context.Context, api.UpdateConnectorGroupRequestObject) (api.UpdateConnectorGroupResponseObject, error) {
	return nil, errPending
}
func (h *handler) ListConnectorGroupMembers(context.Context, api.ListConnectorGroupMembersRequestObject) (api.ListConnectorGroupMembersResponseObject, error) {
	return nil, errPending
}
func (h *handler) AddConnectorGroupMember(context.Context, api.AddConnectorGroupMemberRequestObject) (api.AddConnectorGroupMemberResponseObject, error) {
	return nil, errPending
}
func (h *handler) ListConnectors(context.Context, api.ListConnectorsRequestObject) (api.ListConnectorsResponseObject, error) {
	return nil, errPending
}
func (h *handler) GetConnector(context.Context, api.GetConnectorRequestObject) (api.GetConnectorResponseObject, error) {
	return nil, errPending
}
func (h *handler) ListConnectorMemberOf(context.Context, api.ListConnectorMemberOfRequestObject) (api.ListConnectorMemberOfResponseObject, error) {
	return nil, errPending
}
func (h *handler) AddConnectorMemberOf(context.Context, api.AddConnectorMemberOfRequestObject) (api.AddConnectorMemberOfResponseObject, error) {
	return nil, errPending
}
