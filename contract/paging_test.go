package contract_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
)

// editNextLinks rewrites every @odata.nextLink the fake sends.
func editNextLinks(edit func(r *http.Request, link string) string) func(http.Handler) http.Handler {
	return rewrite(func(r *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
		if rec.Code == http.StatusOK {
			editJSON(func(m map[string]any) {
				if link, ok := m["@odata.nextLink"].(string); ok {
					m["@odata.nextLink"] = edit(r, link)
				}
			})(rec)
		}
	})
}

// A nextLink is followed only to the target's own origin, where the
// token may go, and a walk always ends.
func TestPagingFollowsOnlyUsableNextLinks(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		elsewhere.Add(1)
		w.WriteHeader(http.StatusTeapot)
	}))
	t.Cleanup(other.Close)

	tests := []struct {
		name string
		edit func(r *http.Request, link string) string
		want string
	}{
		{"to another host", func(_ *http.Request, link string) string {
			u, _ := url.Parse(link)
			o, _ := url.Parse(other.URL)
			u.Host = o.Host
			return u.String()
		}, "is not an absolute URL on the target's scheme and host, so it is not followed"},
		{"relative", func(_ *http.Request, link string) string {
			u, _ := url.Parse(link)
			return u.RequestURI()
		}, "is not an absolute URL on the target's scheme and host"},
		{"to the page it is on", func(r *http.Request, _ string) string {
			return "http://" + r.Host + r.URL.RequestURI()
		}, "@odata.nextLink names a page already read: the walk would never end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startFake(t, editNextLinks(tt.edit))

			rep := runChecks(t, fakeTarget(srv), contract.CheckPaging)

			res, _ := rep.Result(contract.CheckPaging)
			assert.Equal(t, contract.StatusFail, res.Status)
			assert.Contains(t, res.Detail, tt.want)
			assert.Zero(t, elsewhere.Load(), "the token went to another host")
		})
	}
}

// The walks' evidence shows every page, so a failure can be followed.
func TestPagingReportsEachWalk(t *testing.T) {
	srv := startFake(t, nil)

	rep := runChecks(t, fakeTarget(srv), contract.CheckPaging)

	res, _ := rep.Result(contract.CheckPaging)
	require.Equal(t, contract.StatusPass, res.Status, res.Detail)
	for _, want := range []string{"the groups: 3 items in 3 pages of $top=1", "the connectors: 3 items in 3 pages", "the connector's memberOf: 1 item in 1 page",
		"the applications: 3 items in 3 pages", "Group's applications: 0 items in 1 page", "the members of the connector's group: 2 items in 2 pages"} {
		assert.Contains(t, res.Detail, want)
	}
	pages := 0
	for _, e := range res.Evidence {
		if strings.Contains(e.Request, "skiptoken") {
			pages++
		}
	}
	assert.Equal(t, 2+2+2+1, pages, "the pages after the first of each walk")
}
