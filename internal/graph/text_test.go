package graph

import "testing"

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
