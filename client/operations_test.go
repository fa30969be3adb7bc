package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Ids and bodies of the tests, the reference server's seed.
const (
	defaultGroupID = "0c5e7a93-6d2f-4b18-9e40-a3f1c8d2b765"
	europeGroupID  = "9e7c3a58-2b1d-4f60-8a94-c5e0d7b2f316"
	connector02ID  = "6c0e2b7d-91a4-4f38-b5d2-0a7e3c9f1e64"

	appProxy      = "/beta/onPremisesPublishingProfiles/applicationProxy"
	groupsContext = `"@odata.context":"https://graph.microsoft.com/beta/$metadata#onPremisesPublishingProfiles('applicationProxy')/connectorGroups",`

	groupNAJSON      = `{"id":"` + testGroup + `","name":"North America","connectorGroupType":"applicationProxy","isDefault":false,"region":"nam"}`
	groupDefaultJSON = `{"id":"` + defaultGroupID + `","name":"Default","connectorGroupType":"applicationProxy","isDefault":true,"region":null}`
	connector02JSON  = `{"id":"` + connector02ID + `","machineName":"CONNECTOR-02.contoso.com","externalIp":"203.0.113.20","status":"active","version":"1.5.3437.0"}`
)

var (
	groupNA      = ConnectorGroup{ID: testGroup, Name: "North America", ConnectorGroupType: ConnectorGroupTypeApplicationProxy, Region: RegionNorthAmerica}
	groupDefault = ConnectorGroup{ID: defaultGroupID, Name: "Default", ConnectorGroupType: ConnectorGroupTypeApplicationProxy, IsDefault: true}
	connector01  = Connector{ID: testConnector, MachineName: "CONNECTOR-01.contoso.com", ExternalIP: "203.0.113.10", Status: ConnectorActive, Version: "1.5.3437.0"}
	connector02  = Connector{ID: connector02ID, MachineName: "CONNECTOR-02.contoso.com", ExternalIP: "203.0.113.20", Status: ConnectorActive, Version: "1.5.3437.0"}
)

