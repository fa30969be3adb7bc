package fakegraph

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// response is every answer the fake writes, success or error, so that all
// of them carry Graph's headers the same way. It implements each of the
// generated strict server's response interfaces, so handlers return it
// directly.
type response struct {
	status      int
	contentType string // "" with no body
	body        []byte
	header      [][2]string // extra headers, such as Retry-After
	odata       bool        // send OData-Version, as Graph does on success
}

// write writes r. withRequestIDs has set request-id and client-request-id
// already.
func (r response) write(w http.ResponseWriter) error {
	h := w.Header()
	if r.contentType != "" {
		h.Set("Content-Type", r.contentType)
	}
	if r.odata {
		h.Set(graph.HeaderODataVersion, graph.ODataVersion)
	}
	for _, kv := range r.header {
		h.Set(kv[0], kv[1])
	}
	h.Set("Content-Length", strconv.Itoa(len(r.body)))
	w.WriteHeader(r.status)
	_, err := w.Write(r.body)
	return err
}

// The generated strict server's response interfaces, one per operation.
func (r response) VisitAddConnectorToConnectorGroupResponse(w http.ResponseWriter) error {
	return r.write(w)
}
func (r response) VisitListConnectorGroupsResponse(w http.ResponseWriter) error  { return r.write(w) }
func (r response) VisitCreateConnectorGroupResponse(w http.ResponseWriter) error { return r.write(w) }
func (r response) VisitGetConnectorGroupResponse(w http.ResponseWriter) error    { return r.write(w) }
func (r response) VisitUpdateConnectorGroupResponse(w http.ResponseWriter) error { return r.write(w) }
func (r response) VisitDeleteConnectorGroupResponse(w http.ResponseWriter) error { return r.write(w) }
func (r response) VisitListConnectorGroupMembersResponse(w http.ResponseWriter) error {
	return r.write(w)
}
func (r response) VisitAddConnectorGroupMemberResponse(w http.ResponseWriter) error {
	return r.write(w)
}
func (r response) VisitListConnectorsResponse(w http.ResponseWriter) error { return r.write(w) }
func (r response) VisitGetConnectorResponse(w http.ResponseWriter) error   { return r.write(w) }
func (r response) VisitListConnectorMemberOfResponse(w http.ResponseWriter) error {
	return r.write(w)
}
func (r response) VisitAddConnectorMemberOfResponse(w http.ResponseWriter) error { return r.write(w) }

// success is a 2xx with a JSON body as Graph sends one: its media type and
// OData-Version.
func success(ctx context.Context, status int, body any) response {
	b, err := json.Marshal(body)
	if err != nil { // the fake's own types always marshal
		return internalError.response(ctx)
	}
	return response{status: status, contentType: graph.ContentTypeEntity, body: b, odata: true}
}

// noContent is Graph's 204 for a change: no body, OData-Version still.
// openapi/connectorgroups.yaml#/components/responses/NoContent
func noContent() response {
	return response{status: http.StatusNoContent, odata: true}
}

// connectorEntity is a connector with its @odata.context, as Graph sends
// an entity.
func connectorEntity(ctx context.Context, status int, c Connector, odataContext string) response {
	body := apiConnector(c)
	body.OdataContext = &odataContext
	return success(ctx, status, body)
}

// groupEntity is a group with its @odata.context.
// openapi/connectorgroups.yaml#/components/responses/ConnectorGroupOK
func groupEntity(ctx context.Context, status int, g ConnectorGroup) response {
	body := apiGroup(g)
	body.OdataContext = graph.ConnectorGroupEntityContext(graph.Beta)
	return success(ctx, status, body)
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

// groupBody is a connectorGroup on the wire. Unlike the generated type,
// it sends "region": null for a group without one, as Graph sends a
// nullable property.
type groupBody struct {
	OdataContext       string  `json:"@odata.context,omitempty"`
	ID                 string  `json:"id"`
	Name               string  `json:"name"`
	ConnectorGroupType string  `json:"connectorGroupType"`
	IsDefault          bool    `json:"isDefault"`
	Region             *string `json:"region"`
}

func apiGroup(g ConnectorGroup) groupBody {
	out := groupBody{ID: g.ID, Name: g.Name, ConnectorGroupType: g.ConnectorGroupType, IsDefault: g.IsDefault}
	if g.Region != "" {
		out.Region = &g.Region
	}
	return out
}

// collection is one page of a list, as Graph sends it.
// openapi/connectorgroups.yaml#/components/schemas/ConnectorGroupCollection
type collection[T any] struct {
	OdataContext string `json:"@odata.context"`
	Value        []T    `json:"value"`
	NextLink     string `json:"@odata.nextLink,omitempty"`
}

// now is the clock of innerError.date; tests may swap it.
var now = time.Now
