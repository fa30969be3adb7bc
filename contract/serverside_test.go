package contract_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

func runChecks(t *testing.T, target contract.Target, only ...string) contract.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), testRunTimeout)
	defer cancel()
	rep, err := contract.Run(ctx, target, only...)
	require.NoError(t, err)
	return rep
}

// requireStatus asserts each named check's verdict.
func requireStatus(t *testing.T, rep contract.Report, want map[string]contract.Status) {
	t.Helper()
	for check, status := range want {
		res, ok := rep.Result(check)
		require.True(t, ok, "the report has no %s", check)
		assert.Equal(t, status, res.Status, "%s: %s", check, res.Detail)
	}
}

func TestServerSideChecksPassAgainstTheReferenceServer(t *testing.T) {
	for _, base := range []string{"/beta", "/beta/"} {
		t.Run("base "+base, func(t *testing.T) {
			srv := startFake(t, nil)
			target := fakeTarget(srv)
			target.BaseURL = srv.URL + base

			rep := runChecks(t, target)

			var text bytes.Buffer
			require.NoError(t, rep.WriteText(&text, true))
			assert.Equal(t, contract.CheckNames(), checkNames(rep), "every check runs, in order")
			assert.Equal(t, len(contract.Checks()), rep.Passed, "report:\n%s", text.String())
			assert.Zero(t, rep.Failed, "report:\n%s", text.String())
			assert.Zero(t, rep.Skipped, "report:\n%s", text.String())
			assert.True(t, rep.OK())
		})
	}
}

func TestIgnoredAuthSkipsOnlyItsForbiddenPartWithoutAReaderToken(t *testing.T) {
	srv := startFake(t, nil)
	target := fakeTarget(srv)
	target.ReaderToken = ""

	rep := runChecks(t, target, contract.CheckIgnoredAuth)

	res, ok := rep.Result(contract.CheckIgnoredAuth)
	require.True(t, ok)
	assert.Equal(t, contract.StatusPass, res.Status)
	assert.Contains(t, res.Detail, "403 part was skipped")
	assert.Len(t, res.Evidence, 3+len(graph.Operations())-1, "the doc's operation without a token, with an empty one and a junk one; each of today's without a token")
	for _, e := range res.Evidence {
		assert.Equal(t, http.StatusUnauthorized, e.Status, e.String())
	}
}

func TestPositiveCheckFailsWhenTheConnectorIsAlreadyAMember(t *testing.T) {
	srv := startFake(t, nil)
	target := fakeTarget(srv)
	target.Group, target.Connector = europeGroup, memberConnector

	rep := runChecks(t, target)

	requireStatus(t, rep, map[string]contract.Status{
		contract.CheckPositiveData:      contract.StatusFail,
		contract.CheckStatefulDuplicate: contract.StatusSkip,
		contract.CheckIgnoredAuth:       contract.StatusPass,
		contract.CheckStatusCode:        contract.StatusPass,
	})
	res, _ := rep.Result(contract.CheckPositiveData)
	assert.Contains(t, res.Detail, "already a member")
	require.Len(t, res.Evidence, 1)
	assert.Equal(t, http.StatusBadRequest, res.Evidence[0].Status)
	assert.Contains(t, res.Evidence[0].Request, "/connectorGroups/"+europeGroup+"/members/$ref")
}

func TestRunRunsOnlyTheChecksAskedFor(t *testing.T) {
	srv := startFake(t, nil)

	rep := runChecks(t, fakeTarget(srv), contract.CheckStatusCode, contract.CheckIgnoredAuth)

	assert.Equal(t, []string{contract.CheckIgnoredAuth, contract.CheckStatusCode}, checkNames(rep), "in run order")
	assert.Equal(t, 2, rep.Passed)
}

func TestTrafficJudgesSkipWhenNothingWasSent(t *testing.T) {
	srv := startFake(t, nil)

	rep := runChecks(t, fakeTarget(srv), contract.CheckStatusCode, contract.CheckNotAServerError)

	assert.Equal(t, 2, rep.Skipped)
	for _, res := range rep.Results {
		assert.Contains(t, res.Detail, "no exchanges")
	}
}

// The stateful check makes the add itself when the positive check is not
// selected.
func TestDuplicateCheckStandsAlone(t *testing.T) {
	srv := startFake(t, nil)

	rep := runChecks(t, fakeTarget(srv), contract.CheckStatefulDuplicate)

	requireStatus(t, rep, map[string]contract.Status{contract.CheckStatefulDuplicate: contract.StatusPass})
	res, _ := rep.Result(contract.CheckStatefulDuplicate)
	require.Len(t, res.Evidence, 2)
	assert.Equal(t, http.StatusCreated, res.Evidence[0].Status)
	assert.Equal(t, http.StatusBadRequest, res.Evidence[1].Status)
}

