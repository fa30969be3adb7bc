package contract_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

const addPath = "https://graph.microsoft.com/beta/connectorGroups/" + emptyGroup + "/members/$ref"

func negativeCases(t *testing.T) (*contract.Validator, []contract.NegativeCase) {
	t.Helper()
	v, err := contract.NewValidator()
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, addPath, nil)
	require.NoError(t, err)
	schema, err := contract.RequestBodySchema(v, req)
	require.NoError(t, err)
	valid := map[string]any{"@odata.id": "https://graph.microsoft.com/beta/connector/" + docConnector}
	return v, contract.NegativeCases(schema, valid)
}

func validateBody(t *testing.T, v *contract.Validator, contentType string, body []byte) []contract.Violation {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, addPath, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+devToken)
	req.Header.Set("Content-Type", contentType)
	return v.ValidateRequest(context.Background(), req)
}

// A generated body that the spec accepts would test nothing.
func TestEveryGeneratedNegativeBodyBreaksTheSpec(t *testing.T) {
	v, cases := negativeCases(t)
	require.Empty(t, validateBody(t, v, "application/json", []byte(docReferenceRaw)), "the control body must pass")

	seen := map[string]bool{}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			assert.False(t, seen[c.Name], "names must be unique")
			seen[c.Name] = true
			got := validateBody(t, v, c.ContentType, c.Body)
			require.NotEmpty(t, got, "body %.80q", c.Body)
			for _, vi := range got {
				assert.Equal(t, contract.DirectionRequest, vi.Direction)
			}
		})
	}
}

// The issue names the kinds of negative body; the generator must make each.
func TestNegativeBodiesCoverTheIssuesKinds(t *testing.T) {
	_, cases := negativeCases(t)
	for _, kind := range []string{
		"missing @odata.id",
		"@odata.id as a number",
		"@odata.id not a URI",
		"@odata.id names nothing",
		"@odata.id nested one level deeper",
		"empty body",
		"malformed JSON",
		"a huge body",
	} {
		assert.True(t, hasCasePrefix(cases, kind), "no %q among %d cases", kind, len(cases))
	}
	for _, c := range cases {
		if strings.HasPrefix(c.Name, "a huge body") {
			assert.Greater(t, len(c.Body), 1<<20, "huge must be over Graph's 1 MiB")
		}
	}
}

// Each body must be refused as a body: 400, or the status made for its
// kind (404 for a URL-shaped reference that names nothing, which Graph may
// resolve leniently). 401, 403, 429, or 404 for a shape error, would refuse
// something else.
func TestNegativeBodiesAreRejectedOnlyByTheirOwnStatuses(t *testing.T) {
	_, cases := negativeCases(t)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			want := []int{http.StatusBadRequest}
			switch {
			case strings.HasPrefix(c.Name, "a huge body"):
				want = []int{http.StatusRequestEntityTooLarge, http.StatusBadRequest}
			case c.ContentType == "text/plain":
				want = []int{http.StatusUnsupportedMediaType, http.StatusBadRequest}
			case strings.HasPrefix(c.Name, "@odata.id names nothing"):
				want = []int{http.StatusBadRequest, http.StatusNotFound}
			}
			assert.Equal(t, want, c.RejectedBy)
		})
	}
}

func TestRequestBodySchemaNeedsARoutedRequest(t *testing.T) {
	v, err := contract.NewValidator()
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, "https://graph.microsoft.com/beta/nowhere", nil)
	require.NoError(t, err)

	_, err = contract.RequestBodySchema(v, req)

	assert.Error(t, err)
}

func hasCasePrefix(cases []contract.NegativeCase, prefix string) bool {
	for _, c := range cases {
		if strings.HasPrefix(c.Name, prefix) {
			return true
		}
	}
	return false
}

func bodyOperations(t *testing.T) []contract.BodyOperation {
	t.Helper()
	ops, err := contract.BodyOperations("https://graph.microsoft.com/beta", contract.Target{Group: emptyGroup, Connector: docConnector}, europeGroup)
	require.NoError(t, err)
	return ops
}

