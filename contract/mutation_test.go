package contract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The mutation test proves the suite catches breakage: each mutant injects
// one contract fault, into the reference server or into the client's
// requests, and the suite must fail on every one of them while it passes
// on the unmutated pair.

// clientRequestValidation names the client side of the suite in the kill
// table: the validating Transport judging the client's requests.
const clientRequestValidation = "client_request_validation"

// serverMutant wraps the reference server's handler with one fault. A
// mutant that must know the fake's state builds its wrapper from the fake
// (stateful); the others wrap alone.
type serverMutant struct {
	name     string
	wantKill string // the check that exists to catch it
	wrap     func(http.Handler) http.Handler
	stateful func(*fakegraph.Server) func(http.Handler) http.Handler
	// beyondEnums serves testdata/seeds/beyond-enums.json, whose groups
	// carry values the published enums lack, instead of the default seed.
	beyondEnums bool
}

// start serves the fake wrapped by the mutant, and returns the target to
// run the checks against.
func (m serverMutant) start(t *testing.T) (*httptest.Server, contract.Target) {
	t.Helper()
	seed := fakegraph.DefaultSeed()
	if m.beyondEnums {
		seed = loadBeyondEnums(t)
	}
	srv, _ := startFakeOn(t, seed, func(fake *fakegraph.Server) func(http.Handler) http.Handler {
		if m.stateful != nil {
			return m.stateful(fake)
		}
		return m.wrap
	})
	if m.beyondEnums {
		return srv, beyondEnumsTarget(srv)
	}
	return srv, fakeTarget(srv)
}

// clientMutant corrupts each request of a call before the validating
// Transport sees it, as a buggy client would.
type clientMutant struct {
	name      string
	wantField string // the violation's field
	corrupt   func(*http.Request)
	call      *clientCall // nil: the doc's add through the generated client
}

// clientCall is one call of the typed client (client package) against a
// fresh fake.
type clientCall struct {
	name string
	run  func(ctx context.Context, c *client.Client) error
}

var (
	callUpdate = &clientCall{"UpdateConnectorGroup", func(ctx context.Context, c *client.Client) error {
		return c.UpdateConnectorGroup(ctx, europeGroup, client.ConnectorGroupUpdate{Name: "Europe (renamed)"})
	}}
	callMove = &clientCall{"AddConnectorViaMemberOf", func(ctx context.Context, c *client.Client) error {
		return c.AddConnectorViaMemberOf(ctx, emptyGroup, docConnector)
	}}
	callAdd = &clientCall{"AddConnector", func(ctx context.Context, c *client.Client) error {
		_, err := c.AddConnector(ctx, emptyGroup, docConnector)
		return err
	}}
	callCreate = &clientCall{"CreateConnectorGroup", func(ctx context.Context, c *client.Client) error {
		_, err := c.CreateConnectorGroup(ctx, client.NewConnectorGroup{Name: "contract"})
		return err
	}}
	callList = &clientCall{"ListConnectorGroups", func(ctx context.Context, c *client.Client) error {
		_, err := c.ListConnectorGroups(ctx)
		return err
	}}
	callAddApp = &clientCall{"AddApplication", func(ctx context.Context, c *client.Client) error {
		return c.AddApplication(ctx, emptyGroup, expensesApp)
	}}
	callAssignApp = &clientCall{"AddApplicationViaConnectorGroup", func(ctx context.Context, c *client.Client) error {
		return c.AddApplicationViaConnectorGroup(ctx, emptyGroup, expensesApp)
	}}
)

