package client

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A base URL on https that answers a redirect to plain http on the same
// host (another port) must not make the client send the token in clear:
// the client follows no redirect, and the 3xx becomes an *Error that
// names the status and the Location. Graph does not redirect these calls.
func TestAddConnector_DoesNotFollowRedirects(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		userinfo string // put into the Location, to show that its password is redacted
	}{
		{"301", http.StatusMovedPermanently, ""},
		{"302", http.StatusFound, ""},
		{"303", http.StatusSeeOther, ""},
		{"307", http.StatusTemporaryRedirect, ""},
		{"308", http.StatusPermanentRedirect, ""},
		{"308 with user info", http.StatusPermanentRedirect, "admin:hunter2@"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			elsewhere, got := plainHTTPServer(t)
			mux := http.NewServeMux()
			srv := httptest.NewTLSServer(mux)
			t.Cleanup(srv.Close)
			var redirected atomic.Int32
			location := strings.Replace(elsewhere.URL, "http://", "http://"+tt.userinfo, 1)
			mux.HandleFunc(addPattern, func(w http.ResponseWriter, r *http.Request) {
				redirected.Add(1)
				graphHeaders(w, r, "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a")
				w.Header().Set("Location", location+r.URL.Path)
				w.WriteHeader(tt.status)
			})
			// Retries stay on: a redirect must not be retried either.
			e := newEnv(t, mux, srv, srv.Client().Transport)

			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			conn, err := e.client.AddConnector(ctx, testGroup, testConnector)
			if conn != nil {
				t.Errorf("connector = %+v, want nil", conn)
			}
			if n := got.Load(); n != 0 {
				t.Fatalf("the plain-HTTP server received %d requests; the redirect was followed", n)
			}
			assertSentinel(t, err, "")
			ge := asError(t, err)
			wantLocation := elsewhere.URL + "/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/" + testGroup + "/members/$ref"
			if tt.userinfo != "" {
				wantLocation = strings.Replace(elsewhere.URL, "http://", "http://admin:xxxxx@", 1) + "/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/" + testGroup + "/members/$ref"
			}
			if ge.StatusCode != tt.status || ge.Location != wantLocation {
				t.Errorf("StatusCode, Location = %d, %q; want %d, %q", ge.StatusCode, ge.Location, tt.status, wantLocation)
			}
			if ge.Attempts != 1 || redirected.Load() != 1 || len(e.clock.Waits()) != 0 {
				t.Errorf("%d attempts, %d requests, waits %v; want 1, 1 and none: a redirect is not retried", ge.Attempts, redirected.Load(), e.clock.Waits())
			}
			msg := err.Error()
			for _, want := range []string{http.StatusText(tt.status), wantLocation, "does not follow redirects", "token is never sent elsewhere"} {
				if !strings.Contains(msg, want) {
					t.Errorf("Error() = %q, want it to say %q", msg, want)
				}
			}
			assertNoSecret(t, ge, testToken, "hunter2")
			assertValidRequests(t, e.tr)
		})
	}
}

// The client makes its own copy of the caller's http.Client: the caller's
// CheckRedirect, even one that follows everything, is neither used nor
// replaced.
func TestWithHTTPClient_RedirectPolicyNotMutated(t *testing.T) {
	elsewhere, got := plainHTTPServer(t)
	srv := httptest.NewTLSServer(http.RedirectHandler(elsewhere.URL+"/x", http.StatusPermanentRedirect))
	t.Cleanup(srv.Close)

	var asked atomic.Int32
	follow := func(*http.Request, []*http.Request) error { asked.Add(1); return nil }
	plain := &http.Client{Transport: srv.Client().Transport}
	permissive := &http.Client{Transport: srv.Client().Transport, CheckRedirect: follow}
	for name, hc := range map[string]*http.Client{"no CheckRedirect": plain, "CheckRedirect that follows": permissive} {
		t.Run(name, func(t *testing.T) {
			before := *hc
			c, err := NewClient(WithBaseURL(srv.URL+"/beta"), WithHTTPClient(hc), WithTokenSource(StaticToken(testToken)), WithoutRetry())
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err = c.AddConnector(ctx, testGroup, testConnector)
			if ge := asError(t, err); ge.StatusCode != http.StatusPermanentRedirect || ge.Location != elsewhere.URL+"/x" {
				t.Errorf("StatusCode, Location = %d, %q", ge.StatusCode, ge.Location)
			}
			if got.Load() != 0 || asked.Load() != 0 {
				t.Errorf("plain-HTTP server got %d requests, caller's CheckRedirect asked %d times; want none", got.Load(), asked.Load())
			}
			if hc.Transport != before.Transport || (hc.CheckRedirect == nil) != (before.CheckRedirect == nil) || hc.Jar != before.Jar || hc.Timeout != before.Timeout {
				t.Errorf("the caller's http.Client changed: %+v, was %+v", *hc, before)
			}
			// A CheckRedirect the caller set is still the caller's.
			if hc.CheckRedirect != nil && (hc.CheckRedirect(nil, nil) != nil || asked.Swap(0) != 1) {
				t.Error("the caller's CheckRedirect was replaced")
			}
		})
	}
	if plain.CheckRedirect != nil {
		t.Error("the caller's http.Client got a CheckRedirect")
	}
}

