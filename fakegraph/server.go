// Package fakegraph is the reference server: an in-memory fake of Microsoft
// Graph's Application Proxy connector groups (beta) that answers the way
// Graph does, with Graph's ODataError bodies and request-id and
// client-request-id headers on every response. It serves every operation of
// openapi/connectorgroups.yaml: the doc page's "Add connector to
// connectorGroup" at the doc's path, and today's surface under
// /onPremisesPublishingProfiles/applicationProxy: connector groups listed,
// created, read, renamed and deleted, their members listed and moved in,
// connectors listed and read, and the one group each is in (memberOf), read
// and moved to; and the applications (/applications), listed and read, with
// the one group each is in, assigned from either side and unassigned
// (store_applications.go).
//
// One model serves all of it (store.go): every connector is in exactly one
// group; adding it to another moves it, by whichever path; exactly one
// group is the default, which cannot be deleted; a group must be empty to
// be deleted, and its region can change only while it is. Lists are paged
// as Graph pages them (paging.go).
//
// Use it as a binary (`connectorgroups serve`) or in-process with
// NewTestServer; tests read and change its state without HTTP (state.go).
// What it exports is for those two uses: New, its Options and the
// Server, an http.Handler; NewTestServer for a test; the state API; Seed
// and its loaders; NewHTTPServer, NewDrainingServer and their Timeouts for
// a program that serves the fake on a listener of its own, as serve does;
// and the Check functions, with which a front end such as serve reports a
// bad flag with its other usage errors, before it starts.
//
// The fake is oapi-codegen's strict server on net/http's ServeMux, in the
// shape of oapi-codegen's own strict-server examples: the generated
// wrapper (api.HandlerWithOptions) binds each operation's path, query and
// header parameters; the generated strict handler
// (api.NewStrictHandlerWithOptions) binds its body into the typed request
// object and calls the handler (handler.go) with it; kin-openapi's
// openapi3filter validates each request against the spec as middleware in
// between. A request passes these steps in order; each may answer it and
// stop:
//
//  1. request ids: request-id and client-request-id go on the response
//     (400 for a client-request-id that is not printable ASCII);
//  2. recover: a panic further in becomes Graph's 500;
//  3. faults: the injected 429 or 503 with Retry-After (WithFaults);
//  4. content coding (decodeContent): a body sent with
//     Content-Encoding: gzip is inflated as the next step reads it, so
//     that every later step, the doc's operation's included, reads its
//     JSON; 415 with Accept-Encoding: gzip for any other coding, or gzip
//     twice, the answer on which Microsoft's SDKs send the body again
//     uncompressed;
//  5. body: read whole, once (readRequestBody): 413 for a body over
//     MaxBodyBytes, before authentication (for a gzip body, over it
//     as sent or as inflated: a gzip bomb costs no more), and 400 for one
//     the server's read timeout cut off or that does not inflate;
//  6. routing, by the ServeMux and the generated wrapper: the API is
//     served under /beta only, as Graph serves connector groups. A path
//     under /v1.0, or with a segment that fits none of the spec's paths,
//     gets Graph's 400 "Resource not found for the segment '<segment>'.";
//     a first segment that is no version gets 400 "Invalid version."; a
//     method the spec does not declare on a path (HEAD included) gets 405
//     with Allow; a parameter the wrapper cannot bind (a repeated
//     client-request-id, a $top that is no number) gets 400;
//  7. authentication: 401 for a missing, unknown or repeated token, 403 for
//     one without a permission the operation accepts
//     (graph.OperationPermissions: seeded tokens are delegated, a trusted
//     JWT's scp delegated and its roles application);
//  8. validation, by openapi3filter: 400, or 415 for a Content-Type that
//     is not JSON or no media type at all, in Graph's words
//     (requestValidationError); an OData query option the operation does
//     not declare is a 400 too, and an id the spec cannot route (a%2Fb)
//     the 404 of a group or connector that does not exist. The body is
//     decoded here, once (specvalidator.DecodeJSON), and the strict
//     handler binds that value: the handler gets what was checked;
//  9. the handler: the operation's success, or Graph's 400 or 404 from the
//     model.
//
// Steps 7 and 8, and WithLatency's wait, are middleware of the generated
// wrapper (StdHTTPServerOptions.Middlewares), which run once the
// parameters are bound and the ServeMux has named the operation. Not
// around the whole mux, as oapi-codegen's examples put their validator:
// authentication comes between routing and validation, as Graph answers
// 401 before it judges a body, and both need the operation, which the
// mux has matched already (kin-openapi's router would match the path a
// second time). Not a StrictMiddlewareFunc either: the strict handler
// binds the body before its middlewares run, so a validator there would
// come after a second reading of the body, and a body that does not fit
// the generated types would be refused in the binding's words, not
// Graph's.
//
// WithLatency makes step 9 wait first; WithLostAnswers carries a picked
// request through every step, then drops its answer (imperfections.go).
// WithAnswers picks which success a create and an update get where the
// doc pages and the live service disagree (answers.go).
// WithResponseValidation holds each answer and checks it with
// openapi3filter before it is sent (responsecheck.go).
//
// So a caller without a usable token learns whether the path exists, but
// nothing about its payload or the store. With WithLogger, one log line
// per request wraps all of them.
package fakegraph

