package fakegraph

import (
	"net/http"

	"github.com/connectorgroups/connectorgroups/gen/api"
)

// dispatcher is the generated api.ServerInterface over the handler, in
// place of the generated strict handler: the generated router still binds
// the path and query parameters, but the body is not decoded again. Each
// method builds the generated request object from the body as the
// validator decoded it (requestInfo), calls the api.StrictServerInterface
// method and writes its response, so the spec's generated types stay the
// contract between the two.
type dispatcher struct {
	h api.StrictServerInterface
}

var _ api.ServerInterface = dispatcher{}

// answer writes what a strict method returned: a response the handler
// built, or Graph's 500 for an error. A response whose writing fails has
// lost its client after its status went out: nothing more can be said to
// it, and a 500 written after the status would only be net/http's
// "superfluous WriteHeader".
func answer[R any](w http.ResponseWriter, r *http.Request, resp R, err error, visit func(R, http.ResponseWriter) error) {
	if err != nil {
		writeGraphError(w, r, internalError)
		return
	}
	_ = visit(resp, w)
}

// The request bodies, from the validator's reading: a validated body has
// the declared properties with the declared types, so each assertion
// holds; a property absent or null is nil.

func referenceBody(r *http.Request) *api.ReferenceCreate {
	obj := requestInfoFrom(r.Context()).bodyObject()
	if obj == nil {
		return nil
	}
	link, _ := obj["@odata.id"].(string)
	return &api.ReferenceCreate{OdataId: link}
}

func groupReferenceBody(r *http.Request) *api.ConnectorGroupReferenceCreate {
	obj := requestInfoFrom(r.Context()).bodyObject()
	if obj == nil {
		return nil
	}
	link, _ := obj["@odata.id"].(string)
	return &api.ConnectorGroupReferenceCreate{OdataId: link}
}

func optional[T ~string](obj map[string]any, name string) *T {
	if s, ok := obj[name].(string); ok {
		v := T(s)
		return &v
	}
	return nil
}

func createBody(r *http.Request) *api.ConnectorGroupCreate {
	obj := requestInfoFrom(r.Context()).bodyObject()
	if obj == nil {
		return nil
	}
	name, _ := obj["name"].(string)
	return &api.ConnectorGroupCreate{
		Name:      name,
		Region:    optional[api.ConnectorGroupRegion](obj, "region"),
		OdataType: optional[api.ConnectorGroupCreateOdataType](obj, "@odata.type"),
	}
}

func updateBody(r *http.Request) *api.ConnectorGroupUpdate {
	obj := requestInfoFrom(r.Context()).bodyObject()
	if obj == nil {
		return nil
	}
	return &api.ConnectorGroupUpdate{
		Name:      optional[string](obj, "name"),
		Region:    optional[api.ConnectorGroupRegion](obj, "region"),
		OdataType: optional[api.ConnectorGroupUpdateOdataType](obj, "@odata.type"),
	}
}

func (d dispatcher) AddConnectorToConnectorGroup(w http.ResponseWriter, r *http.Request, id api.ConnectorGroupId, params api.AddConnectorToConnectorGroupParams) {
	resp, err := d.h.AddConnectorToConnectorGroup(r.Context(), api.AddConnectorToConnectorGroupRequestObject{Id: id, Params: params, Body: referenceBody(r)})
	answer(w, r, resp, err, api.AddConnectorToConnectorGroupResponseObject.VisitAddConnectorToConnectorGroupResponse)
}

func (d dispatcher) ListConnectorGroups(w http.ResponseWriter, r *http.Request, params api.ListConnectorGroupsParams) {
	resp, err := d.h.ListConnectorGroups(r.Context(), api.ListConnectorGroupsRequestObject{Params: params})
	answer(w, r, resp, err, api.ListConnectorGroupsResponseObject.VisitListConnectorGroupsResponse)
}

func (d dispatcher) CreateConnectorGroup(w http.ResponseWriter, r *http.Request, params api.CreateConnectorGroupParams) {
	resp, err := d.h.CreateConnectorGroup(r.Context(), api.CreateConnectorGroupRequestObject{Params: params, Body: createBody(r)})
	answer(w, r, resp, err, api.CreateConnectorGroupResponseObject.VisitCreateConnectorGroupResponse)
}

