package fakegraph

import (
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// pagingSeed has enough of everything to page: groups g-0 (the default)
// to g-4, connectors c-0 to c-6, all in g-0 but c-6, which is in g-1.
func pagingSeed() *Seed {
	seed := &Seed{Tokens: map[string][]string{"dev-token": {graph.ScopeDirectoryReadWriteAll}}}
	for i := range 5 {
		seed.ConnectorGroups = append(seed.ConnectorGroups, SeedConnectorGroup{ID: fmt.Sprintf("g-%d", i), Name: "G", ConnectorGroupType: "applicationProxy", IsDefault: i == 0})
	}
	for i := range 7 {
		seed.Connectors = append(seed.Connectors, SeedConnector{ID: fmt.Sprintf("c-%d", i), MachineName: "m", ExternalIP: "192.0.2.1", Status: "active"})
	}
	seed.ConnectorGroups[1].Members = []string{"c-6"}
	return seed
}

func ids(prefix string, from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("%s-%d", prefix, i))
	}
	return out
}

// A walk returns every item exactly once, in id order; a page holds
// min($top or 100, the cap) items; nextLink is there until the last page,
// which is never empty.
func TestPagingWalks(t *testing.T) {
	tests := []struct {
		name      string
		pageSize  int // WithPageSize; 0 for none
		path      string
		want      []string
		wantPages []int // the size of each page
	}{
		{"connectors, page size 1", 1, connectorsPath, ids("c", 0, 6), []int{1, 1, 1, 1, 1, 1, 1}},
		{"connectors, page size 2", 2, connectorsPath, ids("c", 0, 6), []int{2, 2, 2, 1}},
		{"connectors, exact pages", 7, connectorsPath, ids("c", 0, 6), []int{7}},
		{"connectors, page size bigger than the list", 50, connectorsPath, ids("c", 0, 6), []int{7}},
		{"connectors, no cap", 0, connectorsPath, ids("c", 0, 6), []int{7}},
		{"connectors, $top 3", 0, connectorsPath + "?$top=3", ids("c", 0, 6), []int{3, 3, 1}},
		{"connectors, $top under the cap", 4, connectorsPath + "?$top=2", ids("c", 0, 6), []int{2, 2, 2, 1}},
		{"connectors, $top over the cap", 2, connectorsPath + "?$top=5", ids("c", 0, 6), []int{2, 2, 2, 1}},
		{"groups, page size 2", 2, groupsPath, ids("g", 0, 4), []int{2, 2, 1}},
		{"groups, $top 1", 0, groupsPath + "?$top=1", ids("g", 0, 4), []int{1, 1, 1, 1, 1}},
		{"members, page size 2", 2, membersOf("g-0"), ids("c", 0, 5), []int{2, 2, 2}},
		{"members, $top 4", 0, membersOf("g-0") + "?$top=4", ids("c", 0, 5), []int{4, 2}},
		{"members of an empty group", 1, membersOf("g-2"), nil, []int{0}},
		{"memberOf, page size 1", 1, memberOfPath("c-6"), []string{"g-1"}, []int{1}},
		{"memberOf, $top 1", 0, memberOfPath("c-0") + "?$top=1", []string{"g-0"}, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []Option
			if tt.pageSize > 0 {
				opts = append(opts, WithPageSize(tt.pageSize))
			}
			_, srv := newServer(t, pagingSeed(), opts...)
			all, pages := walkIDs(t, srv, tt.path, nil)
			assert.Equal(t, tt.want, all, "every item once, in id order")
			var sizes []int
			for _, p := range pages {
				sizes = append(sizes, len(p))
			}
			assert.Equal(t, tt.wantPages, sizes)
		})
	}
}

// The default page is Graph's 100; nextLink carries the path, $top when it
// was sent, and an opaque $skiptoken.
func TestNextLink(t *testing.T) {
	seed := pagingSeed()
	for i := 7; i < 105; i++ {
		seed.Connectors = append(seed.Connectors, SeedConnector{ID: fmt.Sprintf("c-%03d", i), MachineName: "m", ExternalIP: "192.0.2.1", Status: "inactive"})
	}
	_, srv := newServer(t, seed)
	ex := send(t, srv, apiCall(http.MethodGet, connectorsPath, ""))
	requireSuccess(t, ex, http.StatusOK)
	page := decodeAs[connectorPage](t, ex)
	assert.Len(t, page.Value, graph.DefaultPageSize)
	require.NotNil(t, page.OdataNextLink)
	next, err := url.Parse(*page.OdataNextLink)
	require.NoError(t, err)
	assert.Equal(t, "http", next.Scheme)
	assert.Equal(t, strings.TrimPrefix(srv.URL, "http://"), next.Host)
	assert.Equal(t, connectorsPath, next.Path)
	assert.Equal(t, []string{"$skiptoken"}, slices.Sorted(maps.Keys(next.Query())), "no $top when none was sent")
	assert.NotContains(t, next.Query().Get("$skiptoken"), "c-0", "the token is opaque")

	all, _ := walkIDs(t, srv, connectorsPath+"?$top=40&client=ignored", nil)
	assert.Len(t, all, 105)

	ex = send(t, srv, apiCall(http.MethodGet, connectorsPath+"?$top=40&other=x", ""))
	link := *decodeAs[connectorPage](t, ex).OdataNextLink
	assert.Contains(t, link, "?$top=40&$skiptoken=", "$top is kept, other options are not")
	assert.NotContains(t, link, "other")
}

