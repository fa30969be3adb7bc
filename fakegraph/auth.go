package fakegraph

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The ways a request can fail authentication or authorisation; errors.go
// gives each its Graph code and message.
var (
	errTokenEmpty             = errors.New("fakegraph: no bearer token")
	errTokenAmbiguous         = errors.New("fakegraph: more than one Authorization header")
	errTokenNotJWT            = errors.New("fakegraph: unknown token that is not a JWT")
	errTokenRejected          = errors.New("fakegraph: unknown or untrusted JWT")
	errInsufficientPrivileges = errors.New("fakegraph: the token has neither Directory.ReadWrite.All nor Directory.AccessAsUser.All")
)

// authenticator maps bearer tokens to scopes, the way Graph reads them from
// the access token.
type authenticator struct {
	tokens map[string][]string

	// trustUnsignedJWT lets a JWT that is not in the seed through with the
	// scopes its claims name, unverified. See WithTrustUnsignedJWT.
	trustUnsignedJWT bool
}

// authorize checks an Authorization header value: a Bearer token that the
// seed knows (or, if trusted, a JWT) and that carries a write scope.
func (a authenticator) authorize(authorization string) error {
	scheme, token, _ := strings.Cut(strings.TrimSpace(authorization), " ")
	token = strings.TrimSpace(token)
	// Graph answers a Basic header, or none, as if the token were empty.
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return errTokenEmpty
	}
	scopes, err := a.scopes(token)
	if err != nil {
		return err
	}
	if graph.GrantsAny(scopes, graph.AddMemberScopes()) {
		return nil
	}
	return errInsufficientPrivileges
}

func (a authenticator) scopes(token string) ([]string, error) {
	if scopes, ok := a.tokens[token]; ok {
		return scopes, nil
	}
	payload, isJWT := jwtPayload(token)
	if !isJWT {
		return nil, errTokenNotJWT
	}
	if !a.trustUnsignedJWT {
		return nil, errTokenRejected
	}
	return jwtScopes(payload)
}

// jwtPayload returns the base64url-encoded payload of a token shaped like a
// JWS compact serialisation (header.payload.signature).
func jwtPayload(token string) (string, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return "", false
	}
	return parts[1], true
}

// jwtScopes reads delegated scopes from `scp` (space-separated) and
// application permissions from `roles` (an array), without verifying the
// signature.
func jwtScopes(payload string) ([]string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(payload, "="))
	if err != nil {
		return nil, errTokenRejected
	}
	var claims struct {
		Scp   string   `json:"scp"`
		Roles []string `json:"roles"`
	}
	if err := json.Unmarshal(raw, &claims); err != nil {
		return nil, errTokenRejected
	}
	return append(strings.Fields(claims.Scp), claims.Roles...), nil
}
