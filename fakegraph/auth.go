package fakegraph

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The ways a request can fail authentication or authorisation; errors.go
// gives each its Graph code and message.
var (
	errTokenEmpty             = errors.New("fakegraph: no bearer token")
	errTokenAmbiguous         = errors.New("fakegraph: more than one Authorization header")
	errTokenNotJWT            = errors.New("fakegraph: unknown token that is not a JWT")
	errTokenRejected          = errors.New("fakegraph: unknown or untrusted JWT")
	errInsufficientPrivileges = errors.New("fakegraph: the token lacks every permission the operation accepts")
)

// authenticator maps bearer tokens to permissions, the way Graph reads them
// from the access token: a seeded token's scopes are delegated ones, as a
// user's token carries; a JWT's are delegated in scp and application ones
// in roles.
type authenticator struct {
	tokens map[string][]string
	// trustUnsignedJWT lets a JWT that is not in the seed through with the
	// scopes its claims name, unverified. See WithTrustUnsignedJWT.
	trustUnsignedJWT bool
}

// newAuthenticator accepts the seed's tokens (copied) and, with
// trustUnsignedJWT, any JWT.
func newAuthenticator(tokens map[string][]string, trustUnsignedJWT bool) authenticator {
	return authenticator{tokens: cloneTokens(tokens), trustUnsignedJWT: trustUnsignedJWT}
}

// operationPermissions is graph.OperationPermissions of every operation,
// built once per process rather than for every request or every server.
var operationPermissions = sync.OnceValue(func() map[string]graph.Permissions {
	perms := map[string]graph.Permissions{}
	for _, op := range graph.Operations() {
		perms[op] = graph.OperationPermissions(op)
	}
	return perms
})

// authenticate answers 401/403 before the request is validated, as Graph
// does: a caller without a usable token learns nothing about its payload.
// What a token may do depends on the operation (graph.OperationPermissions),
// which resolveOperation named. Two Authorization headers are a 401
// whatever their order: letting the first win would make the answer
// depend on how a proxy orders them.
func (a authenticator) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := errTokenAmbiguous
		if len(r.Header.Values("Authorization")) <= 1 {
			err = a.authorize(r.Header.Get("Authorization"), requestInfoFrom(r.Context()).operationID)
		}
		if err != nil {
			writeGraphError(w, r, authError(err))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authorize checks an Authorization header value for operationID: a
// Bearer token that the seed knows (or, if trusted, a JWT) and that
// carries a permission the operation accepts, of the right kind
// (graph.OperationPermissions).
func (a authenticator) authorize(authorization, operationID string) error {
	scheme, token, _ := strings.Cut(strings.TrimSpace(authorization), " ")
	token = strings.TrimSpace(token)
	// Graph answers a Basic header, or none, as if the token were empty.
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return errTokenEmpty
	}
	delegated, application, err := a.permissions(token)
	if err != nil {
		return err
	}
	if operationPermissions()[operationID].Allows(delegated, application) {
		return nil
	}
	return errInsufficientPrivileges
}

// permissions returns the token's delegated and application permissions.
func (a authenticator) permissions(token string) (delegated, application []string, err error) {
	if scopes, ok := a.tokens[token]; ok {
		return scopes, nil, nil
	}
	payload, isJWT := jwtPayload(token)
	if !isJWT {
		return nil, nil, errTokenNotJWT
	}
	if !a.trustUnsignedJWT {
		return nil, nil, errTokenRejected
	}
	return jwtPermissions(payload)
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

// jwtPermissions reads delegated scopes from `scp` (space-separated) and
// application permissions from `roles` (an array), without verifying the
// signature.
func jwtPermissions(payload string) (delegated, application []string, err error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(payload, "="))
	if err != nil {
		return nil, nil, errTokenRejected
	}
	var claims struct {
		Scp   string   `json:"scp"`
		Roles []string `json:"roles"`
	}
	if err := json.Unmarshal(raw, &claims); err != nil {
		return nil, nil, errTokenRejected
	}
	return strings.Fields(claims.Scp), claims.Roles, nil
}
