// Package testkit holds, in its subpackages, the helpers that the tests of
// several packages share, and nothing else: no product code imports them.
//
//   - wirecorpus loads testdata/graph-responses, Graph's answers as people
//     pasted them from the live service;
//   - patterngen draws strings that a spec's `pattern` matches;
//   - docquote finds the code a documentation page quotes.
//
// They are ordinary (non-test) packages only because Go lets a test import
// another package's exported code, never its tests. Each uses the standard
// library only.
package testkit