// Every method sends its operation's request, method, path, headers and
// body, and reads the answer the spec declares into its result.
func TestOperations_Requests(t *testing.T) {
	tests := []struct {
		name     string
		pattern  string // the mux pattern: method and path under the test server
		wantBody string // the request body; "" for none
		answer   http.HandlerFunc
		call     func(ctx context.Context, c *Client) (any, error)
		want     any
	}{
		{
			name: "ListConnectorGroups", pattern: "GET " + appProxy + "/connectorGroups",
			answer: jsonHandler(200, `{`+groupsContext+`"value":[`+groupDefaultJSON+`,`+groupNAJSON+`]}`),
			call:   func(ctx context.Context, c *Client) (any, error) { return c.ListConnectorGroups(ctx) },
			want:   []ConnectorGroup{groupDefault, groupNA},
		},
		{
			name: "GetConnectorGroup", pattern: "GET " + appProxy + "/connectorGroups/" + testGroup,
			answer: jsonHandler(200, groupNAJSON),
			call:   func(ctx context.Context, c *Client) (any, error) { return c.GetConnectorGroup(ctx, testGroup) },
			want:   &groupNA,
		},
		{
			name: "CreateConnectorGroup", pattern: "POST " + appProxy + "/connectorGroups",
			wantBody: `{"name":"North America","region":"nam"}`,
			answer:   jsonHandler(201, groupNAJSON),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateConnectorGroup(ctx, NewConnectorGroup{Name: "North America", Region: RegionNorthAmerica})
			},
			want: &groupNA,
		},
		{
			name: "UpdateConnectorGroup", pattern: "PATCH " + appProxy + "/connectorGroups/" + testGroup,
			wantBody: `{"name":"NA","region":"eur"}`,
			answer:   noContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.UpdateConnectorGroup(ctx, testGroup, ConnectorGroupUpdate{Name: "NA", Region: RegionEurope})
			},
		},
		{
			name: "UpdateConnectorGroup clearing the region", pattern: "PATCH " + appProxy + "/connectorGroups/" + testGroup,
			wantBody: `{"name":"NA","region":null}`,
			answer:   noContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.UpdateConnectorGroup(ctx, testGroup, ConnectorGroupUpdate{Name: "NA", ClearRegion: true})
			},
		},
		{
			name: "DeleteConnectorGroup", pattern: "DELETE " + appProxy + "/connectorGroups/" + testGroup,
			answer: noContent,
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.DeleteConnectorGroup(ctx, testGroup) },
		},
		{
			name: "ListMembers", pattern: "GET " + appProxy + "/connectorGroups/" + europeGroupID + "/members",
			answer: jsonHandler(200, `{"value":[`+connector02JSON+`]}`),
			call:   func(ctx context.Context, c *Client) (any, error) { return c.ListMembers(ctx, europeGroupID) },
			want:   []Connector{connector02},
		},
		{
			name: "AddConnector", pattern: addPattern,
			wantBody: `{"@odata.id":"{server}/beta/onPremisesPublishingProfiles/applicationProxy/connectors/` + testConnector + `"}`,
			answer:   noContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.AddConnector(ctx, testGroup, testConnector)
			},
			want: &Connector{ID: testConnector},
		},
		{
			name: "ListConnectors", pattern: "GET " + appProxy + "/connectors",
			answer: jsonHandler(200, `{"value":[`+connectorJSON+`,`+connector02JSON+`]}`),
			call:   func(ctx context.Context, c *Client) (any, error) { return c.ListConnectors(ctx) },
			want:   []Connector{connector01, connector02},
		},
		{
			name: "GetConnector", pattern: "GET " + appProxy + "/connectors/" + testConnector,
			answer: jsonHandler(200, connectorJSON),
			call:   func(ctx context.Context, c *Client) (any, error) { return c.GetConnector(ctx, testConnector) },
			want:   &connector01,
		},
		{
			name: "GetConnectorGroupOf", pattern: "GET " + appProxy + "/connectors/" + testConnector + "/memberOf",
			answer: jsonHandler(200, `{`+groupsContext+`"value":[`+groupDefaultJSON+`]}`),
			call:   func(ctx context.Context, c *Client) (any, error) { return c.GetConnectorGroupOf(ctx, testConnector) },
			want:   &groupDefault,
		},
		{
			name: "AddConnectorViaMemberOf", pattern: "POST " + appProxy + "/connectors/" + testConnector + "/memberOf/$ref",
			wantBody: `{"@odata.id":"{server}/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/` + europeGroupID + `"}`,
			answer:   noContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.AddConnectorViaMemberOf(ctx, europeGroupID, testConnector)
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
				if r.URL.RawQuery != "" {
					t.Errorf("query = %q, want none", r.URL.RawQuery)
				}
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

// Bad ids fail before anything is sent, with ErrInvalidID, whichever
// method gets them.
func TestOperations_InvalidIDs(t *testing.T) {
	calls := map[string]func(c *Client, id string) error{
		"GetConnectorGroup": func(c *Client, id string) error { _, err := c.GetConnectorGroup(context.Background(), id); return err },
		"UpdateConnectorGroup": func(c *Client, id string) error {
			return c.UpdateConnectorGroup(context.Background(), id, ConnectorGroupUpdate{Name: "x"})
		},
		"DeleteConnectorGroup": func(c *Client, id string) error { return c.DeleteConnectorGroup(context.Background(), id) },
		"ListMembers":          func(c *Client, id string) error { _, err := c.ListMembers(context.Background(), id); return err },
		"GetConnector":         func(c *Client, id string) error { _, err := c.GetConnector(context.Background(), id); return err },
		"GetConnectorGroupOf": func(c *Client, id string) error {
			_, err := c.GetConnectorGroupOf(context.Background(), id)
			return err
		},
		"AddConnectorViaMemberOf, connector": func(c *Client, id string) error {
			return c.AddConnectorViaMemberOf(context.Background(), testGroup, id)
		},
		"AddConnectorViaMemberOf, group": func(c *Client, id string) error {
			return c.AddConnectorViaMemberOf(context.Background(), id, testConnector)
		},
	}
	for name, call := range calls {
		for _, id := range []string{"", ".", "..", "a/b", `a\b`, "a b", "a\nb"} {
			t.Run(name+" "+id, func(t *testing.T) {
				e := setup(t)
				e.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("request sent: %s %s", r.Method, r.URL) })
				err := call(e.client, id)
				assertSentinel(t, err, "ErrInvalidID")
				assert.Zero(t, e.tr.Exchanges(), "requests sent")
			})
		}
	}
}

