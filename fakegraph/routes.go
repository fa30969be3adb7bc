package fakegraph

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// basePath is where the fake serves the spec's paths: /beta, the only
// version with connector groups.
const basePath = "/" + graph.Beta

// allowOrder is the order in which Allow lists methods.
var allowOrder = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// routeTable is the spec's paths and operations, read once from the spec:
// the one list that routing, 405s, unknown-segment errors and per-operation
// authorisation all use, so that none keeps a copy of a path.
type routeTable struct {
	// operations maps "METHOD /beta/path", the generated router's
	// ServeMux pattern, to its operation id.
	operations map[string]string
	// methods maps a spec path (/connectorGroups/{id}/members/$ref) to the
	// methods the spec declares there, in allowOrder.
	methods map[string][]string
	// segments is every spec path split into its segments; a segment in
	// braces is a parameter.
	segments [][]string
}

func newRouteTable(doc *openapi3.T) routeTable {
	t := routeTable{operations: map[string]string{}, methods: map[string][]string{}}
	paths := doc.Paths.Map()
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		item := paths[p]
		for _, m := range allowOrder {
			if op := item.GetOperation(m); op != nil {
				t.operations[m+" "+basePath+p] = op.OperationID
				t.methods[p] = append(t.methods[p], m)
			}
		}
		t.segments = append(t.segments, strings.Split(strings.TrimPrefix(p, "/"), "/"))
	}
	return t
}

// paths lists the spec's paths, sorted.
func (t routeTable) paths() []string { return slices.Sorted(maps.Keys(t.methods)) }

// operation names the operation that method serves on the ServeMux
// pattern the request matched (r.Pattern). ServeMux lets a GET pattern
// match HEAD, which the spec does not declare: it is no operation.
func (t routeTable) operation(method, pattern string) (string, bool) {
	if len(pattern) > len(method) && pattern[len(method)] == ' ' && pattern[:len(method)] == method {
		op, ok := t.operations[pattern] // the pattern's own method: no string to build
		return op, ok
	}
	_, p, _ := strings.Cut(pattern, " ")
	op, ok := t.operations[method+" "+p]
	return op, ok
}

// allow lists the methods the spec declares on the path of a ServeMux
// pattern, with or without a method, for a 405's Allow header.
func (t routeTable) allow(pattern string) []string {
	if _, p, ok := strings.Cut(pattern, " "); ok {
		pattern = p
	}
	return t.methods[strings.TrimPrefix(pattern, basePath)]
}

// unresolvedPath is Graph's answer to a path that names no operation: 400
// "Invalid version." when the first segment is no Graph version, else 400
// naming the first segment, after the version, that fits none of the
// spec's paths. Under /v1.0 that is the first segment itself
// (onPremisesPublishingProfiles, or the doc's connectorGroups), as
// connector groups exist in beta only. escapedPath is the path as sent:
// each segment is unescaped on its own, so that a%2Fb is one segment, as
// the router sees it.
func (t routeTable) unresolvedPath(escapedPath string) graphError {
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	for i, s := range segs {
		if u, err := url.PathUnescape(s); err == nil {
			segs[i] = u
		}
	}
	if !graph.IsVersion(segs[0]) {
		return invalidVersion
	}
	version, segs := segs[0], segs[1:]
	if len(segs) == 0 {
		return unknownSegment(version)
	}
	if !graph.ServesConnectorGroups(version) {
		return unknownSegment(segs[0])
	}
	candidates := t.segments
	for i, seg := range segs {
		candidates = slices.DeleteFunc(slices.Clone(candidates), func(want []string) bool {
			return i >= len(want) || !segmentFits(want[i], seg)
		})
		if len(candidates) == 0 {
			return unknownSegment(seg)
		}
	}
	// Every segment fits, yet no operation matched: a path cut short
	// (…/members without $ref). Graph names the last segment.
	return unknownSegment(segs[len(segs)-1])
}

// segmentFits reports whether seg may stand where the spec writes want: the
// same literal, or any id for a parameter but the dot segments and "".
func segmentFits(want, seg string) bool {
	if seg == "" || seg == "." || seg == ".." {
		return false
	}
	if strings.HasPrefix(want, "{") {
		return true
	}
	return want == seg
}

// resolveOperation names the operation of a request the generated router
// matched, from its ServeMux pattern and the spec's route table, and puts
// it in the request's info for authenticate, validateRequests and the
// response check. ServeMux lets a GET pattern serve HEAD, which the spec
// does not declare: that is a 405, as any other undeclared method is.
func resolveOperation(routes routeTable) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			op, ok := routes.operation(r.Method, r.Pattern)
			if !ok {
				writeGraphError(w, r, methodNotAllowed(routes.allow(r.Pattern)))
				return
			}
			info := requestInfoFrom(r.Context())
			if info == nil { // withRequestIDs always runs first (New)
				writeGraphError(w, r, internalError)
				return
			}
			info.operationID = op
			next.ServeHTTP(w, r)
		})
	}
}
