package graph

import (
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

// MediaType reads a Content-Type strictly, parameters allowed: it returns
// the lowercased type and whether it is JSON (application/json or a +json
// type), or an error when the value does not parse as a media type at all
// (application/json; charset=" for one).
func MediaType(contentType string) (mediaType string, isJSON bool, err error) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", false, err
	}
	return mt, mt == "application/json" || strings.HasSuffix(mt, "+json"), nil
}

// IsJSON reports whether contentType is a well-formed JSON media type,
// whatever its parameters (Graph's own carries four).
func IsJSON(contentType string) bool {
	_, ok, err := MediaType(contentType)
	return err == nil && ok
}
