package fakegraph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// This file is the one place where the fake's conditions become Graph
// errors: a status, an ODataError body (code, message, innerError) and the
// headers some statuses carry.

// Messages Graph sends for this operation, as documented and as reported in
// public issues, verbatim.
const (
	msgAlreadyMember     = "One or more added object references already exist for the following modified properties: 'members'."
	msgResourceNotFound  = "Resource '%s' does not exist or one of its queried reference-property objects are not present."
	msgInvalidURL        = "Invalid URL format specified in payload."
	msgTokenEmpty        = "Access token is empty."
	msgInsufficientPrivs = "Insufficient privileges to complete the operation."
)

// Messages Graph sends for any request, as seen in the wild.
const (
	msgTokenRejected    = "Access token validation failure. Invalid audience."
	msgTokenNotJWT      = "CompactToken parsing failed with error code: 80049217"
	msgEmptyPayload     = "Empty Payload. JSON content expected."
	msgUnreadableJSON   = "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."
	msgSegmentNotFound  = "Resource not found for the segment '%s'."
	msgMethodNotAllowed = "Specified HTTP method is not allowed for the request target."
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
	msgBadClientRequestID = "The client-request-id header must be printable ASCII, such as a GUID."
)

// graphError is one Graph error response before it is written.
type graphError struct {
	status  int
	code    string
	message string
	// retryAfter, when set, is sent as Retry-After in whole seconds.
	retryAfter *int
	// allow, when set, is sent as the Allow header (405).
	allow string
}

func badRequest(code, message string) graphError {
	return graphError{status: http.StatusBadRequest, code: code, message: message}
}

// The fixed Graph errors.
var (
	invalidURL         = badRequest("BadRequest", msgInvalidURL)
	emptyPayload       = badRequest("BadRequest", msgEmptyPayload)
	unreadableJSON     = badRequest("BadRequest", msgUnreadableJSON)
	internalError      = graphError{status: http.StatusInternalServerError, code: "InternalServerError", message: msgInternal}
	bodyTooLarge       = graphError{status: http.StatusRequestEntityTooLarge, code: "RequestEntityTooLarge", message: fmt.Sprintf(msgTooLarge, MaxBodyBytes)}
	methodNotAllowed   = graphError{status: http.StatusMethodNotAllowed, code: "Request_BadRequest", message: msgMethodNotAllowed, allow: http.MethodPost}
	badClientRequestID = badRequest("BadRequest", msgBadClientRequestID)
)

// addMemberError maps a failure of adding connectorID to groupID.
func addMemberError(err error, groupID, connectorID string) graphError {
	switch {
	case errors.Is(err, ErrAlreadyMember):
		return badRequest("Request_BadRequest", msgAlreadyMember)
	case errors.Is(err, ErrGroupNotFound):
		return resourceNotFound(groupID)
	case errors.Is(err, ErrConnectorNotFound):
		return resourceNotFound(connectorID)
	case errors.Is(err, errInvalidODataID):
		return invalidURL
	default:
		return internalError
	}
}

func resourceNotFound(id string) graphError {
	return graphError{status: http.StatusNotFound, code: "Request_ResourceNotFound", message: fmt.Sprintf(msgResourceNotFound, id)}
}

// authError maps a failure of authorize.
func authError(err error) graphError {
	unauthorized := func(msg string) graphError {
		return graphError{status: http.StatusUnauthorized, code: "InvalidAuthenticationToken", message: msg}
	}
	switch {
	case errors.Is(err, errTokenEmpty):
		return unauthorized(msgTokenEmpty)
	case errors.Is(err, errTokenAmbiguous):
		return unauthorized(msgTokenAmbiguous)
	case errors.Is(err, errTokenNotJWT):
		return unauthorized(msgTokenNotJWT)
	case errors.Is(err, errInsufficientPrivileges):
		return graphError{status: http.StatusForbidden, code: "Authorization_RequestDenied", message: msgInsufficientPrivs}
	default:
		return unauthorized(msgTokenRejected)
	}
}

// unknownPath answers a path that names no operation. Graph's message names
// the first segment it could not resolve.
func unknownPath(segment string) graphError {
	return graphError{status: http.StatusNotFound, code: "BadRequest", message: fmt.Sprintf(msgSegmentNotFound, segment)}
}

// faultError is an injected failure: 429 TooManyRequests or 503
// serviceNotAvailable, both with Retry-After.
func faultError(status, retryAfterSeconds int) graphError {
	ge := graphError{status: status, retryAfter: &retryAfterSeconds}
	if status == http.StatusTooManyRequests {
		ge.code, ge.message = "TooManyRequests", msgThrottled
	} else {
		ge.code, ge.message = "serviceNotAvailable", msgUnavailable
	}
	return ge
}

