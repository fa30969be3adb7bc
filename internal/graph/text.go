package graph

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// OneLine folds s onto one line, control characters and runs of white
// space becoming one space, and cuts it to at most limit runes, ending in
// "…" when cut. Messages from a server go through it before they reach a
// log line, an error or a report, so that they cannot break the line or
// be cut inside a UTF-8 sequence. Invalid UTF-8 becomes U+FFFD.
func OneLine(s string, limit int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if limit > 0 && utf8.RuneCountInString(s) > limit {
		s = string([]rune(s)[:limit]) + "…"
	}
	return s
}

// HasSpaceOrControl reports whether s holds white space or a control
// character: what no id or bearer token carries, so that a value with one
// (a stray newline read from a file, say) is refused rather than sent or
// stored. The client's id and token checks and the fake's seed loader use
// this one rule.
func HasSpaceOrControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
}
