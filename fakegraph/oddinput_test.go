package fakegraph

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Odd ids, queries and bodies, on every operation: each gets an answer the
// spec declares (send checks it), never a 5xx, and a refusal changes
// nothing.
func TestOddInputsGetGraphErrors(t *testing.T) {
	ids := []string{
		"é", "%00", "a%20b", "$ref", "members", "%2e%2e", strings.Repeat("x", 4000),
		"%7B%7D", "'", "\"", "beta", "null",
	}
	queries := []string{
		"$top=1e3", "$top=%20", "$top=99999999999999999999", "$top=", "$top=1.5", "%24top=2",
		"$skiptoken=" + strings.Repeat("A", 5000), "$skiptoken=%00", "$filter=x", "$top=2&$top=",
	}
	bodies := []string{
		`null`, `[]`, `"x"`, `7`, `{"@odata.id":null}`, `{"name":null}`, `{"region":7}`,
		strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
		`{"name":"` + strings.Repeat("n", 100_000) + `"}`,
		`{"@odata.id":"` + strings.Repeat("h", 10_000) + `"}`,
		"\ufeff{}", `{"name":"x"}{"name":"y"}`,
	}
	templates := []struct {
		method, path string
		withBody     bool
	}{
		{http.MethodPost, "/beta/connectorGroups/{id}/members/$ref", true},
		{http.MethodGet, groupsPath, false},
		{http.MethodPost, groupsPath, true},
		{http.MethodGet, groupsPath + "/{id}", false},
		{http.MethodPatch, groupsPath + "/{id}", true},
		{http.MethodDelete, groupsPath + "/{id}", false},
		{http.MethodGet, groupsPath + "/{id}/members", false},
		{http.MethodPost, groupsPath + "/{id}/members/$ref", true},
		{http.MethodGet, connectorsPath, false},
		{http.MethodGet, connectorsPath + "/{id}", false},
		{http.MethodGet, connectorsPath + "/{id}/memberOf", false},
		{http.MethodPost, connectorsPath + "/{id}/memberOf/$ref", true},
	}
	s, srv := newServer(t, nil)
	var calls []call
	for _, tpl := range templates {
		if strings.Contains(tpl.path, "{id}") {
			for _, id := range ids {
				c := apiCall(tpl.method, strings.Replace(tpl.path, "{id}", id, 1), "")
				if tpl.withBody {
					c.contentType, c.body = "application/json", `{}`
				}
				calls = append(calls, c)
			}
		}
		if tpl.method == http.MethodGet {
			for _, q := range queries {
				calls = append(calls, apiCall(tpl.method, strings.Replace(tpl.path, "{id}", europeGroupID, 1)+"?"+q, ""))
			}
		}
		if tpl.withBody {
			for _, b := range bodies {
				calls = append(calls, apiCall(tpl.method, strings.Replace(tpl.path, "{id}", emptyGroupID, 1), b))
			}
		}
	}
	for _, c := range calls {
		name := c.method + " " + c.path
		if len(name) > 120 {
			name = name[:120]
		}
		t.Run(name, func(t *testing.T) {
			s.Reset()
			before := s.Snapshot()
			_, err := url.Parse(srv.URL + c.path)
			require.NoError(t, err)
			ex := send(t, srv, c)
			assert.Less(t, ex.status, 500, "body: %.300s", ex.body)
			if ex.status >= 300 {
				assert.Equal(t, before, s.Snapshot(), "a refusal changes nothing")
				assert.Equal(t, "application/json", ex.header.Get("Content-Type"), "a Graph error: %.300s", ex.body)
			}
		})
	}
}