func TestNextLinkIsHTTPSOverTLS(t *testing.T) {
	s, err := New(pagingSeed(), WithPageSize(2))
	require.NoError(t, err)
	srv := httptest.NewTLSServer(s)
	t.Cleanup(srv.Close)
	ex := send(t, srv, apiCall(http.MethodGet, groupsPath, ""))
	requireSuccess(t, ex, http.StatusOK)
	next := decodeAs[groupPage](t, ex).OdataNextLink
	require.NotNil(t, next)
	assert.True(t, strings.HasPrefix(*next, srv.URL+groupsPath+"?"), "%s starts at %s", *next, srv.URL)
	assert.True(t, strings.HasPrefix(srv.URL, "https://"))
}

// Keyset paging: a page starts after the last id of the one before, so a
// change during a walk never repeats an item, and an item there for the
// whole walk comes exactly once. (Offset paging would repeat c-2 here, as
// c-1 joins the group before it.)
func TestPagingDuringChanges(t *testing.T) {
	t.Run("a move into the list before the cursor", func(t *testing.T) {
		seed := pagingSeed()
		seed.ConnectorGroups[2].Members = []string{"c-2", "c-3", "c-4"}
		s, srv := newServer(t, seed, WithPageSize(1))
		all, _ := walkIDs(t, srv, membersOf("g-2"), func(page int) {
			if page == 0 {
				_, err := s.MoveConnector("g-2", "c-1")
				require.NoError(t, err)
			}
		})
		assert.Equal(t, []string{"c-2", "c-3", "c-4"}, all, "once each; c-1 joined behind the cursor")
	})
	t.Run("moves out of and into the list ahead of the cursor", func(t *testing.T) {
		seed := pagingSeed()
		seed.ConnectorGroups[2].Members = []string{"c-2", "c-3", "c-4"}
		s, srv := newServer(t, seed, WithPageSize(1))
		all, _ := walkIDs(t, srv, membersOf("g-2"), func(page int) {
			if page == 0 {
				_, err := s.MoveConnector("g-3", "c-3")
				require.NoError(t, err)
				_, err = s.MoveConnector("g-2", "c-5")
				require.NoError(t, err)
			}
		})
		assert.Equal(t, []string{"c-2", "c-4", "c-5"}, all, "c-3 left before its page, c-5 arrived before its")
	})
	t.Run("a moved connector is listed once by a walk of every connector", func(t *testing.T) {
		s, srv := newServer(t, pagingSeed(), WithPageSize(2))
		all, _ := walkIDs(t, srv, connectorsPath, func(page int) {
			_, err := s.MoveConnector(fmt.Sprintf("g-%d", page%5), "c-0")
			if err != ErrAlreadyMember {
				require.NoError(t, err)
			}
		})
		assert.Equal(t, ids("c", 0, 6), all)
	})
	t.Run("groups created and deleted during a walk", func(t *testing.T) {
		s, srv := newServer(t, pagingSeed(), WithPageSize(2))
		all, _ := walkIDs(t, srv, groupsPath, func(page int) {
			if page == 0 { // g-0 and g-1 are listed
				_, err := s.MoveConnector("g-0", "c-6")
				require.NoError(t, err)
				require.NoError(t, s.store.DeleteGroup("g-1")) // behind the cursor
				require.NoError(t, s.store.DeleteGroup("g-3")) // ahead of it
				s.store.newID = func() string { return "g-0-new" }
				s.store.CreateGroup("behind", "")
				s.store.newID = func() string { return "g-4-new" }
				s.store.CreateGroup("ahead", "")
			}
		})
		assert.Equal(t, []string{"g-0", "g-1", "g-2", "g-4", "g-4-new"}, all)
	})
}

