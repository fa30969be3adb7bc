// Package fakegraph is the reference server: an in-memory fake of Microsoft
// Graph's "Add connector to connectorGroup" operation
// (openapi/connectorgroups.yaml#/paths/~1connectorGroups~1{id}~1members~1$ref/post)
// that answers the way Graph does, with Graph's ODataError bodies and
// request-id/client-request-id headers on every response.
//
// Use it as a binary (`connectorgroups serve`) or in-process with
// NewTestServer.
//
// A request passes these steps in order; each may answer it and stop:
//
//  1. request ids: request-id and client-request-id go on the response
//     (400 for a client-request-id that is not printable ASCII);
//  2. recover: a panic further in becomes Graph's 500;
//  3. faults: the injected 429 or 503 with Retry-After (WithFaults);
//  4. body limit: 413 for a body over MaxBodyBytes, before authentication;
//  5. routing: the API is served under /beta only, as Graph serves
//     connector groups. A path under /v1.0, or with a segment that names
//     nothing, gets Graph's 400 "Resource not found for the segment
//     '<segment>'."; a first segment that is no version gets 400 "Invalid
//     version."; another method on the operation's path gets 405 with
//     Allow; a header the generated router cannot bind (a repeated
//     client-request-id) gets 400;
//  6. authentication: 401 for a missing, unknown or repeated token, 403 for
//     one without a write scope;
//  7. spec validation: 400, or 415 for a Content-Type that is not JSON or
//     no media type at all; the body is read once here (see
//     specvalidator.DecodeJSON) and the handler gets that reading; an id
//     the spec cannot route (a%2Fb) is 404 Request_ResourceNotFound here;
//  8. the handler: 201, or Graph's 400 or 404 for the group and connector.
//
// So a caller without a usable token learns whether the path exists, but
// nothing about its payload or the store. With WithLogger, one log line
// per request wraps all of them.
package fakegraph

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// operationPath is the spec's one path; the fake serves it under /beta,
// the only version with connector groups.
const operationPath = "/connectorGroups/{id}/members/$ref"

const basePath = "/" + graph.Beta

// Server is the fake Graph. It is an http.Handler and safe for concurrent
// use.
type Server struct {
	handler http.Handler
	store   *store
	seed    *Seed // a deep copy, for Reset
}

// New builds a server from seed (nil means DefaultSeed), which it copies
// deeply: changing the seed afterwards changes nothing. It fails if the seed
// or an option is invalid, or if the seed has no tokens and unsigned JWTs
// are not trusted.
func New(seed *Seed, opts ...Option) (*Server, error) {
	if seed == nil {
		seed = DefaultSeed()
	}
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	if err := seed.Validate(); err != nil {
		return nil, err
	}
	if len(seed.Tokens) == 0 && !cfg.trustUnsignedJWT {
		return nil, errNoTokens
	}
	if err := cfg.faults.validate(); err != nil {
		return nil, err
	}
	validator, err := specvalidator.Load()
	if err != nil {
		return nil, err
	}

	s := &Server{store: newStore(seed), seed: cloneSeed(seed)}
	auth := authenticator{tokens: cloneTokens(seed.Tokens), trustUnsignedJWT: cfg.trustUnsignedJWT}
	strict := api.NewStrictHandlerWithOptions(&handler{store: s.store}, nil, api.StrictHTTPServerOptions{
		// The body was validated already, so a decoding failure here
		// means JSON that the generated types cannot hold.
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeGraphError(w, r, unreadableJSON)
		},
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeGraphError(w, r, internalError)
		},
	})
	mux := http.NewServeMux()
	api.HandlerWithOptions(strict, api.StdHTTPServerOptions{
		BaseURL:    basePath,
		BaseRouter: mux,
		// The generated wrapper applies these last-first:
		// authenticate, then validate, then the handler.
		Middlewares: []api.MiddlewareFunc{validateRequests(validator), auth.authenticate},
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeGraphError(w, r, badRequest(graph.CodeBadRequest, graph.OneLine(err.Error(), 300)))
		},
	})
	// The same path with any other method. Allow lists the spec's methods
	// for the operation's path, also for an id the spec cannot route.
	opAllow := validator.AllowedMethods(&http.Request{URL: &url.URL{Path: basePath + strings.Replace(operationPath, "{id}", "id", 1)}})
	mux.HandleFunc(basePath+operationPath, func(w http.ResponseWriter, r *http.Request) {
		allow := validator.AllowedMethods(r)
		if len(allow) == 0 {
			allow = opAllow
		}
		writeGraphError(w, r, methodNotAllowed(allow))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeGraphError(w, r, unresolvedPath(r.URL.Path))
	})

	log := cfg.logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// Outermost first: ids, recover, faults, body limit, routing; then,
	// inside the generated wrapper, auth, validation, the handler. The
	// package doc lists what each answers.
	var h http.Handler = rejectUncleanPaths(mux)
	h = limitBody(h)
	h = injectFaults(h, cfg.faults)
	h = recoverPanics(h, log)
	h = withRequestIDs(h)
	if cfg.logger != nil {
		h = logRequests(h, log)
	}
	s.handler = h
	return s, nil
}

// errNoTokens: only seeded tokens are accepted, so without any (and without
// trusting unsigned JWTs) every request would be 401.
var errNoTokens = errors.New("fakegraph: seed: tokens is empty: every request would be 401; seed a token, or trust unsigned JWTs")

// cloneTokens copies the token map and each scope list, so that a caller
// changing its seed after New cannot change what a token may do.
func cloneTokens(tokens map[string][]string) map[string][]string {
	out := make(map[string][]string, len(tokens))
	for t, scopes := range tokens {
		out[t] = slices.Clone(scopes)
	}
	return out
}

// ServeHTTP serves the API at /beta.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// rejectUncleanPaths answers a path such as /beta//x or /a/../b with
// Graph's 400 itself: http.ServeMux would redirect it with a plain-text
// body.
func rejectUncleanPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		clean := path.Clean(p)
		if strings.HasSuffix(p, "/") && clean != "/" {
			clean += "/"
		}
		if !strings.HasPrefix(p, "/") || clean != p {
			writeGraphError(w, r, unresolvedPath(p))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// unresolvedPath is Graph's answer to a path that names no operation: 400
// "Invalid version." when the first segment is no Graph version, else 400
// naming the first segment, after the version, that does not fit the
// operation's path. Under /v1.0 that is connectorGroups itself.
func unresolvedPath(p string) graphError {
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if !graph.IsVersion(segs[0]) {
		return invalidVersion
	}
	version, segs := segs[0], segs[1:]
	if len(segs) == 0 {
		return unknownSegment(version)
	}
	if !graph.ServesConnectorGroups(version) {
		return unknownSegment(segs[0])
	}
	want := strings.Split(strings.TrimPrefix(operationPath, "/"), "/")
	for i, seg := range segs {
		if i >= len(want) || (!strings.HasPrefix(want[i], "{") && want[i] != seg) || seg == "" || seg == "." || seg == ".." {
			return unknownSegment(seg)
		}
	}
	return unknownSegment(segs[len(segs)-1])
}