func serverMutants() []serverMutant {
	return []serverMutant{
		{name: "201 becomes 200", wantKill: contract.CheckStatusCode, wrap: onStatus(201, func(rec *httptest.ResponseRecorder) { rec.Code = 200 })},
		// openapi3filter never judges a 307, so only status_code_conformance's
		// own look-up catches it; the session's client must not follow it.
		{name: "201 becomes 307", wantKill: contract.CheckStatusCode, wrap: rewrite(func(r *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
			if rec.Code == http.StatusCreated {
				rec.Code = http.StatusTemporaryRedirect
				rec.Header().Set("Location", r.URL.Path)
			}
		})},
		{name: "201 with no body", wantKill: contract.CheckResponseSchema, wrap: onStatus(201, func(rec *httptest.ResponseRecorder) { rec.Body = new(bytes.Buffer) })},
		{name: "machineName dropped", wantKill: contract.CheckResponseSchema, wrap: onStatus(201, editJSON(func(m map[string]any) { delete(m, "machineName") }))},
		{name: "status outside its enum", wantKill: contract.CheckResponseSchema, wrap: onStatus(201, editJSON(func(m map[string]any) { m["status"] = "status-value" }))},
		{name: "externalIp not a string", wantKill: contract.CheckResponseSchema, wrap: onStatus(201, editJSON(func(m map[string]any) { m["externalIp"] = 203 }))},
		{name: "errors not in Graph's format", wantKill: contract.CheckResponseSchema, wrap: onErrors(func(rec *httptest.ResponseRecorder) {
			_, msg := graphErrorOf(rec.Body.Bytes())
			setJSON(rec, map[string]any{"message": msg})
		})},
		{name: "text/plain Content-Type", wantKill: contract.CheckContentType, wrap: rewrite(func(_ *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
			rec.Header().Set("Content-Type", "text/plain; charset=utf-8")
		})},
		{name: "missing request-id", wantKill: contract.CheckResponseHeaders, wrap: rewrite(func(_ *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
			rec.Header().Del("request-id")
		})},
		{name: "client-request-id not echoed", wantKill: contract.CheckResponseHeaders, wrap: rewrite(func(_ *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
			rec.Header().Set("client-request-id", "00000000-0000-4000-8000-000000000000")
		})},
		{name: "429 with a Retry-After that is no number", wantKill: contract.CheckResponseHeaders, wrap: throttleFirstWithBadRetryAfter()},
		{name: "auth ignored", wantKill: contract.CheckIgnoredAuth, wrap: onRequest(func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+devToken) })},
		{name: "scopes ignored", wantKill: contract.CheckIgnoredAuth, wrap: onRequest(func(r *http.Request) {
			if r.Header.Get("Authorization") == "Bearer "+readerToken {
				r.Header.Set("Authorization", "Bearer "+devToken)
			}
		})},
		{name: "the doc's example refused", wantKill: contract.CheckPositiveData, wrap: onStatus(201, func(rec *httptest.ResponseRecorder) {
			rec.Code = 400
			setJSON(rec, map[string]any{"error": map[string]any{"code": "BadRequest", "message": "Invalid URL format specified in payload."}})
		})},
		{name: "duplicates accepted", wantKill: contract.CheckStatefulDuplicate, wrap: rewrite(func(_ *http.Request, reqBody []byte, rec *httptest.ResponseRecorder) {
			if code, _ := graphErrorOf(rec.Body.Bytes()); rec.Code == 400 && code == "Request_BadRequest" {
				rec.Code = 201
				setJSON(rec, seedConnector(reqBody))
			}
		})},
		// The duplicate's code varies across workloads, so a wrong code is
		// no fault; a wrong status is.
		{name: "duplicates answered 409 Conflict", wantKill: contract.CheckStatefulDuplicate, wrap: rewrite(func(_ *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
			if code, _ := graphErrorOf(rec.Body.Bytes()); code == "Request_BadRequest" {
				rec.Code = http.StatusConflict
			}
		})},
		{name: "duplicate answered 400 Request_BadRequest with another message", wantKill: contract.CheckStatefulDuplicate, wrap: rewrite(func(_ *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
			if code, _ := graphErrorOf(rec.Body.Bytes()); rec.Code == http.StatusBadRequest && code == "Request_BadRequest" {
				setGraphError(rec, "Request_BadRequest", "Invalid object identifier 'members'.")
			}
		})},
		{name: "500 on a bad @odata.id", wantKill: contract.CheckNegativeData, wrap: rewrite(func(_ *http.Request, reqBody []byte, rec *httptest.ResponseRecorder) {
			if ref, ok := odataID(reqBody).(string); ok && !strings.HasPrefix(ref, "https://") {
				rec.Code = 500
			}
		})},
		{name: "a body without @odata.id accepted", wantKill: contract.CheckNegativeData, wrap: rewrite(func(_ *http.Request, reqBody []byte, rec *httptest.ResponseRecorder) {
			var m map[string]any
			if json.Unmarshal(reqBody, &m) == nil && m["@odata.id"] == nil {
				rec.Code = 201
				setJSON(rec, seedConnector([]byte(docReferenceRaw)))
			}
		})},
		{name: "413 becomes 500", wantKill: contract.CheckNotAServerError, wrap: onStatus(413, func(rec *httptest.ResponseRecorder) { rec.Code = 500 })},
		// Both statuses are declared and well formed, so only the check that
		// wants a body's own rejection catches them.
		{name: "bad bodies answered 404", wantKill: contract.CheckNegativeData, wrap: onBadBodies(func(rec *httptest.ResponseRecorder) {
			rec.Code = http.StatusNotFound
			setGraphError(rec, "Request_ResourceNotFound", "Resource 'members' does not exist or one of its queried reference-property objects are not present.")
		})},
		{name: "bad bodies answered 429 (with Retry-After)", wantKill: contract.CheckNegativeData, wrap: onBadBodies(func(rec *httptest.ResponseRecorder) {
			rec.Code = http.StatusTooManyRequests
			rec.Header().Set("Retry-After", "1")
			setGraphError(rec, "TooManyRequests", "Too many requests.")
		})},

		// Today's surface and its model (mutants_model_test.go).
		{name: "a move copies: the old group still lists the connector", wantKill: contract.CheckStatefulMove, stateful: copyNotMove},
		{name: "memberOf names the old group after a move", wantKill: contract.CheckStatefulMove, stateful: memberOfNamesOldGroup},
		{name: "a list without value", wantKill: contract.CheckResponseSchema, wrap: onStatus(200, editJSON(func(m map[string]any) {
			delete(m, "value")
		}))},
		{name: "a nextLink whose page repeats an item", wantKill: contract.CheckPaging, wrap: nextLinkRepeats()},
		{name: "a nextLink that skips a page", wantKill: contract.CheckPaging, wrap: nextLinkDrops()},
		{name: "a delete answered 204 that leaves the group readable", wantKill: contract.CheckStatefulDelete, stateful: deleteLeavesGroup},
		{name: "a delete of a group holding connectors accepted", wantKill: contract.CheckStatefulDelete, stateful: deleteTakesNonEmpty},
		{name: "memberOf/$ref answered 200 with the group (only 204 declared)", wantKill: contract.CheckStatusCode, wrap: okWithBody(graph.OpAddConnectorMemberOf, linkedGroup)},
		{name: "a delete answered 200 with a body (only 204 declared)", wantKill: contract.CheckStatusCode, wrap: okWithBody(graph.OpDeleteConnectorGroup, func(_ http.Handler, r *http.Request, _ []byte) any {
			return map[string]any{"id": idAfter(r, "connectorGroups")}
		})},
		{name: "200s without OData-Version", wantKill: contract.CheckResponseHeaders, wrap: onStatus(200, func(rec *httptest.ResponseRecorder) { rec.Header().Del("OData-Version") })},
		{name: "a PATCH answered 204 that changes nothing", wantKill: contract.CheckStatefulUpdate, stateful: updateIgnored},
		{name: "a created group says it is the default", wantKill: contract.CheckStatefulCreate, wrap: rewrite(func(r *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
			if opOf(r) == graph.OpCreateConnectorGroup && rec.Code/100 == 2 {
				editJSON(func(m map[string]any) { m["isDefault"] = true })(rec)
			}
		})},
		{name: "a create with an unknown property accepted", wantKill: contract.CheckNegativeData, wrap: acceptsProperty(graph.OpCreateConnectorGroup, "unknownProperty")},
		{name: "a PATCH of the system-set id accepted", wantKill: contract.CheckNegativeData, wrap: acceptsProperty(graph.OpUpdateConnectorGroup, "id")},

		// Answers as the live service gives them (mutants_model_test.go).
		{name: "isDefault and connectorGroupType answered 400, as system-set", wantKill: contract.CheckStatefulSystemSet, wrap: refusesSystemSet()},
		{name: "an update answered 200 with the group as it was before", wantKill: contract.CheckStatefulUpdate, wrap: updateAnswersStaleGroup()},
		{name: "japan read as null by id", wantKill: contract.CheckReads, beyondEnums: true, wrap: dropsUnpublishedRegionByID()},
		{name: "a region answered as a number", wantKill: contract.CheckResponseSchema, beyondEnums: true, wrap: regionAsANumber()},

		// Applications and their connector group (mutants_applications_test.go).
		{name: "an application in two groups at once", wantKill: contract.CheckStatefulAppAssign, stateful: applicationInTwoGroups},
		{name: "an unassign that leaves no group instead of the default", wantKill: contract.CheckStatefulAppAssign, wrap: unassignLeavesNothing()},
		{name: "assignment allowed without on-premises publishing", wantKill: contract.CheckStatefulAppPublishing, stateful: publishingIgnored},
		{name: "a region change allowed while a group holds only applications", wantKill: contract.CheckStatefulAppAssign, stateful: regionLockIgnoredForApplications},
		{name: "a delete of a group holding only applications accepted", wantKill: contract.CheckStatefulAppAssign, stateful: deleteTakesGroupHoldingApplications},
	}
}