// Graph's doc pages and its live service disagree on several statuses;
// every 2xx is a success, and what a method returns comes from the body
// when there is one.
func TestOperations_SuccessStatuses(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		answer  http.HandlerFunc
		call    func(ctx context.Context, c *Client) (any, error)
		want    any
	}{
		{"create 201", "POST " + appProxy + "/connectorGroups", jsonHandler(201, groupNAJSON),
			func(ctx context.Context, c *Client) (any, error) {
				return c.CreateConnectorGroup(ctx, NewConnectorGroup{Name: "North America"})
			}, &groupNA},
		{"create 200, as seen live", "POST " + appProxy + "/connectorGroups", jsonHandler(200, groupNAJSON),
			func(ctx context.Context, c *Client) (any, error) {
				return c.CreateConnectorGroup(ctx, NewConnectorGroup{Name: "North America"})
			}, &groupNA},
		{"update 204, as seen live", "PATCH " + appProxy + "/connectorGroups/" + testGroup, noContent,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.UpdateConnectorGroup(ctx, testGroup, ConnectorGroupUpdate{Name: "North America"})
			}, nil},
		{"update 200 with the group, as documented", "PATCH " + appProxy + "/connectorGroups/" + testGroup, jsonHandler(200, groupNAJSON),
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.UpdateConnectorGroup(ctx, testGroup, ConnectorGroupUpdate{Name: "North America"})
			}, nil},
		{"add 201 with the connector, as documented", addPattern, createdHandler,
			func(ctx context.Context, c *Client) (any, error) {
				return c.AddConnector(ctx, testGroup, testConnector)
			}, &connector01},
		{"add 204, today", addPattern, noContent,
			func(ctx context.Context, c *Client) (any, error) {
				return c.AddConnector(ctx, testGroup, testConnector)
			}, &Connector{ID: testConnector}},
		{"delete 204", "DELETE " + appProxy + "/connectorGroups/" + testGroup, noContent,
			func(ctx context.Context, c *Client) (any, error) { return nil, c.DeleteConnectorGroup(ctx, testGroup) }, nil},
		{"move 204", "POST " + appProxy + "/connectors/" + testConnector + "/memberOf/$ref", noContent,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.AddConnectorViaMemberOf(ctx, testGroup, testConnector)
			}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			e.mux.HandleFunc(tt.pattern, tt.answer)
			got, err := tt.call(context.Background(), e.client)
			require.NoError(t, err)
			if tt.want == nil {
				assert.Nil(t, got)
			} else {
				assert.Equal(t, tt.want, got)
			}
			assertValidTraffic(t, e.tr)
		})
	}
}

// A 2xx the spec does not declare for the operation is a success too (any
// 2xx is); a method that returns an object still needs it in the body,
// and a mutating one says that the change was made.
func TestOperations_UndeclaredSuccess(t *testing.T) {
	t.Run("delete 200", func(t *testing.T) {
		e := setup(t)
		e.mux.HandleFunc("DELETE "+appProxy+"/connectorGroups/"+testGroup, jsonHandler(200, `{}`))
		require.NoError(t, e.client.DeleteConnectorGroup(context.Background(), testGroup))
		assertValidRequests(t, e.tr)
	})
	t.Run("move 200", func(t *testing.T) {
		e := setup(t)
		e.mux.HandleFunc("POST "+appProxy+"/connectors/"+testConnector+"/memberOf/$ref", jsonHandler(200, connectorJSON))
		require.NoError(t, e.client.AddConnectorViaMemberOf(context.Background(), testGroup, testConnector))
		assertValidRequests(t, e.tr)
	})
	t.Run("create 204 has no group", func(t *testing.T) {
		e := setup(t, WithoutRetry())
		e.mux.HandleFunc("POST "+appProxy+"/connectorGroups", noContent)
		g, err := e.client.CreateConnectorGroup(context.Background(), NewConnectorGroup{Name: "x"})
		require.Error(t, err)
		assert.Nil(t, g)
		assert.Contains(t, err.Error(), "the connector group was created")
		assert.Contains(t, err.Error(), "no body")
		assertValidRequests(t, e.tr)
	})
	t.Run("create 201 with a body that is no group", func(t *testing.T) {
		e := setup(t)
		e.mux.HandleFunc("POST "+appProxy+"/connectorGroups", jsonHandler(201, `<html>`))
		_, err := e.client.CreateConnectorGroup(context.Background(), NewConnectorGroup{Name: "x"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "the connector group was created")
		assert.Contains(t, err.Error(), "is not a connector group")
		assertValidRequests(t, e.tr)
	})
	t.Run("get 204 has no group", func(t *testing.T) {
		e := setup(t)
		e.mux.HandleFunc("GET "+appProxy+"/connectorGroups/"+testGroup, noContent)
		g, err := e.client.GetConnectorGroup(context.Background(), testGroup)
		require.Error(t, err)
		assert.Nil(t, g)
		assert.Contains(t, err.Error(), "want a connector group")
		assertValidRequests(t, e.tr)
	})
	t.Run("get connector 200 with a body that is no connector", func(t *testing.T) {
		e := setup(t)
		e.mux.HandleFunc("GET "+appProxy+"/connectors/"+testConnector, jsonHandler(200, `[1]`))
		_, err := e.client.GetConnector(context.Background(), testConnector)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "is not a connector")
		assertValidRequests(t, e.tr)
	})
}