// A redirect is judged, never followed: following it would send the add
// elsewhere and judge that answer instead.
func TestRedirectsAreJudgedNotFollowed(t *testing.T) {
	var followed atomic.Int32
	srv := startFake(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/elsewhere" {
				followed.Add(1)
				w.WriteHeader(http.StatusCreated)
				return
			}
			http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
		})
	})

	rep := runChecks(t, fakeTarget(srv), contract.CheckPositiveData, contract.CheckStatusCode)

	requireStatus(t, rep, map[string]contract.Status{
		contract.CheckPositiveData: contract.StatusFail,
		contract.CheckStatusCode:   contract.StatusFail,
	})
	res, _ := rep.Result(contract.CheckStatusCode)
	require.NotEmpty(t, res.Evidence)
	assert.Equal(t, http.StatusTemporaryRedirect, res.Evidence[0].Status)
	assert.Contains(t, res.Detail, "status 307 is not declared")
	assert.Zero(t, followed.Load(), "the redirect was followed")
}

// A throttling server is judged too: its 429s must carry Retry-After.
func TestHeadersCheckJudgesThrottledResponses(t *testing.T) {
	var calls atomic.Int32
	throttleFirst := func() float64 {
		if calls.Add(1) == 1 {
			return 0 // under Rate: throttled
		}
		return 1
	}
	srv := startFake(t, nil, fakegraph.WithFaults(fakegraph.Faults{Rate: 0.5, Rand: throttleFirst}))

	rep := runChecks(t, fakeTarget(srv))

	requireStatus(t, rep, map[string]contract.Status{
		contract.CheckResponseHeaders: contract.StatusPass,
		contract.CheckStatusCode:      contract.StatusPass,
		contract.CheckResponseSchema:  contract.StatusPass,
		contract.CheckIgnoredAuth:     contract.StatusFail, // its first request got 429, not 401
	})
	res, _ := rep.Result(contract.CheckResponseHeaders)
	assert.Contains(t, res.Detail, "1 with 429")
}

func TestRunRefusesABadTargetOrAnUnknownCheck(t *testing.T) {
	good := contract.Target{BaseURL: "http://127.0.0.1:1/beta", Token: "t", Group: "g", Connector: "c"}
	tests := []struct {
		name    string
		edit    func(*contract.Target)
		only    []string
		wantErr string
	}{
		{"no base URL", func(t *contract.Target) { t.BaseURL = "" }, nil, "base URL"},
		{"a relative base URL", func(t *contract.Target) { t.BaseURL = "/beta" }, nil, "not an absolute http(s) URL"},
		{"no token", func(t *contract.Target) { t.Token = " " }, nil, "token"},
		{"no group or connector", func(t *contract.Target) { t.Group, t.Connector = "", "" }, nil, "group, a connector"},
		{"an unknown check", func(*contract.Target) {}, []string{"no_such_check"}, "no_such_check"},
		{"an unknown check lists the known", func(*contract.Target) {}, []string{"no_such_check"}, strings.Join(contract.CheckNames(), ", ")},
		// -only "" and -only "," arrive so: running nothing must not pass.
		{"an empty name", func(*contract.Target) {}, []string{""}, "no check selected"},
		{"only blank names", func(*contract.Target) {}, []string{" ", "", "\t"}, "no check selected"},
		{"no check selected lists the known", func(*contract.Target) {}, []string{"", ""}, strings.Join(contract.CheckNames(), ", ")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := good
			tt.edit(&target)
			_, err := contract.Run(context.Background(), target, tt.only...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestRunReportsAnUnreachableServerAsFailures(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	rep, err := contract.Run(ctx, contract.Target{BaseURL: url + "/beta", Token: "t", Group: "g", Connector: "c"})

	require.NoError(t, err)
	requireStatus(t, rep, map[string]contract.Status{
		contract.CheckIgnoredAuth:       contract.StatusFail,
		contract.CheckNegativeData:      contract.StatusFail,
		contract.CheckPositiveData:      contract.StatusFail,
		contract.CheckStatefulDuplicate: contract.StatusSkip,
		contract.CheckStatusCode:        contract.StatusSkip,
	})
	res, _ := rep.Result(contract.CheckPositiveData)
	require.NotEmpty(t, res.Evidence)
	assert.NotEmpty(t, res.Evidence[0].Error)
	assert.False(t, rep.OK())
}

func checkNames(rep contract.Report) []string {
	var names []string
	for _, res := range rep.Results {
		names = append(names, res.Check)
	}
	return names
}
