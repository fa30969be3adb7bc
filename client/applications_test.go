package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The reference server's applications (fakegraph/defaultseed.json).
const (
	seedExpensesApp = "5f0e2a71-3b9c-4d84-a6e1-8c2d7f4b9a10" // published, in Europe
	seedIntranetApp = "3d8b6f0a-c2e4-4a91-b7d5-1e6f9c3a2b84" // published, not assigned
	seedPayrollApp  = "b7d4c9e2-1f6a-4e35-8b07-3a9c5e2d1f48" // not published

	expensesJSON = `{"id":"` + seedExpensesApp + `","appId":"8c3e1d52-7a4f-4b69-9e20-d5b7a1c4f683","displayName":"Expenses (on-premises)",` +
		`"onPremisesPublishing":{"externalUrl":"https://expenses-contoso.msappproxy.net/","internalUrl":"http://expenses.contoso.local/","externalAuthenticationType":"aadPreAuthentication","isOnPremPublishingEnabled":true,"applicationServerTimeout":"Default"}}`
	payrollJSON = `{"id":"` + seedPayrollApp + `","appId":"2e9a7c14-5d3b-4f80-a6c1-9b4e7d2a5c36","displayName":"Payroll API","onPremisesPublishing":null}`
)

var (
	yes         = true
	expensesApp = Application{ID: seedExpensesApp, AppID: "8c3e1d52-7a4f-4b69-9e20-d5b7a1c4f683", DisplayName: "Expenses (on-premises)",
		OnPremisesPublishing: &OnPremisesPublishing{ExternalURL: "https://expenses-contoso.msappproxy.net/", InternalURL: "http://expenses.contoso.local/", ExternalAuthenticationType: "aadPreAuthentication", Enabled: &yes}}
	payrollApp = Application{ID: seedPayrollApp, AppID: "2e9a7c14-5d3b-4f80-a6c1-9b4e7d2a5c36", DisplayName: "Payroll API"}
)

// Each application method sends its operation's request, method, path,
// headers and body, and reads the answer the spec declares.
func TestApplications_Requests(t *testing.T) {
	tests := []struct {
		name     string
		pattern  string
		wantBody string
		answer   http.HandlerFunc
		call     func(ctx context.Context, c *Client) (any, error)
		want     any
	}{
		{
			name: "ListApplications", pattern: "GET /beta/applications",
			answer: jsonHandler(200, `{"value":[`+expensesJSON+`,`+payrollJSON+`]}`),
			call:   func(ctx context.Context, c *Client) (any, error) { return c.ListApplications(ctx) },
			want:   []Application{expensesApp, payrollApp},
		},
		{
			name: "GetApplication", pattern: "GET /beta/applications/" + seedExpensesApp,
			answer: jsonHandler(200, expensesJSON),
			call:   func(ctx context.Context, c *Client) (any, error) { return c.GetApplication(ctx, seedExpensesApp) },
			want:   &expensesApp,
		},
		{
			name: "ListGroupApplications", pattern: "GET " + appProxy + "/connectorGroups/" + europeGroupID + "/applications",
			answer: jsonHandler(200, `{"value":[`+expensesJSON+`]}`),
			call:   func(ctx context.Context, c *Client) (any, error) { return c.ListGroupApplications(ctx, europeGroupID) },
			want:   []Application{expensesApp},
		},
		{
			name: "GetApplicationConnectorGroup", pattern: "GET /beta/applications/" + seedExpensesApp + "/connectorGroup",
			answer: jsonHandler(200, groupNAJSON),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetApplicationConnectorGroup(ctx, seedExpensesApp)
			},
			want: &groupNA,
		},
		{
			name: "AddApplication", pattern: "POST " + appProxy + "/connectorGroups/" + testGroup + "/applications/$ref",
			wantBody: `{"@odata.id":"{server}/beta/applications/` + seedExpensesApp + `"}`,
			answer:   noContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.AddApplication(ctx, testGroup, seedExpensesApp)
			},
		},
		{
			name: "AddApplicationViaConnectorGroup", pattern: "PUT /beta/applications/" + seedExpensesApp + "/connectorGroup/$ref",
			wantBody: `{"@odata.id":"{server}/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/` + testGroup + `"}`,
			answer:   noContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.AddApplicationViaConnectorGroup(ctx, testGroup, seedExpensesApp)
			},
		},
		{
			name: "RemoveApplicationConnectorGroup", pattern: "DELETE /beta/applications/" + seedExpensesApp + "/connectorGroup/$ref",
			answer: noContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.RemoveApplicationConnectorGroup(ctx, seedExpensesApp)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			requests := 0
			method, _, _ := strings.Cut(tt.pattern, " ")
			e.mux.HandleFunc(tt.pattern, func(w http.ResponseWriter, r *http.Request) {
				requests++
				testMethod(t, r, method)
				testCommonHeaders(t, r)
				if tt.wantBody != "" {
					testHeader(t, r, "Content-Type", "application/json")
				}
				testBody(t, r, strings.ReplaceAll(tt.wantBody, "{server}", e.srv.URL))
				tt.answer(w, r)
			})
			got, err := tt.call(context.Background(), e.client)
			require.NoError(t, err)
			if tt.want == nil {
				assert.Nil(t, got)
			} else {
				assert.Equal(t, tt.want, got)
			}
			assert.Equal(t, 1, requests, "requests sent")
			assertValidTraffic(t, e.tr)
		})
	}
}