// What the create and update bodies hold: empty fields are left out, so
// an empty region lets the service choose and an empty update is {}.
func TestOperations_InputBodies(t *testing.T) {
	tests := []struct {
		name     string
		pattern  string
		call     func(c *Client) error
		wantBody string
	}{
		{"create without region", "POST " + appProxy + "/connectorGroups", func(c *Client) error {
			_, err := c.CreateConnectorGroup(context.Background(), NewConnectorGroup{Name: "Connector Group Demo"})
			return err
		}, `{"name":"Connector Group Demo"}`},
		{"create with region", "POST " + appProxy + "/connectorGroups", func(c *Client) error {
			_, err := c.CreateConnectorGroup(context.Background(), NewConnectorGroup{Name: "Connector Group Demo", Region: RegionEurope})
			return err
		}, `{"name":"Connector Group Demo","region":"eur"}`},
		{"update name", "PATCH " + appProxy + "/connectorGroups/" + testGroup, func(c *Client) error {
			return c.UpdateConnectorGroup(context.Background(), testGroup, ConnectorGroupUpdate{Name: "renamed"})
		}, `{"name":"renamed"}`},
		{"update region", "PATCH " + appProxy + "/connectorGroups/" + testGroup, func(c *Client) error {
			return c.UpdateConnectorGroup(context.Background(), testGroup, ConnectorGroupUpdate{Region: RegionIndia})
		}, `{"region":"ind"}`},
		{"empty update", "PATCH " + appProxy + "/connectorGroups/" + testGroup, func(c *Client) error {
			return c.UpdateConnectorGroup(context.Background(), testGroup, ConnectorGroupUpdate{})
		}, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			var got []byte
			e.mux.HandleFunc(tt.pattern, func(w http.ResponseWriter, r *http.Request) {
				got = readAll(t, r)
				if r.Method == http.MethodPost {
					writeJSON(w, r, 201, groupNAJSON)
					return
				}
				noContent(w, r)
			})
			require.NoError(t, tt.call(e.client))
			assert.Equal(t, tt.wantBody, string(got))
			assertValidTraffic(t, e.tr)
		})
	}
}

// A group without a name is refused before anything is sent.
func TestCreateConnectorGroup_NeedsAName(t *testing.T) {
	e := setup(t)
	g, err := e.client.CreateConnectorGroup(context.Background(), NewConnectorGroup{Region: RegionEurope})
	require.Error(t, err)
	assert.Nil(t, g)
	assert.Contains(t, err.Error(), "needs a name")
	assert.Zero(t, e.tr.Exchanges())
}

