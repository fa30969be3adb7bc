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
//     move, never copy), an application's assignment from both sides and
//     its removal, an unpublished application refused, and the delete
//     rules;
//   - the traffic judges, which send nothing and judge every exchange the
//     others made, whatever its operation: status, content type, response
//     schema (an enum value the spec lacks is a violation), headers, and
//     no 5xx.
//
// A run leaves the server as it found it, and touches only what it made.
// Before its first write it lists every group that exists (all pages,
// bounded); every write, a check's or the cleanup's, then passes one
// guard, which never sends a PATCH or DELETE to one of those groups, nor
// to any group an answer called the default, whatever the server says
// later: it refuses the write, and the check or cleanup reports the
// refusal. Without that record no write is sent at all. A create whose
// 2xx answer names a group that existed, or one an earlier create of the
// run got, fails its check, and that group is never deleted. The only
// connector a run moves is Target.Connector (into Group, into the run's
// own group, and back to the group it started in, which may be the
// default: that moves the connector, it changes nothing of the group's).
// The only application a run changes is Target.Application, and only its
// group: the guard refuses a write to any other application, and to the
// application itself; the cleanup puts it back to the group it reported
// before (Target.UnpublishedApplication is only ever tried, and a faulty
// server's assignment of it removed).
//
// The run reads the connector's group first; before each request that
// could change something, it pushes the step that undoes it on a cleanup
// stack (move the connector back, delete the group it created), and Run
// runs the stack after the checks, on a fresh bounded context, even when
// a check failed or the run was cancelled. Report.Cleanup says what is
// known: nothing to undo when the server accepted no write, else what it
// undid and, when a step failed, what is left. A cleanup that failed
// fails the run. Target.ReadOnly runs the read-only checks alone.
//
// Every body is read with a bound, after decompression: a response
// (graph.MaxResponseBytes, 4 MiB), a request (the same), and the pages of
// one list together (16 MiB); past it the read ends in an error that
// names the operation.
//
// Reports have one line per check with the evidence it rests on
// (Evidence: the request, the status, what was wanted, the violations),
// as text or JSON, and never hold a token.
package contract
