package fakegraph

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// lostClient is a response writer whose client went away: every body write
// fails. It counts the statuses written to it.
type lostClient struct {
	header   http.Header
	statuses []int
}

func (l *lostClient) Header() http.Header       { return l.header }
func (l *lostClient) WriteHeader(code int)      { l.statuses = append(l.statuses, code) }
func (l *lostClient) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// A response whose body cannot be written is left as it is: its status
// went out, and a 500 after it would be net/http's "superfluous
// WriteHeader".
func TestALostClientGetsOneStatus(t *testing.T) {
	s, err := New(DefaultSeed())
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodGet, "/beta"+graph.ConnectorGroupPath(defaultGroupID), nil)
	req.Header.Set("Authorization", "Bearer dev-token")
	w := &lostClient{header: http.Header{}}
	s.ServeHTTP(w, req)
	assert.Equal(t, []int{http.StatusOK}, w.statuses)
}
