package fakegraph

import (
	"context"
	"net/http"
	"strconv"
	"time"

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
	pooled      *[]byte     // the body's buffer, released once written (bodybuffers.go)
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
	r.release()
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

// successBytes is a 2xx whose JSON body is written already.
func successBytes(status int, body []byte) response {
	return response{status: status, contentType: graph.ContentTypeEntity, body: body, odata: true}
}

// noContent is Graph's 204 for a change: no body, OData-Version still.
// openapi/connectorgroups.yaml#/components/responses/NoContent
func noContent() response {
	return response{status: http.StatusNoContent, odata: true}
}

// connectorEntity is a connector with its @odata.context, as Graph sends
// an entity.
func connectorEntity(_ context.Context, status int, c Connector, odataContext string) response {
	buf := bodyBuffer(256)
	return pooledSuccess(status, buf, appendConnector(*buf, c, odataContext))
}

// groupEntity is a group with its @odata.context.
// openapi/connectorgroups.yaml#/components/responses/ConnectorGroupOK
func groupEntity(_ context.Context, status int, g ConnectorGroup) response {
	buf := bodyBuffer(320)
	return pooledSuccess(status, buf, appendGroup(*buf, g, graph.ConnectorGroupEntityContext(graph.Beta)))
}

// now is the clock of innerError.date; tests may swap it.
var now = time.Now
