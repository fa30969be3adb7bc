// Package compat proves that Microsoft's official Go SDK for Graph beta,
// github.com/microsoftgraph/msgraph-beta-sdk-go, runs against the fake
// exactly as it ships: its default middleware (gzip-compressed request
// bodies, retries that honour Retry-After, redirects), its fluent request
// builders, its PageIterator and its ODataError. It is a module of its
// own, so that the project's main module never depends on the SDK, whose
// first build takes minutes and gigabytes.
//
// NewClient is the one piece of code a user of the SDK needs to point it
// at the fake; docs/sdk-compat.md quotes this package's client.go whole.
// The tests drive the connector group lifecycle through it
// (lifecycle_test.go lists the steps).
package compat
