// Package client is a small typed client for Microsoft Graph's
// Application Proxy connector groups (beta), google/go-github style: one
// method per operation of openapi/connectorgroups.yaml, each taking a
// context first.
//
//   - groups: ListConnectorGroups, GetConnectorGroup, CreateConnectorGroup,
//     UpdateConnectorGroup, DeleteConnectorGroup;
//   - connectors: ListConnectors, GetConnector, GetConnectorGroupOf;
//   - membership: ListMembers, and AddConnector, which puts a connector
//     into a group. A connector is always in exactly one group, so adding
//     it moves it; "add" is the verb of Graph's doc page and of every such
//     operation in the spec. AddConnectorViaMemberOf does the same through
//     the connector's memberOf, the spec's other path for it;
//   - applications: ListApplications, GetApplication, ListGroupApplications,
//     GetApplicationConnectorGroup, and AddApplication, which puts an
//     application into a group from the group's side (a $ref add, as
//     AddConnector is), AddApplicationViaConnectorGroup from the
//     application's side (the PUT today's page documents), and
//     RemoveApplicationConnectorGroup. An application is in at most one
//     group, and reports the default group when it is in none.
//
// It adds what generated code leaves to every caller: tokens, a
// client-request-id per request, one error type with sentinels, retries
// that respect Retry-After, and lists that follow @odata.nextLink to the
// end. Every method sends through one path (Client.send, then the retry
// loop), so they all behave alike.
//
// Any 2xx answer is a success, whichever 2xx the spec declares for the
// operation (Graph's doc pages and its live service disagree on several:
// 200 or 201 for create, 200 or 204 for update, 201 or 204 for add), as
// go-github treats them. A method that returns an object needs it in the
// body, and says so in an error when the body has none.
//
// Everything it reads from a service is bounded: one response body to
// 4 MiB after decompression, and one list's pages together to
// DefaultMaxListBytes (WithMaxListBytes); past either, the call ends with
// a *TooLargeError, is not retried, and returns nothing in part. What a
// server sends reaches an *Error only on one line, with control characters
// folded and format characters (bidi overrides and the like) escaped, and
// without the client's own bearer token, should the server echo it.
//
// What it exports is for the programs that use it, as go-github's
// exports are: the module's own CLI and contract suite use only part of
// it (they set no retry policy or User-Agent, and branch on few
// sentinels), but a program calling Graph needs the options
// (WithRetry, WithUserAgent, ...), a sentinel for each status it branches
// on, and the enum values the spec knows. TooLargeError is named here
// because programs outside the module cannot import internal/graph, where
// the type lives.
//
// It depends on the standard library, the generated package (request
// builders and wire types), the project's internal/graph (Graph's
// conventions: paths, link forms, versions, error bodies) and
// github.com/google/uuid only, so a program that uses it builds about as
// fast as one that uses net/http directly. It never follows redirects, nor
// a nextLink to another host: the token goes to the base URL and nowhere
// else.
package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

const (
	// DefaultBaseURL is Microsoft Graph's beta endpoint, the only version
	// that serves connector groups.
	DefaultBaseURL = graph.ServiceRoot + "/" + graph.Beta

	// Version is this package's version, the spec's info.version it was
	// written for; the default User-Agent carries it.
	Version = "0.3.0"

	// DefaultUserAgent is the User-Agent sent unless WithUserAgent says
	// otherwise.
	DefaultUserAgent = "connectorgroups-go/" + Version
)

// Client manages connector groups and their connectors. It is safe for
// concurrent use; make one and share it.
type Client struct {
	hc        *http.Client // follows no redirects (withoutRedirects)
	base      *url.URL     // the base URL as given, checked by parseBaseURL
	server    string       // base with a trailing slash, for the generated request builders
	docPath   bool         // WithDocPath: AddConnector uses the doc page's path and link form
	tokens    TokenSource
	userAgent string
	retry     RetryPolicy
	clock     clock
	jitter    func() float64
	maxPages  int // the most pages one list walks; defaultMaxPages

	maxListBytes int64 // the most bytes one list reads, all pages; WithMaxListBytes
}

// Option configures a Client; see NewClient.
type Option func(*config) error

