package fakegraph

import (
	"net/http"

	"github.com/connectorgroups/connectorgroups/gen/api"
)

// step is one of the checks the package doc lists after routing: it
// answers the request and returns false, or lets it on.
type step func(w http.ResponseWriter, r *http.Request) bool

// gate runs the steps after the generated router bound the parameters,
// then calls next. It does what the generated wrapper's Middlewares would,
// in the same order, without building a chain of handlers for every
// request.
type gate struct {
	steps []step
	next  api.ServerInterface
}

var _ api.ServerInterface = gate{}

func (g gate) pass(w http.ResponseWriter, r *http.Request) bool {
	for _, s := range g.steps {
		if !s(w, r) {
			return false
		}
	}
	return true
}

func (g gate) AddConnectorToConnectorGroup(w http.ResponseWriter, r *http.Request, id api.ConnectorGroupId, params api.AddConnectorToConnectorGroupParams) {
	if g.pass(w, r) {
		g.next.AddConnectorToConnectorGroup(w, r, id, params)
	}
}

func (g gate) ListConnectorGroups(w http.ResponseWriter, r *http.Request, params api.ListConnectorGroupsParams) {
	if g.pass(w, r) {
		g.next.ListConnectorGroups(w, r, params)
	}
}

func (g gate) CreateConnectorGroup(w http.ResponseWriter, r *http.Request, params api.CreateConnectorGroupParams) {
	if g.pass(w, r) {
		g.next.CreateConnectorGroup(w, r, params)
	}
}

func (g gate) DeleteConnectorGroup(w http.ResponseWriter, r *http.Request, id api.ConnectorGroupId, params api.DeleteConnectorGroupParams) {
	if g.pass(w, r) {
		g.next.DeleteConnectorGroup(w, r, id, params)
	}
}

func (g gate) GetConnectorGroup(w http.ResponseWriter, r *http.Request, id api.ConnectorGroupId, params api.GetConnectorGroupParams) {
	if g.pass(w, r) {
		g.next.GetConnectorGroup(w, r, id, params)
	}
}

func (g gate) UpdateConnectorGroup(w http.ResponseWriter, r *http.Request, id api.ConnectorGroupId, params api.UpdateConnectorGroupParams) {
	if g.pass(w, r) {
		g.next.UpdateConnectorGroup(w, r, id, params)
	}
}

func (g gate) ListConnectorGroupMembers(w http.ResponseWriter, r *http.Request, id api.ConnectorGroupId, params api.ListConnectorGroupMembersParams) {
	if g.pass(w, r) {
		g.next.ListConnectorGroupMembers(w, r, id, params)
	}
}

func (g gate) AddConnectorGroupMember(w http.ResponseWriter, r *http.Request, id api.ConnectorGroupId, params api.AddConnectorGroupMemberParams) {
	if g.pass(w, r) {
		g.next.AddConnectorGroupMember(w, r, id, params)
	}
}

func (g gate) ListConnectors(w http.ResponseWriter, r *http.Request, params api.ListConnectorsParams) {
	if g.pass(w, r) {
		g.next.ListConnectors(w, r, params)
	}
}

func (g gate) GetConnector(w http.ResponseWriter, r *http.Request, id api.ConnectorId, params api.GetConnectorParams) {
	if g.pass(w, r) {
		g.next.GetConnector(w, r, id, params)
	}
}

func (g gate) ListConnectorMemberOf(w http.ResponseWriter, r *http.Request, id api.ConnectorId, params api.ListConnectorMemberOfParams) {
	if g.pass(w, r) {
		g.next.ListConnectorMemberOf(w, r, id, params)
	}
}

func (g gate) AddConnectorMemberOf(w http.ResponseWriter, r *http.Request, id api.ConnectorId, params api.AddConnectorMemberOfParams) {
	if g.pass(w, r) {
		g.next.AddConnectorMemberOf(w, r, id, params)
	}
}
