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
// of them carry Graph's headers the same way. It implements the generated
// strict server's response interface, so the handler returns it directly.
type response struct {
	status      int
	contentType string // "" with no body
	body        []byte
	header      [][2]string // extra headers, such as Retry-After
	odata       bool        // send OData-Version, as Graph does on success
}

var _ api.AddConnectorToConnectorGroupResponseObject = response{}

// VisitAddConnectorToConnectorGroupResponse writes r. withRequestIDs has
// set request-id and client-request-id already.
func (r response) VisitAddConnectorToConnectorGroupResponse(w http.ResponseWriter) error {
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

// connectorCreated is the doc page's 201 with the connector, as Graph
// sends an entity: its media type, OData-Version and @odata.context.
// openapi/connectorgroups.yaml#/components/responses/ConnectorCreated
func connectorCreated(ctx context.Context, c Connector) response {
	body := apiConnector(c)
	odataContext := graph.ConnectorEntityContext(graph.Beta)
	body.OdataContext = &odataContext
	b, err := json.Marshal(body)
	if err != nil { // a Connector always marshals
		return internalError.response(ctx)
	}
	return response{status: http.StatusCreated, contentType: graph.ContentTypeEntity, body: b, odata: true}
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

// now is the clock of innerError.date; tests may swap it.
var now = time.Now
