// Package soak holds the soak test (soak_test.go): many workers drive the
// real client against one fake on loopback with a mixed workload, keep
// their own model of which connector is where, and at the end check the
// fake's whole state against it. It has no product code; it lives apart
// because it imports both client and fakegraph, which never import each
// other.
//
// `go test -race ./...` runs it at a small size; `make soak` at a large
// one (see the -soak.* flags, or the SOAK_* variables).
package soak
