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