func TestPagingRefusals(t *testing.T) {
	const badToken = "The $skiptoken value is not valid; take it from @odata.nextLink."
	pageSize := "Invalid page size specified: '%s'. Must be between 1 and 999 inclusive."
	s, srv := newServer(t, pagingSeed(), WithPageSize(2))
	link := decodeAs[connectorPage](t, send(t, srv, apiCall(http.MethodGet, connectorsPath, ""))).OdataNextLink
	require.NotNil(t, link)
	token, err := url.Parse(*link)
	require.NoError(t, err)
	real := token.Query().Get("$skiptoken")
	raw, err := base64.RawURLEncoding.DecodeString(real)
	require.NoError(t, err)
	forged := base64.RawURLEncoding.EncodeToString(append(raw[:len(raw)-1], '0')) // another id, the old seal

	other, err := New(pagingSeed(), WithPageSize(2))
	require.NoError(t, err)
	otherToken := other.pager.token(listKey(graph.OpListConnectors, ""), "c-1")
	membersToken := s.pager.token(listKey(graph.OpListConnectorGroupMembers, "g-0"), "c-1")

	tests := []struct {
		name, path      string
		code, message   string
		stateAPIChanges bool
	}{
		{"$top 0", connectorsPath + "?$top=0", graph.CodeUnsupportedQuery, sprintf(pageSize, "0"), false},
		{"$top 1000", groupsPath + "?$top=1000", graph.CodeUnsupportedQuery, sprintf(pageSize, "1000"), false},
		{"$top -1", membersOf("g-0") + "?$top=-1", graph.CodeUnsupportedQuery, sprintf(pageSize, "-1"), false},
		{"$top not a number", memberOfPath("c-0") + "?$top=ten", graph.CodeUnsupportedQuery, sprintf(pageSize, "ten"), false},
		{"$top twice", connectorsPath + "?$top=1&$top=2", graph.CodeUnsupportedQuery, sprintf(pageSize, "1,2"), false},
		{"a token not base64url", connectorsPath + "?$skiptoken=%25%25", graph.CodeBadRequest, badToken, false},
		{"a token too short", connectorsPath + "?$skiptoken=AAAA", graph.CodeBadRequest, badToken, false},
		{"an empty token", connectorsPath + "?$skiptoken=", graph.CodeBadRequest, badToken, false},
		{"a forged token", connectorsPath + "?$skiptoken=" + forged, graph.CodeBadRequest, badToken, false},
		{"a bare id", connectorsPath + "?$skiptoken=c-1", graph.CodeBadRequest, badToken, false},
		{"another server's token", connectorsPath + "?$skiptoken=" + otherToken, graph.CodeBadRequest, badToken, false},
		{"another list's token", connectorsPath + "?$skiptoken=" + membersToken, graph.CodeBadRequest, badToken, false},
		{"another group's members' token", membersOf("g-1") + "?$skiptoken=" + membersToken, graph.CodeBadRequest, badToken, false},
		{"a token twice", connectorsPath + "?$skiptoken=" + real + "&$skiptoken=" + real, graph.CodeBadRequest, badToken, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireGraphError(t, send(t, srv, apiCall(http.MethodGet, tt.path, "")), http.StatusBadRequest, tt.code, tt.message)
		})
	}
	t.Run("the real token works, and works again", func(t *testing.T) {
		for range 2 {
			ex := send(t, srv, apiCall(http.MethodGet, connectorsPath+"?$skiptoken="+real, ""))
			requireSuccess(t, ex, http.StatusOK)
			assert.Equal(t, []string{"c-2", "c-3"}, pageIDs(decodeAs[connectorPage](t, ex).Value))
		}
	})
	t.Run("the members token on its own list", func(t *testing.T) {
		ex := send(t, srv, apiCall(http.MethodGet, membersOf("g-0")+"?$skiptoken="+membersToken, ""))
		requireSuccess(t, ex, http.StatusOK)
		assert.Equal(t, []string{"c-2", "c-3"}, pageIDs(decodeAs[connectorPage](t, ex).Value))
	})
	t.Run("a token after Reset still pages", func(t *testing.T) {
		s.Reset()
		ex := send(t, srv, apiCall(http.MethodGet, connectorsPath+"?$skiptoken="+real, ""))
		requireSuccess(t, ex, http.StatusOK)
	})
}

func TestWithPageSizeMustBePositive(t *testing.T) {
	for _, n := range []int{0, -1} {
		_, err := New(nil, WithPageSize(n))
		require.Error(t, err, "%d", n)
		assert.Contains(t, err.Error(), fmt.Sprintf("page size %d is less than 1", n))
		assert.Error(t, CheckPageSize(n))
	}
	require.NoError(t, CheckPageSize(1))
	_, err := New(nil, WithPageSize(1))
	require.NoError(t, err)
}
