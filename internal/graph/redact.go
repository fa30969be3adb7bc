package graph

import (
	"net/http"
	"strings"
)

// Redacted replaces a secret wherever this project prints or records
// headers: logs, errors, reports and recordings.
const Redacted = "[REDACTED]"

// secretHeaders carry credentials.
var secretHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"Set-Cookie":          true,
}

// RedactHeaderValue hides the secret in a header value. An Authorization
// value keeps its scheme ("Bearer [REDACTED]"), and one with nothing after
// the scheme stays as it is, since it holds no secret and shows what was
// sent; cookies are hidden whole. Other headers are returned unchanged.
func RedactHeaderValue(name, value string) string {
	name = http.CanonicalHeaderKey(name)
	if !secretHeaders[name] {
		return value
	}
	if name == "Cookie" || name == "Set-Cookie" {
		return Redacted
	}
	scheme, credentials, _ := strings.Cut(strings.TrimSpace(value), " ")
	switch {
	case strings.TrimSpace(credentials) != "":
		return scheme + " " + Redacted
	case strings.TrimSpace(value) == "" || strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "Basic"):
		return value
	default:
		return Redacted // a bare credential without a scheme
	}
}

// RedactHeader returns a copy of h with every secret redacted.
func RedactHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for name, values := range h {
		red := make([]string, len(values))
		for i, v := range values {
			red[i] = RedactHeaderValue(name, v)
		}
		out[name] = red
	}
	return out
}

// Credential is the secret part of an Authorization value: what follows
// its scheme ("Bearer <token>"), or the whole value when it has no scheme;
// "" when there is none.
func Credential(authorization string) string {
	v := strings.TrimSpace(authorization)
	if scheme, credentials, ok := strings.Cut(v, " "); ok && scheme != "" {
		return strings.TrimSpace(credentials)
	}
	if strings.EqualFold(v, "Bearer") || strings.EqualFold(v, "Basic") {
		return ""
	}
	return v
}

// RedactSecret replaces every occurrence of secret in s with Redacted. It
// is how the client and the CLI keep their own bearer token out of what
// they print when a server echoes it back (in an error's message, a
// header, a link): the token alone or the whole Authorization value
// ("Bearer [REDACTED]"). A secret shorter than MinRedactedSecret changes
// nothing: it would match inside ordinary words (a test's token "t" is in
// every message), and is too short to be secret from anyone who guesses.
func RedactSecret(s, secret string) string {
	if len(secret) < MinRedactedSecret {
		return s
	}
	return strings.ReplaceAll(s, secret, Redacted)
}

// MinRedactedSecret is the shortest secret RedactSecret looks for. Access
// tokens from the Microsoft identity platform are JWTs of about a thousand
// characters or more.
const MinRedactedSecret = 8
