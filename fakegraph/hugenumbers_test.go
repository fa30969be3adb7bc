package fakegraph

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oddNumbers are JSON numbers that a float64 cannot hold exactly, or at
// all: too large, too small, too precise.
var oddNumbers = []string{"1e999999", "-1e999999", "1e-999999", "123456789012345678901234567890", "-0", "1E400", "0.000000000000000000000000000001e-400"}

// A number of any size where a property takes something else is answered
// as the number 1 is: the same 400 and the same plain words (for name,
// "value must be a string"), never kin-openapi's "cannot convert
// json.Number to float64". Nothing changes.
func TestHugeNumbersAreWrongTypesLikeAnyOther(t *testing.T) {
	ops := []struct {
		name string
		call func(body string) call
		body string // %s is where the number goes
	}{
		{"create name", func(b string) call { return apiCall(http.MethodPost, groupsPath, b) }, `{"name":%s}`},
		{"create region", func(b string) call { return apiCall(http.MethodPost, groupsPath, b) }, `{"name":"x","region":%s}`},
		{"create @odata.type", func(b string) call { return apiCall(http.MethodPost, groupsPath, b) }, `{"name":"x","@odata.type":%s}`},
		{"create id", func(b string) call { return apiCall(http.MethodPost, groupsPath, b) }, `{"name":"x","id":%s}`},
		{"create another property", func(b string) call { return apiCall(http.MethodPost, groupsPath, b) }, `{"name":"x","size":%s}`},
		{"create name in an array", func(b string) call { return apiCall(http.MethodPost, groupsPath, b) }, `{"name":[%s]}`},
		{"update name", func(b string) call { return apiCall(http.MethodPatch, groupPath(emptyGroupID), b) }, `{"name":%s}`},
		{"update region", func(b string) call { return apiCall(http.MethodPatch, groupPath(emptyGroupID), b) }, `{"region":%s}`},
		{"doc's add", func(b string) call { c := docCall(emptyGroupID, ""); c.body = b; return c }, `{"@odata.id":%s}`},
		{"members/$ref", func(b string) call { return apiCall(http.MethodPost, membersOf(emptyGroupID)+"/$ref", b) }, `{"@odata.id":%s}`},
		{"memberOf/$ref", func(b string) call { return apiCall(http.MethodPost, memberOfPath(inactiveConnID)+"/$ref", b) }, `{"@odata.id":%s}`},
	}
	s, srv := newServer(t, nil)
	before := s.Snapshot()
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			plain := send(t, srv, op.call(strings.Replace(op.body, "%s", "1", 1)))
			want := requireGraphError(t, plain, http.StatusBadRequest, "BadRequest", "").Error.Message
			for _, n := range oddNumbers {
				ex := send(t, srv, op.call(strings.Replace(op.body, "%s", n, 1)))
				got := requireGraphError(t, ex, http.StatusBadRequest, "BadRequest", want).Error.Message
				assert.NotContains(t, got, "json.Number", n)
				assert.NotContains(t, got, "float64", n)
			}
			require.Equal(t, before, s.Snapshot(), "a refusal changes nothing")
		})
	}
}