func clientMutants() []clientMutant {
	return []clientMutant{
		{"no Bearer header", "header/Authorization", func(r *http.Request) { r.Header.Del("Authorization") }, nil},
		{"Basic instead of Bearer", "header/Authorization", func(r *http.Request) { r.Header.Set("Authorization", "Basic ZGV2OnRva2Vu") }, nil},
		{"odata.id without the @", "body/@odata.id", editRequestBody(func(m map[string]any) { m["odata.id"] = m["@odata.id"]; delete(m, "@odata.id") }), nil},
		{"a bare id as @odata.id", "body/@odata.id", editRequestBody(func(m map[string]any) { m["@odata.id"] = path.Base(m["@odata.id"].(string)) }), nil},
		{"text/plain Content-Type", "body", func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, nil},
		{"GET instead of POST", "route", func(r *http.Request) { r.Method = http.MethodGet }, nil},
		{"wrong path: /connectorGroup/", "route", func(r *http.Request) {
			r.URL.Path = strings.Replace(r.URL.Path, "/connectorGroups/", "/connectorGroup/", 1)
			r.URL.RawPath = ""
		}, nil},
		{"wrong path: no $ref", "route", func(r *http.Request) {
			r.URL.Path = strings.TrimSuffix(r.URL.Path, "/$ref")
			r.URL.RawPath = ""
		}, nil},

		// The typed client's requests to today's surface.
		{"PATCH with the system-set id", "body", editRequestBody(func(m map[string]any) { m["id"] = europeGroup }), callUpdate},
		{"PATCH with isDefault as a string", "body/isDefault", editRequestBody(func(m map[string]any) { m["isDefault"] = "false" }), callUpdate},
		{"create with a region beyond the published enum", "body/region", editRequestBody(func(m map[string]any) { m["region"] = "japan" }), callCreate},
		{"PATCH with an empty name", "body/name", editRequestBody(func(m map[string]any) { m["name"] = "" }), callUpdate},
		{"memberOf link to a connector, not a group", "body/@odata.id", editRequestBody(func(m map[string]any) {
			m["@odata.id"] = strings.Replace(m["@odata.id"].(string), "/connectorGroups/", "/connectors/", 1)
		}), callMove},
		{"memberOf link to a group at the root (/beta/connectorGroups/{id})", "body/@odata.id", editRequestBody(func(m map[string]any) {
			m["@odata.id"] = strings.Replace(m["@odata.id"].(string), "/onPremisesPublishingProfiles/applicationProxy", "", 1)
		}), callMove},
		{"memberOf without $ref", "route", trimRef, callMove},
		{"today's add without $ref", "route", trimRef, callAdd},
		{"today's add with a group's link", "body/@odata.id", editRequestBody(func(m map[string]any) {
			m["@odata.id"] = strings.Replace(m["@odata.id"].(string), "/connectors/", "/connectorGroups/", 1)
		}), callAdd},
		{"create without a name", "body/name", editRequestBody(func(m map[string]any) { delete(m, "name") }), callCreate},
		{"list with $top=0", "query/$top", func(r *http.Request) { r.URL.RawQuery = "%24top=0" }, callList},

		// The typed client's application requests.
		{"an application's $ref add with a group's link", "body/@odata.id", editRequestBody(func(m map[string]any) {
			m["@odata.id"] = strings.Replace(m["@odata.id"].(string), "/applications/", "/onPremisesPublishingProfiles/applicationProxy/connectorGroups/", 1)
		}), callAddApp},
		{"an application's connectorGroup PUT with an application's link", "body/@odata.id", editRequestBody(func(m map[string]any) {
			m["@odata.id"] = strings.Replace(m["@odata.id"].(string), "/onPremisesPublishingProfiles/applicationProxy/connectorGroups/", "/applications/", 1)
		}), callAssignApp},
		{"an application's connectorGroup PUT without $ref", "route", trimRef, callAssignApp},
		{"an application's connectorGroup set with POST", "route", func(r *http.Request) { r.Method = http.MethodPost }, callAssignApp},
	}
}