func TestNewError_Location(t *testing.T) {
	req := &http.Request{URL: &url.URL{Scheme: "https", Host: "graph.example", Path: "/beta/connectorGroups/g/members/$ref"}}
	tests := []struct{ name, location, want string }{
		{"absolute", "http://127.0.0.1:8080/beta/x", "http://127.0.0.1:8080/beta/x"},
		{"relative", "/elsewhere?a=1", "https://graph.example/elsewhere?a=1"},
		{"password redacted", "https://u:p4ss@evil.example/x", "https://u:xxxxx@evil.example/x"},
		{"user alone", "https://u@evil.example/x", "https://u@evil.example/x"},
		{"missing", "", ""},
		{"unreadable", "http://[::1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.location != "" {
				h.Set("Location", tt.location)
			}
			e := newError(&http.Response{StatusCode: http.StatusFound, Header: h, Request: req}, nil, "sent-id", time.Now())
			if e.Location != tt.want {
				t.Errorf("Location = %q, want %q", e.Location, tt.want)
			}
			if strings.Contains(e.Error(), "p4ss") {
				t.Errorf("Error() = %q leaks the password", e.Error())
			}
		})
	}
	// Only a 3xx has a Location.
	h := http.Header{"Location": {"https://elsewhere.example/"}}
	if e := newError(&http.Response{StatusCode: http.StatusUnauthorized, Header: h, Request: req}, nil, "", time.Now()); e.Location != "" {
		t.Errorf("a 401 got Location %q", e.Location)
	}
}

// plainHTTPServer is a plain-HTTP server on 127.0.0.1 that counts the
// requests it gets, and fails the test if any carries an Authorization.
func plainHTTPServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var got atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		if a := r.Header.Get("Authorization"); a != "" {
			t.Errorf("plain-HTTP server received Authorization %q", a)
		}
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(srv.Close)
	if u, err := url.Parse(srv.URL); err != nil || u.Hostname() != "127.0.0.1" {
		t.Fatalf("plain server at %s, want 127.0.0.1", srv.URL)
	}
	return srv, &got
}

// assertNoSecret checks that no secret appears in what an *Error shows.
func assertNoSecret(t *testing.T, ge *Error, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for what, v := range map[string]string{"Error()": ge.Error(), "Message": ge.Message, "Location": ge.Location, "Body": string(ge.Body)} {
			if strings.Contains(v, s) {
				t.Errorf("%s = %q contains the secret %q", what, v, s)
			}
		}
	}
}

// A 3xx whose Location does not parse is an *Error like any other 3xx,
// answered once: http.Client parses a Location before it asks
// CheckRedirect, and failed the call with a transport error (the response
// thrown away), which was retried. FuzzErrorDecoder found it (its corpus
// keeps the input).
func TestAddConnector_UnreadableLocationIsAnError(t *testing.T) {
	for _, location := range []string{"%", "http://[::1", "http://a b/"} {
		for _, status := range []int{http.StatusFound, http.StatusSeeOther, http.StatusPermanentRedirect} {
			t.Run(fmt.Sprintf("%d %s", status, location), func(t *testing.T) {
				var answered atomic.Int32
				e := setup(t) // retries on: a redirect must not be retried
				e.mux.HandleFunc(addPattern, func(w http.ResponseWriter, r *http.Request) {
					answered.Add(1)
					graphHeaders(w, r, "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a")
					w.Header().Set("Location", location)
					w.WriteHeader(status)
				})
				_, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
				ge := asError(t, err)
				if ge.StatusCode != status || ge.Location != "" || ge.RequestID != "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a" {
					t.Errorf("StatusCode, Location, RequestID = %d, %q, %q; want %d, none, the header's", ge.StatusCode, ge.Location, ge.RequestID, status)
				}
				if ge.Attempts != 1 || answered.Load() != 1 || ge.AfterAmbiguousAttempt {
					t.Errorf("%d attempts, %d requests, ambiguous %v; want 1, 1, false", ge.Attempts, answered.Load(), ge.AfterAmbiguousAttempt)
				}
			})
		}
	}
}
