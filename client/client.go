// Package client is a small typed client for one Microsoft Graph operation,
// "Add connector to connectorGroup" (Azure AD Application Proxy):
//
//	POST /connectorGroups/{id}/members/$ref
//
// It wraps the client that oapi-codegen generates from the spec,
// openapi/connectorgroups.yaml#/paths/~1connectorGroups~1{id}~1members~1$ref/post
// (operationId addConnectorToConnectorGroup), and adds what generated code
// leaves to every caller: tokens, a client-request-id per call, one error
// type with sentinels, and retries that respect Retry-After.
//
// It depends on the standard library, the generated package, the
// project's internal/graph (Graph's conventions: link forms, versions,
// error bodies) and github.com/google/uuid only, so a program that uses
// it builds about as fast as one that uses net/http directly. It never
// follows redirects: the token goes to the base URL and nowhere else.
package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

const (
	// DefaultBaseURL is Microsoft Graph's beta endpoint, where the doc page
	// of the operation lives.
	DefaultBaseURL = graph.ServiceRoot + "/" + graph.Beta

	// Version is this package's version; the default User-Agent carries it.
	Version = "0.1.0"

	// DefaultUserAgent is the User-Agent sent unless WithUserAgent says
	// otherwise.
	DefaultUserAgent = "connectorgroups-go/" + Version
)

// Client adds connectors to connector groups. It is safe for concurrent
// use; make one and share it.
type Client struct {
	gen       *api.Client
	version   string // the Graph version of @odata.id: graph.VersionOfBaseURL of the base URL
	tokens    TokenSource
	userAgent string
	retry     RetryPolicy
	clock     clock
	jitter    func() float64
}

// Option configures a Client; see NewClient.
type Option func(*config) error

type config struct {
	baseURL    string
	httpClient *http.Client
	tokens     TokenSource
	userAgent  string
	retry      RetryPolicy
	clock      clock
	jitter     func() float64
}

// WithBaseURL sets the service's base URL, the Graph version included, as
// in "https://graph.microsoft.com/v1.0" or "http://127.0.0.1:8080/beta".
// The default is DefaultBaseURL.
func WithBaseURL(baseURL string) Option {
	return func(c *config) error {
		c.baseURL = baseURL
		return nil
	}
}

// WithHTTPClient sets the HTTP client, for its transport, proxy or TLS
// settings. Bound a call's time with its context rather than
// http.Client.Timeout, which would cut each attempt, not the call. The
// default is a new http.Client with http.DefaultTransport.
//
// The client uses a copy of hc that follows no redirects, whatever hc's
// CheckRedirect says; hc itself is left as it is. See [Error.Location].
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("client: WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithTokenSource sets where access tokens come from. It is required:
// every Graph request needs one.
func WithTokenSource(ts TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return errors.New("client: WithTokenSource: nil TokenSource")
		}
		c.tokens = ts
		return nil
	}
}

// WithUserAgent replaces the User-Agent header, DefaultUserAgent. Graph
// support finds requests more easily when it names the calling program,
// as in "myapp/1.2 " + client.DefaultUserAgent.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		// net/http refuses control characters in a header value, but only
		// when sending; refuse them here, where the mistake is made.
		if strings.TrimSpace(ua) == "" || strings.IndexFunc(ua, unicode.IsControl) >= 0 {
			return fmt.Errorf("client: WithUserAgent: %q is not a usable User-Agent", ua)
		}
		c.userAgent = ua
		return nil
	}
}

// withClock swaps the clock the retry loop waits on and the jitter source
// of its backoff; tests use it so that retries take no time.
func withClock(cl clock, jitter func() float64) Option {
	return func(c *config) error {
		c.clock, c.jitter = cl, jitter
		return nil
	}
}