// trimRef drops the trailing $ref segment: a POST to the navigation itself.
func trimRef(r *http.Request) {
	r.URL.Path = strings.TrimSuffix(r.URL.Path, "/$ref")
	r.URL.RawPath = ""
}

// killRow is one line of the kill table.
type killRow struct {
	side, mutant string
	caughtBy     []string
}

func TestMutantsAreAllKilled(t *testing.T) {
	t.Run("control: the unmutated server passes", func(t *testing.T) {
		rep := runChecks(t, fakeTarget(startFake(t, nil)))
		require.Zero(t, rep.Failed, "report: %+v", rep.Results)
		require.Zero(t, rep.Skipped)
	})
	t.Run("control: the unmutated client passes", func(t *testing.T) {
		status, vs := clientSideViolations(t, nil)
		require.Equal(t, http.StatusCreated, status, "the unmutated request must add the connector")
		require.Empty(t, vs)
		for _, call := range []*clientCall{callUpdate, callMove, callAdd, callCreate, callList, callAddApp, callAssignApp} {
			vs, err := typedClientViolations(t, call, nil)
			require.NoError(t, err, call.name)
			require.Empty(t, vs, call.name)
		}
	})
	if t.Failed() {
		t.Fatal("the controls fail, so a kill would prove nothing")
	}

	servers, clients := serverMutants(), clientMutants()
	require.GreaterOrEqual(t, len(servers)+len(clients), 52)

	// Run the mutants a few at a time, each with its own server: a run is
	// mostly CPU (validation, on both sides), so running all at once would
	// only stretch each run towards its bound, under -race most of all.
	rows := make(map[string]killRow, len(servers)+len(clients))
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	slots := make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	for _, m := range servers {
		_, target := m.start(t)
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			// A hanging mutant fails its row by the deadline, and the
			// target's client bounds each request.
			ctx, cancel := context.WithTimeout(t.Context(), testRunTimeout)
			defer cancel()
			rep, err := contract.Run(ctx, target)
			caught := rep.FailedChecks()
			if err != nil {
				caught = []string{"error: " + err.Error()}
			}
			mu.Lock()
			rows["server/"+m.name] = killRow{"server", m.name, caught}
			mu.Unlock()
		})
	}
	wg.Wait()
	for _, m := range servers {
		t.Run("server/"+m.name, func(t *testing.T) {
			caught := rows["server/"+m.name].caughtBy
			assert.NotEmpty(t, caught, "the mutant survived")
			assert.Contains(t, caught, m.wantKill, "the check meant to catch it did not")
		})
	}
	for _, m := range clients {
		t.Run("client/"+m.name, func(t *testing.T) {
			var vs []contract.Violation
			if m.call == nil {
				_, vs = clientSideViolations(t, m.corrupt)
			} else {
				vs, _ = typedClientViolations(t, m.call, m.corrupt)
			}
			var caught []string
			for _, f := range uniqueFields(vs) {
				caught = append(caught, clientRequestValidation+" ("+f+")")
			}
			rows["client/"+m.name] = killRow{"client", m.name, caught}
			assert.NotEmpty(t, caught, "the mutant survived")
			assert.Contains(t, uniqueFields(vs), m.wantField, "violations: %v", vs)
		})
	}

	table := killTable(servers, clients, rows)
	if testing.Verbose() {
		fmt.Print(table)
	} else {
		t.Log("\n" + table)
	}
}

