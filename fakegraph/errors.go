package fakegraph

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// This file is the one place where the fake's conditions become Graph
// errors: a status, a code and a message. responses.go writes them with
// innerError and the headers some statuses carry. Graph's own codes and
// messages come from internal/graph; the ones below are the fake's, where
// Graph's are not known.

// Messages Graph sends for any request, as seen in the wild.
const (
	msgTokenRejected    = "Access token validation failure. Invalid audience."
	msgTokenNotJWT      = "CompactToken parsing failed with error code: 80049217"
	msgEmptyPayload     = "Empty Payload. JSON content expected."
	msgUnreadableJSON   = "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."
	msgMethodNotAllowed = "Specified HTTP method is not allowed for the request target."
	// msgInvalidVersion answers a path whose first segment is no Graph
	// version [seen: GET https://graph.microsoft.com/me, 400 BadRequest,
	// microsoftgraph/msgraph-sample-blazor-clientside#94].
	msgInvalidVersion = "Invalid version."
)

// Messages from the spec's examples, or the fake's own where Graph's are
// not known.
const (
	msgTooLarge    = "The request body is larger than the limit of %d bytes."
	msgThrottled   = "Too many requests. Retry after the interval given in the Retry-After header."
	msgUnavailable = "The service is temporarily unavailable. Please retry later."
	msgInternal    = "An internal server error occurred. Quote the request-id when reporting it."
	// Graph rejects ambiguous credentials; its wording is not known.
	msgTokenAmbiguous = "More than one Authorization header was sent; send exactly one Bearer token."
	// Graph's client-request-ids are GUIDs; see withRequestIDs.
	msgBadClientRequestID   = "The client-request-id header must be printable ASCII, such as a GUID."
	msgContentTypeAmbiguous = "More than one Content-Type header was sent; send exactly one."
	msgDuplicateKey         = "The JSON request payload has the property '%s' more than once."
	msgMalformedMediaType   = "The content type '%s' is not a valid media type; send application/json."
	msgUnsupportedCoding    = "The content encoding '%s' is not supported; send the body uncompressed or with Content-Encoding: gzip."
)

// codeUnsupportedMediaType is the code of every 415 the fake gives: Graph
// documents the status, but no code for it.
const codeUnsupportedMediaType = "UnsupportedMediaType"

// graphError is one Graph error response before it is written.
type graphError struct {
	status  int
	code    string
	message string
	// retryAfter, when set, is sent as Retry-After in whole seconds.
	retryAfter *int
	// allow, when set, is sent as the Allow header (405).
	allow string
	// acceptEncoding, when set, is sent as Accept-Encoding (415 for a
	// content coding the fake cannot undo).
	acceptEncoding string
}

func badRequest(code, message string) graphError {
	return graphError{status: http.StatusBadRequest, code: code, message: message}
}

// The fixed Graph errors.
var (
	invalidURL         = badRequest(graph.CodeBadRequest, graph.MsgInvalidURL)
	emptyPayload       = badRequest(graph.CodeBadRequest, msgEmptyPayload)
	unreadableJSON     = badRequest(graph.CodeBadRequest, msgUnreadableJSON)
	bodyTimedOut       = badRequest(graph.CodeBadRequest, graph.MsgBodyTimeout)
	alreadyMember      = badRequest(graph.CodeRequestBadRequest, graph.MsgAlreadyMember)
	internalError      = graphError{status: http.StatusInternalServerError, code: graph.CodeInternalServerError, message: msgInternal}
	bodyTooLarge       = graphError{status: http.StatusRequestEntityTooLarge, code: "RequestEntityTooLarge", message: fmt.Sprintf(msgTooLarge, MaxBodyBytes)}
	badClientRequestID = badRequest(graph.CodeBadRequest, msgBadClientRequestID)
	invalidVersion     = badRequest(graph.CodeBadRequest, msgInvalidVersion)
	invalidSkipToken   = badRequest(graph.CodeBadRequest, graph.MsgInvalidSkipToken)
	// Graph's answer to two Content-Type headers is not known.
	contentTypeAmbiguous = badRequest(graph.CodeBadRequest, msgContentTypeAmbiguous)
)

// invalidPageSize answers a $top outside 1..999, or one that is no number;
// raw is the value as sent.
func invalidPageSize(raw string) graphError {
	return badRequest(graph.CodeUnsupportedQuery, graph.OneLine(fmt.Sprintf(graph.MsgInvalidPageSize, raw), 300))
}

// unsupportedQuery answers an OData system query option the operation
// does not take (see unsupportedQueryOption).
func unsupportedQuery(option string) graphError {
	return badRequest(graph.CodeUnsupportedQuery, graph.OneLine(fmt.Sprintf(graph.MsgUnsupportedQueryOption, option), 300))
}

// readOnlyProperty answers a body that writes a property the system sets.
func readOnlyProperty(name string) graphError {
	return badRequest(graph.CodeBadRequest, graph.OneLine(fmt.Sprintf(graph.MsgReadOnlyProperty, name), 300))
}

