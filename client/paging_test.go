package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pager answers a list in pages: pages[i] is the value array of page i+1
// (JSON items, comma-separated). The first page is the request without
// $skiptoken; page i links to page i+1 with $skiptoken=p<i+1>, as an
// absolute URL on the server, until the last. It records each request.
type pager struct {
	t      *testing.T
	server func() string // the test server's URL, known once it runs
	path   string        // the list's path under the server
	pages  []string

	mu       sync.Mutex
	requests []*http.Request
}

func (p *pager) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.requests = append(p.requests, r.Clone(context.Background()))
	p.mu.Unlock()
	i := 0
	if tok := r.URL.Query().Get("$skiptoken"); tok != "" {
		if _, err := fmt.Sscanf(tok, "p%d", &i); err != nil || i < 2 || i > len(p.pages) {
			writeGraphError(w, r, 400, "Request_BadRequest", "The $skiptoken value is not valid; take it from @odata.nextLink.", "55555555-6666-4777-8888-999999999999")
			return
		}
		i--
	}
	next := ""
	if i+1 < len(p.pages) {
		next = fmt.Sprintf(`"@odata.nextLink":"%s%s?$skiptoken=p%d",`, p.server(), p.path, i+2)
	}
	writeJSON(w, r, 200, `{`+next+`"value":[`+p.pages[i]+`]}`)
}

func (p *pager) Requests() []*http.Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*http.Request(nil), p.requests...)
}

// Each list method follows @odata.nextLink to the last page and returns
// every item in order; each page is its own request, with the token and a
// client-request-id of its own, and the $skiptoken as the link gave it.
func TestPaging_FollowsNextLinkToTheEnd(t *testing.T) {
	tests := []struct {
		name  string
		path  string
		pages []string
		call  func(c *Client) (any, error)
		want  any
	}{
		{"ListConnectorGroups", appProxy + "/connectorGroups", []string{groupDefaultJSON, groupNAJSON, ``},
			func(c *Client) (any, error) { return c.ListConnectorGroups(context.Background()) },
			[]ConnectorGroup{groupDefault, groupNA}},
		{"ListMembers", appProxy + "/connectorGroups/" + testGroup + "/members", []string{connectorJSON, ``, connector02JSON},
			func(c *Client) (any, error) { return c.ListMembers(context.Background(), testGroup) },
			[]Connector{connector01, connector02}},
		{"ListConnectors", appProxy + "/connectors", []string{connectorJSON, connector02JSON, connectorJSON},
			func(c *Client) (any, error) { return c.ListConnectors(context.Background()) },
			[]Connector{connector01, connector02, connector01}},
		{"GetConnectorGroupOf", appProxy + "/connectors/" + testConnector + "/memberOf", []string{``, groupNAJSON, ``},
			func(c *Client) (any, error) { return c.GetConnectorGroupOf(context.Background(), testConnector) },
			&groupNA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			p := &pager{t: t, server: func() string { return e.srv.URL }, path: tt.path, pages: tt.pages}
			e.mux.Handle("GET "+tt.path, p)

			got, err := tt.call(e.client)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)

			reqs := p.Requests()
			require.Len(t, reqs, 3, "one request per page")
			ids := map[string]bool{}
			for i, r := range reqs {
				testCommonHeaders(t, r)
				ids[r.Header.Get("client-request-id")] = true
				want := ""
				if i > 0 {
					want = fmt.Sprintf("$skiptoken=p%d", i+1)
				}
				assert.Equal(t, want, r.URL.RawQuery, "page %d's query", i+1)
			}
			assert.Len(t, ids, 3, "a client-request-id per page")
			assertValidTraffic(t, e.tr)
		})
	}
}

// A list with no items is an empty slice, not nil, so that it prints as [].
func TestPaging_EmptyList(t *testing.T) {
	e := setup(t)
	e.mux.HandleFunc("GET "+appProxy+"/connectorGroups/"+testGroup+"/members", jsonHandler(200, `{"value":[]}`))
	got, err := e.client.ListMembers(context.Background(), testGroup)
	require.NoError(t, err)
	assert.NotNil(t, got)
	assert.Empty(t, got)
	assertValidTraffic(t, e.tr)
}