// clientSideViolations sends the doc's example with the generated client,
// through corrupt (when not nil) and then the validating Transport, to a
// fresh reference server, and returns the response's status and the
// request violations.
func clientSideViolations(t *testing.T, corrupt func(*http.Request)) (status int, _ []contract.Violation) {
	t.Helper()
	srv := startFake(t, nil)
	validating := newTransport(t, srv.Client().Transport)
	var rt http.RoundTripper = validating
	if corrupt != nil {
		rt = corrupting{next: validating, corrupt: corrupt}
	}
	resp := addMember(t, generatedClient(t, srv.URL+"/beta", rt, devToken), emptyGroup, docConnector)
	require.NotZero(t, resp.StatusCode())
	require.Equal(t, 1, validating.Exchanges())
	var out []contract.Violation
	for _, v := range validating.Violations() {
		if v.Direction == contract.DirectionRequest {
			out = append(out, v)
		}
	}
	return resp.StatusCode(), out
}

// typedClientViolations makes call with the typed client, through corrupt
// (when not nil) and then the validating Transport, against a fresh
// reference server, and returns the call's error and the request
// violations.
func typedClientViolations(t *testing.T, call *clientCall, corrupt func(*http.Request)) ([]contract.Violation, error) {
	t.Helper()
	srv := startFake(t, nil)
	validating := newTransport(t, srv.Client().Transport)
	var rt http.RoundTripper = validating
	if corrupt != nil {
		rt = corrupting{next: validating, corrupt: corrupt}
	}
	ctx, cancel := context.WithTimeout(t.Context(), testRunTimeout)
	defer cancel()
	err := call.run(ctx, typedClient(t, srv.URL+"/beta", rt))
	require.NotZero(t, validating.Exchanges(), "%s sent nothing", call.name)
	var out []contract.Violation
	for _, v := range validating.Violations() {
		if v.Direction == contract.DirectionRequest {
			out = append(out, v)
		}
	}
	return out, err
}

