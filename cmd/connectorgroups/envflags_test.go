package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A flag that falls back to the environment, given empty, is bad usage:
// -token "" must not quietly become $GRAPH_TOKEN, nor -base-url "" the
// live service. Nothing is sent.
func TestEmptyFlagIsNotReplacedByTheEnvironment(t *testing.T) {
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		http.Error(w, "no request was expected", http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	t.Setenv(envToken, "dev-token")
	t.Setenv(envReaderToken, "reader-token")
	t.Setenv(envBaseURL, srv.URL+"/beta")

	for _, tt := range []struct {
		args     []string
		cmd      string
		problems []string
	}{
		{[]string{"groups", "-token", ""}, "groups", []string{"-token is empty: pass a value, or leave -token out to use $GRAPH_TOKEN"}},
		{[]string{"groups", "-token="}, "groups", []string{"-token is empty"}},
		{[]string{"groups", "-base-url", ""}, "groups", []string{"-base-url is empty: pass a value, or leave -base-url out to use $GRAPH_BASE_URL"}},
		{[]string{"add", "-group", addEmptyGroup, "-connector", addConnector01, "-token", ""}, "add", []string{"-token is empty"}},
		{[]string{"group", "get", "-id", addEmptyGroup, "-token", ""}, "group get", []string{"-token is empty"}},
		{[]string{"verify", "-group", "g", "-connector", "c", "-token", ""}, "verify", []string{"-token is empty: pass a value, or leave -token out to use $GRAPH_TOKEN"}},
		{[]string{"verify", "-group", "g", "-connector", "c", "-reader-token", ""}, "verify", []string{"-reader-token is empty: pass a value, or leave -reader-token out to use $GRAPH_READER_TOKEN"}},
		{[]string{"verify", "-group", "g", "-connector", "c", "-base-url", ""}, "verify", []string{"-base-url is empty"}},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCmd(t, cancelled(), tt.args...)
			assertUsageError(t, tt.cmd, code, stdout, stderr, tt.problems...)
			assert.NotContains(t, stderr, "dev-token")
		})
	}
	assert.Zero(t, sent.Load(), "requests sent")
}
