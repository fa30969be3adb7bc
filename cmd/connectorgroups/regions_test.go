package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/gen/spec"
)

// The regions a command accepts are the spec's, read through kin-openapi
// here so that the CLI's own reading of the embedded spec is checked
// against another: every value but OData's unknownFutureValue.
func TestRegionsAreTheSpecs(t *testing.T) {
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	var want []string
	for _, v := range doc.Components.Schemas[regionSchema].Value.Enum {
		if v != "unknownFutureValue" {
			want = append(want, v.(string))
		}
	}
	got, err := sendableRegions()
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, "nam, eur, aus, asia or ind", regionList())
}

// A region the spec does not list is bad usage, refused before any
// request, naming the regions the help lists.
func TestUnknownRegionIsRefusedBeforeAnyRequest(t *testing.T) {
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		http.Error(w, "no request was expected", http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	t.Setenv(envToken, "dev-token")
	t.Setenv(envBaseURL, srv.URL+"/beta")

	for _, args := range [][]string{
		{"group", "create", "-name", "Mars base", "-region", "mars"},
		{"group", "update", "-id", addEmptyGroup, "-region", "mars"},
		{"group", "create", "-name", "Mars base", "-region", "unknownFutureValue"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, stdout, stderr := runCmd(t, cancelled(), args...)
			region := args[len(args)-1]
			assertUsageError(t, args[0]+" "+args[1], code, stdout, stderr, `-region "`+region+`" is not a region; the regions are nam, eur, aus, asia or ind`)
		})
	}
	assert.Zero(t, sent.Load(), "requests sent")

	// The help lists the same regions.
	for _, sub := range []string{"create", "update"} {
		_, stdout, _ := runCmd(t, cancelled(), "group", sub, "-h")
		assert.Contains(t, stdout, "REGION: nam, eur, aus, asia or ind", "group %s -h", sub)
	}
}
