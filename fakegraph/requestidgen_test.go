package fakegraph

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequestIDSourceIsUUIDShapedAndUnique(t *testing.T) {
	s := newRequestIDSource()
	const goroutines, each = 4, 5000
	ids := make([][]string, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for range each {
				ids[g] = append(ids[g], s.next())
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, list := range ids {
		for _, id := range list {
			require.Regexp(t, uuidPattern, id)
			require.False(t, seen[id], "repeated id %s", id)
			seen[id] = true
		}
	}
	assert.Len(t, seen, goroutines*each)
}

func TestRequestIDSourcesDifferAcrossProcesses(t *testing.T) {
	// Each source stands for a process: its prefix is drawn anew.
	assert.NotEqual(t, newRequestIDSource().next()[:18], newRequestIDSource().next()[:18])
}
