package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// The spec's descriptions are CommonMark, and CommonMark passes raw HTML
// through: a placeholder such as '<segment>' written as plain text is an
// HTML tag to Redoc, which renders it as an empty element and the reader
// sees nothing. Placeholders belong in code spans.

// htmlTag is what CommonMark reads as an open or closing HTML tag.
var htmlTag = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>`)

// autolink is CommonMark's <scheme:...>, rendered as a link, not a tag.
var autolink = regexp.MustCompile(`^<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>$`)

// codeSpans matches CommonMark code spans: a run of backticks, then
// anything up to a run of the same length.
var codeSpans = regexp.MustCompile("(`+)")

// rawTags lists each description or summary of the spec that holds an HTML
// tag outside a code span, with where it is and the tag.
func rawTags(doc *openapi3.T) ([]string, error) {
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var tree any
	if err := json.Unmarshal(data, &tree); err != nil {
		return nil, err
	}
	var out []string
	walk(tree, "", func(path, text string) {
		for _, tag := range tagsOutsideCode(text) {
			out = append(out, fmt.Sprintf("%s: %s would render as an HTML tag; write it in backticks", path, tag))
		}
	})
	slices.Sort(out)
	return out, nil
}

// walk calls f with every description and summary string in v, and its
// JSON pointer.
func walk(v any, path string, f func(path, text string)) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			p := path + "/" + strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
			if s, ok := child.(string); ok && (k == "description" || k == "summary") {
				f(p, s)
				continue
			}
			walk(child, p, f)
		}
	case []any:
		for i, child := range v {
			walk(child, fmt.Sprintf("%s/%d", path, i), f)
		}
	}
}

// tagsOutsideCode returns the HTML tags in CommonMark text that no code
// span holds.
func tagsOutsideCode(text string) []string {
	var out []string
	for _, part := range outsideCode(text) {
		for _, tag := range htmlTag.FindAllString(part, -1) {
			if !autolink.MatchString(tag) {
				out = append(out, tag)
			}
		}
	}
	return out
}

// outsideCode splits text into the parts outside its code spans. A run of
// backticks that is never closed is literal text, as CommonMark reads it.
func outsideCode(text string) []string {
	var parts []string
	for {
		open := codeSpans.FindStringIndex(text)
		if open == nil {
			return append(parts, text)
		}
		fence := text[open[0]:open[1]]
		rest := text[open[1]:]
		end := closingRun(rest, len(fence))
		if end < 0 {
			// Not a code span: keep the backticks as text and go on.
			parts = append(parts, text[:open[1]])
			text = rest
			continue
		}
		parts = append(parts, text[:open[0]])
		text = rest[end+len(fence):]
	}
}

// closingRun returns where in s a run of exactly n backticks starts, or -1.
func closingRun(s string, n int) int {
	for _, m := range codeSpans.FindAllStringIndex(s, -1) {
		if m[1]-m[0] == n {
			return m[0]
		}
	}
	return -1
}
