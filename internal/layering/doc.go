// Package layering holds a test that keeps the project's imports flowing one
// way, as ../../shared/ARCHITECTURE.md intends: openapi → gen → the three
// siblings (fakegraph, client, contract) → cmd.
package layering
