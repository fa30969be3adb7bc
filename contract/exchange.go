package contract

import (
	"net/http"

	"github.com/connectorgroups/connectorgroups/internal/graph"
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
	RequestBody    []byte // as the server reads it: inflated when it was sent gzip-compressed
	Status         int    // 0 when no response came back; set when its body could not be read
	ResponseHeader http.Header
	ResponseBody   []byte
	Violations     []Violation // both directions
	Err            error       // the round trip failed: no response, or a body too large or cut short
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

// redactedHeader copies h with every credential redacted, the one way
// internal/graph spells it.
func redactedHeader(h http.Header) http.Header {
	if h == nil {
		return http.Header{}
	}
	return graph.RedactHeader(h)
}
