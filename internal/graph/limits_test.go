package graph

import (
	"errors"
	"strings"
	"testing"
)

func TestReadAtMost(t *testing.T) {
	for _, tc := range []struct {
		size    int
		tooMany bool
	}{{0, false}, {9, false}, {10, false}, {11, true}, {1 << 20, true}} {
		data, err := ReadAtMost(strings.NewReader(strings.Repeat("x", tc.size)), 10, "the body")
		var tl *TooLargeError
		if tc.tooMany {
			if !errors.As(err, &tl) || tl.Limit != 10 || data != nil {
				t.Fatalf("size %d: got %d bytes, %v; want a *TooLargeError", tc.size, len(data), err)
			}
			if got := err.Error(); got != "the body is larger than 10 bytes, the most this program reads" {
				t.Fatalf("message: %q", got)
			}
			continue
		}
		if err != nil || len(data) != tc.size {
			t.Fatalf("size %d: got %d bytes, %v", tc.size, len(data), err)
		}
	}
}
