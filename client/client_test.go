package client

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestAddConnector_Created(t *testing.T) {
	e := setup(t)
	var got *http.Request
	var gotBody []byte
	e.mux.HandleFunc(addPattern, func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(r.Context())
		gotBody, _ = io.ReadAll(r.Body)
		createdHandler(w, r)
	})

	conn, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
	if err != nil {
		t.Fatalf("AddConnector: %v", err)
	}
	want := Connector{ID: testConnector, MachineName: "CONNECTOR-01.contoso.com", ExternalIP: "203.0.113.10", Status: ConnectorActive, Version: "1.5.3437.0"}
	if *conn != want {
		t.Errorf("connector = %+v, want %+v", *conn, want)
	}

	if p := "/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/" + testGroup + "/members/$ref"; got.URL.Path != p {
		t.Errorf("path = %q, want %q", got.URL.Path, p)
	}
	// Today's link form, on the host the client talks to.
	wantBody := `{"@odata.id":"` + e.srv.URL + `/beta/onPremisesPublishingProfiles/applicationProxy/connectors/` + testConnector + `"}`
	if string(gotBody) != wantBody {
		t.Errorf("body = %s, want %s", gotBody, wantBody)
	}
	for h, want := range map[string]string{
		"Authorization": "Bearer " + testToken,
		"Content-Type":  "application/json",
		"Accept":        "application/json",
		"User-Agent":    DefaultUserAgent,
	} {
		if v := got.Header.Get(h); v != want {
			t.Errorf("%s = %q, want %q", h, v, want)
		}
	}
	if id := got.Header.Get("client-request-id"); !uuidV4.MatchString(id) {
		t.Errorf("client-request-id = %q, want a UUID v4", id)
	}
	assertValidTraffic(t, e.tr)
}

// Today's Graph answers 204 with no body: a success carrying only the id.
func TestAddConnector_NoContent(t *testing.T) {
	e := setup(t)
	e.mux.HandleFunc(addPattern, func(w http.ResponseWriter, r *http.Request) {
		graphHeaders(w, r, "7c1a3e52-9b0d-4c6f-8e21-3f5d6a9b0c14")
		w.WriteHeader(http.StatusNoContent)
	})

	conn, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
	if err != nil {
		t.Fatalf("AddConnector: %v", err)
	}
	if want := (Connector{ID: testConnector}); conn == nil || *conn != want {
		t.Errorf("connector = %+v, want %+v", conn, want)
	}
	assertValidTraffic(t, e.tr)
}

func TestAddConnector_CreatedWithBadBody(t *testing.T) {
	e := setup(t)
	e.mux.HandleFunc(addPattern, func(w http.ResponseWriter, r *http.Request) { writeCreated(w, r, "<html>oops") })

	conn, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
	if err == nil || conn != nil {
		t.Fatalf("AddConnector = %+v, %v; want an error", conn, err)
	}
	if !strings.Contains(err.Error(), "was added") {
		t.Errorf("error %q should say that the add happened", err)
	}
	assertValidRequests(t, e.tr)
}