func validateOperationBody(t *testing.T, v *contract.Validator, op contract.BodyOperation, contentType string, body []byte) []contract.Violation {
	t.Helper()
	req, err := http.NewRequest(op.Method, op.URL, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+devToken)
	req.Header.Set("Content-Type", contentType)
	return v.ValidateRequest(context.Background(), req)
}

// Every write with a body gets its negative bodies, and each breaks the
// spec, while the valid body they start from passes it.
func TestEveryOperationsNegativeBodiesBreakTheSpec(t *testing.T) {
	v, err := contract.NewValidator()
	require.NoError(t, err)
	ops := bodyOperations(t)
	var names []string
	for _, op := range ops {
		names = append(names, op.Operation)
	}
	assert.ElementsMatch(t, []string{graph.OpAddConnectorDoc, graph.OpAddConnectorGroupMember, graph.OpAddConnectorMemberOf, graph.OpCreateConnectorGroup, graph.OpUpdateConnectorGroup}, names)
	for _, op := range ops {
		t.Run(op.Operation, func(t *testing.T) {
			require.Empty(t, validateOperationBody(t, v, op, "application/json", op.Valid), "the valid body %s must pass", op.Valid)
			seen := map[string]bool{}
			for _, c := range op.Cases {
				assert.False(t, seen[c.Name], "names must be unique: %s", c.Name)
				seen[c.Name] = true
				assert.NotEmpty(t, validateOperationBody(t, v, op, c.ContentType, c.Body), "%s: body %.100q", c.Name, c.Body)
			}
		})
	}
}

// The kinds of bad body each new write must be refused for.
func TestNegativeBodiesCoverEachWritesKinds(t *testing.T) {
	want := map[string][]string{
		graph.OpCreateConnectorGroup: {
			"missing name", "name shorter than its minLength 1", "the system-set id", "isDefault as a string",
			"isDefault as null", "an unknown property", "region outside its enum", "region as a number",
			"an array instead of an object", "malformed JSON",
		},
		graph.OpUpdateConnectorGroup: {
			"name shorter than its minLength 1", "the system-set id", "isDefault as a string", "isDefault as a number",
			"an unknown property", "region outside its enum",
		},
		graph.OpAddConnectorMemberOf: {
			"missing @odata.id", "@odata.id not a URI", "@odata.id names nothing", "@odata.id names a connector, not a group",
		},
		graph.OpAddConnectorGroupMember: {"missing @odata.id", "@odata.id names a group, not a connector"},
	}
	var huge []string
	for _, op := range bodyOperations(t) {
		if hasCasePrefix(op.Cases, "a huge body") {
			huge = append(huge, op.Operation)
		}
		for _, kind := range want[op.Operation] {
			assert.True(t, hasCasePrefix(op.Cases, kind), "%s: no %q among %d cases", op.Operation, kind, len(op.Cases))
		}
		for _, kind := range []string{"the system-set isDefault", "the system-set connectorGroupType"} {
			assert.False(t, hasCasePrefix(op.Cases, kind), "%s: the live service accepts and ignores them, so %q is no bad body", op.Operation, kind)
		}
		for _, c := range op.Cases {
			if strings.HasPrefix(c.Name, "the system-set") || c.Name == "an unknown property" || strings.HasPrefix(c.Name, "region") || strings.HasPrefix(c.Name, "name") || strings.HasPrefix(c.Name, "isDefault") {
				assert.Equal(t, []int{http.StatusBadRequest}, c.RejectedBy, "%s: %s", op.Operation, c.Name)
			}
			if strings.Contains(c.Name, ", not a ") {
				assert.Equal(t, []int{http.StatusBadRequest, http.StatusNotFound}, c.RejectedBy, "a link of the wrong kind may be found to name nothing")
			}
		}
	}
	assert.Equal(t, []string{graph.OpAddConnectorDoc}, huge, "the body limit is the service's: one operation is asked")
}
