package client

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

// oauthToken and oauthSource have the shapes of golang.org/x/oauth2's
// Token and TokenSource.
type oauthToken struct {
	AccessToken string
	TokenType   string
}

type oauthSource interface {
	Token() (*oauthToken, error)
}

type fixedOAuthSource struct {
	tok *oauthToken
	err error
}

func (s fixedOAuthSource) Token() (*oauthToken, error) { return s.tok, s.err }

func TestTokenSources(t *testing.T) {
	errNoToken := errors.New("no refresh token")
	var asInterface oauthSource = fixedOAuthSource{tok: &oauthToken{AccessToken: "oauth-token", TokenType: "Bearer"}}
	accessToken := func(t *oauthToken) string { return t.AccessToken }
	tests := []struct {
		name      string
		ts        TokenSource
		wantAuth  string // the Authorization header sent; "" when nothing must be sent
		wantErrIs error
	}{
		{"static", StaticToken("static-token"), "Bearer static-token", nil},
		{"func", TokenFunc(func(ctx context.Context) (string, error) { return "func-token", ctx.Err() }), "Bearer func-token", nil},
		{"oauth2-shaped", OAuth2TokenSource(asInterface, accessToken), "Bearer oauth-token", nil},
		{"oauth2-shaped error", OAuth2TokenSource(fixedOAuthSource{err: errNoToken}, accessToken), "", errNoToken},
		{"func error", TokenFunc(func(context.Context) (string, error) { return "", errNoToken }), "", errNoToken},
		{"empty static", StaticToken(""), "", nil},
		{"empty from func", TokenFunc(func(context.Context) (string, error) { return "", nil }), "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, WithTokenSource(tt.ts))
			var auth string
			e.mux.HandleFunc(addPattern, func(w http.ResponseWriter, r *http.Request) {
				auth = r.Header.Get("Authorization")
				createdHandler(w, r)
			})
			_, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
			if tt.wantAuth != "" {
				if err != nil || auth != tt.wantAuth {
					t.Fatalf("err %v, Authorization %q; want %q", err, auth, tt.wantAuth)
				}
				assertValidTraffic(t, e.tr)
				return
			}
			// A token failure ends the call before anything is sent, and
			// is not retried.
			if err == nil {
				t.Fatal("AddConnector succeeded without a token")
			}
			if tt.wantErrIs != nil && !errors.Is(err, tt.wantErrIs) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.wantErrIs)
			}
			if n := e.tr.Exchanges(); n != 0 || len(e.clock.Waits()) != 0 {
				t.Errorf("%d requests, waits %v; want none", n, e.clock.Waits())
			}
		})
	}
}
