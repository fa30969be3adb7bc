package fakegraph

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/fastvalidator"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

func TestResponseValidationRecordsViolationsAndSendsTheResponseAsWritten(t *testing.T) {
	srv, err := New(nil, WithResponseValidation())
	require.NoError(t, err)
	do := func(method, target, body string) *httptest.ResponseRecorder {
		t.Helper()
		r := httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer dev-token")
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		return w
	}
	assert.Equal(t, http.StatusCreated, do(http.MethodPost, membersPath("/beta", emptyGroupID), refBody(docRef(docConnectorID))).Code)
	assert.Equal(t, http.StatusOK, do(http.MethodGet, benchToday+"/connectorGroups?$top=1", "").Code)
	assert.Equal(t, http.StatusBadRequest, do(http.MethodPost, benchToday+"/connectorGroups", `{"id":"x"}`).Code)
	assert.Empty(t, srv.ResponseViolations(), "the fake's usual answers keep to the spec")

	// A GET that carries a body over the limit gets 413, which every
	// operation declares: no violation.
	big := do(http.MethodGet, benchToday+"/connectorGroups/"+emptyGroupID, strings.Repeat("x", MaxBodyBytes+1))
	assert.Equal(t, http.StatusRequestEntityTooLarge, big.Code)
	assert.Empty(t, srv.ResponseViolations(), "413 is declared for every operation")

	// An answer the spec does not declare (418 to a GET of a group, from a
	// handler broken on purpose): recorded, and still sent as it was.
	offSpec := srv.responses.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		_, _ = io.WriteString(w, "RequestEntityTooLarge")
	}))
	r := httptest.NewRequest(http.MethodGet, benchToday+"/connectorGroups/"+emptyGroupID, nil)
	w := httptest.NewRecorder()
	offSpec.ServeHTTP(w, r)
	assert.Equal(t, http.StatusTeapot, w.Code)
	assert.Contains(t, w.Body.String(), "RequestEntityTooLarge")
	violations := srv.ResponseViolations()
	require.Len(t, violations, 1)
	assert.Equal(t, "getConnectorGroup", violations[0].Operation)
	assert.Equal(t, "status", violations[0].Field)
}

func TestNoResponseViolationsWithoutTheOption(t *testing.T) {
	srv, err := New(nil)
	require.NoError(t, err)
	assert.Nil(t, srv.ResponseViolations())
}

// The fake's compiled response check gives kin-openapi's verdict on the
// fake's real answers across operations, successes and errors, and on
// those answers mutated: for each answer, the violations the fake records
// and those specvalidator.ValidateRoutedResponse finds agree on whether
// there are any, and name the same operation and fields.
func TestCompiledResponseCheckAgreesWithKinOnTheFakesAnswers(t *testing.T) {
	v, err := specvalidator.Load()
	require.NoError(t, err)
	fast, err := fastvalidator.CompileResponses(v.Doc())
	require.NoError(t, err)
	throttled, err := New(nil, WithResponseValidation(), WithFaults(Faults{Rate: 1, Status: http.StatusServiceUnavailable}))
	require.NoError(t, err)
	type req struct {
		srv                        *Server
		method, target, body, auth string
	}
	var reqs []req
	srv, err := New(nil, WithResponseValidation())
	require.NoError(t, err)
	for _, tc := range benchCases() {
		rec := &requestRecorder{}
		tc.step(nil, rec, 0)
		tc.step(nil, rec, 1)
		for _, r := range rec.reqs {
			reqs = append(reqs, req{srv, r.method, r.target, r.body, "Bearer dev-token"})
		}
	}
	groups := benchToday + "/connectorGroups"
	reqs = append(reqs, []req{
		{srv, http.MethodGet, groups, "", ""},
		{srv, http.MethodGet, groups + "/no-such", "", "Bearer dev-token"},
		{srv, http.MethodPost, groups, `{"id":"x"}`, "Bearer dev-token"},
		{srv, http.MethodPost, groups, `not json`, "Bearer dev-token"},
		{srv, http.MethodPatch, groups, `{}`, "Bearer dev-token"},
		{srv, http.MethodGet, groups + "/" + emptyGroupID, strings.Repeat("x", MaxBodyBytes+1), "Bearer dev-token"},
		{srv, http.MethodHead, groups, "", "Bearer dev-token"},
		{srv, http.MethodGet, "/beta/nowhere", "", "Bearer dev-token"},
		{srv, http.MethodGet, groups + "?$top=0", "", "Bearer dev-token"},
		{srv, http.MethodGet, benchToday + "/connectors?$top=1", "", "Bearer dev-token"},
		{throttled, http.MethodGet, groups, "", "Bearer dev-token"},
		{throttled, http.MethodPost, membersPath("/beta", emptyGroupID), refBody(docRef(docConnectorID)), "Bearer dev-token"},
	}...)
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, q := range reqs {
		r := httptest.NewRequest(q.method, q.target, strings.NewReader(q.body))
		if q.auth != "" {
			r.Header.Set("Authorization", q.auth)
		}
		if q.body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		before := len(q.srv.ResponseViolations())
		w := httptest.NewRecorder()
		q.srv.ServeHTTP(w, r)
		recorded := q.srv.ResponseViolations()[before:]

		route, params, err := v.Route(r)
		if err != nil {
			assert.Empty(t, recorded, "%s %s routes nowhere", q.method, q.target)
			continue
		}
		op := route.Operation.OperationID
		kin := specvalidator.Violations(op, specvalidator.DirectionResponse,
			v.ValidateRoutedResponse(t.Context(), r, route, params, w.Code, w.Header(), w.Body.Bytes()))
		assert.Equal(t, violationFields(kin), violationFields(recorded), "%s %s → %d", q.method, q.target, w.Code)

		for range 200 {
			header, body, status := w.Header().Clone(), bytes.Clone(w.Body.Bytes()), w.Code
			mutateAnswer(rnd, &status, header, &body)
			kinErr := v.ValidateRoutedResponse(t.Context(), r, route, params, status, header.Clone(), bytes.Clone(body))
			got := fast.Check(op, r.Method, status, header, body)
			if (kinErr != nil) != (len(got) > 0) {
				t.Fatalf("%s %s mutated to %d %v %q:\n  kin:      %v\n  compiled: %v", q.method, q.target, status, header, body,
					specvalidator.Violations(op, specvalidator.DirectionResponse, kinErr), got)
			}
		}
	}
}

