package compat_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/compat/msgraph-beta-sdk-go"
)

// The token goes to the hosts allowed, to no other, and over plain http
// only to loopback, as the SDK's own Azure provider decides.
func TestStaticTokenProviderGivesTheTokenOnlyWhereItMay(t *testing.T) {
	p, err := compat.NewStaticTokenProvider("secret", "127.0.0.1", "localhost", "graph.example.com")
	require.NoError(t, err)
	tests := []struct {
		url       string
		wantToken string
		wantErr   bool
	}{
		{"http://127.0.0.1:8080/beta/connectors", "secret", false},
		{"http://localhost:8080/beta/connectors", "secret", false},
		{"https://graph.example.com/beta/connectors", "secret", false},
		{"http://graph.example.com/beta/connectors", "", true},
		{"https://graph.microsoft.com/beta/connectors", "", false},
		{"http://127.0.0.2:8080/beta/connectors", "", false},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		require.NoError(t, err)
		token, err := p.GetAuthorizationToken(t.Context(), u, nil)
		assert.Equal(t, tt.wantToken, token, tt.url)
		assert.Equal(t, tt.wantErr, err != nil, "%s: %v", tt.url, err)
	}

	_, err = compat.NewStaticTokenProvider("secret")
	assert.Error(t, err, "no host named")
	_, err = compat.NewStaticTokenProvider("secret", "https://graph.example.com")
	assert.Error(t, err, "a host, not a URL")
}
