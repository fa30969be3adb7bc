package contract_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/internal/testkit/wirecorpus"
)

// The validating transport's validator, fed the real Graph responses of
// the corpus as answers of the operation, reports nothing but the fields
// each file names as a known deviation of the live service from the spec.
func TestValidatorReportsNothingElseOnRealGraphResponses(t *testing.T) {
	v, err := contract.NewValidator()
	require.NoError(t, err)
	corpus, err := wirecorpus.Load("../testdata/graph-responses")
	require.NoError(t, err)
	require.NotEmpty(t, corpus)
	for _, r := range corpus {
		t.Run(r.Name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, addPath, nil)
			require.NoError(t, err)
			var got []string
			for _, violation := range v.ValidateResponse(t.Context(), req, r.Status, r.Header, r.Body) {
				assert.Equal(t, contract.DirectionResponse, violation.Direction)
				got = append(got, violation.Field)
			}
			slices.Sort(got)
			assert.Equal(t, r.KnownDeviations(), slices.Compact(got), "violations beyond the file's known-deviation line")
		})
	}
}
