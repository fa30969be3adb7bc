package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Target is a server to verify and what the checks may do to it.
type Target struct {
	// BaseURL is the API root the spec's paths hang from, for example
	// https://graph.microsoft.com/beta or http://127.0.0.1:8080/beta.
	BaseURL string
	// Token authorizes the requests; it needs Directory.ReadWrite.All, the
	// one permission today's operations list.
	Token string
	// ReaderToken is optional: a valid token without that permission, for
	// the 403 part of ignored_auth. Without it that part is skipped.
	ReaderToken string
	// Group is a connectorGroup that Connector is not in. The doc's add
	// moves the connector into it, and the duplicate check adds it again.
	Group string
	// Connector is a connector the run may move. The run first reads the
	// group it is in (its memberOf); the doc's add moves it into Group, the
	// stateful checks into a group the run creates, and before Run returns
	// it is moved back to the group it started in, whatever happened.
	Connector string
	// Application is optional: the object id of an application published
	// through Application Proxy (its onPremisesPublishing is set) that the
	// run may move between groups. The run first reads the group it
	// reports; it then assigns it to the run's own group, moves it to
	// Group and removes its assignment, and before Run returns it puts it
	// back where it was. It is the only application the run changes.
	// Without it the application checks that write are skipped, and say
	// so.
	Application string
	// UnpublishedApplication is optional: the object id of an application
	// whose on-premises publishing is off. The run tries to assign it, which
	// a correct server refuses; should one accept, the cleanup removes
	// the assignment. Without it that check is skipped, and says so.
	UnpublishedApplication string
	// ReadOnly runs only the checks that change nothing (Check.ReadOnly):
	// they send GETs, and requests without a valid token. Every other check
	// is left out; naming one in -only is an error. A server that wrongly
	// takes a request without a token is undone by the cleanup, as in any
	// run (ignored_auth's create is the one such request that could change
	// something).
	ReadOnly bool
	// HTTPClient is optional; its Transport is wrapped by the validating
	// Transport. Redirects are never followed, so that they are judged.
	HTTPClient *http.Client
}

// DefaultRequestTimeout bounds each request when Target.HTTPClient is nil.
const DefaultRequestTimeout = 30 * time.Second

func (t Target) validate() error {
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"base URL", t.BaseURL}, {"token", t.Token}, {"group", t.Group}, {"connector", t.Connector},
	} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("contract: the target needs a %s", strings.Join(missing, ", a "))
	}
	u, err := url.Parse(t.BaseURL)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err // url.Error quotes the whole input, password included
		}
		return fmt.Errorf("contract: the base URL does not parse: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("contract: the base URL %q is not an absolute http(s) URL", u.Redacted())
	}
	segs := strings.Split(strings.TrimRight(u.Path, "/"), "/")
	if last := segs[len(segs)-1]; graph.IsVersion(last) && !graph.ServesConnectorGroups(last) {
		return fmt.Errorf("contract: the base URL ends in /%s, but connector groups exist in Graph's %s only", last, graph.Beta)
	}
	return nil
}

// session is one run's state: the validating client, every exchange made
// so far, what the checks share (the first add, the connector's group,
// the group the run creates) and the cleanup stack that undoes the run's
// changes.
type session struct {
	target    Target
	validator *Validator
	client    *http.Client
	base      string // BaseURL without its trailing slash
	origin    *url.URL
	addURL    string // POST target of addConnectorToConnectorGroup
	reference string // the doc's @odata.id for Target.Connector
	runID     string // names the groups this run creates

	mu  sync.Mutex
	log []tracked

	guard    *writeGuard // every write passes through it
	added    *Exchange   // the first add, once made
	addedErr *Evidence   // why the first add was not sent
	homeSeen *homeResult
	// appHomes is the group each application reported before the run
	// changed it, by id (applications_cleanup.go).
	appHomes map[string]*appHome
	made     *scratchResult
	cleanups cleanupStack
	// cleanupTried holds the groups whose delete the cleanup sent (by
	// idKey), so that the sweep neither sends nor reports one twice.
	cleanupTried map[string]bool
}

func newSession(t Target) (*session, error) {
	s := &session{target: t, runID: uuid.NewString()[:8], cleanupTried: map[string]bool{}, appHomes: map[string]*appHome{}}
	base := t.HTTPClient
	if base == nil {
		base = &http.Client{Timeout: DefaultRequestTimeout}
	}
	transport, err := NewTransport(base.Transport, WithOnExchange(s.record))
	if err != nil {
		return nil, err
	}
	s.validator = transport.validator
	client := *base
	client.Transport = transport
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	s.client = &client
	s.base = strings.TrimRight(t.BaseURL, "/")
	s.guard = newWriteGuard(s.base, t)
	s.origin, _ = url.Parse(s.base) // validate parsed it
	s.addURL = s.url(graph.DocMembersRefPath(t.Group))
	s.reference = graph.DocConnectorLink(graph.VersionOfBaseURL(t.BaseURL), t.Connector)
	return s, nil
}

// url is the absolute URL of path (one of internal/graph's) on the target.
func (s *session) url(path string) string { return s.base + path }

// tracked is an exchange with the note of the probe that made it. Once
// the probe's caller has it, the log keeps only the first maxBodyKept
// bytes of its response body, which is all the traffic judges read (the
// violations were found on the whole body), so that a run holds a bounded
// amount however many large answers it gets.
type tracked struct {
	Exchange
	note          string
	responseBytes int // the response body's whole length
}

// maxBodyKept bounds the response body the log keeps of each exchange:
// enough for any Graph error, whose message the judges quote.
const maxBodyKept = 8 << 10