// NewClient returns a Client. WithTokenSource is required; everything else
// has a default: DefaultBaseURL, a new http.Client, DefaultRetryPolicy and
// DefaultUserAgent.
func NewClient(opts ...Option) (*Client, error) {
	cfg := config{
		baseURL:   DefaultBaseURL,
		userAgent: DefaultUserAgent,
		retry:     DefaultRetryPolicy(),
		clock:     realClock{},
		jitter:    rand.Float64,
	}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.tokens == nil {
		return nil, errors.New("client: no token source; pass WithTokenSource, e.g. WithTokenSource(StaticToken(token))")
	}
	base, err := parseBaseURL(cfg.baseURL)
	if err != nil {
		return nil, err
	}
	hc := withoutRedirects(cfg.httpClient)
	// The generated client adds the trailing slash that keeps the base
	// path (/beta) when it resolves the operation's relative path.
	gen, err := api.NewClient(base.String(), api.WithHTTPClient(hc))
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	return &Client{
		gen:       gen,
		version:   graph.VersionOfBaseURL(base.String()),
		tokens:    cfg.tokens,
		userAgent: cfg.userAgent,
		retry:     cfg.retry,
		clock:     cfg.clock,
		jitter:    cfg.jitter,
	}, nil
}

// Connector is an Application Proxy connector
// (openapi/connectorgroups.yaml#/components/schemas/Connector).
type Connector struct {
	ID          string          `json:"id"`
	MachineName string          `json:"machineName,omitempty"`
	ExternalIP  string          `json:"externalIp,omitempty"`
	Status      ConnectorStatus `json:"status,omitempty"`
	Version     string          `json:"version,omitempty"`
}

// ConnectorStatus says whether a connector is active. The service may send
// a value this package does not know (tenants have sent enum values
// missing from the metadata); it is kept as sent, and never fails a call.
type ConnectorStatus string

// The connector statuses the spec knows.
const (
	ConnectorActive   ConnectorStatus = "active"
	ConnectorInactive ConnectorStatus = "inactive"
)

// AddConnector adds a connector to a connector group, the operation
// openapi/connectorgroups.yaml#/paths/~1connectorGroups~1{id}~1members~1$ref/post.
// It posts a link to the connector written as the doc page writes it,
// {"@odata.id": "https://graph.microsoft.com/{ver}/connector/{id}"}, where
// {ver} is the Graph version the base URL ends with, beta or v1.0, and beta
// when it ends with neither (graph.VersionOfBaseURL): a base URL such as
// http://host/v2 names no Graph version.
//
// Both of Graph's success answers are a success here:
//   - 201 Created, as the doc page says: the Connector is the one the
//     service returned.
//   - 204 No Content, as today's service answers $ref POSTs: there is no
//     body, so the Connector has only ID set, to connectorID. Fetch the
//     connector if you need its other fields.
//
// Any other answer is an *Error; match it with errors.Is against
// ErrNotFound, ErrAlreadyMember, ErrUnauthorized, ErrForbidden or
// ErrThrottled. A redirect (3xx) is not followed, so that the token goes
// nowhere but the base URL: it is an *Error too, with the Location. Unusable ids are refused with ErrInvalidID, and unusable
// tokens with ErrInvalidToken, before anything is sent.
//
// Each call sends a fresh client-request-id, the same on each of its
// retries (see RetryPolicy). Adding a member is not idempotent: when an
// attempt fails ambiguously (the add may have happened) and a retry is then
// told the connector is already a member, the error matches
// ErrAlreadyMember and has AfterAmbiguousAttempt set; the connector is most
// likely in the group, added by the earlier attempt.
func (c *Client) AddConnector(ctx context.Context, groupID, connectorID string) (*Connector, error) {
	if err := checkID("group id", groupID); err != nil {
		return nil, err
	}
	if err := checkID("connector id", connectorID); err != nil {
		return nil, err
	}
	// A fresh client-request-id per call, shared by its retries: the
	// service echoes it and Microsoft support can look requests up by it.
	requestID := uuid.NewString()
	params := &api.AddConnectorToConnectorGroupParams{ClientRequestId: &requestID}
	ref := api.AddConnectorToConnectorGroupJSONRequestBody{OdataId: c.connectorLink(connectorID)}

	resp, body, err := c.do(ctx, requestID, func(ctx context.Context) (*http.Response, error) {
		token, err := c.token(ctx)
		if err != nil {
			return nil, &permanentError{err}
		}
		// The generated client builds a new request, body included, on
		// every call: each attempt sends the whole body again. It runs the
		// editors just before handing the request to the HTTP client, so
		// an error while built is false came from building the request:
		// nothing was sent, and asking again cannot help.
		built := false
		resp, err := c.gen.AddConnectorToConnectorGroup(ctx, groupID, params, ref, c.headers(token),
			func(context.Context, *http.Request) error { built = true; return nil })
		if err != nil && !built {
			return nil, &permanentError{fmt.Errorf("client: building the request: %w", err)}
		}
		return resp, err
	})
	if err != nil {
		return nil, err
	}
	if len(body) == 0 { // 204 No Content, or an empty 201
		return &Connector{ID: connectorID}, nil
	}
	var got api.Connector
	if err := json.Unmarshal(body, &got); err != nil {
		return nil, fmt.Errorf("client: the connector was added (%s), but the response body is not a connector: %w", resp.Status, err)
	}
	return &Connector{
		ID:          got.Id,
		MachineName: got.MachineName,
		ExternalIP:  got.ExternalIp,
		Status:      ConnectorStatus(got.Status),
		Version:     deref(got.Version),
	}, nil
}

