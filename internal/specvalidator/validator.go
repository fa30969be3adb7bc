package specvalidator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/connectorgroups/connectorgroups/gen/spec"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Validator checks HTTP traffic against one validated OpenAPI document. It is
// safe for concurrent use.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
	// operations is every operation's route, by operation id.
	operations map[string]*routers.Route
}

var (
	loadOnce  sync.Once
	loaded    *Validator
	loadedErr error
)

// Load returns the validator for the embedded connectorgroups spec. The spec
// is decoded and validated once per process.
func Load() (*Validator, error) {
	loadOnce.Do(func() {
		doc, err := spec.GetSpec()
		if err != nil {
			loadedErr = fmt.Errorf("specvalidator: decoding the embedded spec: %w", err)
			return
		}
		loaded, loadedErr = New(doc)
	})
	return loaded, loadedErr
}

// New validates doc, examples included, and builds a router for it. The
// router matches paths with no server prefix; ValidateRequest strips a
// leading base path up to the Graph version segment (/beta), so that a
// server at any host and any base URL can be checked. A /v1.0 path is not
// stripped, so it routes nowhere: connector groups exist in beta only.
func New(doc *openapi3.T) (*Validator, error) {
	ctx := context.Background()
	if err := doc.Validate(ctx, openapi3.EnableExamplesValidation(), openapi3.EnableSchemaFormatValidation()); err != nil {
		return nil, fmt.Errorf("specvalidator: the spec is not valid: %w", err)
	}
	// kin-openapi's routers match the servers' host; route on paths alone.
	local := *doc
	local.Servers = nil
	router, err := legacy.NewRouter(&local)
	if err != nil {
		return nil, fmt.Errorf("specvalidator: building the router: %w", err)
	}
	operations := map[string]*routers.Route{}
	for path, item := range local.Paths.Map() {
		for method, op := range item.Operations() {
			operations[op.OperationID] = &routers.Route{Spec: &local, Path: path, PathItem: item, Method: method, Operation: op}
		}
	}
	return &Validator{doc: doc, router: router, operations: operations}, nil
}

// Doc returns the validated document. Callers must not modify it.
func (v *Validator) Doc() *openapi3.T { return v.doc }

// Route finds the spec operation for req. Its path is normalised first:
// everything up to and including a /beta segment is dropped, and a
// percent-encoded %24ref matches the literal $ref segment. A miss returns
// routers.ErrMethodNotAllowed when the path exists for another method, else
// routers.ErrPathNotFound, so that errors.Is tells them apart.
func (v *Validator) Route(req *http.Request) (*routers.Route, map[string]string, error) {
	r := routable(req)
	route, params, err := v.find(r)
	if err == nil {
		return route, params, nil
	}
	if len(v.allowed(r)) > 0 {
		return nil, nil, routers.ErrMethodNotAllowed
	}
	return nil, nil, routers.ErrPathNotFound
}

// allowed tries each method on r's path: the legacy router only reports
// "method not allowed" for paths without parameters.
func (v *Validator) allowed(r *http.Request) []string {
	var out []string
	probe := *r
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe.Method = m
		if _, _, err := v.find(&probe); err == nil {
			out = append(out, m)
		}
	}
	return out
}

// find is the router's FindRoute, but a match that leaves a path
// parameter empty is a miss: the legacy router matches
// /connectorGroups to /connectorGroups/{id} with id "", which would judge
// a PATCH of the collection as an update of the group "" and list PATCH
// in the collection's Allow.
func (v *Validator) find(r *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := v.router.FindRoute(r)
	if err != nil {
		return nil, nil, err
	}
	for _, value := range params {
		if value == "" {
			return nil, nil, routers.ErrPathNotFound
		}
	}
	return route, params, nil
}

// routable returns a shallow copy of req whose URL path is relative to the
// API root and carries no percent-encoding of '$'.
func routable(req *http.Request) *http.Request {
	u := *req.URL
	segs := strings.Split(u.Path, "/")
	for i, s := range segs {
		if graph.ServesConnectorGroups(s) {
			segs = append([]string{""}, segs[i+1:]...)
			break
		}
	}
	u.Path = strings.Join(segs, "/")
	u.RawPath = "" // EscapedPath re-encodes from Path, so %24ref becomes $ref
	u.Host, u.Scheme = "", ""
	r := req.Clone(req.Context())
	r.URL = &u
	r.Host = ""
	return r
}

