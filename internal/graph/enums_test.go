package graph

import (
	"strings"
	"testing"
)

func TestIsEnumMemberName(t *testing.T) {
	for _, name := range []string{
		"nam", "unknownFutureValue", "japan", "syncFabric", GroupTypeApplicationProxy,
		"_x", "a1", "A", strings.Repeat("a", MaxEnumMemberLength),
	} {
		if !IsEnumMemberName(name) {
			t.Errorf("%q: want an enum member's name", name)
		}
	}
	for _, name := range []string{
		"", "1abc", "Japan East", "japan-east", "eur ", " eur", "é", "a.b", "a\x00",
		strings.Repeat("a", MaxEnumMemberLength+1),
	} {
		if IsEnumMemberName(name) {
			t.Errorf("%q: want refused", name)
		}
	}
}
