package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/testkit/wirecorpus"
)

// add prints Graph's code and message for every real Graph error of the
// corpus, on one line, and never the raw JSON: the failure of the official
// SDK, whose users saw every error body as unreadable.
func TestAdd_PrintsRealGraphErrors(t *testing.T) {
	corpus, err := wirecorpus.Load("../../testdata/graph-responses")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range corpus {
		t.Run(r.Name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range r.Header {
					w.Header()[k] = v
				}
				w.WriteHeader(r.Status)
				_, _ = w.Write(r.Body)
			}))
			t.Cleanup(srv.Close)
			var stdout, stderr bytes.Buffer
			// A short timeout: 429s and 503s are retried, and their
			// Retry-After would outlast it, so the run ends on the first.
			code := addCommand(nil)(context.Background(), []string{
				"-base-url", srv.URL + "/beta", "-group", "g-1", "-connector", "c-1", "-token", "t", "-timeout", "500ms",
			}, &stdout, &stderr)
			if code != exitFailure {
				t.Fatalf("exit %d, stderr %q", code, stderr.String())
			}
			line := stderr.String()
			if strings.Count(line, "\n") != 1 {
				t.Errorf("want one line, got %q", line)
			}
			wantCode := r.Meta["expect-code"]
			if wantCode == "" {
				wantCode = http.StatusText(r.Status)
			}
			want := "error: " + wantCode + ": " + graph.OneLine(r.Meta["expect-message"], 1000)
			if !strings.HasPrefix(line, want) {
				t.Errorf("stderr = %q, want it to begin %q", line, want)
			}
			if strings.Contains(line, `"error"`) || strings.Contains(line, "innerError") {
				t.Errorf("stderr holds raw JSON: %q", line)
			}
		})
	}
}