// Options tune one validation.
type Options struct {
	// SkipSecurity leaves the spec's security requirements unchecked, for a
	// server that checks tokens itself and answers 401/403 before validation.
	SkipSecurity bool
}

// ValidateRequest checks req against the operation Route finds for it:
// path, parameters, security (a non-empty Bearer token), the media type and
// the body. It reads req.Body and puts back an equal one. The error
// collects every violation (MultiError); Violations flattens it.
func (v *Validator) ValidateRequest(ctx context.Context, req *http.Request, opts Options) error {
	route, params, err := v.Route(req)
	if err != nil {
		return err
	}
	body, err := readAndRestore(&req.Body)
	if err != nil {
		return &openapi3filter.RequestError{Reason: "reading the request body", Err: err}
	}
	r := routable(req)
	// openapi3filter takes the body back through GetBody once it has read
	// it; a GetBody left from http.NewRequest would hand it another body.
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	r.Body, _ = r.GetBody()
	r.ContentLength = int64(len(body))
	return v.ValidateRoutedRequest(ctx, r, route, params, opts)
}

// ValidateRoutedRequest is ValidateRequest for a request routed already:
// by Route, or by a server's own router, which names the operation
// (OperationRoute) and binds params, its path parameters. It reads
// req.Body. When req is valid, req.Body carries the body's value, read
// once by DecodeJSON (the JSON decoder openapi3filter is given below),
// through a ValidatedValue() any method: the generated strict handler's
// binding (runtime.BindJSONBody) takes that value rather than decode the
// bytes again, so a handler gets exactly what was checked.
func (v *Validator) ValidateRoutedRequest(ctx context.Context, req *http.Request, route *routers.Route, params map[string]string, opts Options) error {
	// kin-openapi reads "application/json; charset=\"" as application/json;
	// a media type that does not parse is no JSON media type at all.
	if ct := req.Header.Get("Content-Type"); ct != "" && route.Operation.RequestBody != nil {
		if _, err := graph.MediaType(ct); err != nil {
			reason := errMalformedMediaType
			if errors.Is(err, graph.ErrNotUTF8) {
				reason = err
			}
			return &openapi3filter.RequestError{
				RequestBody: route.Operation.RequestBody.Value,
				Reason:      fmt.Sprintf("%s %q: %v", prefixInvalidContentType, ct, reason),
				Err:         reason,
			}
		}
	}
	auth := requireBearer
	if opts.SkipSecurity {
		auth = openapi3filter.NoopAuthenticationFunc
	}
	return openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			MultiError:         true,
			AuthenticationFunc: auth,
			KeepValidatedValue: true,
		},
	})
}

// OperationRoute is the route of the operation the spec names
// operationID, or nil when it names none, for ValidateRoutedRequest and
// ValidateRoutedResponse. The routes are built once, with the validator.
func (v *Validator) OperationRoute(operationID string) *routers.Route {
	return v.operations[operationID]
}

// prefixInvalidContentType is how openapi3filter begins the reason of a
// request whose Content-Type the operation does not declare.
const prefixInvalidContentType = "header Content-Type has unexpected value"

var errMalformedMediaType = errors.New("not a well-formed media type (RFC 9110)")

// IsUnsupportedMediaType reports whether err (from a request's validation) says
// the request's Content-Type is not one the operation accepts, or not a
// media type at all: Graph's 415.
func IsUnsupportedMediaType(err error) bool {
	found := false
	EachError(err, func(e error) {
		var reqErr *openapi3filter.RequestError
		if errors.As(e, &reqErr) && reqErr.RequestBody != nil && strings.HasPrefix(reqErr.Reason, prefixInvalidContentType) {
			found = true
		}
	})
	return found
}

// EachError calls f for err, or for each member of an openapi3.MultiError
// (as a request's validation returns), recursively.
func EachError(err error, f func(error)) {
	if multi, ok := err.(openapi3.MultiError); ok {
		for _, e := range multi {
			EachError(e, f)
		}
		return
	}
	if err != nil {
		f(err)
	}
}

// init makes DecodeJSON openapi3filter's reader of JSON request bodies
// (and, through its fallback, of +json ones), so that what the schema is
// checked on is the value a handler binds (see ValidateRoutedRequest).
func init() {
	openapi3filter.RegisterBodyDecoder("application/json", func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		data, err := io.ReadAll(body)
		if err != nil {
			return nil, err
		}
		v, err := DecodeJSON(data)
		if err != nil {
			return nil, &openapi3filter.ParseError{Kind: openapi3filter.KindInvalidFormat, Cause: err}
		}
		return v, nil
	})
}