// requestValidationError maps a failed specvalidator.ValidateRequest: a
// content type other than JSON is 415; an empty or unparsable body, and an
// @odata.id that is not a URL, get Graph's own messages; anything else is a
// 400 that lists the violations on one line.
func requestValidationError(err error, contentType string) graphError {
	var unsupportedType, empty, unreadable, badURL bool
	eachError(err, func(e error) {
		var reqErr *openapi3filter.RequestError
		if !errors.As(e, &reqErr) || reqErr.RequestBody == nil {
			return
		}
		switch {
		case strings.HasPrefix(reqErr.Reason, "header Content-Type has unexpected value"):
			unsupportedType = true
		case errors.Is(reqErr.Err, openapi3filter.ErrInvalidRequired):
			empty = true
		case reqErr.Reason == "failed to decode request body":
			unreadable = true
		default:
			eachError(reqErr.Err, func(e error) {
				var schemaErr *openapi3.SchemaError
				if errors.As(e, &schemaErr) && schemaErr.SchemaField != "required" &&
					slices.Equal(schemaErr.JSONPointer(), []string{"@odata.id"}) {
					badURL = true
				}
			})
		}
	})
	switch {
	case unsupportedType:
		msg := "The request has no Content-Type; send application/json."
		if contentType != "" {
			msg = fmt.Sprintf("The content type '%s' is not supported; send application/json.", contentType)
		}
		return graphError{status: http.StatusUnsupportedMediaType, code: "UnsupportedMediaType", message: msg}
	case empty:
		return emptyPayload
	case unreadable:
		return unreadableJSON
	case badURL:
		return invalidURL
	}
	var parts []string
	for _, v := range specvalidator.Violations("", specvalidator.DirectionRequest, err) {
		parts = append(parts, v.Field+": "+v.Reason)
	}
	return badRequest("BadRequest", "The request is not valid: "+strings.Join(parts, "; "))
}

// eachError calls f for err, or for each member of an openapi3.MultiError,
// recursively.
func eachError(err error, f func(error)) {
	if multi, ok := err.(openapi3.MultiError); ok {
		for _, e := range multi {
			eachError(e, f)
		}
		return
	}
	if err != nil {
		f(err)
	}
}

// body builds the ODataError with innerError for the request in ctx.
func (ge graphError) body(ctx context.Context) api.ODataError {
	ids := requestIDsFrom(ctx)
	date := time.Now().UTC().Truncate(time.Second)
	return api.ODataError{Error: api.MainError{
		Code:    ge.code,
		Message: ge.message,
		InnerError: &api.InnerError{
			Date:            &date,
			RequestId:       &ids.requestID,
			ClientRequestId: &ids.clientRequestID,
		},
	}}
}

// writeGraphError writes ge as the whole response, for the middleware that
// answers before the strict handler runs.
func writeGraphError(w http.ResponseWriter, r *http.Request, ge graphError) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(ge.body(r.Context())); err != nil {
		// An ODataError always encodes; keep the response JSON regardless.
		buf.Reset()
		buf.WriteString(`{"error":{"code":"InternalServerError","message":"encoding the error failed"}}`)
	}
	// withRequestIDs has set request-id and client-request-id already.
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	if ge.retryAfter != nil {
		h.Set("Retry-After", strconv.Itoa(*ge.retryAfter))
	}
	if ge.allow != "" {
		h.Set("Allow", ge.allow)
	}
	w.WriteHeader(ge.status)
	_, _ = buf.WriteTo(w)
}

// strictResponse turns ge into the generated response type for its status,
// so that the strict handler's errors go out the generated way.
func strictResponse(ctx context.Context, ge graphError) api.AddConnectorToConnectorGroupResponseObject {
	ids := requestIDsFrom(ctx)
	body := ge.body(ctx)
	switch ge.status {
	case http.StatusBadRequest:
		return api.AddConnectorToConnectorGroup400JSONResponse{BadRequestJSONResponse: api.BadRequestJSONResponse{
			Body: body, Headers: api.BadRequestResponseHeaders{RequestId: ids.requestID, ClientRequestId: ids.clientRequestID}}}
	case http.StatusNotFound:
		return api.AddConnectorToConnectorGroup404JSONResponse{NotFoundJSONResponse: api.NotFoundJSONResponse{
			Body: body, Headers: api.NotFoundResponseHeaders{RequestId: ids.requestID, ClientRequestId: ids.clientRequestID}}}
	default: // the handler makes no other error; anything else is a bug
		return api.AddConnectorToConnectorGroup5XXJSONResponse{StatusCode: http.StatusInternalServerError,
			Body:    internalError.body(ctx),
			Headers: api.ServerErrorResponseHeaders{RequestId: ids.requestID, ClientRequestId: ids.clientRequestID}}
	}
}
