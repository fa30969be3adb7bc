package fakegraph

import (
	"context"
	"net/http"
)

// requestInfo is what the fake learns about a request as it passes the
// steps of the package doc, that the strict handlers, which get a context
// and the generated binding only, still need: the correlation ids, the
// operation, the body exactly as the validator read it (where null and
// absent differ), and where the request was sent, for absolute next links.
// There is one per request, put in the context once (withRequestIDs) and
// filled in place by the later steps, so that the request is copied once.
type requestInfo struct {
	ids         requestIDs
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

// infoContext carries a requestInfo: the context and the info are one
// allocation, where context.WithValue and a pointer would be two.
type infoContext struct {
	context.Context
	info requestInfo
}

func (c *infoContext) Value(key any) any {
	if _, ok := key.(requestInfoKey); ok {
		return &c.info
	}
	return c.Context.Value(key)
}

// withRequestInfo returns r with a fresh requestInfo in its context, and
// that info, to fill in.
func withRequestInfo(r *http.Request) (*http.Request, *requestInfo) {
	c := &infoContext{Context: r.Context()}
	return r.WithContext(c), &c.info
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