// A nextLink that does not name the base URL's scheme and host is not
// followed: the token is never sent there, and the call fails whole.
func TestPaging_NextLinkElsewhereIsRefused(t *testing.T) {
	elsewhere, got := plainHTTPServer(t)
	tests := []struct {
		name, next string
		want       string
	}{
		{"another port", elsewhere.URL + appProxy + "/connectorGroups?$skiptoken=p2", "not on"},
		{"another host", "http://localhost" + strings.TrimPrefix(elsewhere.URL, "http://127.0.0.1") + appProxy + "/connectorGroups?$skiptoken=p2", "not on"},
		{"another scheme", "https://{host}" + appProxy + "/connectorGroups?$skiptoken=p2", "not on"},
		{"relative", appProxy + "/connectorGroups?$skiptoken=p2", "not an absolute URL"},
		{"user info", "http://admin:hunter2@{host}" + appProxy + "/connectorGroups?$skiptoken=p2", "user info"},
		{"not a URL", "http://[::1", "does not parse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			next := strings.ReplaceAll(tt.next, "{host}", strings.TrimPrefix(e.srv.URL, "http://"))
			requests := 0
			e.mux.HandleFunc("GET "+appProxy+"/connectorGroups", func(w http.ResponseWriter, r *http.Request) {
				requests++
				writeJSON(w, r, 200, `{"@odata.nextLink":"`+next+`","value":[`+groupDefaultJSON+`]}`)
			})
			list, err := e.client.ListConnectorGroups(context.Background())
			require.Error(t, err)
			assert.Nil(t, list, "no partial list")
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, err.Error(), "after page 1")
			for _, secret := range []string{testToken, "hunter2"} {
				assert.NotContains(t, err.Error(), secret)
			}
			assert.Equal(t, 1, requests)
			assert.Zero(t, got.Load(), "requests that reached the other server")
			assert.Equal(t, 1, e.tr.Exchanges(), "requests sent")
			// The next links break the spec on purpose; the requests do not.
			assertValidRequests(t, e.tr)
		})
	}
}

// A nextLink to a page the walk has asked for is a loop: refused, after
// as many requests as there were distinct pages.
func TestPaging_LoopIsRefused(t *testing.T) {
	tests := []struct {
		name     string
		links    map[string]string // $skiptoken ("" for the first page) -> the nextLink's query ("" for none)
		wantReqs int
	}{
		{"a page links to itself", map[string]string{"": "?$skiptoken=a", "a": "?$skiptoken=a"}, 2},
		{"back to the first page", map[string]string{"": "?$skiptoken=a", "a": "?$skiptoken=b", "b": ""}, 3},
		{"round two pages", map[string]string{"": "?$skiptoken=a", "a": "?$skiptoken=b", "b": "?$skiptoken=a"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			requests := 0
			path := appProxy + "/connectors"
			e.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
				requests++
				q, ok := tt.links[r.URL.Query().Get("$skiptoken")]
				if !ok {
					t.Errorf("unexpected page %q", r.URL.RawQuery)
				}
				// "b" links back to the first page, the URL without a query.
				next := `"@odata.nextLink":"` + e.srv.URL + path + q + `",`
				writeJSON(w, r, 200, `{`+next+`"value":[`+connectorJSON+`]}`)
			})
			list, err := e.client.ListConnectors(context.Background())
			require.Error(t, err)
			assert.Nil(t, list)
			assert.Contains(t, err.Error(), "loop")
			assert.Equal(t, tt.wantReqs, requests)
			assertValidTraffic(t, e.tr)
		})
	}
}

// A walk that never ends is cut at the client's page cap, with an error.
func TestPaging_PageCap(t *testing.T) {
	e := setup(t)
	e.client.maxPages = 3
	requests := 0
	path := appProxy + "/connectorGroups"
	e.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
		requests++
		next := fmt.Sprintf(`"@odata.nextLink":"%s%s?$skiptoken=p%d",`, e.srv.URL, path, requests+1)
		writeJSON(w, r, 200, `{`+next+`"value":[`+groupNAJSON+`]}`)
	})
	list, err := e.client.ListConnectorGroups(context.Background())
	require.Error(t, err)
	assert.Nil(t, list)
	assert.Contains(t, err.Error(), "gave up after 3 pages")
	assert.Equal(t, 3, requests)
	assertValidTraffic(t, e.tr)

	// The default cap is the documented one.
	c, err := NewClient(WithTokenSource(StaticToken("t")))
	require.NoError(t, err)
	assert.Equal(t, 10000, c.maxPages)
}

// A page without a value array is an error, never an empty list, on the
// first page or a later one.
func TestPaging_PageWithoutValue(t *testing.T) {
	tests := []struct {
		name   string
		second string // "" when the first page is the bad one
		first  string
		want   string
	}{
		{"first page without value", "", `{"@odata.context":"x"}`, "page 1: the page has no \"value\" array"},
		{"value null", "", `{"value":null}`, "page 1: the page has no \"value\" array"},
		{"value not an array", "", `{"value":{"id":"g"}}`, "page 1"},
		{"not JSON", "", `<html>`, "is not a page of connector groups"},
		{"second page without value", `{}`, "", "page 2: the page has no \"value\" array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			path := appProxy + "/connectorGroups"
			e.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
				switch {
				case tt.second == "":
					writeJSON(w, r, 200, tt.first)
				case r.URL.RawQuery == "":
					writeJSON(w, r, 200, `{"@odata.nextLink":"`+e.srv.URL+path+`?$skiptoken=p2","value":[`+groupNAJSON+`]}`)
				default:
					writeJSON(w, r, 200, tt.second)
				}
			})
			list, err := e.client.ListConnectorGroups(context.Background())
			require.Error(t, err)
			assert.Nil(t, list, "no partial list")
			assert.Contains(t, err.Error(), tt.want)
			assertValidRequests(t, e.tr)
		})
	}
}

