package fakegraph

import (
	"bytes"
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
	length := strconv.Itoa(len(r.body))
	switch {
	case r.contentType != "" && r.odata:
		setHeaders(h, entityKeys, r.contentType, graph.ODataVersion, length)
	case r.contentType != "":
		setHeaders(h, entityKeys[:1], r.contentType)
		setHeaders(h, entityKeys[2:], length)
	case r.odata:
		setHeaders(h, entityKeys[1:], graph.ODataVersion, length)
	default:
		setHeaders(h, entityKeys[2:], length)
	}
	for _, kv := range r.header {
		h.Set(kv[0], kv[1])
	}
	w.WriteHeader(r.status)
	_, err := w.Write(r.body)
	return err
}

// entityKeys are the headers write sets, in the order of its values.
var entityKeys = []string{keyContentType, keyODataVersion, keyContentLength}

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
//
// HTML escaping is off: Graph writes the & of an @odata.nextLink as it is,
// not as \u0026 (both are the same JSON string, but people read them).
func success(ctx context.Context, status int, body any) response {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil { // the fake's own types always marshal
		return internalError.response(ctx)
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
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