func (d dispatcher) DeleteConnectorGroup(w http.ResponseWriter, r *http.Request, id api.ConnectorGroupId, params api.DeleteConnectorGroupParams) {
	resp, err := d.h.DeleteConnectorGroup(r.Context(), api.DeleteConnectorGroupRequestObject{Id: id, Params: params})
	answer(w, r, resp, err, api.DeleteConnectorGroupResponseObject.VisitDeleteConnectorGroupResponse)
}

func (d dispatcher) GetConnectorGroup(w http.ResponseWriter, r *http.Request, id api.ConnectorGroupId, params api.GetConnectorGroupParams) {
	resp, err := d.h.GetConnectorGroup(r.Context(), api.GetConnectorGroupRequestObject{Id: id, Params: params})
	answer(w, r, resp, err, api.GetConnectorGroupResponseObject.VisitGetConnectorGroupResponse)
}

func (d dispatcher) UpdateConnectorGroup(w http.ResponseWriter, r *http.Request, id api.ConnectorGroupId, params api.UpdateConnectorGroupParams) {
	resp, err := d.h.UpdateConnectorGroup(r.Context(), api.UpdateConnectorGroupRequestObject{Id: id, Params: params, Body: updateBody(r)})
	answer(w, r, resp, err, api.UpdateConnectorGroupResponseObject.VisitUpdateConnectorGroupResponse)
}

func (d dispatcher) ListConnectorGroupMembers(w http.ResponseWriter, r *http.Request, id api.ConnectorGroupId, params api.ListConnectorGroupMembersParams) {
	resp, err := d.h.ListConnectorGroupMembers(r.Context(), api.ListConnectorGroupMembersRequestObject{Id: id, Params: params})
	answer(w, r, resp, err, api.ListConnectorGroupMembersResponseObject.VisitListConnectorGroupMembersResponse)
}

func (d dispatcher) AddConnectorGroupMember(w http.ResponseWriter, r *http.Request, id api.ConnectorGroupId, params api.AddConnectorGroupMemberParams) {
	resp, err := d.h.AddConnectorGroupMember(r.Context(), api.AddConnectorGroupMemberRequestObject{Id: id, Params: params, Body: referenceBody(r)})
	answer(w, r, resp, err, api.AddConnectorGroupMemberResponseObject.VisitAddConnectorGroupMemberResponse)
}

func (d dispatcher) ListConnectors(w http.ResponseWriter, r *http.Request, params api.ListConnectorsParams) {
	resp, err := d.h.ListConnectors(r.Context(), api.ListConnectorsRequestObject{Params: params})
	answer(w, r, resp, err, api.ListConnectorsResponseObject.VisitListConnectorsResponse)
}

func (d dispatcher) GetConnector(w http.ResponseWriter, r *http.Request, id api.ConnectorId, params api.GetConnectorParams) {
	resp, err := d.h.GetConnector(r.Context(), api.GetConnectorRequestObject{Id: id, Params: params})
	answer(w, r, resp, err, api.GetConnectorResponseObject.VisitGetConnectorResponse)
}

func (d dispatcher) ListConnectorMemberOf(w http.ResponseWriter, r *http.Request, id api.ConnectorId, params api.ListConnectorMemberOfParams) {
	resp, err := d.h.ListConnectorMemberOf(r.Context(), api.ListConnectorMemberOfRequestObject{Id: id, Params: params})
	answer(w, r, resp, err, api.ListConnectorMemberOfResponseObject.VisitListConnectorMemberOfResponse)
}

func (d dispatcher) AddConnectorMemberOf(w http.ResponseWriter, r *http.Request, id api.ConnectorId, params api.AddConnectorMemberOfParams) {
	resp, err := d.h.AddConnectorMemberOf(r.Context(), api.AddConnectorMemberOfRequestObject{Id: id, Params: params, Body: groupReferenceBody(r)})
	answer(w, r, resp, err, api.AddConnectorMemberOfResponseObject.VisitAddConnectorMemberOfResponse)
}
