package graph

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// OneLine makes text from a server safe to print on one terminal line.
// Control characters and runs of white space become one space; format
// characters (Unicode category Cf: the bidi overrides and isolates
// U+202A–U+202E and U+2066–U+2069, the marks U+200E and U+200F, zero-width
// characters, U+FEFF, ...) are written as Go escapes ("\u202e"), so that
// they can be seen and cannot reorder or hide what the line shows; then the
// text is cut to at most limit runes, ending in "…" when cut. Messages from
// a server go through it before they reach a log line, an error or a
// report, so that they cannot break the line, disguise it, or be cut
// inside a UTF-8 sequence. Invalid UTF-8 becomes U+FFFD.
func OneLine(s string, limit int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			b.WriteByte(' ')
		case unicode.Is(unicode.Cf, r):
			b.WriteString(escapeRune(r))
		default:
			b.WriteRune(r)
		}
	}
	s = strings.Join(strings.Fields(b.String()), " ")
	if limit > 0 && utf8.RuneCountInString(s) > limit {
		s = string([]rune(s)[:limit]) + "…"
	}
	return s
}

// escapeRune writes r as Go's %q does for a character it does not print.
func escapeRune(r rune) string {
	if r > 0xFFFF {
		return fmt.Sprintf(`\U%08x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// HasSpaceOrControl reports whether s holds white space or a control
// character: what no id or bearer token carries, so that a value with one
// (a stray newline read from a file, say) is refused rather than sent or
// stored. The client's id and token checks and the fake's seed loader use
// this one rule.
func HasSpaceOrControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
}
