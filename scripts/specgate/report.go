package main

import (
	"fmt"
	"io"
)

// write prints the verdict: each breaking change on a line of its own,
// then the other changes, the problems, the result, and a draft of the
// changelog section for the spec's version.
func (v verdict) write(w io.Writer, spec string) {
	fmt.Fprintf(w, "spec gate: %s (info.version %s) against the last release, %s (%s)\n", spec, v.current, v.last.file, v.last.version)
	if len(v.breaking) == 0 {
		fmt.Fprintln(w, "breaking changes: none")
	} else {
		fmt.Fprintf(w, "breaking changes (%d):\n", len(v.breaking))
		for _, c := range v.breaking {
			fmt.Fprintf(w, "  %-4s %s: %s [%s]\n", c.levelName(), c.where(), c.Text, c.ID)
		}
	}
	if len(v.other) > 0 {
		fmt.Fprintf(w, "other changes (%d):\n", len(v.other))
		for _, c := range v.other {
			fmt.Fprintf(w, "  %-4s %s: %s [%s]\n", c.levelName(), c.where(), c.Text, c.ID)
		}
	}
	if len(v.breaking)+len(v.other) > 0 {
		fmt.Fprintf(w, "\nchangelog draft (CHANGELOG.md):\n\n## %s\n\n", v.current)
		if len(v.breaking) > 0 {
			fmt.Fprintln(w, "### Breaking")
			for _, c := range v.breaking {
				fmt.Fprintf(w, "- %s: %s\n", c.where(), c.Text)
			}
			fmt.Fprintln(w)
		}
		if len(v.other) > 0 {
			fmt.Fprintln(w, "### Changed")
			for _, c := range v.other {
				fmt.Fprintf(w, "- %s: %s\n", c.where(), c.Text)
			}
			fmt.Fprintln(w)
		}
	}
	if v.ok() {
		fmt.Fprintln(w, "OK")
		return
	}
	fmt.Fprintf(w, "FAIL (%d):\n", len(v.problems))
	for _, p := range v.problems {
		fmt.Fprintf(w, "  %s\n", p)
	}
}
