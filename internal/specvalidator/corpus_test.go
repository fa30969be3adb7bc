package specvalidator

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/connectorgroups/connectorgroups/internal/testkit/wirecorpus"
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
			if want := r.KnownDeviations(); !slices.Equal(got, want) {
				t.Errorf("violations on %v, want exactly the known deviations %v (a fix to the spec, or a new deviation to name in the file)", got, want)
			}
		})
	}
}
