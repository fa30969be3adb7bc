// Package workload names the requests of make bench's load test, once, for
// the bare server (scripts/bench/bare), which answers them with the bytes
// the fake sends, and for the driver (scripts/loadtest), which writes a wrk
// Lua script for each.
package workload

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/scripts/internal/seedgen"
)

// ConnectorSlot stands in a Path or Body for the id of the connector a
// request moves: the Lua script walks the seed's connectors, so that every
// add moves one (see Lua).
const ConnectorSlot = "XCONNECTORX"

// GroupSlot stands in a Path for the group a move goes to: 1 on the first
// walk over the connectors, 2 on the next, and so on, so that no add finds
// its connector in the group already.
const GroupSlot = "XGROUPX"

// Token is the seeded token every request sends (seedgen's).
const Token = "dev-token"

// Workload is one request, repeated.
type Workload struct {
	Name   string // a table's row, e.g. doc-add
	Title  string // what it is, for the table
	Method string
	Path   string // under the host, with ConnectorSlot or GroupSlot
	Body   string // "" for none; may hold ConnectorSlot
	Status int    // the one status every answer must have
	// Moves: the request moves a connector, so each must name a fresh one.
	Moves bool
	// Headers are sent besides Authorization and Content-Type.
	Headers map[string]string
}

// ForPrism is the workload as Prism's mock takes it: it serves the spec's
// paths without the server URL's /beta, and answers the first of the
// spec's statuses for an operation (201 for today's add, which declares
// 201 and 204) unless asked with Prefer: code=N, which it honours.
func (w Workload) ForPrism() Workload {
	w.Path = strings.TrimPrefix(w.Path, "/beta")
	w.Headers = map[string]string{"Prefer": fmt.Sprintf("code=%d", w.Status)}
	return w
}

// All lists the workloads in the table's order.
func All() []Workload {
	g1 := seedgen.GroupID(1)
	return []Workload{
		{Name: "doc-add", Title: "the doc's POST /connectorGroups/{id}/members/$ref (201 + connector)", Method: "POST",
			Path: "/beta/connectorGroups/" + GroupSlot + "/members/$ref",
			Body: `{"@odata.id":"` + graph.DocConnectorLink(graph.Beta, ConnectorSlot) + `"}`, Status: 201, Moves: true},
		{Name: "add", Title: "today's POST …/connectorGroups/{id}/members/$ref (204)", Method: "POST",
			Path: "/beta" + graph.MembersRefPath(GroupSlot),
			Body: `{"@odata.id":"` + graph.ConnectorLink(graph.Beta, ConnectorSlot) + `"}`, Status: 204, Moves: true},
		{Name: "get", Title: "GET …/connectorGroups/{id}", Method: "GET",
			Path: "/beta" + graph.ConnectorGroupPath(g1), Status: 200},
		{Name: "list", Title: "GET …/connectors?$top=100", Method: "GET",
			Path: "/beta" + graph.ConnectorsPath() + "?$top=100", Status: 200},
		{Name: "patch", Title: "PATCH …/connectorGroups/{id} (rename, 204)", Method: "PATCH",
			Path: "/beta" + graph.ConnectorGroupPath(seedgen.GroupID(2)), Body: `{"name":"Renamed"}`, Status: 204},
	}
}

// Instance is the workload's request for connector i moved into group g,
// as the Lua script makes it.
func (w Workload) Instance(i, g int) (path, body string) {
	r := strings.NewReplacer(ConnectorSlot, seedgen.ConnectorID(i), GroupSlot, seedgen.GroupID(g))
	return r.Replace(w.Path), r.Replace(w.Body)
}

// Lua is a wrk script for the workload against a seed of n connectors
// in groups groups (at least 3: group 0 holds them all at first, and the
// walks move them into groups 1 and 2 by turns). It checks every answer's
// status against w.Status, and its done() prints one line for the driver:
//
//	CGBENCH requests=N duration_us=D p50_us=P p90_us=P p99_us=P max_us=M bad_status=B first_bad=S errors=E
func (w Workload) Lua(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "-- %s: %s\n", w.Name, w.Title)
	// response() runs in each thread's Lua state and done() in the main
	// one: done reads the threads' globals through the handles setup kept.
	// Thread t of T makes requests k = t, t+T, t+2T, …, so that no two
	// move the same connector at once.
	b.WriteString("local n = " + fmt.Sprint(n) + "\n" + `local threads = {}
setup = function(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads - 1)
end
tid, nthreads, k = 0, 1, nil
bad, firstBad = 0, 0
init = function(args)
  nthreads = tonumber(args[1] or "1")
  k = tid - nthreads
end
`)
	b.WriteString(`wrk.method = "` + w.Method + `"` + "\n")
	b.WriteString(`wrk.headers["Authorization"] = "Bearer ` + Token + `"` + "\n")
	if w.Body != "" {
		b.WriteString(`wrk.headers["Content-Type"] = "application/json"` + "\n")
	}
	for _, k := range slices.Sorted(maps.Keys(w.Headers)) {
		b.WriteString(`wrk.headers[` + luaString(k) + `] = ` + luaString(w.Headers[k]) + "\n")
	}
	if !w.Moves {
		b.WriteString(`wrk.path = ` + luaString(w.Path) + "\n")
		if w.Body != "" {
			b.WriteString(`wrk.body = ` + luaString(w.Body) + "\n")
		}
		// No request(): wrk formats this one request once, after its
		// init has set the Host header, and sends it every time.
	} else {
		pathParts := strings.Split(w.Path, GroupSlot)
		bodyParts := strings.Split(w.Body, ConnectorSlot)
		if len(pathParts) != 2 || len(bodyParts) != 2 || strings.Contains(w.Path, ConnectorSlot) {
			panic("workload " + w.Name + ": a move names its group in the path and its connector in the body, once each")
		}
		// ids as seedgen makes them: connectors ...-8000-%012x, groups ...-9000-%012x.
		connPrefix, _, _ := strings.Cut(seedgen.ConnectorID(0), "000000000000")
		groupPrefix, _, _ := strings.Cut(seedgen.GroupID(0), "000000000000")
		fmt.Fprintf(&b, `request = function()
  k = k + nthreads
  local walk = math.floor(k / n)
  local group = %s .. string.format("%%012x", 1 + walk %% 2)
  local connector = %s .. string.format("%%012x", k %% n)
  return wrk.format(nil, %s .. group .. %s, nil, %s .. connector .. %s)
end
`, luaString(groupPrefix), luaString(connPrefix), luaString(pathParts[0]), luaString(pathParts[1]), luaString(bodyParts[0]), luaString(bodyParts[1]))
	}
	fmt.Fprintf(&b, `response = function(status, headers, body)
  if status ~= %d then
    bad = bad + 1
    if firstBad == 0 then firstBad = status end
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  local bad, firstBad = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("bad")
    if firstBad == 0 then firstBad = t:get("firstBad") end
  end
  io.write(string.format("CGBENCH requests=%%d duration_us=%%d p50_us=%%d p90_us=%%d p99_us=%%d max_us=%%d bad_status=%%d first_bad=%%d errors=%%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    bad, firstBad, e.connect + e.read + e.write + e.timeout))
end
`, w.Status)
	return b.String()
}

func luaString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