import (
	"errors"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// Server is the fake Graph. It is an http.Handler and safe for concurrent
// use.
type Server struct {
	handler http.Handler
	store   *store
	pager   pager
	seed    *Seed // a deep copy, for Reset
	// responses is nil unless WithResponseValidation.
	responses *responseChecker
}

// ResponseViolations lists the ways the responses sent so far broke the
// spec, with WithResponseValidation; nil without it.
func (s *Server) ResponseViolations() []specvalidator.Violation {
	if s.responses == nil {
		return nil
	}
	return s.responses.all()
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
	if err := CheckLatency(cfg.latency); err != nil {
		return nil, err
	}
	if err := cfg.answers.validate(); err != nil {
		return nil, err
	}
	if cfg.pageSize != nil {
		if err := CheckPageSize(*cfg.pageSize); err != nil {
			return nil, err
		}
	}
	spec, err := loadSpecTables()
	if err != nil {
		return nil, err
	}
	maxPage := 0
	if cfg.pageSize != nil {
		maxPage = *cfg.pageSize
	}

	s := &Server{store: newStore(seed), pager: newPager(maxPage), seed: cloneSeed(seed)}
	strict := api.NewStrictHandlerWithOptions(&handler{store: s.store, pager: s.pager, answers: cfg.answers}, nil, api.StrictHTTPServerOptions{
		// The body was validated already, so a binding that fails here
		// means JSON that the generated types cannot hold.
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeGraphError(w, r, unreadableJSON)
		},
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			// The strict handler calls this for a write that failed
			// too, once the status is out: then nothing more is said.
			if !responseBegun(w) {
				writeGraphError(w, r, internalError)
			}
		},
	})
	// The wrapper applies its middlewares last to first, so the first
	// step a request meets is last here: name the operation, then
	// authenticate, validate, wait (WithLatency), and the strict handler.
	var steps []api.MiddlewareFunc
	if cfg.latency > 0 {
		steps = append(steps, delay(cfg.latency))
	}
	auth := newAuthenticator(seed.Tokens, cfg.trustUnsignedJWT)
	steps = append(steps, validateRequests(spec), auth.authenticate, resolveOperation(spec.routes))
	mux := http.NewServeMux()
	api.HandlerWithOptions(strict, api.StdHTTPServerOptions{
		BaseURL:     basePath,
		BaseRouter:  mux,
		Middlewares: steps,
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeGraphError(w, r, bindingError(err, r))
		},
	})
	// Each of the spec's paths with a method the spec does not declare
	// there: 405, with Allow listing the ones it does, whatever the id.
	for _, p := range spec.routes.paths() {
		allow := spec.routes.allow(basePath + p)
		mux.HandleFunc(basePath+p, func(w http.ResponseWriter, r *http.Request) {
			writeGraphError(w, r, methodNotAllowed(allow))
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeGraphError(w, r, spec.routes.unresolvedPath(r.URL.EscapedPath()))
	})

	log := cfg.logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// Outermost first: ids, recover, faults, content coding, body, routing; then, inside
	// the generated wrapper, the steps above. The package doc lists what
	// each answers.
	var h http.Handler = rejectUncleanPaths(mux, spec.routes)
	h = limitBody(h)
	h = decodeContent(h)
	h = injectFaults(h, cfg.faults)
	h = recoverPanics(h, log)
	h = loseAnswers(h, cfg.loseAnswer)
	h = withRequestIDs(h)
	if cfg.responseValidation {
		s.responses = &responseChecker{v: spec.validator, log: log}
		h = s.responses.wrap(h)
	}
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
func rejectUncleanPaths(next http.Handler, routes routeTable) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		clean := path.Clean(p)
		if strings.HasSuffix(p, "/") && clean != "/" {
			clean += "/"
		}
		if !strings.HasPrefix(p, "/") || clean != p {
			writeGraphError(w, r, routes.unresolvedPath(r.URL.EscapedPath()))
			return
		}
		next.ServeHTTP(w, r)
	})
}
