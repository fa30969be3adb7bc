package fakegraph

import (
	"context"
	"net/http"
)

// requestInfo is what the fake learns about a request as it passes the
// steps of the package doc that the error writer and the handlers, which
// get a context and the typed request object only, still need: the
// correlation ids, the operation, and where the request was sent, for
// absolute next links. The body is not here: the handlers get it as the
// typed request object's Body. There is one per request, put in the
// context once (withRequestIDs) and filled in place by the later steps, so
// that the request is copied once.
type requestInfo struct {
	ids         requestIDs
	operationID string
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

// requestInfoFrom is the info withRequestInfo put in ctx, to read and to
// fill in; nil when there is none. Every request has one from its first
// step on (withRequestIDs), and resolveOperation answers 500 should one be
// missing, so the steps after it read it without checking.
func requestInfoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	return info
}