// corrupting is a RoundTripper above the validating one: the validator
// sees the corrupted request, as it would see a buggy client's.
type corrupting struct {
	next    http.RoundTripper
	corrupt func(*http.Request)
}

func (c corrupting) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	c.corrupt(r)
	return c.next.RoundTrip(r)
}

func killTable(servers []serverMutant, clients []clientMutant, rows map[string]killRow) string {
	width := len("mutant")
	for _, m := range servers {
		width = max(width, len(m.name))
	}
	for _, m := range clients {
		width = max(width, len(m.name))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-6s  %-*s  %s\n", "side", width, "mutant", "caught by")
	line := func(key string) {
		row, ok := rows[key]
		caught := "SURVIVED"
		if !ok {
			row, caught = killRow{side: strings.Split(key, "/")[0], mutant: strings.SplitN(key, "/", 2)[1]}, "not run"
		} else if len(row.caughtBy) > 0 {
			caught = strings.Join(row.caughtBy, ", ")
		}
		fmt.Fprintf(&b, "%-6s  %-*s  %s\n", row.side, width, row.mutant, caught)
	}
	for _, m := range servers {
		line("server/" + m.name)
	}
	for _, m := range clients {
		line("client/" + m.name)
	}
	return b.String()
}

func uniqueFields(vs []contract.Violation) []string {
	var out []string
	for _, v := range vs {
		if !slices.Contains(out, v.Field) {
			out = append(out, v.Field)
		}
	}
	return out
}

// rewrite runs the server into a recorder, lets edit change the response
// (it also gets the request and its body), then sends the result.
func rewrite(edit func(r *http.Request, reqBody []byte, rec *httptest.ResponseRecorder)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			reqBody, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(reqBody))
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			edit(r, reqBody, rec)
			for k, v := range rec.Header() {
				if k != "Content-Length" {
					w.Header()[k] = v
				}
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
		})
	}
}