// The @odata.id starts at the base URL's scheme and host and names the
// version the base URL ends with: today's link form by default, the doc
// page's {root}/{ver}/connector/{id} WithDocPath, each with its path.
func TestAddConnector_LinkAndPathFromBaseURL(t *testing.T) {
	tests := []struct {
		basePath string
		wantVer  string
		offSpec  bool // a path the spec's servers do not name: the contract suite cannot route it
	}{
		{"/beta", "beta", false},
		// Connector groups exist in beta only, so the spec routes no v1.0
		// path; the link still names the base URL's version.
		{"/v1.0", "v1.0", true},
		{"/v1.0/", "v1.0", true},
		{"/graph/v1.0", "v1.0", true},
		{"", "beta", false},
		{"/", "beta", false},
		// No Graph version at the end: the link says beta (it used to say
		// v2), and the path keeps what the caller gave.
		{"/v2", "beta", true},
		{"/v1.0/extra", "beta", true},
		{"/version", "beta", true},
	}
	modes := []struct {
		name     string
		opts     []Option
		linkPath string // after {root}/{ver}
		opPath   string // after the base path
	}{
		{"today", nil, "/onPremisesPublishingProfiles/applicationProxy/connectors/", "/onPremisesPublishingProfiles/applicationProxy/connectorGroups/"},
		{"doc", []Option{WithDocPath()}, "/connector/", "/connectorGroups/"},
	}
	for _, m := range modes {
		for _, tt := range tests {
			t.Run(m.name+" "+tt.basePath, func(t *testing.T) {
				e := setup(t)
				var odataID, path string
				e.mux.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) {
					var body map[string]string
					json.NewDecoder(r.Body).Decode(&body)
					odataID, path = body["@odata.id"], r.URL.Path
					createdHandler(w, r)
				})
				opts := append([]Option{WithBaseURL(e.srv.URL + tt.basePath), WithHTTPClient(&http.Client{Transport: e.tr}), WithTokenSource(StaticToken(testToken))}, m.opts...)
				c, err := NewClient(opts...)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := c.AddConnector(context.Background(), testGroup, testConnector); err != nil {
					t.Fatalf("AddConnector: %v", err)
				}
				if want := e.srv.URL + "/" + tt.wantVer + m.linkPath + testConnector; odataID != want {
					t.Errorf("@odata.id = %q, want %q", odataID, want)
				}
				if id, err := graph.ParseConnectorLink(odataID); err != nil || id != testConnector {
					t.Errorf("graph.ParseConnectorLink(%q) = %q, %v", odataID, id, err)
				}
				if want := strings.TrimSuffix(tt.basePath, "/") + m.opPath + testGroup + "/members/$ref"; path != want {
					t.Errorf("path = %q, want %q", path, want)
				}
				if tt.offSpec {
					return
				}
				assertValidTraffic(t, e.tr)
			})
		}
	}
}

func TestAddConnector_EscapesIDs(t *testing.T) {
	e := setup(t)
	var gotID, gotRef string
	e.mux.HandleFunc(addPattern, func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		json.NewDecoder(r.Body).Decode(&body)
		gotID, gotRef = r.PathValue("id"), body["@odata.id"]
		createdHandler(w, r)
	})
	if _, err := e.client.AddConnector(context.Background(), "g?x=1#y", "c#d%e"); err != nil {
		t.Fatalf("AddConnector: %v", err)
	}
	if gotID != "g?x=1#y" {
		t.Errorf("server saw group id %q", gotID)
	}
	if want := e.srv.URL + "/beta/onPremisesPublishingProfiles/applicationProxy/connectors/c%23d%25e"; gotRef != want {
		t.Errorf("@odata.id = %q, want %q", gotRef, want)
	}
	assertValidTraffic(t, e.tr)
}

