package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/testkit/wirecorpus"
)

// Every real Graph response of the corpus, replayed through real HTTP,
// becomes the *Error its file expects: Graph's code and message (never raw
// JSON), the request-id support asks for, and exactly the expected
// sentinel. This is the corpus that broke the official Go SDK.
func TestAddConnector_RealGraphResponses(t *testing.T) {
	corpus, err := wirecorpus.Load("../testdata/graph-responses")
	if err != nil {
		t.Fatal(err)
	}
	if len(corpus) < 10 {
		t.Fatalf("only %d corpus files", len(corpus))
	}
	for _, r := range corpus {
		t.Run(r.Name, func(t *testing.T) {
			e := setup(t, WithoutRetry())
			e.mux.HandleFunc(addPattern, func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range r.Header {
					w.Header()[k] = v
				}
				w.WriteHeader(r.Status)
				_, _ = w.Write(r.Body)
			})
			_, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("AddConnector error = %v, want an *Error", err)
			}
			if ge.StatusCode != r.Status {
				t.Errorf("StatusCode = %d, want %d", ge.StatusCode, r.Status)
			}
			if want := r.Meta["expect-code"]; ge.Code != want {
				t.Errorf("Code = %q, want %q", ge.Code, want)
			}
			if want := graph.OneLine(r.Meta["expect-message"], 1000); want != "" && ge.Message != want {
				t.Errorf("Message = %q, want %q", ge.Message, want)
			}
			if strings.Contains(ge.Message, `"error"`) || strings.Contains(ge.Message, "{") {
				t.Errorf("Message holds raw JSON: %q", ge.Message)
			}
			if want, ok := r.Meta["expect-request-id"]; ok && ge.RequestID != want {
				t.Errorf("RequestID = %q, want %q", ge.RequestID, want)
			}
			if ge.Date.IsZero() {
				t.Errorf("Date is zero; the body's innerError.date or the Date header was lost")
			}
			want := map[string]string{
				"NotFound": "ErrNotFound", "AlreadyMember": "ErrAlreadyMember", "Unauthorized": "ErrUnauthorized",
				"Forbidden": "ErrForbidden", "Throttled": "ErrThrottled", "none": "",
			}[r.Meta["expect-sentinel"]]
			assertSentinel(t, err, want)
		})
	}
}
