package docquote

import (
	"strings"
	"testing"
)

const page = "Some text.\n\n<!-- quotes x.go -->\n\n```go\npackage x\n\nvar y = \"```\"\n```\n\nMore text.\n"

func TestFencedAfterReturnsTheBlockThatFollowsTheMarker(t *testing.T) {
	got := FencedAfter(t, page, "<!-- quotes x.go -->", "go")
	if want := "package x\n\nvar y = \"```\"\n"; got != want {
		t.Errorf("FencedAfter = %q, want %q", got, want)
	}
}

func TestBetweenLeavesTheBoundsOut(t *testing.T) {
	if got := Between(t, "a // from\nb\n// to\nc", "// from\n", "// to\n"); got != "b\n" {
		t.Errorf("Between = %q, want %q", got, "b\n")
	}
}

// recorder stands in for a test, to see that a helper fails it.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = format
	panic(r) // Fatalf does not return
}

func fails(t *testing.T, f func(tb testing.TB)) string {
	t.Helper()
	r := &recorder{TB: t}
	func() {
		defer func() {
			if v := recover(); v != nil && v != r {
				panic(v)
			}
		}()
		f(r)
	}()
	return r.failed
}

func TestEachMissingPartFailsTheTest(t *testing.T) {
	for name, f := range map[string]func(tb testing.TB){
		"no marker":        func(tb testing.TB) { FencedAfter(tb, page, "<!-- quotes y.go -->", "go") },
		"another language": func(tb testing.TB) { FencedAfter(tb, page, "<!-- quotes x.go -->", "text") },
		"an open block":    func(tb testing.TB) { FencedAfter(tb, "<!-- m -->\n```go\nx\n", "<!-- m -->", "go") },
		"no from":          func(tb testing.TB) { Between(tb, "abc", "x", "c") },
		"no to after from": func(tb testing.TB) { Between(tb, "c a b", "a", "c") },
	} {
		if got := fails(t, f); !strings.HasPrefix(got, "docquote: ") {
			t.Errorf("%s: the test did not fail (%q)", name, got)
		}
	}
}
