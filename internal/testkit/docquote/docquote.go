// Package docquote finds what a documentation page quotes, so that a
// test holds the page to the code it shows: a page puts a marker (an HTML
// comment, invisible once rendered) right before a fenced block, and the
// test compares the block with the file, or the part of it, that the
// marker names.
package docquote

import (
	"strings"
	"testing"
)

// FencedAfter returns the text of the ```lang block that follows marker
// in doc (blank lines between them allowed), ending in a newline.
func FencedAfter(tb testing.TB, doc, marker, lang string) string {
	tb.Helper()
	_, rest, ok := strings.Cut(doc, marker)
	if !ok {
		tb.Fatalf("docquote: the page lacks %q", marker)
	}
	fence := "```" + lang + "\n"
	rest = strings.TrimLeft(rest, "\n")
	if !strings.HasPrefix(rest, fence) {
		tb.Fatalf("docquote: a %q block must follow %q", strings.TrimSpace(fence), marker)
	}
	block, _, ok := strings.Cut(strings.TrimPrefix(rest, fence), "\n```\n")
	if !ok {
		tb.Fatalf("docquote: the %q block after %q is not closed", strings.TrimSpace(fence), marker)
	}
	return block + "\n"
}

// Between returns the text of s between the first from and the to after
// it, the two themselves left out.
func Between(tb testing.TB, s, from, to string) string {
	tb.Helper()
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		tb.Fatalf("docquote: no %q", from)
	}
	part, _, ok := strings.Cut(rest, to)
	if !ok {
		tb.Fatalf("docquote: no %q after %q", to, from)
	}
	return part
}
