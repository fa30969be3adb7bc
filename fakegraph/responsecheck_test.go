package fakegraph

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
