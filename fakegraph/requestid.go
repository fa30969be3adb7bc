package fakegraph

import (
	"context"
	"net/http"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

type requestIDs struct {
	requestID       string
	clientRequestID string
}

// requestIDsFrom returns the ids withRequestIDs put in ctx.
func requestIDsFrom(ctx context.Context) requestIDs {
	if info := requestInfoFrom(ctx); info != nil {
		return info.ids
	}
	return requestIDs{}
}

// withRequestIDs gives every request a fresh request-id and a
// client-request-id (the caller's, else the request-id), puts both on the
// response headers before anything else can answer, and in the context for
// innerError. The spec requires both headers on every response.
//
// A client-request-id that is not printable ASCII is answered 400 here.
// Graph's are GUIDs, and a byte that is not valid UTF-8 could not come back
// unchanged in both places: the header would carry it raw, the JSON of
// innerError as U+FFFD. So the value is never echoed; the response carries
// the request-id in its place, as if none had been sent.
func withRequestIDs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ids := requestIDs{requestID: requestIDGen.next(), clientRequestID: r.Header.Get(graph.HeaderClientRequestID)}
		valid := graph.ValidClientRequestID(ids.clientRequestID)
		if ids.clientRequestID == "" || !valid {
			ids.clientRequestID = ids.requestID
		}
		setHeaders(w.Header(), idKeys, ids.requestID, ids.clientRequestID)
		// The response checker may have put an info in place already, to
		// read the operation back once the handler is done.
		info := requestInfoFrom(r.Context())
		if info == nil {
			r, info = withRequestInfo(r)
		}
		info.ids = ids
		if !valid {
			writeGraphError(w, r, badClientRequestID)
			return
		}
		next.ServeHTTP(w, r)
	})
}

var idKeys = []string{keyRequestID, keyClientRequestID}