// token asks the token source for a token and refuses, with
// ErrInvalidToken, one that cannot be sent: an empty one would only earn a
// 401, and one with white space or control characters (a stray newline
// from a file, say) is no Bearer token, which is a single token68
// (RFC 6750); net/http would refuse the header anyway. The error does not
// quote the token: it is a secret.
func (c *Client) token(ctx context.Context) (string, error) {
	token, err := c.tokens.Token(ctx)
	if err != nil {
		return "", fmt.Errorf("client: getting a token: %w", err)
	}
	switch {
	case token == "":
		return "", fmt.Errorf("%w: the token source returned an empty token", ErrInvalidToken)
	case strings.IndexFunc(token, isSpaceOrControl) >= 0:
		return "", fmt.Errorf("%w: it contains white space or control characters, which a Bearer token never has (a trailing newline?)", ErrInvalidToken)
	}
	return token, nil
}

// headers sets what every attempt carries besides the generated
// client's Content-Type and client-request-id.
func (c *Client) headers(token string) api.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("User-Agent", c.userAgent)
		req.Header.Set("Accept", "application/json")
		return nil
	}
}

// withoutRedirects returns a copy of hc, or a new client when hc is nil,
// that never follows a redirect: a 3xx comes back as it is and becomes an
// *Error. Graph does not redirect these calls, and following one would
// send the Authorization header (Go forwards it to the same host on
// another port, and from https to http) and the body to wherever the
// Location points. The caller's client is not changed.
func withoutRedirects(hc *http.Client) *http.Client {
	c := &http.Client{}
	if hc != nil {
		*c = *hc
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// connectorLink is the @odata.id of a connector, as the doc page writes it
// (graph.DocConnectorLink).
func (c *Client) connectorLink(connectorID string) string {
	return graph.DocConnectorLink(c.version, connectorID)
}

// parseBaseURL checks a base URL. Its errors never quote what they cannot
// redact: a URL that does not parse may hold a password anywhere.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err // url.Error quotes the whole input
		}
		return nil, fmt.Errorf("client: the base URL does not parse: %w", err)
	}
	switch {
	case u.User != nil:
		return nil, fmt.Errorf("client: base URL %s: must not carry credentials; use WithTokenSource", u.Redacted())
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "":
		return nil, fmt.Errorf("client: base URL %q: want an absolute http(s) URL such as %s", u.Redacted(), DefaultBaseURL)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, errors.New("client: the base URL must not have a query or a fragment")
	}
	return u, nil
}

// checkID refuses ids that would change the request's path or the
// connector link rather than name an object. Other characters are
// path-escaped.
func checkID(what, id string) error {
	var problem string
	switch {
	case id == "":
		problem = "it is empty"
	case id == "." || id == "..":
		problem = "it is a dot segment"
	case strings.ContainsAny(id, `/\`):
		problem = "it contains a slash"
	case strings.IndexFunc(id, isSpaceOrControl) >= 0:
		problem = "it contains white space or control characters"
	default:
		return nil
	}
	return fmt.Errorf("%w: %s %q: %s", ErrInvalidID, what, id, problem)
}

func isSpaceOrControl(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
