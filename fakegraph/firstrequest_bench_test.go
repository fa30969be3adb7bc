package fakegraph

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkNewAndFirstRequest is what a test pays for a fake of its own:
// New with the default seed, then its first answer. What can be built once
// per process (the spec, kin-openapi's router, the route table, the
// permissions) is built by the first iteration only, as by a test binary's
// first fake: run it with -benchtime 1x for that first one alone.
func BenchmarkNewAndFirstRequest(b *testing.B) {
	const target = "/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups?$top=2"
	// In-process: New, then one request through ServeHTTP.
	b.Run("inProcess", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			srv, err := New(nil)
			if err != nil {
				b.Fatal(err)
			}
			r := httptest.NewRequest(http.MethodGet, target, nil)
			r.Header.Set("Authorization", "Bearer dev-token")
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
	})
	// On loopback, as NewTestServer serves it: New, a listener on
	// 127.0.0.1, one request over a new connection, then Close.
	b.Run("loopback", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s, err := New(nil)
			if err != nil {
				b.Fatal(err)
			}
			ts := httptest.NewServer(s)
			req, err := http.NewRequest(http.MethodGet, ts.URL+target, nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer dev-token")
			resp, err := ts.Client().Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
			ts.Close()
		}
	})
}
