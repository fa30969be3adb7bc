package contract_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
)

// A target Run cannot use is refused up front, saying why, and never
// quoting a password.
func TestRunRefusesUnusableBaseURLs(t *testing.T) {
	tests := []struct{ baseURL, want string }{
		{"http://127.0.0.1:1/v1.0", "connector groups exist in Graph's beta only"},
		{"https://graph.microsoft.com/v1.0/", "connector groups exist in Graph's beta only"},
		{"http://user:s3cret@host:bad/beta", "does not parse"},
		{"ftp://user:s3cret@host/beta", "not an absolute http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(tt.baseURL, func(t *testing.T) {
			_, err := contract.Run(t.Context(), contract.Target{BaseURL: tt.baseURL, Token: "t", Group: "g", Connector: "c"})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "s3cret")
		})
	}
}

// Exchanges handed to callers carry no credential in either direction.
func TestExchangesRedactResponseCookies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Set-Cookie", "session=s3cret")
		w.WriteHeader(http.StatusNotFound)
	}))
	t.Cleanup(srv.Close)
	var seen []contract.Exchange
	tr := newTransport(t, nil, contract.WithOnExchange(func(ex contract.Exchange) { seen = append(seen, ex) }))
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/beta/connectorGroups/g/members/$ref", strings.NewReader(docReferenceRaw))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err := (&http.Client{Transport: tr}).Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "session=s3cret", resp.Header.Get("Set-Cookie"), "the caller still gets the response as sent")
	require.Len(t, seen, 1)
	assert.Equal(t, "[REDACTED]", seen[0].ResponseHeader.Get("Set-Cookie"))
	assert.Equal(t, "Bearer [REDACTED]", seen[0].RequestHeader.Get("Authorization"))
}
