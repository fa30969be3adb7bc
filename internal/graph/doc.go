// Package graph is the one home of Microsoft Graph's conventions that this
// project depends on: API versions and the service root, the forms of an
// @odata.id link, the scopes of the operations, error codes and messages,
// the correlation and OData headers, a tolerant reading of Graph's
// ODataError bodies, and the bounds this project puts on what it reads.
//
// It uses the standard library only, so that the client (which must stay
// free of kin-openapi), the fake, the contract suite and the CLI can all
// ask it instead of keeping copies that drift apart. Each fact says how
// sure it is: documented, seen on the wire, or inferred.
package graph
