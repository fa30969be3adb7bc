package graph

import (
	"testing"
	"unicode"
)

func TestHasSpaceOrControl(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"d2b1f9a0-3c5e", false}, {"", false}, {"é-ü", false},
		{"a b", true}, {"token\n", true}, {"a\tb", true}, {"a\x00b", true}, {"a\u00a0b", true}, {"a\u0085b", true},
	}
	for _, tt := range tests {
		if got := HasSpaceOrControl(tt.s); got != tt.want {
			t.Errorf("HasSpaceOrControl(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

// Format characters reach a terminal as escapes, never as themselves: a
// right-to-left override would show the rest of the line reversed.
func TestOneLineEscapesFormatCharacters(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Resource '\u202egnp.exe' does not exist", `Resource '\u202egnp.exe' does not exist`},
		{"a\u2066b\u2067c\u2068d\u2069e", `a\u2066b\u2067c\u2068d\u2069e`},
		{"\u200eleft\u200fright\ufeff", `\u200eleft\u200fright\ufeff`},
		{"zero\u200bwidth soft\u00adhyphen", `zero\u200bwidth soft\u00adhyphen`},
		{"tag\U000e0041", `tag\U000e0041`},
		{"line\nbreak\ttab\x00nul", "line break tab nul"},
		{"é 日本 😀", "é 日本 😀"},
	}
	for _, tt := range tests {
		got := OneLine(tt.in, 0)
		if got != tt.want {
			t.Errorf("OneLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
		for _, r := range got {
			if unicode.Is(unicode.Cf, r) || unicode.IsControl(r) {
				t.Errorf("OneLine(%q) keeps %U", tt.in, r)
			}
		}
	}
}
