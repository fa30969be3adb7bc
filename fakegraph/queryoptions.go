package fakegraph

import (
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/routers"
)

// unsupportedQueryOption returns the first OData system query option
// ($filter, $select, $expand, ...) in query that the operation does not
// declare (declared, from declaredQueryNames), or "" when there is none.
// Graph answers options it cannot serve with 400 rather than ignore them,
// and a fake that ignored $filter would pass a test that the live service
// fails (the reply's wording is inferred). Parameters without a $ are not
// OData's and are left alone, as Graph leaves them.
func unsupportedQueryOption(declared []string, query url.Values) string {
	if len(query) == 0 {
		return ""
	}
	names := make([]string, 0, len(query))
	for name := range query {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if strings.HasPrefix(name, "$") && !slices.Contains(declared, name) {
			return name
		}
	}
	return ""
}

// declaredQueryNames lists the query parameters route's operation declares.
func declaredQueryNames(route *routers.Route) []string {
	var declared []string
	for _, p := range route.PathItem.Parameters {
		if p.Value != nil && p.Value.In == "query" {
			declared = append(declared, p.Value.Name)
		}
	}
	for _, p := range route.Operation.Parameters {
		if p.Value != nil && p.Value.In == "query" {
			declared = append(declared, p.Value.Name)
		}
	}
	return declared
}
