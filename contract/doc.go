// Package contract checks both sides of the connectorgroups API against
// openapi/connectorgroups.yaml: the requests a client sends and the
// responses a server returns. It can be pointed at any server.
package contract
