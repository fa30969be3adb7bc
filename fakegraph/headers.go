package fakegraph

import (
	"net/http"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The canonical forms of the header keys the fake sets on every response,
// computed once: Header.Set would canonicalise them again, and allocate,
// on every request, as none of them is among net/http's common keys.
var (
	keyRequestID       = http.CanonicalHeaderKey(graph.HeaderRequestID)
	keyClientRequestID = http.CanonicalHeaderKey(graph.HeaderClientRequestID)
	keyODataVersion    = http.CanonicalHeaderKey(graph.HeaderODataVersion)
	keyContentType     = http.CanonicalHeaderKey("Content-Type")
	keyContentLength   = http.CanonicalHeaderKey("Content-Length")
)

// setHeaders sets each key of keys (canonical) to the value at the same
// index, as Header.Set would, with one allocation for all the values. Each
// value slice is capped at its one element, so that an Add appends to a
// copy and never writes over its neighbour.
func setHeaders(h http.Header, keys []string, values ...string) {
	vals := make([]string, len(values))
	copy(vals, values)
	for i, k := range keys {
		h[k] = vals[i : i+1 : i+1]
	}
}
