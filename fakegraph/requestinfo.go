package fakegraph

import (
	"context"
	"net/http"
)

// requestInfo is what the middleware learned about a request that the
// strict handlers, which get a context and the generated binding only,
// still need: the operation, the body exactly as the validator read it
// (where null and absent differ), and where the request was sent, for
// absolute next links.
type requestInfo struct {
	operationID string
	body        any // the JSON body as the validator decoded it, or nil
	link        linkBase
}

// linkBase is the start of a link back to this request's resource, as the
// client addressed it.
type linkBase struct {
	scheme, host, path string
}

func linkBaseOf(r *http.Request) linkBase {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return linkBase{scheme: scheme, host: r.Host, path: r.URL.EscapedPath()}
}

type requestInfoKey struct{}

// withRequestInfo puts info in r's context once, when the operation is
// known; the validator fills in the rest through requestInfoOf, so that
// the request is not copied again.
func withRequestInfo(r *http.Request, info *requestInfo) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
}

// requestInfoOf is the info withRequestInfo stored, to fill in; nil when
// there is none.
func requestInfoOf(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	return info
}

// requestInfoFrom returns what the middleware stored; the zero value when
// nothing was (a handler called without the middleware, in a test).
func requestInfoFrom(ctx context.Context) requestInfo {
	if info := requestInfoOf(ctx); info != nil {
		return *info
	}
	return requestInfo{}
}

// bodyObject is the request's JSON object as the validator read it, or nil.
func (info requestInfo) bodyObject() map[string]any {
	obj, _ := info.body.(map[string]any)
	return obj
}
