package fakegraph

import (
	"errors"
	"io"
	"net/http"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// decodeContent undoes a request body's content coding before anything
// reads it: the body limit, validation and the handler all see the JSON
// that was compressed. A gzip body (graph.RequestGzipped) is inflated as
// it is read, and both what arrives and what it inflates to are bounded
// by MaxBodyBytes: the wire here, the inflated bytes in limitBody, which
// reads the body next. So a gzip bomb costs at most MaxBodyBytes of
// memory and a 413, and a corrupt stream fails limitBody's read: Graph's
// 400 for a body it cannot read. Any other coding is 415, with
// Accept-Encoding naming gzip: the answer that makes Microsoft's SDKs send
// the body again uncompressed. The header is judged on every request,
// with a body or without, as one rule that needs no body read [inferred].
func decodeContent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gzipped, err := graph.RequestGzipped(r.Header)
		if coding, ok := errors.AsType[*graph.UnsupportedCodingError](err); ok {
			writeGraphError(w, r, unsupportedCoding(coding.Coding))
			return
		}
		r.Header.Del(graph.HeaderContentEncoding)
		// A body declared larger than the limit is limitBody's 413,
		// unread; its length must stay declared for that.
		if gzipped && r.Body != nil && r.Body != http.NoBody && r.ContentLength <= MaxBodyBytes {
			wire := r.Body
			r.Body = gunzippedBody{
				Reader: graph.Gunzip(http.MaxBytesReader(w, wire, MaxBodyBytes)),
				Closer: wire,
			}
			r.ContentLength = -1 // unknown until it is inflated
		}
		next.ServeHTTP(w, r)
	})
}

// gunzippedBody reads a body inflated and closes the one that came.
type gunzippedBody struct {
	io.Reader
	io.Closer
}