// ValidateResponse checks a response to req: that its status is declared
// (IncludeResponseStatus), its headers and its body. req is only used to
// find the operation; its body is not read.
//
// openapi3filter stops at the first bad header and then skips the body, so
// a response missing request-id would hide a broken body. When a header is
// at fault, each header and the body are validated apart, and every
// violation is returned in one MultiError.
func (v *Validator) ValidateResponse(ctx context.Context, req *http.Request, status int, header http.Header, body []byte) error {
	route, params, err := v.Route(req)
	if err != nil {
		return err
	}
	return v.ValidateRoutedResponse(ctx, req, route, params, status, header, body)
}

// ValidateRoutedResponse is ValidateResponse for a request already routed
// by Route, whose route and path parameters it takes, so that a caller
// that needed the route anyway does not find it twice.
func (v *Validator) ValidateRoutedResponse(ctx context.Context, req *http.Request, route *routers.Route, params map[string]string, status int, header http.Header, body []byte) error {
	r := routable(req)
	validate := func(route *routers.Route) error {
		return openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{
				Request:    r,
				PathParams: params,
				Route:      route,
			},
			Status: status,
			Header: header,
			Body:   io.NopCloser(bytes.NewReader(body)),
			Options: &openapi3filter.Options{
				IncludeResponseStatus: true,
				MultiError:            true,
			},
		})
	}
	err := validate(route)
	declared := route.Operation.Responses.Status(status)
	if !isHeaderError(err) || declared == nil || declared.Value == nil {
		return err
	}
	var all openapi3.MultiError
	for _, part := range splitResponse(declared.Value) {
		if err := validate(withOnlyResponse(route, status, part)); err != nil {
			all = append(all, err)
		}
	}
	return all
}

// isHeaderError reports whether openapi3filter stopped at a response header.
func isHeaderError(err error) bool {
	var respErr *openapi3filter.ResponseError
	if !errors.As(err, &respErr) {
		return false
	}
	return strings.HasPrefix(respErr.Reason, "response header ") ||
		strings.HasPrefix(respErr.Reason, "unable to decode header ") ||
		strings.HasPrefix(respErr.Reason, "unable to get header ")
}

// splitResponse returns one copy of r per declared header, carrying only
// that header, and one carrying only the content.
func splitResponse(r *openapi3.Response) []*openapi3.Response {
	names := make([]string, 0, len(r.Headers))
	for name := range r.Headers {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]*openapi3.Response, 0, len(names)+1)
	for _, name := range names {
		part := *r
		part.Headers = openapi3.Headers{name: r.Headers[name]}
		part.Content = nil
		parts = append(parts, &part)
	}
	bodyOnly := *r
	bodyOnly.Headers = nil
	return append(parts, &bodyOnly)
}

// withOnlyResponse returns a copy of route whose operation declares only
// resp, under status.
func withOnlyResponse(route *routers.Route, status int, resp *openapi3.Response) *routers.Route {
	op := *route.Operation
	op.Responses = openapi3.NewResponses(openapi3.WithStatus(status, &openapi3.ResponseRef{Value: resp}))
	r := *route
	r.Operation = &op
	return &r
}

// OperationID names the operation req is routed to, or "METHOD path" when
// it matches none.
func (v *Validator) OperationID(req *http.Request) string {
	if route, _, err := v.Route(req); err == nil && route.Operation != nil && route.Operation.OperationID != "" {
		return route.Operation.OperationID
	}
	return req.Method + " " + (&url.URL{Path: req.URL.Path}).String()
}

// requireBearer accepts the oauth2 scheme when the request carries
// `Authorization: Bearer <token>` with a non-empty token. Scopes live inside
// the token, which only the service can judge.
func requireBearer(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecurityScheme == nil || in.SecurityScheme.Type != "oauth2" {
		return fmt.Errorf("unsupported security scheme %q", in.SecuritySchemeName)
	}
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return errMissingBearer
	}
	return nil
}

var errMissingBearer = fmt.Errorf("the Authorization header does not carry a Bearer token")

// readAndRestore reads *body fully and replaces it with a fresh reader over
// the same bytes, so that the caller can still send or handle it.
func readAndRestore(body *io.ReadCloser) ([]byte, error) {
	if *body == nil || *body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(*body)
	_ = (*body).Close()
	*body = io.NopCloser(bytes.NewReader(b))
	return b, err
}