// Graph's answers to the lifecycle's refusals map to sentinels by status:
// a 400 that is no duplicate matches none.
func TestOperations_Errors(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		status  int
		code    string
		message string
		call    func(c *Client) error
		want    string
	}{
		{"delete a group that holds connectors", "DELETE " + appProxy + "/connectorGroups/" + europeGroupID, 400, "Request_BadRequest",
			"The connector group '" + europeGroupID + "' still has connectors assigned; move them to another group before deleting it.",
			func(c *Client) error { return c.DeleteConnectorGroup(context.Background(), europeGroupID) }, ""},
		{"delete the default group", "DELETE " + appProxy + "/connectorGroups/" + defaultGroupID, 400, "Request_BadRequest",
			"The connector group '" + defaultGroupID + "' is the default group, which cannot be deleted.",
			func(c *Client) error { return c.DeleteConnectorGroup(context.Background(), defaultGroupID) }, ""},
		{"delete a missing group", "DELETE " + appProxy + "/connectorGroups/" + testGroup, 404, "Request_ResourceNotFound", "Resource '" + testGroup + "' does not exist or one of its queried reference-property objects are not present.",
			func(c *Client) error { return c.DeleteConnectorGroup(context.Background(), testGroup) }, "ErrNotFound"},
		{"get a missing group", "GET " + appProxy + "/connectorGroups/" + testGroup, 404, "", "Not found.",
			func(c *Client) error { _, err := c.GetConnectorGroup(context.Background(), testGroup); return err }, "ErrNotFound"},
		{"region of a group with connectors", "PATCH " + appProxy + "/connectorGroups/" + europeGroupID, 400, "Request_BadRequest",
			"The region of connector group '" + europeGroupID + "' cannot change while it has connectors assigned.",
			func(c *Client) error {
				return c.UpdateConnectorGroup(context.Background(), europeGroupID, ConnectorGroupUpdate{Region: RegionAsia})
			}, ""},
		{"move where it is", "POST " + appProxy + "/connectors/" + connector02ID + "/memberOf/$ref", 400, "Request_BadRequest", alreadyMember,
			func(c *Client) error {
				return c.AddConnectorViaMemberOf(context.Background(), europeGroupID, connector02ID)
			}, "ErrAlreadyMember"},
		{"list without permission", "GET " + appProxy + "/connectorGroups", 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.",
			func(c *Client) error { _, err := c.ListConnectorGroups(context.Background()); return err }, "ErrForbidden"},
		{"create unauthorized", "POST " + appProxy + "/connectorGroups", 401, "InvalidAuthenticationToken", "Access token is empty.",
			func(c *Client) error {
				_, err := c.CreateConnectorGroup(context.Background(), NewConnectorGroup{Name: "x"})
				return err
			}, "ErrUnauthorized"},
		{"members throttled", "GET " + appProxy + "/connectorGroups/" + testGroup + "/members", 429, "TooManyRequests", "Too many requests.",
			func(c *Client) error { _, err := c.ListMembers(context.Background(), testGroup); return err }, "ErrThrottled"},
		{"connectors unavailable", "GET " + appProxy + "/connectors", 503, "serviceNotAvailable", "The service is temporarily unavailable.",
			func(c *Client) error { _, err := c.ListConnectors(context.Background()); return err }, "ErrThrottled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, WithoutRetry())
			e.mux.HandleFunc(tt.pattern, graphErrorHandler(tt.status, tt.code, tt.message))
			err := tt.call(e.client)
			assertSentinel(t, err, tt.want)
			ge := asError(t, err)
			assert.Equal(t, tt.status, ge.StatusCode)
			assert.Equal(t, tt.code, ge.Code)
			assert.Equal(t, tt.message, ge.Message)
			assert.True(t, uuidV4.MatchString(ge.ClientRequestID), "ClientRequestID %q", ge.ClientRequestID)
			assert.False(t, ge.AfterAmbiguousAttempt)
			assertNoRawJSON(t, ge)
			assertNoSecret(t, ge, testToken)
			assertValidTraffic(t, e.tr)
		})
	}
}

