package specvalidator

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/connectorgroups/connectorgroups/internal/wirecorpus"
)

// Every real Graph response in the corpus, taken as an answer of the
// operation at its status, validates against the spec, except for the
// fields its file names as "known-deviation": places where the live
// service breaks what the spec promises.
func TestSpecValidatesRealGraphResponses(t *testing.T) {
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	corpus, err := wirecorpus.Load("../../testdata/graph-responses")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range corpus {
		t.Run(r.Name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, addPath, http.NoBody)
			var got []string
			for _, violation := range Violations("op", DirectionResponse, v.ValidateResponse(t.Context(), req, r.Status, r.Header, r.Body)) {
				got = append(got, violation.Field)
			}
			slices.Sort(got)
			got = slices.Compact(got)
			if want := KnownDeviations(r); !slices.Equal(got, want) {
				t.Errorf("violations on %v, want exactly the known deviations %v (a fix to the spec, or a new deviation to name in the file)", got, want)
			}
		})
	}
}

// KnownDeviations reads a corpus file's "known-deviation" line: the
// fields, comma-separated, sorted, each before any " (" explanation.
func KnownDeviations(r wirecorpus.Response) []string {
	var out []string
	for _, part := range strings.Split(r.Meta["known-deviation"], ",") {
		field, _, _ := strings.Cut(strings.TrimSpace(part), " (")
		if field != "" {
			out = append(out, field)
		}
	}
	slices.Sort(out)
	return out
}
