package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// hugeBodySize is over the 1 MiB that Graph-like services accept, so that
// a size limit answers 413; without one, the body still breaks the schema.
const hugeBodySize = 1<<20 + 100<<10

// The huge body is a small schema-breaking one padded with trailing
// whitespace: still valid JSON, and cheap for openapi3filter, which decodes
// only the first JSON value (a 1 MiB string would cost each run 200ms
// under the race detector).

// negativeCase is a request that breaks the request body's schema or media
// type, with a name for the report and the statuses that reject it.
type negativeCase struct {
	name        string
	contentType string
	body        []byte
	// rejectedBy lists the statuses that say the body was refused, the one
	// made for it first. Another 4xx refuses something else: 401 and 403 the
	// token, 404 the path, 429 the rate; a server answering those may never
	// have read the body.
	rejectedBy []int
	huge       bool // the body over the size limit
}

// Statuses that reject a body: 400 always (a body that breaks the schema
// is a bad request), 413 also for the huge one, 415 also for text/plain,
// and 404 also for a reference that is URL-shaped but names nothing: Graph
// may resolve such a link leniently and then find no object, or refuse it
// while parsing, depending on where its parsing fails.
var (
	rejectedAsBad      = []int{http.StatusBadRequest}
	rejectedAsTooLarge = []int{http.StatusRequestEntityTooLarge, http.StatusBadRequest}
	rejectedAsMedia    = []int{http.StatusUnsupportedMediaType, http.StatusBadRequest}
	rejectedAsNoObject = []int{http.StatusBadRequest, http.StatusNotFound}
)

// acceptedStatuses says, for the report, what each kind of case accepts.
const acceptedStatuses = "accepted: 400 for shape errors; 400 or 404 for a URL-shaped reference that names nothing; 413 or 400 for the huge body; 415 or 400 for text/plain"

// want renders rejectedBy for the evidence: "400", "413 or 400".
func (c negativeCase) want() string {
	parts := make([]string, len(c.rejectedBy))
	for i, status := range c.rejectedBy {
		parts[i] = strconv.Itoa(status)
	}
	return strings.Join(parts, " or ")
}

// negativeCases generates the bodies from the schema and from valid, a
// body that passes it: each required property missing, each property with
// a value of every other JSON type (an object nests it one level deeper),
// each uri property with strings that are not absolute URIs, each enum
// property outside its enum, each string shorter than its minLength, a
// property the schema does not have when it allows no others; then bodies
// broken whole: not an object, empty, malformed JSON, a valid body sent as
// text/plain, and huge.
func negativeCases(schema *openapi3.Schema, valid map[string]any) []negativeCase {
	var out []negativeCase
	addJSON := func(name string, v any) {
		b, err := json.Marshal(v)
		if err == nil {
			out = append(out, negativeCase{name: name, contentType: "application/json", body: b, rejectedBy: rejectedAsBad})
		}
	}

	required := append([]string(nil), schema.Required...)
	sort.Strings(required)
	for _, name := range required {
		addJSON("missing "+name, without(valid, name))
	}

	for _, name := range sortedProperties(schema) {
		ps := schema.Properties[name].Value
		v, ok := valid[name]
		if ps == nil || !ok {
			continue
		}
		for _, w := range wrongTypes(name, ps, v) {
			addJSON(name+" "+w.label, with(valid, name, w.value))
		}
		if ps.Format == "uri" {
			for _, w := range notURIs(v) {
				addJSON(name+" not a URI: "+w.label, with(valid, name, w.value))
			}
		}
		if ps.Format == "uri" || ps.Pattern != "" {
			for _, w := range urlsNamingNothing(v) {
				if b, err := json.Marshal(with(valid, name, w.value)); err == nil {
					out = append(out, negativeCase{name: name + " names nothing: " + w.label, contentType: "application/json", body: b, rejectedBy: rejectedAsNoObject})
				}
			}
		}
		if len(ps.Enum) > 0 {
			addJSON(name+" outside its enum", with(valid, name, "not-in-the-enum"))
		}
		if ps.Type.Is("string") && ps.MinLength > 0 {
			addJSON(fmt.Sprintf("%s shorter than its minLength %d", name, ps.MinLength), with(valid, name, strings.Repeat("x", int(ps.MinLength)-1)))
		}
	}
	if has := schema.AdditionalProperties.Has; has != nil && !*has {
		addJSON("an unknown property", with(valid, unknownProperty, "x"))
	}

	if !schema.Type.Permits("array") {
		addJSON("an array instead of an object", []any{valid})
	}
	out = append(out, negativeCase{name: "empty body", contentType: "application/json", rejectedBy: rejectedAsBad})
	if b, err := json.Marshal(valid); err == nil {
		out = append(out, negativeCase{name: "malformed JSON", contentType: "application/json", body: b[:len(b)/2], rejectedBy: rejectedAsBad})
		out = append(out, negativeCase{name: "a valid body sent as text/plain", contentType: "text/plain", body: b, rejectedBy: rejectedAsMedia})
	}
	if len(out) > 0 {
		small := out[0]
		huge := make([]byte, 0, len(small.body)+hugeBodySize)
		huge = append(append(huge, small.body...), bytes.Repeat([]byte(" "), hugeBodySize-len(small.body))...)
		out = append(out, negativeCase{
			name:        fmt.Sprintf("a huge body: %s, padded to %d KiB", small.name, hugeBodySize>>10),
			contentType: small.contentType,
			body:        huge,
			rejectedBy:  rejectedAsTooLarge,
			huge:        true,
		})
	}
	return out
}

