package main

import (
	"fmt"
	"strings"
)

// maxSuggestionDistance is how many single-letter edits (an insertion, a
// deletion, a substitution or two letters swapped) a typed name may be
// from a known one for the known one to be suggested: "gruops" is one
// swap from groups.
const maxSuggestionDistance = 2

// unknownName is the problem for a command or subcommand name that names
// nothing: with the closest known names when some are near, as git and
// the go command do.
func unknownName(kind, typed string, known []string) string {
	problem := fmt.Sprintf("unknown %s %q", kind, typed)
	if near := nearest(typed, known); len(near) > 0 {
		problem += "; did you mean " + strings.Join(near, " or ") + "?"
	}
	return problem
}

// nearest returns the known names closest to typed, in known's order, when
// they are at most maxSuggestionDistance edits away (case ignored).
func nearest(typed string, known []string) []string {
	best := maxSuggestionDistance + 1
	var out []string
	for _, k := range known {
		d := editDistance(strings.ToLower(typed), k)
		switch {
		case d > maxSuggestionDistance:
		case d < best:
			best, out = d, []string{k}
		case d == best:
			out = append(out, k)
		}
	}
	return out
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of adjacent letters.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// d[i][j] is the distance between ra[:i] and rb[:j].
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
