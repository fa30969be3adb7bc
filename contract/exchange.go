package contract

import (
	"net/http"
	"strings"
)

// Exchange is one round trip as the Transport saw it. The server-side
// checks judge these after the fact, so each carries its own copies of the
// headers and bodies. Authorization values are redacted, so an Exchange can
// be logged or reported without leaking a token.
type Exchange struct {
	Operation      string // operationId, or "METHOD path" when nothing matched
	Method         string
	URL            string // with any user info redacted
	RequestHeader  http.Header
	RequestBody    []byte
	Status         int // 0 when Err is set
	ResponseHeader http.Header
	ResponseBody   []byte
	Violations     []Violation // both directions
	Err            error       // the round trip failed: no response
}

// ResponseViolations returns the violations the response caused.
func (e Exchange) ResponseViolations() []Violation {
	var out []Violation
	for _, v := range e.Violations {
		if v.Direction == DirectionResponse {
			out = append(out, v)
		}
	}
	return out
}

// redactedHeader copies h, keeping only the scheme of an Authorization
// value.
func redactedHeader(h http.Header) http.Header {
	c := h.Clone()
	if c == nil {
		return http.Header{}
	}
	if vals, ok := c["Authorization"]; ok {
		red := make([]string, len(vals))
		for i, v := range vals {
			scheme, token, _ := strings.Cut(v, " ")
			switch {
			case strings.TrimSpace(token) != "":
				red[i] = scheme + " <redacted>"
			case strings.TrimSpace(v) == "" || strings.EqualFold(strings.TrimSpace(v), "Bearer"):
				red[i] = v // nothing secret to hide
			default:
				red[i] = "<redacted>"
			}
		}
		c["Authorization"] = red
	}
	return c
}