type config struct {
	baseURL    string
	httpClient *http.Client
	tokens     TokenSource
	userAgent  string
	docPath    bool
	recorder   *Recorder
	retry      RetryPolicy
	clock      clock
	jitter     func() float64

	maxListBytes int64
}

// WithBaseURL sets the service's base URL, the Graph version included, as
// in "https://graph.microsoft.us/beta" (a national cloud) or
// "http://127.0.0.1:8080/beta" (the fake). The default is DefaultBaseURL.
// Links the client sends (@odata.id) are built from it too, so they name
// the service the client talks to.
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

// WithDocPath makes AddConnector send what the Graph doc page "Add
// connector to connectorGroup" shows: POST /connectorGroups/{id}/members/$ref
// with {"@odata.id": "{root}/{ver}/connector/{id}"}
// (openapi/connectorgroups.yaml#/paths/~1connectorGroups~1{id}~1members~1$ref/post).
// The live service has no such path today, so it is for services that
// follow the page, such as the reference server. Other methods are not
// affected.
func WithDocPath() Option {
	return func(c *config) error {
		c.docPath = true
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

		maxListBytes: DefaultMaxListBytes,
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
	// The trailing slash keeps the base path (/beta) when the generated
	// builders resolve an operation's relative path against it.
	server := base.String()
	if !strings.HasSuffix(server, "/") {
		server += "/"
	}
	hc := withoutRedirects(cfg.httpClient)
	if cfg.recorder != nil {
		hc.Transport = cfg.recorder.RoundTripper(hc.Transport)
	}
	return &Client{
		hc:        hc,
		base:      base,
		server:    server,
		docPath:   cfg.docPath,
		tokens:    cfg.tokens,
		userAgent: cfg.userAgent,
		retry:     cfg.retry,
		clock:     cfg.clock,
		jitter:    cfg.jitter,
		maxPages:  defaultMaxPages,

		maxListBytes: cfg.maxListBytes,
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
	case graph.HasSpaceOrControl(token):
		return "", fmt.Errorf("%w: it contains white space or control characters, which a Bearer token never has (a trailing newline?)", ErrInvalidToken)
	}
	return token, nil
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
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = holdLocation{next: next}
	return c
}

// heldLocationKey is where holdLocation keeps a 3xx's Location while
// http.Client looks at the response. net/http canonicalises every header
// name it reads from the wire ("Location"), so no server's header can
// have this key.
const heldLocationKey = "location"

// holdLocation hides the Location of a 3xx from http.Client, which parses
// it before it asks CheckRedirect: one that did not parse ("%") failed the
// call with a transport error and threw the response away, so a redirect
// that must become an *Error, once, was retried instead (an add four
// times). Without a Location, http.Client returns the 3xx as it is, and
// send puts the header back (releaseLocation) for newError to read.
type holdLocation struct{ next http.RoundTripper }

func (h holdLocation) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := h.next.RoundTrip(req)
	if err == nil && resp != nil && isRedirect(resp.StatusCode) {
		if loc, ok := resp.Header["Location"]; ok {
			delete(resp.Header, "Location")
			resp.Header[heldLocationKey] = loc
		}
	}
	return resp, err
}

// releaseLocation undoes holdLocation on the response http.Client
// returned.
func releaseLocation(resp *http.Response) {
	if resp == nil {
		return
	}
	//lint:ignore SA1008 the key is non-canonical on purpose, so no header from the wire can have it (heldLocationKey)
	if loc, ok := resp.Header[heldLocationKey]; ok {
		delete(resp.Header, heldLocationKey)
		resp.Header["Location"] = loc
	}
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

// checkID refuses ids that would change the request's path or a link
// rather than name an object. Other characters are path-escaped.
func checkID(what, id string) error {
	var problem string
	switch {
	case id == "":
		problem = "it is empty"
	case id == "." || id == "..":
		problem = "it is a dot segment"
	case strings.ContainsAny(id, `/\`):
		problem = "it contains a slash"
	case graph.HasSpaceOrControl(id):
		problem = "it contains white space or control characters"
	default:
		return nil
	}
	return fmt.Errorf("%w: %s %q: %s", ErrInvalidID, what, id, problem)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
