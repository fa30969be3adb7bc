package contract

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTheCleanupStackUndoesEachChangeOnceConnectorFirst(t *testing.T) {
	step := func(key string, first bool) cleanupStep {
		return cleanupStep{key: key, first: first, undo: func(context.Context, *trail) undone { return undone{did: key} }}
	}
	tests := []struct {
		name  string
		build func(*cleanupStack)
		want  []string
	}{
		{"latest first", func(c *cleanupStack) {
			c.push(step("delete a", false))
			c.push(step("delete b", false))
		}, []string{"delete b", "delete a"}},
		{"the connector before any group, pushed when it was", func(c *cleanupStack) {
			c.push(step("connector", true))
			c.pushOnce(step("sweep", false))
			c.push(step("delete a", false))
		}, []string{"connector", "delete a", "sweep"}},
		{"a push again moves the step up, once", func(c *cleanupStack) {
			c.push(step("delete a", false))
			c.push(step("delete b", false))
			c.push(step("delete a", false))
		}, []string{"delete a", "delete b"}},
		{"pushOnce keeps its place", func(c *cleanupStack) {
			c.pushOnce(step("sweep", false))
			c.push(step("delete a", false))
			c.pushOnce(step("sweep", false))
		}, []string{"delete a", "sweep"}},
		{"a dropped step is gone", func(c *cleanupStack) {
			c.push(step("delete a", false))
			c.push(step("delete b", false))
			c.drop("delete a")
		}, []string{"delete b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c cleanupStack
			tt.build(&c)
			var got []string
			for _, s := range c.order() {
				got = append(got, s.undo(context.Background(), &trail{}).did)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// Cleanup gets ctx's values but not its end: a cancelled run still cleans
// up, within a deadline of its own.
func TestCleanupOutlivesTheRunsContext(t *testing.T) {
	type key struct{}
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
	cancel()

	cctx, stop := cleanupContext(ctx)
	defer stop()

	assert.NoError(t, cctx.Err())
	assert.Equal(t, "v", cctx.Value(key{}))
	_, ok := cctx.Deadline()
	assert.True(t, ok, "cleanup is bounded")
}
