package fakegraph

import (
	"io"
	"maps"
	"net/http"
	"strings"

	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// validateRequests checks every request against its operation in the spec
// with kin-openapi's openapi3filter (security aside: authenticate did
// that), and answers a violation with Graph's 400 or 415 in Graph's words
// (requestValidationError). The operation is the one the ServeMux matched
// (resolveOperation), so kin-openapi's router does not match the path a
// second time. The body is decoded here, once, by
// specvalidator.DecodeJSON; a valid request goes on with that value on
// its body, which the generated strict handler binds into the typed
// request object (see specvalidator.ValidateRoutedRequest).
//
// The mux matches an operation on the path's segments, each decoded on its
// own; the spec reads the decoded path whole, so an id such as a%2Fb would
// be two segments there, and name no operation or another one. To the
// caller it is just an id that names nothing: the 404 of a group or a
// connector, whichever the path's id stands for.
func validateRequests(spec *specTables) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			info := requestInfoFrom(r.Context())
			op := spec.operations[info.operationID]
			id := r.PathValue("id")
			if strings.Contains(id, "/") {
				writeGraphError(w, r, resourceNotFound(id))
				return
			}
			if len(r.Header.Values("Content-Type")) > 1 {
				// Which one names the body would depend on who reads the
				// headers first, so neither is taken, as with two tokens.
				writeGraphError(w, r, contentTypeAmbiguous)
				return
			}
			var params map[string]string
			if id != "" {
				params = map[string]string{"id": id}
			}
			if err := spec.validator.ValidateRoutedRequest(r.Context(), r, op.route, params, specvalidator.Options{SkipSecurity: true}); err != nil {
				writeGraphError(w, r, requestValidationError(err, r, spec.readOnly))
				return
			}
			if opt := unsupportedQueryOption(op.queryNames, r.URL.Query()); opt != "" {
				writeGraphError(w, r, unsupportedQuery(opt))
				return
			}
			r.Body = bindNullsAsEmpty(r.Body, op.nullStrings)
			info.link = linkBaseOf(r)
			next.ServeHTTP(w, r)
		})
	}
}

// validatedBody is a request body that carries the value validated
// (openapi3filter's Options.KeepValidatedValue), which the generated strict
// handler binds (runtime.BindJSONBody).
type validatedBody interface {
	io.ReadCloser
	ValidatedValue() any
}

// bindNullsAsEmpty makes each of the named properties that the validated
// body sets to null bind as "": the generated types hold an optional
// property as a pointer, which cannot tell null from absent, and the
// two mean different things to an update ("region": null clears the
// region; no region leaves it). The empty string is no value the spec
// allows there, and it is what the store calls no region.
func bindNullsAsEmpty(body io.ReadCloser, names []string) io.ReadCloser {
	kept, ok := body.(validatedBody)
	if !ok || len(names) == 0 {
		return body
	}
	obj, ok := kept.ValidatedValue().(map[string]any)
	if !ok {
		return body
	}
	var bound map[string]any
	for _, name := range names {
		if v, present := obj[name]; present && v == nil {
			if bound == nil {
				bound = maps.Clone(obj)
			}
			bound[name] = ""
		}
	}
	if bound == nil {
		return body
	}
	return reboundBody{validatedBody: kept, value: bound}
}

// reboundBody is a validated body whose value bindNullsAsEmpty changed.
type reboundBody struct {
	validatedBody
	value any
}

func (b reboundBody) ValidatedValue() any { return b.value }
