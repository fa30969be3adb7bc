package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
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
		wantErrIs error  // what the error must wrap when nothing is sent; required then
	}{
		{"static", StaticToken("static-token"), "Bearer static-token", nil},
		{"func", TokenFunc(func(ctx context.Context) (string, error) { return "func-token", ctx.Err() }), "Bearer func-token", nil},
		{"oauth2-shaped", OAuth2TokenSource(asInterface, accessToken), "Bearer oauth-token", nil},
		{"oauth2-shaped error", OAuth2TokenSource(fixedOAuthSource{err: errNoToken}, accessToken), "", errNoToken},
		{"func error", TokenFunc(func(context.Context) (string, error) { return "", errNoToken }), "", errNoToken},
		{"empty static", StaticToken(""), "", ErrInvalidToken},
		{"empty from func", TokenFunc(func(context.Context) (string, error) { return "", nil }), "", ErrInvalidToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, WithTokenSource(tt.ts))
			var auth string
			seq := &sequence{handlers: []http.HandlerFunc{func(w http.ResponseWriter, r *http.Request) {
				auth = r.Header.Get("Authorization")
				createdHandler(w, r)
			}}}
			e.mux.Handle(addPattern, seq)
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
			if tt.wantErrIs == nil {
				t.Fatal("bad test: a row that sends nothing must say what the error wraps")
			}
			if err == nil {
				t.Fatal("AddConnector succeeded without a token")
			}
			if !errors.Is(err, tt.wantErrIs) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.wantErrIs)
			}
			wantSentinel := ""
			if tt.wantErrIs == ErrInvalidToken {
				wantSentinel = "ErrInvalidToken"
			}
			assertSentinel(t, err, wantSentinel)
			if n, served := e.tr.Exchanges(), seq.Count(); n != 0 || served != 0 || auth != "" || len(e.clock.Waits()) != 0 {
				t.Errorf("%d requests sent, %d served (Authorization %q), waits %v; want none", n, served, auth, e.clock.Waits())
			}
		})
	}
}

// A token that is no Bearer token (a single token68) is refused before any
// request, at once and for good: the same source would return it again.
// The error does not quote it.
func TestToken_Unusable(t *testing.T) {
	const spaceOrControl = "white space or control characters"
	tests := []struct{ name, token, want string }{
		{"newline inside", "s3cret\nmore", spaceOrControl},
		{"trailing newline", "s3cret\n", spaceOrControl},
		{"CRLF", "s3cret\r\n", spaceOrControl},
		{"space inside", "s3cret more", spaceOrControl},
		{"leading tab", "\ts3cret", spaceOrControl},
		{"NUL", "s3cret\x00", spaceOrControl},
		{"DEL", "s3cret\x7f", spaceOrControl},
		{"no-break space", "s3cret\u00a0more", spaceOrControl},
		{"empty", "", "empty token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t)
			asked := 0
			e.client.tokens = TokenFunc(func(context.Context) (string, error) {
				asked++
				return tt.token, nil
			})
			seq := &sequence{handlers: []http.HandlerFunc{createdHandler}}
			e.mux.Handle(addPattern, seq)

			_, err := e.client.AddConnector(context.Background(), testGroup, testConnector)
			assertSentinel(t, err, "ErrInvalidToken")
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("err = %v, want it to say %q without quoting the token", err, tt.want)
			}
			if asked != 1 || len(e.clock.Waits()) != 0 {
				t.Errorf("token asked for %d times, waits %v; want 1 attempt and no wait", asked, e.clock.Waits())
			}
			if seq.Count() != 0 || e.tr.Exchanges() != 0 {
				t.Errorf("%d requests served, %d sent; want none", seq.Count(), e.tr.Exchanges())
			}
		})
	}
}