// Bad ids fail before anything is sent, whichever application method gets
// them, in either argument.
func TestApplications_InvalidIDs(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(c *Client, id string) error{
		"GetApplication":                     func(c *Client, id string) error { _, err := c.GetApplication(ctx, id); return err },
		"ListGroupApplications":              func(c *Client, id string) error { _, err := c.ListGroupApplications(ctx, id); return err },
		"GetApplicationConnectorGroup":       func(c *Client, id string) error { _, err := c.GetApplicationConnectorGroup(ctx, id); return err },
		"AddApplication, group":              func(c *Client, id string) error { return c.AddApplication(ctx, id, seedExpensesApp) },
		"AddApplication, application":        func(c *Client, id string) error { return c.AddApplication(ctx, testGroup, id) },
		"AddApplicationViaConnectorGroup, g": func(c *Client, id string) error { return c.AddApplicationViaConnectorGroup(ctx, id, seedExpensesApp) },
		"AddApplicationViaConnectorGroup, a": func(c *Client, id string) error { return c.AddApplicationViaConnectorGroup(ctx, testGroup, id) },
		"RemoveApplicationConnectorGroup":    func(c *Client, id string) error { return c.RemoveApplicationConnectorGroup(ctx, id) },
	}
	for name, call := range calls {
		for _, id := range []string{"", "..", "a/b", "a b"} {
			t.Run(name+" "+id, func(t *testing.T) {
				e := setup(t)
				e.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("request sent: %s %s", r.Method, r.URL) })
				assertSentinel(t, call(e.client, id), "ErrInvalidID")
				assert.Zero(t, e.tr.Exchanges(), "requests sent")
			})
		}
	}
}

// The links are built from the base URL and path-escaped, and parse back
// with the service's own parser.
func TestApplications_LinksEscapeIDs(t *testing.T) {
	e := setup(t)
	var refs []string
	record := func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		_ = json.Unmarshal(readAll(t, r), &body)
		refs = append(refs, body["@odata.id"])
		noContent(w, r)
	}
	e.mux.HandleFunc("POST "+appProxy+"/connectorGroups/{id}/applications/$ref", record)
	e.mux.HandleFunc("PUT /beta/applications/{id}/connectorGroup/$ref", record)
	require.NoError(t, e.client.AddApplication(context.Background(), "g#1", "a?b%c"))
	require.NoError(t, e.client.AddApplicationViaConnectorGroup(context.Background(), "g#1", "a?b%c"))
	require.Len(t, refs, 2)
	id, err := graph.ParseApplicationLink(refs[0])
	require.NoError(t, err, refs[0])
	assert.Equal(t, "a?b%c", id)
	id, err = graph.ParseConnectorGroupLink(refs[1])
	require.NoError(t, err, refs[1])
	assert.Equal(t, "g#1", id)
	assertValidTraffic(t, e.tr)
}

// An application without on-premises publishing gets Graph's
// Application_NotFound; the client names it ErrPublishingNotEnabled,
// which is also ErrNotFound, and a plain 404 is not it.
func TestApplications_PublishingNotEnabled(t *testing.T) {
	e := setup(t)
	e.mux.HandleFunc("PUT /beta/applications/{id}/connectorGroup/$ref", graphErrorHandler(404, "Application_NotFound", "OnPremisesPublishing is not enabled"))
	e.mux.HandleFunc("GET /beta/applications/{id}/connectorGroup", graphErrorHandler(404, "Request_ResourceNotFound", "Resource 'x' does not exist or one of its queried reference-property objects are not present."))
	err := e.client.AddApplicationViaConnectorGroup(context.Background(), testGroup, seedPayrollApp)
	assert.ErrorIs(t, err, ErrPublishingNotEnabled)
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = e.client.GetApplicationConnectorGroup(context.Background(), "x")
	assert.ErrorIs(t, err, ErrNotFound)
	assert.False(t, errors.Is(err, ErrPublishingNotEnabled), "another 404 is not it")
}

