package fakegraph

import (
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// specTables is everything the fake reads from the spec. Every Server
// serves the same embedded spec, so it is built once per process
// (loadSpecTables): a test's own fake then costs its seed, its mux and
// the chain of handlers, not the spec's decoding, validation and routing
// tables again.
type specTables struct {
	validator *specvalidator.Validator
	routes    routeTable
	// operations is each operation's part, by operation id.
	operations map[string]operationTable
	// readOnly names the properties the system sets (readOnlyProperties).
	readOnly map[string]bool
}

// operationTable is what the validation step needs of one operation.
type operationTable struct {
	route *routers.Route
	// queryNames are the query parameters the operation declares; any
	// other OData option is refused (unsupportedQueryOption).
	queryNames []string
	// nullStrings are the properties of its JSON body that are strings
	// and may be null (a group's region): see bindNullsAsEmpty.
	nullStrings []string
}

var loadSpecTables = sync.OnceValues(func() (*specTables, error) {
	v, err := specvalidator.Load()
	if err != nil {
		return nil, err
	}
	t := &specTables{
		validator:  v,
		routes:     newRouteTable(v.Doc()),
		operations: map[string]operationTable{},
		readOnly:   readOnlyProperties(v.Doc()),
	}
	for _, item := range v.Doc().Paths.Map() {
		for _, op := range item.Operations() {
			route := v.OperationRoute(op.OperationID)
			t.operations[op.OperationID] = operationTable{
				route:       route,
				queryNames:  declaredQueryNames(route),
				nullStrings: nullableStrings(route),
			}
		}
	}
	return t, nil
})

// nullableStrings lists the properties of route's JSON request body whose
// schema is a string that may be null.
func nullableStrings(route *routers.Route) []string {
	rb := route.Operation.RequestBody
	if rb == nil || rb.Value == nil {
		return nil
	}
	media := rb.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return nil
	}
	var out []string
	for name, p := range media.Schema.Value.Properties {
		if p != nil && p.Value != nil && p.Value.Nullable && p.Value.Type.Is(openapi3.TypeString) {
			out = append(out, name)
		}
	}
	return out
}

// readOnlyProperties are the connectorGroup's properties that the spec
// marks readOnly (the system sets them), directly or on the schema a
// property refers to: id, isDefault, connectorGroupType and @odata.context.
func readOnlyProperties(doc *openapi3.T) map[string]bool {
	out := map[string]bool{}
	ref := doc.Components.Schemas["ConnectorGroup"]
	if ref == nil || ref.Value == nil {
		return out
	}
	for name, p := range ref.Value.Properties {
		if p != nil && p.Value != nil && p.Value.ReadOnly {
			out[name] = true
		}
	}
	return out
}