// unknownProperty answers a body with a property the type does not have.
func unknownProperty(name string) graphError {
	return badRequest(graph.CodeBadRequest, graph.OneLine(fmt.Sprintf(graph.MsgUnknownProperty, name), 300))
}

// methodNotAllowed answers another method on an operation's path; allow
// lists the methods the spec declares there.
func methodNotAllowed(allow []string) graphError {
	return graphError{status: http.StatusMethodNotAllowed, code: graph.CodeRequestBadRequest, message: msgMethodNotAllowed, allow: strings.Join(allow, ", ")}
}

// storeError maps a failure of the store (or of reading a link) on the
// group and connector the request names; either may be "" where the
// request names none.
func storeError(err error, groupID, connectorID string) graphError {
	lifecycle := func(format, id string) graphError {
		return badRequest(graph.CodeRequestBadRequest, graph.OneLine(fmt.Sprintf(format, id), 300))
	}
	if ge, ok := applicationRuleError(err, groupID); ok {
		return ge
	}
	switch {
	case errors.Is(err, ErrAlreadyMember):
		return alreadyMember
	case errors.Is(err, ErrGroupNotFound):
		return resourceNotFound(groupID)
	case errors.Is(err, ErrConnectorNotFound):
		return resourceNotFound(connectorID)
	case errors.Is(err, ErrDefaultGroup):
		return lifecycle(graph.MsgDefaultGroup, groupID)
	case errors.Is(err, ErrGroupNotEmpty):
		return lifecycle(graph.MsgGroupNotEmpty, groupID)
	case errors.Is(err, ErrRegionLocked):
		return lifecycle(graph.MsgRegionLocked, groupID)
	case errors.Is(err, graph.ErrNotAConnectorLink), errors.Is(err, graph.ErrNotAConnectorGroupLink):
		return invalidURL
	default:
		return internalError
	}
}

func resourceNotFound(id string) graphError {
	return graphError{status: http.StatusNotFound, code: graph.CodeResourceNotFound, message: fmt.Sprintf(graph.MsgResourceNotFound, id)}
}

// authError maps a failure of authorize.
func authError(err error) graphError {
	unauthorized := func(msg string) graphError {
		return graphError{status: http.StatusUnauthorized, code: graph.CodeInvalidAuthenticationToken, message: msg}
	}
	switch {
	case errors.Is(err, errTokenEmpty):
		return unauthorized(graph.MsgTokenEmpty)
	case errors.Is(err, errTokenAmbiguous):
		return unauthorized(msgTokenAmbiguous)
	case errors.Is(err, errTokenNotJWT):
		return unauthorized(msgTokenNotJWT)
	case errors.Is(err, errInsufficientPrivileges):
		return graphError{status: http.StatusForbidden, code: graph.CodeAuthorizationRequestDenied, message: graph.MsgInsufficientPrivileges}
	default:
		return unauthorized(msgTokenRejected)
	}
}

// unknownSegment answers a path Graph cannot resolve: 400 BadRequest
// naming the first segment it could not resolve [seen, microsoft-graph-docs
// #4052, #21648]; v1.0's connectorGroups is one, as connector groups exist
// in beta only.
func unknownSegment(segment string) graphError {
	return badRequest(graph.CodeBadRequest, fmt.Sprintf(graph.MsgSegmentNotFound, segment))
}

// faultError is an injected failure: 429 TooManyRequests or 503
// serviceNotAvailable, both with Retry-After.
func faultError(status, retryAfterSeconds int) graphError {
	ge := graphError{status: status, retryAfter: &retryAfterSeconds}
	if status == http.StatusTooManyRequests {
		ge.code, ge.message = graph.CodeTooManyRequests, msgThrottled
	} else {
		ge.code, ge.message = graph.CodeServiceNotAvailable, msgUnavailable
	}
	return ge
}