// Against the reference server: the whole relationship through the
// client, every request and answer validated.
func TestFakeGraph_Applications(t *testing.T) {
	e := setupFake(t, "/beta", nil)
	ctx := context.Background()

	apps, err := e.client.ListApplications(ctx)
	require.NoError(t, err)
	require.Len(t, apps, 3)
	assert.Equal(t, []string{seedIntranetApp, seedExpensesApp, seedPayrollApp}, []string{apps[0].ID, apps[1].ID, apps[2].ID})
	assert.True(t, apps[0].Published())
	assert.False(t, apps[2].Published())
	got, err := e.client.GetApplication(ctx, seedExpensesApp)
	require.NoError(t, err)
	assert.Equal(t, expensesApp, *got)

	group := func(app string) string {
		t.Helper()
		g, err := e.client.GetApplicationConnectorGroup(ctx, app)
		require.NoError(t, err)
		return g.ID
	}
	listed := func(groupID string) []string {
		t.Helper()
		apps, err := e.client.ListGroupApplications(ctx, groupID)
		require.NoError(t, err)
		ids := []string{}
		for _, a := range apps {
			ids = append(ids, a.ID)
		}
		return ids
	}
	assert.Equal(t, seedEuropeGroup, group(seedExpensesApp))
	assert.Equal(t, seedDefaultGroup, group(seedIntranetApp), "not assigned: the default group")

	require.NoError(t, e.client.AddApplication(ctx, seedEmptyGroup, seedExpensesApp))
	assert.Equal(t, seedEmptyGroup, group(seedExpensesApp))
	assert.Equal(t, []string{seedExpensesApp}, listed(seedEmptyGroup))
	assert.Empty(t, listed(seedEuropeGroup), "moved, not copied")
	assert.ErrorIs(t, e.client.AddApplication(ctx, seedEmptyGroup, seedExpensesApp), ErrAlreadyMember)

	require.NoError(t, e.client.AddApplicationViaConnectorGroup(ctx, seedEuropeGroup, seedExpensesApp))
	require.NoError(t, e.client.AddApplicationViaConnectorGroup(ctx, seedEuropeGroup, seedExpensesApp), "a PUT of the same link")
	assert.Equal(t, seedEuropeGroup, group(seedExpensesApp))

	require.NoError(t, e.client.RemoveApplicationConnectorGroup(ctx, seedExpensesApp))
	assert.Equal(t, seedDefaultGroup, group(seedExpensesApp), "removed: the default group")
	assert.Equal(t, []string{seedIntranetApp, seedExpensesApp}, listed(seedDefaultGroup))

	for _, err := range []error{
		e.client.AddApplication(ctx, seedEmptyGroup, seedPayrollApp),
		e.client.AddApplicationViaConnectorGroup(ctx, seedEmptyGroup, seedPayrollApp),
		e.client.RemoveApplicationConnectorGroup(ctx, seedPayrollApp),
	} {
		assert.ErrorIs(t, err, ErrPublishingNotEnabled)
	}
	_, err = e.client.GetApplicationConnectorGroup(ctx, seedPayrollApp)
	assert.ErrorIs(t, err, ErrPublishingNotEnabled)
	_, err = e.client.GetApplication(ctx, seedMissingObject)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.False(t, errors.Is(err, ErrPublishingNotEnabled))
	assertValidTraffic(t, e.tr)
}

// The application lists follow @odata.nextLink, one application a page.
func TestFakeGraph_ApplicationsPaging(t *testing.T) {
	e := setupFake(t, "/beta", []fakegraph.Option{fakegraph.WithPageSize(1)})
	ctx := context.Background()
	require.NoError(t, e.fake.Fake.AssignApplication(seedDefaultGroup, seedExpensesApp))

	before := e.tr.Exchanges()
	apps, err := e.client.ListApplications(ctx)
	require.NoError(t, err)
	assert.Len(t, apps, 3)
	assert.Equal(t, 3, e.tr.Exchanges()-before, "3 applications in pages of 1")

	before = e.tr.Exchanges()
	apps, err = e.client.ListGroupApplications(ctx, seedDefaultGroup)
	require.NoError(t, err)
	assert.Equal(t, []string{seedIntranetApp, seedExpensesApp}, []string{apps[0].ID, apps[1].ID})
	assert.Equal(t, 2, e.tr.Exchanges()-before)
	assertValidTraffic(t, e.tr)
}
