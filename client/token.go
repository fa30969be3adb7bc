package client

import (
	"context"
	"fmt"
)

// TokenSource supplies the OAuth 2.0 access token sent as
// "Authorization: Bearer <token>". The client asks for a token before every
// attempt, retries included, so a source that caches and refreshes tokens
// (as azidentity credentials do) keeps long waits safe.
//
// Today's operations need delegated Directory.ReadWrite.All (create also
// takes it as an application permission); Directory.AccessAsUser.All works
// only on the doc page's path (WithDocPath), as the spec's operations say
// (openapi/connectorgroups.yaml, each operation's security).
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// TokenFunc adapts a function to TokenSource. It is how to plug in a
// credential this package does not depend on, such as azidentity's (see
// docs/client.md).
type TokenFunc func(ctx context.Context) (string, error)

// Token calls f.
func (f TokenFunc) Token(ctx context.Context) (string, error) { return f(ctx) }

// StaticToken always returns token. It suits tests, scripts and short-lived
// programs; the token will not be refreshed when it expires. An empty
// token is an error that wraps ErrInvalidToken, and nothing is sent.
func StaticToken(token string) TokenSource {
	return TokenFunc(func(context.Context) (string, error) {
		if token == "" {
			return "", fmt.Errorf("%w: StaticToken: the token is empty", ErrInvalidToken)
		}
		return token, nil
	})
}

// OAuth2TokenSource adapts a token source shaped like golang.org/x/oauth2's
// (a Token method without a context) without this package depending on it.
// accessToken picks the access token out of the source's token type:
//
//	ts := conf.TokenSource(ctx) // an oauth2.TokenSource
//	client.WithTokenSource(client.OAuth2TokenSource(ts, func(t *oauth2.Token) string { return t.AccessToken }))
func OAuth2TokenSource[T any](ts interface{ Token() (T, error) }, accessToken func(T) string) TokenSource {
	return TokenFunc(func(context.Context) (string, error) {
		t, err := ts.Token()
		if err != nil {
			return "", err
		}
		return accessToken(t), nil
	})
}
