package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// -answers picks the answers of a create and an update where the doc
// pages and the live service disagree; the banner says which are on, and
// the doc's own operation answers 201 in both.
func TestServeAnswers(t *testing.T) {
	for _, tt := range []struct {
		name               string
		args               []string
		banner             string
		create, update     int
		updateCarriesGroup bool
	}{
		{"by default, as seen", nil, "Answers: seen, as the live service answers: a create 200, an update 204 (-answers documented: as the doc pages say)\n", http.StatusOK, http.StatusNoContent, false},
		{"-answers seen", []string{"-answers", "seen"}, "Answers: seen, as the live service answers", http.StatusOK, http.StatusNoContent, false},
		{"-answers documented", []string{"-answers", "documented"}, "Answers: documented, as the doc pages say: a create 201, an update 200 with the group (-answers seen: as the live service answers)\n", http.StatusCreated, http.StatusOK, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			exited, stdout, stderr := startServe(t, ctx, append([]string{"-addr", "127.0.0.1:0", "-quiet", "-validate-responses"}, tt.args...)...)
			base := waitFor(t, stdout, exited, regexp.MustCompile(`URL: (http://127\.0\.0\.1:\d+/beta)\s`))[1]
			m := waitFor(t, stdout, exited, curlLine)
			banner := stdout.String()
			assert.Contains(t, banner, tt.banner)
			assert.Less(t, strings.Index(banner, "URL: "), strings.Index(banner, "Answers: "), "the line follows the URL")

			status, body := devRequest(t, ctx, http.MethodPost, base+graph.ConnectorGroupsPath(), `{"name":"Made","isDefault":true}`)
			assert.Equal(t, tt.create, status, body)
			id := regexp.MustCompile(`"id":"([^"]+)"`).FindStringSubmatch(body)
			require.NotNil(t, id, "the group comes with either status: %s", body)
			assert.Contains(t, body, `"isDefault":false`)

			status, body = devRequest(t, ctx, http.MethodPatch, base+graph.ConnectorGroupPath(id[1]), `{"name":"Renamed"}`)
			assert.Equal(t, tt.update, status)
			assert.Equal(t, tt.updateCarriesGroup, strings.Contains(body, `"name":"Renamed"`), "body: %q", body)

			assert.Equal(t, http.StatusCreated, postBannerCurl(t, ctx, m).StatusCode, "the doc's operation answers 201 in both")
			cancel()
			assert.Equal(t, exitOK, waitExit(t, exited), "every answer fits the spec; stderr:\n%s", stderr.String())
		})
	}
}

func TestServeRefusesOtherAnswers(t *testing.T) {
	for _, bad := range []string{"", "Seen", "docs", "live"} {
		code, stdout, stderr := runCmd(t, cancelled(), "serve", "-answers", bad)
		assertUsageError(t, "serve", code, stdout, stderr, `-answers "`+bad+`" is neither seen nor documented`)
	}
}

// devRequest sends a request with dev-token and returns the status and body.
func devRequest(t *testing.T, ctx context.Context, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer dev-token")
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}