// Values the spec's enums do not list are kept as sent, never a failure:
// a real tenant sent "region": "japan". null and absent regions are "".
func TestOperations_UnknownEnumValues(t *testing.T) {
	tests := []struct {
		name string
		body string
		want ConnectorGroup
	}{
		{"region japan", `{"id":"g","name":"Japan","connectorGroupType":"applicationProxy","isDefault":false,"region":"japan"}`,
			ConnectorGroup{ID: "g", Name: "Japan", ConnectorGroupType: ConnectorGroupTypeApplicationProxy, Region: "japan"}},
		{"older type syncFabric", `{"id":"g","name":"Sync","connectorGroupType":"syncFabric","isDefault":false,"region":"eur"}`,
			ConnectorGroup{ID: "g", Name: "Sync", ConnectorGroupType: "syncFabric", Region: RegionEurope}},
		{"null region", `{"id":"g","name":"Default","connectorGroupType":"applicationProxy","isDefault":true,"region":null}`,
			ConnectorGroup{ID: "g", Name: "Default", ConnectorGroupType: ConnectorGroupTypeApplicationProxy, IsDefault: true}},
		{"absent region, unknown properties", `{"@odata.type":"#microsoft.graph.connectorGroup","id":"g","name":"n","connectorGroupType":"applicationProxy","isDefault":false,"members":[],"future":{"x":1}}`,
			ConnectorGroup{ID: "g", Name: "n", ConnectorGroupType: ConnectorGroupTypeApplicationProxy}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			e.mux.HandleFunc("GET "+appProxy+"/connectorGroups/g", jsonHandler(200, tt.body))
			e.mux.HandleFunc("GET "+appProxy+"/connectorGroups", jsonHandler(200, `{"value":[`+tt.body+`]}`))
			e.mux.HandleFunc("GET "+appProxy+"/connectors/c/memberOf", jsonHandler(200, `{"value":[`+tt.body+`]}`))

			g, err := e.client.GetConnectorGroup(context.Background(), "g")
			require.NoError(t, err)
			assert.Equal(t, tt.want, *g)
			list, err := e.client.ListConnectorGroups(context.Background())
			require.NoError(t, err)
			assert.Equal(t, []ConnectorGroup{tt.want}, list)
			of, err := e.client.GetConnectorGroupOf(context.Background(), "c")
			require.NoError(t, err)
			assert.Equal(t, tt.want, *of)
			assertValidRequests(t, e.tr)
		})
	}

	t.Run("status degraded", func(t *testing.T) {
		e := setup(t)
		body := `{"id":"c","machineName":"m","externalIp":"203.0.113.10","status":"degraded"}`
		e.mux.HandleFunc("GET "+appProxy+"/connectors/c", jsonHandler(200, body))
		e.mux.HandleFunc("GET "+appProxy+"/connectors", jsonHandler(200, `{"value":[`+body+`]}`))
		e.mux.HandleFunc("GET "+appProxy+"/connectorGroups/g/members", jsonHandler(200, `{"value":[`+body+`]}`))
		want := Connector{ID: "c", MachineName: "m", ExternalIP: "203.0.113.10", Status: "degraded"}

		conn, err := e.client.GetConnector(context.Background(), "c")
		require.NoError(t, err)
		assert.Equal(t, want, *conn)
		list, err := e.client.ListConnectors(context.Background())
		require.NoError(t, err)
		assert.Equal(t, []Connector{want}, list)
		members, err := e.client.ListMembers(context.Background(), "g")
		require.NoError(t, err)
		assert.Equal(t, []Connector{want}, members)
		assertValidRequests(t, e.tr)
	})
}

// The types print as Graph writes them, for the CLI's JSON output.
func TestConnectorGroup_JSON(t *testing.T) {
	got, err := jsonMarshal(ConnectorGroup{ID: "g", Name: "n", ConnectorGroupType: ConnectorGroupTypeApplicationProxy, IsDefault: true, Region: "japan"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"g","name":"n","connectorGroupType":"applicationProxy","isDefault":true,"region":"japan"}`, got)
	got, err = jsonMarshal(ConnectorGroup{ID: "g", Name: "n"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"g","name":"n","isDefault":false}`, got)
}

// GetConnectorGroupOf wants exactly one group: anything else says what
// came.
func TestGetConnectorGroupOf_NotExactlyOne(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  []string
	}{
		{"none", ``, []string{"in 0 groups", "want exactly one"}},
		{"two", groupDefaultJSON + `,` + groupNAJSON, []string{"in 2 groups", defaultGroupID, testGroup}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			e.mux.HandleFunc("GET "+appProxy+"/connectors/"+testConnector+"/memberOf", jsonHandler(200, `{"value":[`+tt.value+`]}`))
			g, err := e.client.GetConnectorGroupOf(context.Background(), testConnector)
			require.Error(t, err)
			assert.Nil(t, g)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			var ge *Error
			assert.False(t, errors.As(err, &ge), "not a service error")
			assertValidTraffic(t, e.tr)
		})
	}
}

// An update cannot both set and clear the region; nothing is sent.
func TestUpdateConnectorGroupRefusesSetAndClear(t *testing.T) {
	e := setup(t)
	err := e.client.UpdateConnectorGroup(context.Background(), testGroup, ConnectorGroupUpdate{Region: RegionEurope, ClearRegion: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "both set and clear the region")
	assert.Zero(t, e.tr.Exchanges(), "nothing is sent")
}