// requestValidationError maps a failed validation of r
// (specvalidator.ValidateRoutedRequest) to Graph's answer: a
// content type other than JSON, or one that is no media type, is 415; an
// empty or unparsable body, a repeated key, a property the system sets
// (readOnly) or the type lacks, an @odata.id that is not a link of the
// right kind, a $top outside 1..999 and a bad $skiptoken get Graph's own
// messages (or the fake's, where Graph's is unknown); anything else is a
// 400 that lists the violations on one line.
func requestValidationError(err error, r *http.Request, readOnly map[string]bool) graphError {
	contentType := r.Header.Get("Content-Type")
	if specvalidator.IsUnsupportedMediaType(err) {
		msg := "The request has no Content-Type; send application/json."
		_, mediaErr := graph.MediaType(contentType)
		switch {
		case contentType == "":
		case mediaErr != nil && !errors.Is(mediaErr, graph.ErrNotUTF8):
			msg = fmt.Sprintf(msgMalformedMediaType, contentType)
		default:
			msg = fmt.Sprintf("The content type '%s' is not supported; send application/json.", contentType)
		}
		return graphError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedMediaType, message: graph.OneLine(msg, 300)}
	}
	var empty, unreadable, badURL, badTop, badSkipToken bool
	var duplicate *specvalidator.DuplicateKeyError
	unsupported := map[string]bool{}
	specvalidator.EachError(err, func(e error) {
		var reqErr *openapi3filter.RequestError
		if !errors.As(e, &reqErr) {
			return
		}
		if p := reqErr.Parameter; p != nil && p.In == openapi3.ParameterInQuery {
			badTop = badTop || p.Name == graph.QueryTop
			badSkipToken = badSkipToken || p.Name == graph.QuerySkipToken
			return
		}
		if reqErr.RequestBody == nil {
			return
		}
		switch {
		case errors.Is(reqErr.Err, openapi3filter.ErrInvalidRequired):
			empty = true
		case errors.As(reqErr.Err, &duplicate):
		case reqErr.Reason == "failed to decode request body":
			unreadable = true
		default:
			specvalidator.EachError(reqErr.Err, func(e error) {
				var schemaErr *openapi3.SchemaError
				if !errors.As(e, &schemaErr) {
					return
				}
				for _, name := range undeclaredProperties(schemaErr) {
					unsupported[name] = true
				}
				if schemaErr.SchemaField != "required" && slices.Equal(schemaErr.JSONPointer(), []string{"@odata.id"}) {
					badURL = true
				}
			})
		}
	})
	// A property the type lacks is found as the body is read, before its
	// values are checked; one the system sets is named first, by name.
	names := slices.Sorted(maps.Keys(unsupported))
	for _, name := range names {
		if readOnly[name] {
			return readOnlyProperty(name)
		}
	}
	switch {
	case empty:
		return emptyPayload
	case duplicate != nil:
		return badRequest(graph.CodeBadRequest, graph.OneLine(fmt.Sprintf(msgDuplicateKey, duplicate.Key), 300))
	case unreadable:
		return unreadableJSON
	case len(names) > 0:
		return unknownProperty(names[0])
	case badURL:
		return invalidURL
	case badTop:
		return invalidPageSize(strings.Join(r.URL.Query()[graph.QueryTop], ","))
	case badSkipToken:
		return invalidSkipToken
	}
	var parts []string
	for _, v := range specvalidator.Violations("", specvalidator.DirectionRequest, err) {
		parts = append(parts, v.Field+": "+v.Reason)
	}
	return badRequest(graph.CodeBadRequest, graph.OneLine("The request is not valid: "+strings.Join(parts, "; "), 1000))
}

// undeclaredProperties lists the properties of the object a schema error
// is about that its schema does not declare, when the schema allows no
// others (additionalProperties: false): what kin-openapi calls
// "unsupported", read from the schema and the value rather than its words.
func undeclaredProperties(e *openapi3.SchemaError) []string {
	s := e.Schema
	obj, ok := e.Value.(map[string]any)
	if s == nil || !ok || e.SchemaField != "properties" || s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has {
		return nil
	}
	var out []string
	for name := range obj {
		if _, declared := s.Properties[name]; !declared {
			out = append(out, name)
		}
	}
	return out
}

// unsupportedCoding answers a Content-Encoding other than gzip (see
// decodeContent); coding is the header as sent.
func unsupportedCoding(coding string) graphError {
	return graphError{
		status: http.StatusUnsupportedMediaType, code: codeUnsupportedMediaType,
		message:        graph.OneLine(fmt.Sprintf(msgUnsupportedCoding, coding), 300),
		acceptEncoding: graph.CodingGzip,
	}
}

// bindingError maps a parameter the generated router could not bind,
// before authentication: a $top that is no integer (or is repeated) is
// Graph's invalid page size, a repeated $skiptoken an invalid token, and
// anything else (a repeated client-request-id) a 400 that says what.
func bindingError(err error, r *http.Request) graphError {
	var format *api.InvalidParamFormatError
	if errors.As(err, &format) {
		switch format.ParamName {
		case graph.QueryTop:
			return invalidPageSize(strings.Join(r.URL.Query()[graph.QueryTop], ","))
		case graph.QuerySkipToken:
			return invalidSkipToken
		}
	}
	return badRequest(graph.CodeBadRequest, graph.OneLine(err.Error(), 300))
}

// writeGraphError writes ge as the whole response, for the middleware that
// answers before the strict handler runs.
func writeGraphError(w http.ResponseWriter, r *http.Request, ge graphError) {
	_ = ge.response(r.Context()).VisitAddConnectorToConnectorGroupResponse(w)
}

// response is ge with Graph's body and headers for the request in ctx.
func (ge graphError) response(ctx context.Context) response {
	ids := requestIDsFrom(ctx)
	resp := response{
		status:      ge.status,
		contentType: graph.ContentTypeError,
		body:        graph.EncodeError(ge.code, ge.message, now(), ids.requestID, ids.clientRequestID),
	}
	if ge.retryAfter != nil {
		resp.header = append(resp.header, [2]string{"Retry-After", fmt.Sprint(*ge.retryAfter)})
	}
	if ge.allow != "" {
		resp.header = append(resp.header, [2]string{"Allow", ge.allow})
	}
	if ge.acceptEncoding != "" {
		resp.header = append(resp.header, [2]string{graph.HeaderAcceptEncoding, ge.acceptEncoding})
	}
	return resp
}
