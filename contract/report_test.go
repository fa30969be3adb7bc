package contract_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
)

func sampleReport() contract.Report {
	return contract.Report{
		Results: []contract.Result{
			{Check: "ignored_auth", Status: contract.StatusFail, Detail: "POST /beta/x (no Authorization header) → 201, want 401", Evidence: []contract.Evidence{{
				Request: "POST /beta/x", Note: "no Authorization header", Status: 201, Want: "401",
			}}},
			{Check: "status_code_conformance", Status: contract.StatusPass, Detail: "(9 exchanges)"},
			{Check: "stateful_duplicate_rejection", Status: contract.StatusSkip, Detail: "the first add did not succeed"},
		},
		Passed: 1, Failed: 1, Skipped: 1,
	}
}

// A run that judged nothing is no pass: CI must not go green on skips.
func TestReportIsOKOnlyWhenSomethingPassedAndNothingFailed(t *testing.T) {
	tests := []struct {
		name                    string
		passed, failed, skipped int
		want                    bool
	}{
		{"passes", 2, 0, 0, true},
		{"passes and skips", 1, 0, 3, true},
		{"a failure", 5, 1, 0, false},
		{"only skips", 0, 0, 1, false},
		{"no checks", 0, 0, 0, false},
		{"only failures", 0, 2, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := contract.Report{Passed: tt.passed, Failed: tt.failed, Skipped: tt.skipped}
			assert.Equal(t, tt.want, rep.OK())
		})
	}
}

func TestReportTextHasOneLinePerCheckAndASummary(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, sampleReport().WriteText(&buf, false))

	assert.Equal(t, ""+
		"FAIL  ignored_auth                  POST /beta/x (no Authorization header) → 201, want 401\n"+
		"PASS  status_code_conformance       (9 exchanges)\n"+
		"SKIP  stateful_duplicate_rejection  the first add did not succeed\n"+
		"1 passed, 1 failed, 1 skipped\n", buf.String())
}

func TestVerboseReportTextListsTheEvidence(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, sampleReport().WriteText(&buf, true))

	assert.Contains(t, buf.String(), "FAIL  ignored_auth  ")
	assert.Contains(t, buf.String(), "\n      POST /beta/x (no Authorization header) → 201, want 401\n")
}

func TestReportJSONRoundTrips(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, sampleReport().WriteJSON(&buf))

	var got contract.Report
	require.NoError(t, json.Unmarshal(buf.Bytes(), &got))
	assert.Equal(t, sampleReport(), got)
	assert.Contains(t, buf.String(), `"status": "fail"`)
}

func TestEvidenceReadsAsOneLine(t *testing.T) {
	tests := []struct {
		name string
		e    contract.Evidence
		want string
	}{
		{"a status", contract.Evidence{Request: "POST /p {}", Status: 400, Want: "4xx"}, "POST /p {} → 400, want 4xx"},
		{"a note and violations", contract.Evidence{
			Request: "POST /p", Note: "a junk token", Status: 201, Want: "401",
			Violations: []contract.Violation{
				{Direction: contract.DirectionResponse, Field: "body/status", Reason: "value is not one of the allowed values"},
				{Direction: contract.DirectionResponse, Field: "header/request-id", Reason: "missing"},
			},
		}, "POST /p (a junk token) → 201, want 401: response body/status: value is not one of the allowed values (+1 more)"},
		{"no response", contract.Evidence{Request: "POST /p", Error: "connection refused"}, "POST /p → error: connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.e.String())
		})
	}
}

// Reports go to CI logs and issue trackers: no token may appear in them.
func TestReportsNeverShowAToken(t *testing.T) {
	srv := startFake(t, nil)
	rep := runChecks(t, fakeTarget(srv))

	var text, js bytes.Buffer
	require.NoError(t, rep.WriteText(&text, true))
	require.NoError(t, rep.WriteJSON(&js))
	for _, out := range []string{text.String(), js.String()} {
		assert.NotContains(t, out, devToken)
		assert.NotContains(t, out, readerToken)
		assert.NotContains(t, out, "junk.", "the junk token is a token too")
	}
}

// A run that was cut short, or whose cleanup left the server changed, is
// no pass, and the text report says so on its last line.
func TestReportIsNotOKWhenInterruptedOrLeftChanged(t *testing.T) {
	passed := contract.Result{Check: "ignored_auth", Status: contract.StatusPass, Detail: "ok"}
	tests := []struct {
		name        string
		rep         contract.Report
		wantOK      bool
		wantSummary string
		wantLine    string
	}{
		{"cleaned up", contract.Report{Results: []contract.Result{passed}, Passed: 1,
			Cleanup: &contract.Result{Check: "cleanup", Status: contract.StatusPass, Detail: "moved connector c back to group g"}},
			true, "1 passed, 0 failed, 0 skipped", "PASS  cleanup       moved connector c back to group g\n"},
		{"left changed", contract.Report{Results: []contract.Result{passed}, Passed: 1,
			Cleanup: &contract.Result{Check: "cleanup", Status: contract.StatusFail, Detail: "THE SERVER IS LEFT CHANGED: x"}},
			false, "1 passed, 0 failed, 0 skipped; CLEANUP FAILED: the server is left changed", "FAIL  cleanup       THE SERVER IS LEFT CHANGED: x\n"},
		{"interrupted", contract.Report{Results: []contract.Result{passed}, Passed: 1, Interrupted: "context deadline exceeded"},
			false, "1 passed, 0 failed, 0 skipped; interrupted: context deadline exceeded", "PASS  ignored_auth  ok\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.wantOK, tt.rep.OK())
			assert.Equal(t, tt.wantSummary, tt.rep.Summary())
			var buf bytes.Buffer
			require.NoError(t, tt.rep.WriteText(&buf, false))
			assert.Contains(t, buf.String(), tt.wantLine)
			assert.True(t, strings.HasSuffix(buf.String(), tt.wantSummary+"\n"), buf.String())

			var js bytes.Buffer
			require.NoError(t, tt.rep.WriteJSON(&js))
			var back contract.Report
			require.NoError(t, json.Unmarshal(js.Bytes(), &back))
			assert.Equal(t, tt.rep, back)
		})
	}
}