// Bad ids fail before anything is sent, with ErrInvalidID, never a panic.
func TestAddConnector_InvalidIDs(t *testing.T) {
	tests := []struct{ name, group, connector string }{
		{"empty group", "", testConnector},
		{"empty connector", testGroup, ""},
		{"slash in group", "a/b", testConnector},
		{"backslash in group", `a\b`, testConnector},
		{"dot-dot group", "..", testConnector},
		{"dot connector", testGroup, "."},
		{"slash in connector", testGroup, "../../users/x"},
		{"newline in group", "a\nb", testConnector},
		{"space in connector", testGroup, "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			e.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("request sent: %s %s", r.Method, r.URL) })
			conn, err := e.client.AddConnector(context.Background(), tt.group, tt.connector)
			if !errors.Is(err, ErrInvalidID) || conn != nil {
				t.Fatalf("AddConnector = %v, %v; want ErrInvalidID", conn, err)
			}
			if n := e.tr.Exchanges(); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

// Each call has its own client-request-id; see the retry tests for the
// same id across one call's attempts.
func TestAddConnector_FreshClientRequestID(t *testing.T) {
	e := setup(t)
	var mu sync.Mutex
	seen := map[string]bool{}
	e.mux.HandleFunc(addPattern, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Header.Get("client-request-id")] = true
		mu.Unlock()
		createdHandler(w, r)
	})
	const calls = 8
	var wg sync.WaitGroup
	for range calls {
		wg.Go(func() {
			if _, err := e.client.AddConnector(context.Background(), testGroup, testConnector); err != nil {
				t.Errorf("AddConnector: %v", err)
			}
		})
	}
	wg.Wait()
	if len(seen) != calls {
		t.Errorf("%d distinct client-request-ids in %d calls", len(seen), calls)
	}
	for id := range seen {
		if !uuidV4.MatchString(id) {
			t.Errorf("client-request-id %q is not a UUID v4", id)
		}
	}
	assertValidTraffic(t, e.tr)
}

func TestWithUserAgent(t *testing.T) {
	e := setup(t, WithUserAgent("myapp/1.2 "+DefaultUserAgent))
	var ua string
	e.mux.HandleFunc(addPattern, func(w http.ResponseWriter, r *http.Request) {
		ua = r.Header.Get("User-Agent")
		createdHandler(w, r)
	})
	if _, err := e.client.AddConnector(context.Background(), testGroup, testConnector); err != nil {
		t.Fatal(err)
	}
	if want := "myapp/1.2 connectorgroups-go/" + Version; ua != want {
		t.Errorf("User-Agent = %q, want %q", ua, want)
	}
	assertValidTraffic(t, e.tr)
}

func TestNewClient_Errors(t *testing.T) {
	token := WithTokenSource(StaticToken("t"))
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"no token source", nil, "no token source"},
		{"nil token source", []Option{WithTokenSource(nil)}, "nil TokenSource"},
		{"relative base URL", []Option{token, WithBaseURL("graph.microsoft.com/beta")}, "absolute http(s) URL"},
		{"ftp base URL", []Option{token, WithBaseURL("ftp://graph.microsoft.com/beta")}, "absolute http(s) URL"},
		{"unparsable base URL", []Option{token, WithBaseURL("http://[::1")}, "base URL"},
		{"query in base URL", []Option{token, WithBaseURL("https://graph.microsoft.com/beta?x=1")}, "query"},
		{"credentials in base URL", []Option{token, WithBaseURL("https://u:secret@graph.microsoft.com/beta")}, "credentials"},
		{"nil http client", []Option{token, WithHTTPClient(nil)}, "nil *http.Client"},
		{"empty user agent", []Option{token, WithUserAgent(" ")}, "User-Agent"},
		{"newline in user agent", []Option{token, WithUserAgent("myapp/1.2\n")}, "User-Agent"},
		{"NUL in user agent", []Option{token, WithUserAgent("myapp\x00/1.2")}, "User-Agent"},
		{"negative retry", []Option{token, WithRetry(RetryPolicy{MaxAttempts: -1})}, "negative"},
		{"backoff bounds", []Option{token, WithRetry(RetryPolicy{MinBackoff: 2e9, MaxBackoff: 1e9})}, "less than MinBackoff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.opts...)
			if err == nil || c != nil {
				t.Fatalf("NewClient = %v, %v; want an error", c, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q leaks the password", err)
			}
		})
	}
}

func TestNewClient_Defaults(t *testing.T) {
	c, err := NewClient(WithTokenSource(StaticToken("t")))
	if err != nil {
		t.Fatal(err)
	}
	if c.server != DefaultBaseURL+"/" || c.base.String() != DefaultBaseURL || c.docPath {
		t.Errorf("server %q, base %q, doc path %v", c.server, c.base, c.docPath)
	}
	if c.retry != DefaultRetryPolicy() || c.userAgent != DefaultUserAgent {
		t.Errorf("retry %+v, user agent %q", c.retry, c.userAgent)
	}
}

