package graph

import (
	"errors"
	"mime"
	"strings"
)

// Graph's correlation headers, lowercase as on the wire [seen]. request-id
// is the service's id for a request; client-request-id is the caller's,
// echoed unchanged, or the request-id when the caller sent none.
const (
	HeaderRequestID       = "request-id"
	HeaderClientRequestID = "client-request-id"
)

// OData headers and media types of Graph's responses [seen,
// msgraph-metadata #94].
const (
	HeaderODataVersion = "OData-Version"
	ODataVersion       = "4.0"

	// ContentTypeEntity is the Content-Type of Graph's success bodies.
	ContentTypeEntity = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
	// ContentTypeError is the Content-Type of Graph's error bodies.
	ContentTypeError = "application/json"
)

// ClientRequestIDPattern is the rule for a client-request-id the fake
// accepts and echoes: printable ASCII, as Graph's GUIDs are, neither
// beginning nor ending with a space (HTTP strips those, so they could not
// come back unchanged). It is the pattern of the spec's clientRequestId
// parameter, verbatim (a test keeps the two equal). An empty value counts
// as none sent.
const ClientRequestIDPattern = `^([!-~]([ -~]*[!-~])?)?$`

// ValidClientRequestID reports whether s matches ClientRequestIDPattern.
// A byte outside printable ASCII could not come back unchanged in both the
// header and innerError's JSON.
func ValidClientRequestID(s string) bool {
	if s != "" && (s[0] == ' ' || s[len(s)-1] == ' ') {
		return false
	}
	for i := range len(s) {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// ErrNotUTF8 is a JSON body declared in a charset other than UTF-8, the
// only one JSON has (RFC 8259, section 8.1).
var ErrNotUTF8 = errors.New("JSON is UTF-8; the charset parameter names another")

// MediaType reads a Content-Type strictly, parameters allowed (Graph's own
// carries four): it returns the lowercased type, or an error when the value
// does not parse as a media type at all (application/json; charset=" for
// one), or ErrNotUTF8 when a charset other than UTF-8 is named.
func MediaType(contentType string) (string, error) {
	if contentType == "application/json" {
		return contentType, nil // as ParseMediaType reads it, without its map
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", err
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return mt, ErrNotUTF8
	}
	return mt, nil
}
