package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseVersion(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want version
		ok   bool
	}{
		{"0.2.0", version{0, 2, 0}, true},
		{"1.10.3", version{1, 10, 3}, true},
		{"10.0.0", version{10, 0, 0}, true},
		{"v0.2.0", version{}, false},
		{"0.2", version{}, false},
		{"0.02.0", version{}, false},
		{"1.0.0-beta", version{}, false},
		{"1.0.0+build", version{}, false},
		{"", version{}, false},
		{"2026-12-01", version{}, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseVersion(tc.in)
			if !tc.ok {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"0.2.0", "0.2.0", 0},
		{"0.2.0", "0.2.1", -1},
		{"0.10.0", "0.9.9", 1},
		{"1.0.0", "0.99.99", 1},
		{"2.0.0", "10.0.0", -1},
	} {
		t.Run(tc.a+" vs "+tc.b, func(t *testing.T) {
			assert.Equal(t, tc.want, mustVersion(t, tc.a).compare(mustVersion(t, tc.b)))
		})
	}
}

// Under 1.0.0 a breaking change needs the minor bump; from 1.0.0 on, the
// major one.
func TestAllowsBreaking(t *testing.T) {
	for _, tc := range []struct {
		released, next string
		want           bool
	}{
		{"0.2.0", "0.3.0", true},
		{"0.2.0", "0.2.1", false},
		{"0.2.0", "0.2.0", false},
		{"0.2.0", "1.0.0", true},
		{"0.2.5", "0.3.0", true},
		{"1.2.0", "1.3.0", false},
		{"1.2.0", "2.0.0", true},
		{"1.2.0", "1.2.1", false},
	} {
		t.Run(tc.released+" to "+tc.next, func(t *testing.T) {
			assert.Equal(t, tc.want, allowsBreaking(mustVersion(t, tc.released), mustVersion(t, tc.next)))
		})
	}
	assert.Equal(t, version{0, 3, 0}, nextMajor(version{0, 2, 4}))
	assert.Equal(t, version{2, 0, 0}, nextMajor(version{1, 7, 1}))
}

func mustVersion(t *testing.T, s string) version {
	t.Helper()
	v, err := parseVersion(s)
	require.NoError(t, err)
	return v
}