// Graph's answers carry media-type parameters, success and error alike
// (graph.ContentTypeEntity), a 201 carries @odata.context, and a tenant may
// send an enum value the spec does not know (a real one sent
// "region": "japan"): none of it fails the call.
func TestAddConnector_GraphMediaTypeAndUnknownValues(t *testing.T) {
	odataContext := `"@odata.context":"` + graph.ConnectorEntityContext(graph.Beta) + `",`
	tests := []struct {
		name     string
		body     string
		want     Connector
		fullSpec bool // the answer itself keeps to the spec, so all traffic must validate
	}{
		{"known status", `{` + odataContext + `"id":"` + testConnector + `","machineName":"CONNECTOR-01.contoso.com","externalIp":"203.0.113.10","status":"active","version":"1.5.3437.0"}`,
			Connector{ID: testConnector, MachineName: "CONNECTOR-01.contoso.com", ExternalIP: "203.0.113.10", Status: ConnectorActive, Version: "1.5.3437.0"}, true},
		{"unknown status", `{` + odataContext + `"id":"` + testConnector + `","machineName":"CONNECTOR-01.contoso.com","externalIp":"203.0.113.10","status":"degraded"}`,
			Connector{ID: testConnector, MachineName: "CONNECTOR-01.contoso.com", ExternalIP: "203.0.113.10", Status: "degraded"}, false},
		{"unknown properties", `{` + odataContext + `"@odata.type":"#microsoft.graph.connector","id":"` + testConnector + `","machineName":"m","externalIp":"203.0.113.10","status":"inactive","region":"japan","memberOf":[]}`,
			Connector{ID: testConnector, MachineName: "m", ExternalIP: "203.0.113.10", Status: ConnectorInactive}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			e.mux.HandleFunc(addPattern, func(w http.ResponseWriter, r *http.Request) {
				graphHeaders(w, r, "11111111-2222-4333-8444-555555555555")
				w.Header().Set("Content-Type", graph.ContentTypeEntity)
				w.Header().Set(graph.HeaderODataVersion, graph.ODataVersion)
				w.WriteHeader(http.StatusCreated)
				io.WriteString(w, tt.body)
			})
			conn, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
			if err != nil {
				t.Fatalf("AddConnector: %v", err)
			}
			if *conn != tt.want {
				t.Errorf("connector = %+v, want %+v", *conn, tt.want)
			}
			if tt.fullSpec {
				assertValidTraffic(t, e.tr)
			} else {
				assertValidRequests(t, e.tr)
			}
		})
	}

	t.Run("error", func(t *testing.T) {
		e := setup(t, WithoutRetry())
		e.mux.HandleFunc(addPattern, func(w http.ResponseWriter, r *http.Request) {
			graphHeaders(w, r, "22222222-3333-4444-8555-666666666666")
			w.Header().Set("Content-Type", graph.ContentTypeEntity)
			w.Header().Set(graph.HeaderODataVersion, graph.ODataVersion)
			w.WriteHeader(http.StatusBadRequest)
			w.Write(graph.EncodeError(graph.CodeRequestBadRequest, graph.MsgAlreadyMember, time.Date(2026, 11, 27, 10, 15, 30, 0, time.UTC), "22222222-3333-4444-8555-666666666666", r.Header.Get("client-request-id")))
		})
		_, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
		assertSentinel(t, err, "ErrAlreadyMember")
		ge := asError(t, err)
		if ge.Code != graph.CodeRequestBadRequest || ge.Message != graph.MsgAlreadyMember || ge.RequestID != "22222222-3333-4444-8555-666666666666" {
			t.Errorf("Code, Message, RequestID = %q, %q, %q", ge.Code, ge.Message, ge.RequestID)
		}
		if want := time.Date(2026, 11, 27, 10, 15, 30, 0, time.UTC); !ge.Date.Equal(want) {
			t.Errorf("Date = %v, want %v", ge.Date, want)
		}
		assertNoRawJSON(t, ge)
		assertValidRequests(t, e.tr)
	})
}

// A password in a base URL never reaches the error, whatever is wrong with
// the URL besides.
func TestNewClient_BaseURLErrorsHideSecrets(t *testing.T) {
	for _, raw := range []string{
		"ftp://user:s3cret@host/beta",
		"//user:s3cret@host/beta",
		"http://user:s3cret@host:bad/beta",
		"http://user:s3cret@host/beta",
		"http://host/beta?sig=s3cret",
		"http://host/beta#s3cret",
		"http://[::1%s3cret/beta",
	} {
		_, err := NewClient(WithBaseURL(raw), WithTokenSource(StaticToken("t")))
		if err == nil {
			t.Errorf("NewClient(%q): no error", raw)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("NewClient(%q) error leaks the secret: %v", raw, err)
		}
	}
}
