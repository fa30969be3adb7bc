package contract

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// readableBody is a request body as a Graph-like server reads it: a body
// sent with Content-Encoding: gzip, as Microsoft's SDKs send every body,
// inflated, and held to maxRequestBytes once inflated, as the wire bytes
// are. ok is false when the server could not read it as JSON at all: a
// coding that only gzip's 415 answers, a stream that does not inflate, or
// one that inflates past the bound. The violations say which; the body's
// own checks are then skipped, as they would judge compressed bytes.
func readableBody(op string, header http.Header, body []byte) (readable []byte, ok bool, violations []Violation) {
	violation := func(field, reason string) []Violation {
		return []Violation{{Operation: op, Direction: DirectionRequest, Field: field, Reason: graph.OneLine(reason, 300)}}
	}
	gzipped, err := graph.RequestGzipped(header)
	if err != nil {
		return body, false, violation("header/"+graph.HeaderContentEncoding, err.Error())
	}
	if !gzipped || body == nil {
		return body, true, nil
	}
	what := "the inflated request body of " + op
	inflated, err := graph.ReadAtMost(graph.Gunzip(bytes.NewReader(body)), maxRequestBytes, what)
	if _, tooLarge := errors.AsType[*graph.TooLargeError](err); tooLarge {
		return body, false, violation("body", err.Error()+"; it was not validated")
	}
	if err != nil {
		return body, false, violation("body", fmt.Sprintf("it is sent as gzip but does not inflate: %v", err))
	}
	return inflated, true, nil
}

// withoutBodyViolations drops what the spec's check found in a body that
// could not be read, so that only readableBody's reason is reported.
func withoutBodyViolations(vs []Violation) []Violation {
	out := vs[:0]
	for _, v := range vs {
		if v.Field != "body" && !strings.HasPrefix(v.Field, "body/") {
			out = append(out, v)
		}
	}
	return out
}
