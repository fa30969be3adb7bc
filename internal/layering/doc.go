// Package layering holds a test that keeps the project's imports flowing one
// way: openapi → gen → the three siblings (fakegraph, client, contract) →
// cmd, with internal/ below them all. It has no product code: the rule is
// about the whole tree, so it belongs to no one package of it.
package layering