type namedValue struct {
	label string
	value any
}

// wrongTypes gives a value of each JSON type the schema does not allow.
func wrongTypes(name string, s *openapi3.Schema, valid any) []namedValue {
	if s.Type == nil || len(*s.Type) == 0 {
		return nil // any type goes
	}
	candidates := []struct {
		jsonType string
		nv       namedValue
	}{
		{"string", namedValue{"as a string", "not-a-" + strings.Join(s.Type.Slice(), "-or-")}},
		{"number", namedValue{"as a number", 42}},
		{"boolean", namedValue{"as a boolean", true}},
		{"array", namedValue{"as an array", []any{valid}}},
		{"object", namedValue{"nested one level deeper", map[string]any{name: valid}}},
		{"null", namedValue{"as null", nil}},
	}
	var out []namedValue
	for _, c := range candidates {
		allowed := s.Type.Includes(c.jsonType) ||
			(c.jsonType == "number" && s.Type.Includes("integer")) ||
			(c.jsonType == "null" && s.Nullable)
		if !allowed {
			out = append(out, c.nv)
		}
	}
	return out
}

// notURIs gives strings that are not absolute URIs, derived from valid
// when it is one: its last segment (a bare id, the mistake Graph's SDK
// users make), its path alone, and the doc's unfilled placeholders.
func notURIs(valid any) []namedValue {
	bare := "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"
	relative := "/connector/" + bare
	if s, ok := valid.(string); ok {
		if i := strings.Index(s, "://"); i >= 0 {
			rest := s[i+3:]
			if j := strings.Index(rest, "/"); j >= 0 {
				relative = rest[j:]
			}
			bare = path.Base(relative)
		}
	}
	return []namedValue{
		{"a bare id", bare},
		{"a relative reference", relative},
		{"an empty string", ""},
	}
}

// urlsNamingNothing gives absolute URLs that name no object of the kind
// valid names, derived from valid: the doc's unfilled placeholders, the
// host alone, another entity set, and valid with a query. Graph may answer
// these 400 or 404.
func urlsNamingNothing(valid any) []namedValue {
	s, _ := valid.(string)
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil
	}
	out := []namedValue{{"the doc's placeholders", "https://graph.microsoft.com/{ver}/connector/{id}"}}
	hostOnly := url.URL{Scheme: u.Scheme, Host: u.Host}
	out = append(out, namedValue{"the host alone", hostOnly.String()})
	users := hostOnly
	users.Path = "/" + graph.Beta + "/users/" + path.Base(u.Path)
	out = append(out, namedValue{"a user's URL", users.String()})
	// With a query, and another id: a server that ignored the query would
	// otherwise add the very connector the positive check adds later.
	withQuery := *u
	withQuery.Path = path.Dir(u.Path) + "/" + noSuchID
	withQuery.RawPath = ""
	withQuery.RawQuery = "$select=id"
	return append(out, namedValue{"with a query", withQuery.String()})
}