func onStatus(status int, edit func(*httptest.ResponseRecorder)) func(http.Handler) http.Handler {
	return rewrite(func(_ *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
		if rec.Code == status {
			edit(rec)
		}
	})
}

func onErrors(edit func(*httptest.ResponseRecorder)) func(http.Handler) http.Handler {
	return rewrite(func(_ *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
		if rec.Code >= 400 {
			edit(rec)
		}
	})
}

// onRequest changes the request before the server sees it.
func onRequest(edit func(*http.Request)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			edit(r)
			next.ServeHTTP(w, r)
		})
	}
}

// throttleFirstWithBadRetryAfter answers the first request 429 the Graph
// way, but with a Retry-After that is not the whole seconds the spec says.
// (The spec lets a 429 go without one: the live service has sent such.)
func throttleFirstWithBadRetryAfter() func(http.Handler) http.Handler {
	var calls atomic.Int32
	return rewrite(func(_ *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
		if calls.Add(1) == 1 {
			rec.Code = http.StatusTooManyRequests
			rec.Header().Set("Retry-After", "soon")
			setJSON(rec, map[string]any{"error": map[string]any{"code": "TooManyRequests", "message": "Too many requests."}})
		}
	})
}

// onBadBodies edits the reference server's answers to the bodies it
// refused: its 400s but the duplicate's Request_BadRequest, its 413s and
// 415s.
func onBadBodies(edit func(*httptest.ResponseRecorder)) func(http.Handler) http.Handler {
	return rewrite(func(_ *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
		code, _ := graphErrorOf(rec.Body.Bytes())
		switch rec.Code {
		case http.StatusBadRequest:
			if code != "Request_BadRequest" {
				edit(rec)
			}
		case http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
			edit(rec)
		}
	})
}

// setGraphError makes rec's body Graph's error with code and message,
// keeping the rest of the error the server wrote (its innerError).
func setGraphError(rec *httptest.ResponseRecorder, code, message string) {
	var body struct {
		Error map[string]any `json:"error"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	if body.Error == nil {
		body.Error = map[string]any{}
	}
	body.Error["code"], body.Error["message"] = code, message
	setJSON(rec, body)
}

func editJSON(edit func(map[string]any)) func(*httptest.ResponseRecorder) {
	return func(rec *httptest.ResponseRecorder) {
		var m map[string]any
		if json.Unmarshal(rec.Body.Bytes(), &m) == nil {
			edit(m)
			setJSON(rec, m)
		}
	}
}

func setJSON(rec *httptest.ResponseRecorder, v any) {
	b, _ := json.Marshal(v)
	rec.Body = bytes.NewBuffer(b)
	rec.Header().Set("Content-Type", "application/json")
}

func graphErrorOf(body []byte) (code, message string) {
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Error.Code, e.Error.Message
}

func odataID(reqBody []byte) any {
	var m map[string]any
	_ = json.Unmarshal(reqBody, &m)
	return m["@odata.id"]
}

// seedConnector is the seeded connector a request body names, as Graph's
// 201 would carry it.
func seedConnector(reqBody []byte) map[string]any {
	ref, _ := odataID(reqBody).(string)
	for _, c := range fakegraph.DefaultSeed().Connectors {
		if c.ID == path.Base(ref) {
			return map[string]any{"id": c.ID, "machineName": c.MachineName, "externalIp": c.ExternalIP, "status": c.Status}
		}
	}
	return map[string]any{"id": path.Base(ref), "machineName": "m", "externalIp": "203.0.113.1", "status": "active"}
}

func editRequestBody(edit func(map[string]any)) func(*http.Request) {
	return func(r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var m map[string]any
		if json.Unmarshal(body, &m) == nil {
			edit(m)
			body, _ = json.Marshal(m)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
}
