package fakegraph

import (
	"context"
	"net/http"

	"github.com/google/uuid"
)

// Graph's correlation headers: request-id is the service's id for the
// request, client-request-id the caller's, returned unchanged.
const (
	headerRequestID       = "request-id"
	headerClientRequestID = "client-request-id"
)

type requestIDs struct {
	requestID       string
	clientRequestID string
}

type requestIDsKey struct{}

// requestIDsFrom returns the ids withRequestIDs put in ctx.
func requestIDsFrom(ctx context.Context) requestIDs {
	ids, _ := ctx.Value(requestIDsKey{}).(requestIDs)
	return ids
}

// withRequestIDs gives every request a fresh request-id and a
// client-request-id (the caller's, else the request-id), puts both on the
// response headers before anything else can answer, and in the context for
// innerError. The spec requires both headers on every response.
func withRequestIDs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ids := requestIDs{requestID: uuid.NewString(), clientRequestID: r.Header.Get(headerClientRequestID)}
		if ids.clientRequestID == "" {
			ids.clientRequestID = ids.requestID
		}
		w.Header().Set(headerRequestID, ids.requestID)
		w.Header().Set(headerClientRequestID, ids.clientRequestID)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDsKey{}, ids)))
	})
}