// A later page's failure fails the call, as an *Error with its sentinel;
// a later page is retried like any read, its attempts sharing one
// client-request-id.
func TestPaging_LaterPageFailsOrIsRetried(t *testing.T) {
	path := appProxy + "/connectorGroups"
	firstPage := func(e *env) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, r, 200, `{"@odata.nextLink":"`+e.srv.URL+path+`?$skiptoken=p2","value":[`+groupDefaultJSON+`]}`)
		}
	}

	t.Run("401 on page 2, the token expired", func(t *testing.T) {
		e := setup(t)
		seq := &sequence{handlers: []http.HandlerFunc{firstPage(e), graphErrorHandler(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.")}}
		e.mux.Handle("GET "+path, seq)
		list, err := e.client.ListConnectorGroups(context.Background())
		assert.Nil(t, list)
		assertSentinel(t, err, "ErrUnauthorized")
		assert.Contains(t, err.Error(), "page 2")
		assert.Equal(t, 401, asError(t, err).StatusCode)
		assert.Equal(t, 2, seq.Count())
		assertValidTraffic(t, e.tr)
	})

	t.Run("429 then 500 on page 2, then the page", func(t *testing.T) {
		e := setup(t)
		rec := &recorder{}
		seq := &sequence{handlers: []http.HandlerFunc{firstPage(e), throttled("2"), graphErrorHandler(500, "generalException", "General exception."),
			jsonHandler(200, `{"value":[`+groupNAJSON+`]}`)}}
		e.mux.Handle("GET "+path, rec.wrap(seq))
		list, err := e.client.ListConnectorGroups(context.Background())
		require.NoError(t, err)
		assert.Equal(t, []ConnectorGroup{groupDefault, groupNA}, list)
		require.Len(t, rec.ids, 4)
		assert.NotEqual(t, rec.ids[0], rec.ids[1], "page 2 has its own client-request-id")
		assert.Equal(t, rec.ids[1], rec.ids[2], "page 2's retries share it")
		assert.Equal(t, rec.ids[1], rec.ids[3], "page 2's retries share it")
		assertValidTraffic(t, e.tr)
	})

	t.Run("page 2 throttled to the end", func(t *testing.T) {
		e := setup(t, WithRetry(RetryPolicy{MaxAttempts: 2}))
		seq := &sequence{handlers: []http.HandlerFunc{firstPage(e), throttled("1")}}
		e.mux.Handle("GET "+path, seq)
		list, err := e.client.ListConnectorGroups(context.Background())
		assert.Nil(t, list)
		assertSentinel(t, err, "ErrThrottled")
		var ge *Error
		require.True(t, errors.As(err, &ge))
		assert.Equal(t, 2, ge.Attempts)
		assertValidTraffic(t, e.tr)
	})
}

// The nextLink check compares with the base URL's scheme and host, as a
// unit: Graph's own hosts, a national cloud's, and the fake's.
func TestCheckNextLink(t *testing.T) {
	tests := []struct {
		base, next string
		ok         bool
	}{
		{"https://graph.microsoft.com/beta", "https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors?$skiptoken=X%27abc", true},
		{"https://graph.microsoft.com/beta", "https://GRAPH.microsoft.com/beta/x?$skiptoken=1", true},
		{"https://graph.microsoft.us/beta", "https://graph.microsoft.us/beta/x?$skiptoken=1", true},
		{"https://graph.microsoft.us/beta", "https://graph.microsoft.com/beta/x?$skiptoken=1", false},
		{"https://graph.microsoft.com/beta", "http://graph.microsoft.com/beta/x", false},
		{"https://graph.microsoft.com/beta", "https://graph.microsoft.com.evil.example/beta/x", false},
		{"https://graph.microsoft.com/beta", "https://graph.microsoft.com:8443/beta/x", false},
		{"https://graph.microsoft.com/beta", "//graph.microsoft.com/beta/x", false},
		{"http://127.0.0.1:8080/beta", "http://127.0.0.1:8080/beta/x?$skiptoken=2", true},
		{"http://127.0.0.1:8080/beta", "http://127.0.0.1:8081/beta/x?$skiptoken=2", false},
	}
	for _, tt := range tests {
		c, err := NewClient(WithBaseURL(tt.base), WithTokenSource(StaticToken("t")))
		require.NoError(t, err)
		_, err = c.checkNextLink(tt.next, "")
		assert.Equal(t, tt.ok, err == nil, "base %s, next %s: %v", tt.base, tt.next, err)
	}
}
