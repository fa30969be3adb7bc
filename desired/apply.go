package desired

import (
	"context"
	"errors"

	"github.com/connectorgroups/connectorgroups/client"
)

// Apply makes the plan's changes through c, one at a time and in order,
// and calls done (if not nil) after each is made. On an error it stops:
// the error is an *ApplyError, which says what was done and what was not.
func (p *Plan) Apply(ctx context.Context, c *client.Client, done func(Change)) error {
	return errors.New("desired: not implemented yet")
}

// ApplyError is an apply that stopped at a change.
type ApplyError struct {
	Done    []Change // made, in order
	Failed  Change   // the change that failed; whether it was made is unknown only if Err says so
	NotDone []Change // not tried, in order
	Err     error
}

func (e *ApplyError) Error() string {
	return "desired: apply stopped at " + e.Failed.String() + ": " + e.Err.Error()
}

func (e *ApplyError) Unwrap() error { return e.Err }
