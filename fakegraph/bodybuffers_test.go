package fakegraph

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// Bodies come from a pool of buffers: a buffer released too early, or
// handed to two requests at once, would show as one answer's bytes in
// another's. Many requests in parallel each get exactly the bytes the
// same request gets alone.
func TestPooledBodiesNeverMix(t *testing.T) {
	srv, err := New(nil)
	require.NoError(t, err)
	paths := []string{
		ap + "/connectorGroups",
		ap + "/connectorGroups/" + europeGroupID,
		ap + "/connectors?$top=2",
		ap + "/connectors/" + europeMember,
		ap + "/connectorGroups/" + europeGroupID + "/members",
		ap + "/connectors/" + europeMember + "/memberOf",
	}
	get := func(path string) string {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.Header.Set("Authorization", "Bearer dev-token")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		require.Equal(t, http.StatusOK, w.Code, path)
		return w.Body.String()
	}
	want := map[string]string{}
	for _, p := range paths {
		want[p] = get(p)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 300 {
				p := paths[(g+i)%len(paths)]
				if got := get(p); got != want[p] {
					t.Errorf("GET %s answered another body:\n got %s\nwant %s", p, got, want[p])
					return
				}
			}
		})
	}
	wg.Wait()
}
