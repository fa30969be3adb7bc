// Package contract checks both sides of the connectorgroups API against
// openapi/connectorgroups.yaml: the requests a client sends and the
// responses a server returns. It can be pointed at any server, the live
// Graph beta included.
//
// The client side is Transport, an http.RoundTripper that validates every
// request and response going through it and records each Violation; it
// works under the generated client, the typed client (package client) and
// any other net/http client.
//
// The server side is Run, which runs the named Checks against a Target, in
// this order:
//
//   - read-only checks, which send GETs and requests without a valid token:
//     ignored_auth (401 and 403 on every operation), read_acceptance (every
//     read, and what the model says: one default group, one group per
//     connector) and paging_consistency ($top and @odata.nextLink);
//   - checks that write: negative_data_rejection (generated bad bodies for
//     every write), the doc's add and its duplicate, and the stateful
//     checks on today's surface: the doc's path and today's see one
//     membership, create, update, move (members/$ref and memberOf/$ref
//     move, never copy) and the delete rules;
//   - the traffic judges, which send nothing and judge every exchange the
//     others made, whatever its operation: status, content type, response
//     schema (an enum value the spec lacks is a violation), headers, and
//     no 5xx.
//
// A run leaves the server as it found it. The run reads the connector's
// group first; before each request that could change something, it pushes
// the step that undoes it on a cleanup stack (move the connector back,
// delete the group it created), and Run runs the stack after the checks,
// on a fresh bounded context, even when a check failed or the run was
// cancelled. Report.Cleanup says what it did; a cleanup that failed fails
// the run. Target.ReadOnly runs the read-only checks alone.
//
// Reports have one line per check with the evidence it rests on
// (Evidence: the request, the status, what was wanted, the violations),
// as text or JSON, and never hold a token.
package contract
