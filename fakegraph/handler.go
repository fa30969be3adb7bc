package fakegraph

import (
	"context"
	"net/http"
	"strconv"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// handler implements the spec's operations on the store, as the generated
// strict server's interface: each method gets the typed request object,
// bound from the body exactly as the validation step read it, and returns
// a response. By the time it runs, the request is authenticated and valid
// against the spec. The operations are in handler_groups.go,
// handler_members.go and handler_connectors.go; the doc page's own
// operation is here.
type handler struct {
	store   *store
	pager   pager
	answers Answers // the success answers of a create and an update
}

var _ api.StrictServerInterface = (*handler)(nil)

// AddConnectorToConnectorGroup is the doc page's operation: it moves the
// connector that the body's @odata.id names into the group, out of the
// one it was in, and answers 201 with the connector, as the doc page says.
// openapi/connectorgroups.yaml#/paths/~1connectorGroups~1{id}~1members~1$ref/post
func (h *handler) AddConnectorToConnectorGroup(ctx context.Context, req api.AddConnectorToConnectorGroupRequestObject) (api.AddConnectorToConnectorGroupResponseObject, error) {
	if req.Body == nil {
		return emptyPayload.response(ctx), nil
	}
	c, ge := h.moveByConnectorLink(req.Id, req.Body.OdataId)
	if ge != nil {
		return ge.response(ctx), nil
	}
	return connectorEntity(ctx, http.StatusCreated, c, graph.ConnectorEntityContext(graph.Beta)), nil
}

// moveByConnectorLink moves the connector a link names into groupID: the
// doc's path and today's members/$ref share it, and the model.
func (h *handler) moveByConnectorLink(groupID, link string) (Connector, *graphError) {
	connectorID, err := graph.ParseConnectorLink(link)
	if err != nil {
		ge := storeError(err, groupID, "")
		return Connector{}, &ge
	}
	c, err := h.store.Move(groupID, connectorID)
	if err != nil {
		ge := storeError(err, groupID, connectorID)
		return Connector{}, &ge
	}
	return c, nil
}

// listQuery is a list's paging parameters as the generated binding read
// them.
type listQuery struct {
	top       *int
	skipToken *string
}

// servePage answers one page of a list: it opens $skiptoken (400 when it
// is not one this server issued for this list), fetches at most a page
// after it, and adds @odata.nextLink when more follow. T is the store's
// record; item appends its wire form (jsonwrite.go).
func servePage[T any](ctx context.Context, h *handler, list string, q listQuery, odataContext string,
	fetch func(after string, limit int) ([]T, bool, error), id func(T) string, item func([]byte, T) []byte, notFound func(error) graphError,
) response {
	after := ""
	if q.skipToken != nil {
		var ok bool
		if after, ok = h.pager.after(list, *q.skipToken); !ok {
			return invalidSkipToken.response(ctx)
		}
	}
	if q.top != nil && (*q.top < 1 || *q.top > graph.MaxPageSize) { // the validator's rule, kept here too
		return invalidPageSize(strconv.Itoa(*q.top)).response(ctx)
	}
	items, more, err := fetch(after, h.pager.pageSize(q.top))
	if err != nil {
		return notFound(err).response(ctx)
	}
	next := ""
	if more && len(items) > 0 {
		next = requestInfoFrom(ctx).link.nextLink(q.top, h.pager.token(list, id(items[len(items)-1])))
	}
	buf := bodyBuffer(64 + 200*len(items))
	return pooledSuccess(http.StatusOK, buf, appendCollection(*buf, odataContext, items, item, next))
}

func idOfGroup(g ConnectorGroup) string { return g.ID }