// violationFields is "operation field" per violation, a body's JSON path
// cut to "body" (the compiled check names the body only), sorted, unique.
func violationFields(vs []specvalidator.Violation) []string {
	var out []string
	for _, v := range vs {
		field, _, _ := strings.Cut(v.Field, "/")
		if field == "header" {
			field = v.Field
		}
		out = append(out, v.Operation+" "+string(v.Direction)+" "+field)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// mutateAnswer breaks an answer in one of the ways a fake could.
func mutateAnswer(r *rand.Rand, status *int, header http.Header, body *[]byte) {
	switch r.IntN(8) {
	case 0:
		*status = []int{200, 201, 204, 418, 500, 503, 302}[r.IntN(7)]
	case 1:
		delete(header, []string{"Request-Id", "Client-Request-Id", "Odata-Version", "Content-Type"}[r.IntN(4)])
	case 2:
		header.Set([]string{"Odata-Version", "Retry-After", "Request-Id"}[r.IntN(3)], []string{"", "4.01", "-1", "x", "7"}[r.IntN(5)])
	case 3:
		header.Set("Content-Type", []string{"text/plain", "application/json; charset=utf-8", "", "APPLICATION/JSON;odata.metadata=minimal"}[r.IntN(4)])
	case 4:
		if len(*body) > 0 {
			*body = (*body)[:r.IntN(len(*body))]
		}
	default:
		for _, swap := range [][2]string{{`"eur"`, `"japan"`}, {`"active"`, `"Active"`}, {`"isDefault":false`, `"isDefault":"false"`}, {`"id":`, `"Id":`},
			{`"name":`, `"name":null,"x":`}, {`"code":`, `"code":1,"c":`}, {`"value":[`, `"value":[null,`}, {`"applicationProxy"`, `"syncFabric"`}, {`"message":`, `"extra":1,"message":`}} {
			if r.IntN(3) == 0 {
				*body = bytes.Replace(*body, []byte(swap[0]), []byte(swap[1]), 1)
			}
		}
	}
}

// requestRecorder keeps the requests a bench step sends, answering each
// with the status it wants.
type requestRecorder struct {
	reqs []struct{ method, target, body string }
}

func (h *requestRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.reqs = append(h.reqs, struct{ method, target, body string }{r.Method, r.URL.RequestURI(), string(body)})
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/connectorGroups"):
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":"` + emptyGroupID + `"}`))
	case r.Method == http.MethodDelete, r.Method == http.MethodPatch, strings.HasSuffix(r.URL.Path, "$ref") && !strings.HasPrefix(r.URL.Path, "/beta/connectorGroups"):
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/beta/connectorGroups"):
		w.WriteHeader(http.StatusCreated)
	}
}
