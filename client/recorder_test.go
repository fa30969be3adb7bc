package client

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/internal/har"
	"github.com/connectorgroups/connectorgroups/internal/harcheck"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// Every call through a recording client lands in the HAR, concurrent calls
// included (run with -race); the file reads back as HAR 1.2, holds no
// token, and the spec finds nothing wrong in the fake's traffic.
func TestRecorderRecordsEveryExchangeAsHAR(t *testing.T) {
	rec := NewRecorder()
	e := setupFake(t, "/beta", []fakegraph.Option{fakegraph.WithPageSize(2)}, WithRecorder(rec))
	ctx := t.Context()

	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			_, err := e.client.ListConnectors(ctx) // 3 connectors, 2 pages
			assert.NoError(t, err)
			_, err = e.client.GetConnector(ctx, seedConnector01)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	g, err := e.client.CreateConnectorGroup(ctx, NewConnectorGroup{Name: "Recorded", Region: RegionAsia})
	require.NoError(t, err)
	_, err = e.client.AddConnector(ctx, g.ID, seedConnector01)
	require.NoError(t, err)
	require.NoError(t, e.client.AddConnectorViaMemberOf(ctx, seedDefaultGroup, seedConnector01))
	require.NoError(t, e.client.DeleteConnectorGroup(ctx, g.ID))
	_, err = e.client.GetConnectorGroup(ctx, g.ID)
	require.ErrorIs(t, err, ErrNotFound)

	want := 4*3 + 5 // 4 × (2 pages + 1 get), then create, add, move, delete, get
	var out bytes.Buffer
	_, err = rec.WriteTo(&out)
	require.NoError(t, err)
	assert.NotContains(t, out.String(), "dev-token")

	f, err := har.Read(bytes.NewReader(out.Bytes()), har.DefaultMaxBytes)
	require.NoError(t, err)
	assert.Equal(t, "1.2", f.Log.Version)
	assert.Equal(t, "connectorgroups-go", f.Log.Creator.Name)
	require.Len(t, f.Log.Entries, want)
	last := f.Log.Entries[want-1]
	assert.Equal(t, http.MethodGet, last.Request.Method)
	assert.Equal(t, 404, last.Response.Status)
	assert.Contains(t, last.Response.Content.Text, "Request_ResourceNotFound")
	assert.Contains(t, last.Request.Headers, har.NameValue{Name: "Authorization", Value: "Bearer [REDACTED]"})
	for i, entry := range f.Log.Entries {
		assert.NotEmpty(t, entry.StartedDateTime, "entry %d", i)
		assert.NotNil(t, entry.Request.QueryString, "entry %d: queryString is required", i)
	}

	v, err := specvalidator.Load()
	require.NoError(t, err)
	res := harcheck.Check(ctx, v, f, harcheck.Options{})
	assert.Empty(t, res.Violations)
	assert.Equal(t, want, res.Checked)
}

// The recorder redacts Authorization and cookies before it keeps an
// exchange, and the caller still gets the bodies intact, both ways.
func TestRecorderRedactsSecretsAndKeepsBodies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "set-cookie-secret"})
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(append([]byte(`{"echo":`), append(body, '}')...))
	}))
	t.Cleanup(srv.Close)
	rec := NewRecorder()
	hc := &http.Client{Transport: rec.RoundTripper(srv.Client().Transport)}

	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/beta/x?a=1", strings.NewReader(`{"n":1}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer bearer-secret")
	req.Header.Set("Cookie", "c=cookie-secret")
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, `{"echo":{"n":1}}`, string(got), "the server got the request body and the caller the response body")
	assert.Equal(t, "Bearer bearer-secret", req.Header.Get("Authorization"), "the caller's request is left as it was")

	var out bytes.Buffer
	_, err = rec.WriteTo(&out)
	require.NoError(t, err)
	for _, secret := range []string{"bearer-secret", "cookie-secret", "set-cookie-secret"} {
		assert.NotContains(t, out.String(), secret)
	}
	f, err := har.Read(&out, har.DefaultMaxBytes)
	require.NoError(t, err)
	require.Len(t, f.Log.Entries, 1)
	e := f.Log.Entries[0]
	assert.Equal(t, `{"n":1}`, e.Request.PostData.Text)
	assert.Equal(t, `{"echo":{"n":1}}`, e.Response.Content.Text)
	assert.Equal(t, []har.NameValue{{Name: "a", Value: "1"}}, e.Request.QueryString)
	assert.Contains(t, e.Request.Headers, har.NameValue{Name: "Cookie", Value: "[REDACTED]"})
	assert.Contains(t, e.Response.Headers, har.NameValue{Name: "Set-Cookie", Value: "[REDACTED]"})
}

// A transport failure is an entry without a response (status 0), and the
// caller gets the error.
func TestRecorderRecordsAFailedExchange(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	rec := NewRecorder()
	hc := &http.Client{Transport: rec.RoundTripper(nil)}
	_, err := hc.Get(url + "/beta/x")
	require.Error(t, err)
	var out bytes.Buffer
	_, err = rec.WriteTo(&out)
	require.NoError(t, err)
	f, err := har.Read(&out, har.DefaultMaxBytes)
	require.NoError(t, err)
	require.Len(t, f.Log.Entries, 1)
	assert.Equal(t, 0, f.Log.Entries[0].Response.Status)
}