// unknownProperty is a property no request schema has.
const unknownProperty = "unknownProperty"

// systemSetCases are valid bodies with one property more: each that the
// entity's schema marks readOnly (the system sets it) and the request's
// schema does not take, with a value of its type, so that only its being
// written is wrong: a group's id. isDefault and connectorGroupType are
// system-set too, but the request takes them (the live service accepts
// and ignores them), so they are no case here. OData's own annotations
// (@odata.*) are left out.
func systemSetCases(entity, request *openapi3.Schema, valid map[string]any) []negativeCase {
	var out []negativeCase
	for _, name := range sortedProperties(entity) {
		ps := entity.Properties[name].Value
		_, taken := request.Properties[name]
		if ps == nil || !ps.ReadOnly || taken || strings.HasPrefix(name, "@odata.") {
			continue
		}
		var v any = noSuchID
		switch {
		case len(ps.Enum) > 0:
			v = ps.Enum[0]
		case ps.Type.Is("boolean"):
			v = false
		case ps.Type.Is("integer"), ps.Type.Is("number"):
			v = 0
		}
		if b, err := json.Marshal(with(valid, name, v)); err == nil {
			out = append(out, negativeCase{name: "the system-set " + name, contentType: "application/json", body: b, rejectedBy: rejectedAsBad})
		}
	}
	return out
}

// wrongKind is a body whose @odata.id is a well-formed link to an object
// of the other kind (a group where a connector is wanted, or the reverse):
// Graph may refuse it while parsing (400) or find no such object (404).
func wrongKind(what, link string) negativeCase {
	b, _ := json.Marshal(reference(link))
	return negativeCase{name: "@odata.id names " + what, contentType: "application/json", body: b, rejectedBy: rejectedAsNoObject}
}

// noSuchID is an id no object has.
const noSuchID = "00000000-0000-4000-8000-0000000000ff"

func sortedProperties(s *openapi3.Schema) []string {
	names := make([]string, 0, len(s.Properties))
	for name := range s.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func without(m map[string]any, key string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}

func with(m map[string]any, key string, value any) map[string]any {
	out := without(m, key)
	out[key] = value
	return out
}

// tokenRejected makes one clear failure of a check whose requests, sent
// with the target's token, all got 401 (but those a server may refuse
// before it reads the token: 413 for the huge body): the token was
// refused, so nothing else was judged. It reports false when any request
// got another answer.
func tokenRejected(exs []Exchange, probed []Evidence) (Result, bool) {
	var first *Exchange
	unauthorized := 0
	for i, ex := range exs {
		switch {
		case ex.Err == nil && ex.Status == http.StatusUnauthorized:
			unauthorized++
			if first == nil {
				first = &exs[i]
			}
		case ex.Err == nil && ex.Status == http.StatusRequestEntityTooLarge:
		default:
			return Result{}, false
		}
	}
	if first == nil {
		return Result{}, false
	}
	code, message := graphError(first.ResponseBody)
	detail := fmt.Sprintf("the token was rejected: all %d requests that reached authentication got 401", unauthorized)
	if code != "" || message != "" {
		detail += fmt.Sprintf(" %s %q", code, graph.OneLine(message, 120))
	}
	detail += "; pass a valid token with Directory.ReadWrite.All (-token or $GRAPH_TOKEN)"
	return Result{Status: StatusFail, Detail: detail, Evidence: probed[:1]}, true
}

// tally renders a status count as "400 ×12, 413 ×1".
func tally(statuses map[int]int) string {
	codes := make([]int, 0, len(statuses))
	for c := range statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = fmt.Sprintf("%d ×%d", c, statuses[c])
	}
	return strings.Join(parts, ", ")
}