// keepLess cuts the log's copy of its response body to maxBodyKept.
func (t *tracked) keepLess() {
	t.responseBytes = len(t.ResponseBody)
	t.ResponseBody = keptBody(t.ResponseBody)
}

// keptBody is body, or a copy of its first maxBodyKept bytes: a copy, so
// that the rest can be freed.
func keptBody(body []byte) []byte {
	if len(body) > maxBodyKept {
		return bytes.Clone(body[:maxBodyKept])
	}
	return body
}

func (s *session) record(ex Exchange) {
	s.mu.Lock()
	s.log = append(s.log, tracked{Exchange: ex})
	s.mu.Unlock()
}

// exchanges returns every exchange that got a response.
func (s *session) exchanges() []tracked {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []tracked
	for _, ex := range s.log {
		if ex.Err == nil {
			out = append(out, ex)
		}
	}
	return out
}

// probe is one request a check sends.
type probe struct {
	note          string // what is special about it, for the evidence
	method        string // POST when empty
	url           string // absolute; the doc's add when empty
	authorization string // the Authorization value; "" sends none
	contentType   string
	body          []byte
}

// docProbe is the doc's example request for Target.Connector, with the
// target's token.
func (s *session) docProbe(note string) probe {
	body, _ := json.Marshal(map[string]string{"@odata.id": s.reference})
	return probe{note: note, authorization: s.bearer(), contentType: "application/json", body: body}
}

// call is a request to path with the target's token, and body as JSON
// when it is not nil.
func (s *session) call(note, method, path string, body any) probe {
	p := probe{note: note, method: method, url: s.url(path), authorization: s.bearer()}
	if body != nil {
		p.body, _ = json.Marshal(body)
		p.contentType = "application/json"
	}
	return p
}

func (s *session) bearer() string { return "Bearer " + s.target.Token }

// send makes p's request through the validating client and returns the
// exchange the Transport recorded. Every request of a run goes through
// it, so it is where the write guard stands: a write goes out only once
// the guard has its record of what existed and admits it, and its outcome
// is tallied. A refused write comes back as an exchange whose error says
// why, with no status.
func (s *session) send(ctx context.Context, p probe) Exchange {
	method, target := p.method, p.url
	if method == "" {
		method = http.MethodPost
	}
	if target == "" {
		target = s.addURL
	}
	write := method != http.MethodGet && method != http.MethodHead
	if write {
		if s.guard.needsSnapshot() {
			s.guard.recordSnapshot(s.takeSnapshot(ctx))
		}
		if err := s.guard.admit(method, target, p.body); err != nil {
			s.guard.writes.add(writeUnsent)
			return Exchange{Method: method, URL: redactedURL(target), RequestBody: p.body, Err: err}
		}
	}
	ex := s.roundTrip(ctx, method, target, p)
	s.guard.observe(ex)
	if write {
		s.guard.writes.add(outcomeOf(ex))
	}
	return ex
}

// errNoRoundTrip says that the client gave up before the Transport saw
// the request: nothing was sent.
var errNoRoundTrip = errors.New("contract: the validating transport saw no round trip")

// unsent is the client's error for a request the Transport never saw:
// its message, and errors.Is(err, errNoRoundTrip).
type unsent struct{ err error }

func (u unsent) Error() string   { return u.err.Error() }
func (u unsent) Unwrap() []error { return []error{u.err, errNoRoundTrip} }

// redactedURL is target without its user info.
func redactedURL(target string) string {
	if u, err := url.Parse(target); err == nil {
		return u.Redacted()
	}
	return target
}

// roundTrip sends one request and returns the exchange the Transport
// recorded, whole; the log keeps less of it (tracked.keepLess).
func (s *session) roundTrip(ctx context.Context, method, target string, p probe) Exchange {
	s.mu.Lock()
	before := len(s.log)
	s.mu.Unlock()

	var body io.Reader
	if p.body != nil {
		body = bytes.NewReader(p.body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return Exchange{Method: method, URL: target, RequestBody: p.body, Err: err}
	}
	if p.authorization != "" {
		req.Header.Set("Authorization", p.authorization)
	}
	if p.contentType != "" {
		req.Header.Set("Content-Type", p.contentType)
	}
	req.Header.Set(graph.HeaderClientRequestID, uuid.NewString())
	resp, err := s.client.Do(req)
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.log) > before {
		last := &s.log[len(s.log)-1]
		last.note = p.note
		whole := last.Exchange
		last.keepLess()
		return whole
	}
	// The client gave up before the Transport saw the request.
	if err == nil {
		err = errNoRoundTrip
	} else {
		err = unsent{err}
	}
	return Exchange{Method: req.Method, URL: req.URL.Redacted(), RequestHeader: redactedHeader(req.Header), RequestBody: p.body, Err: err}
}

// firstAdd makes the doc's example request once per run and returns it;
// positive_data_acceptance judges it, and the duplicate and doc-path
// checks build on it. It moves the connector, so it is sent only once the
// connector's group is known, to move it back: when it is not, the
// evidence says why and nothing is sent.
func (s *session) firstAdd(ctx context.Context) (Exchange, *Evidence) {
	if s.added == nil && s.addedErr == nil {
		if blocked := s.beforeMove(ctx); blocked != nil {
			s.addedErr = blocked
		} else {
			ex := s.send(ctx, s.docProbe("the doc's example request"))
			s.added = &ex
		}
	}
	if s.addedErr != nil {
		return Exchange{}, s.addedErr
	}
	return *s.added, nil
}
