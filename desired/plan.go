package desired

import (
	"context"
	"errors"

	"github.com/connectorgroups/connectorgroups/client"
)

// Options are how NewPlan compares.
type Options struct {
	// Prune deletes the groups the file omits, after moving what they hold
	// into the default group. The default group is never deleted, nor a
	// group of a type other than applicationProxy.
	Prune bool
}

// Plan is the changes that make the service match a file, in the order
// Apply makes them. No changes means the service matches the file.
type Plan struct {
	Changes []Change
}

// NewPlan reads the service through c and compares it with f. It writes
// nothing. Problems with the file, those seen only against the service
// included, are a *FileError; anything else is the service's error (a
// *client.Error, or the transport's).
func NewPlan(ctx context.Context, c *client.Client, f *File, opts Options) (*Plan, error) {
	return nil, errors.New("desired: not implemented yet")
}
