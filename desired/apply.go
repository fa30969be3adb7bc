package desired

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/connectorgroups/connectorgroups/client"
)

// Apply makes the plan's changes through c, one at a time and in order,
// and calls done (if not nil) after each is made, with the ids of the
// groups it created filled in. On an error it stops, and the error is an
// *ApplyError that says what was done and what was not. A plan is made
// to be applied once, soon after NewPlan read the service: Apply checks
// again, right before each, that a group whose region it changes holds
// nothing and that a group it deletes is not the default, and stops if
// the service changed under it.
func (p *Plan) Apply(ctx context.Context, c *client.Client, done func(Change)) error {
	a := applier{c: c, created: map[string]string{}}
	changes := make([]Change, len(p.Changes))
	copy(changes, p.Changes)
	for i := range changes {
		ch := &changes[i]
		if err := a.apply(ctx, ch); err != nil {
			return &ApplyError{Done: changes[:i], Failed: *ch, NotDone: changes[i+1:], Err: err}
		}
		if done != nil {
			done(*ch)
		}
	}
	return nil
}

// ApplyError is an apply that stopped at a change. Whether the failed
// change was made is unknown only when Err says so (see
// client.Error.AfterAmbiguousAttempt); a new plan shows where things
// stand.
type ApplyError struct {
	Done    []Change // made, in order
	Failed  Change
	NotDone []Change // not tried, in order
	Err     error
}

func (e *ApplyError) Error() string {
	return fmt.Sprintf("desired: apply stopped at change %d of %d, %s: %v", len(e.Done)+1, len(e.Done)+1+len(e.NotDone), e.Failed, e.Err)
}

func (e *ApplyError) Unwrap() error { return e.Err }

// ErrServiceChanged is what Apply stops with when a check right before a
// change finds the service no longer as the plan saw it.
var ErrServiceChanged = errors.New("desired: the service changed since the plan was made")

type applier struct {
	c       *client.Client
	created map[string]string // name → id of the groups this apply created
}

// id is the group's id, for a group this apply created too; it fills in
// the change's reference.
func (a *applier) id(r *GroupRef) (string, error) {
	if r.ID == "" {
		id, ok := a.created[r.Name]
		if !ok {
			return "", fmt.Errorf("desired: group %s is neither on the service nor created earlier in this plan", strconv.Quote(r.Name))
		}
		r.ID = id
	}
	return r.ID, nil
}

func (a *applier) apply(ctx context.Context, ch *Change) error {
	if ch.Action == CreateGroup {
		g, err := a.c.CreateConnectorGroup(ctx, client.NewConnectorGroup{Name: ch.Group.Name, Region: client.ConnectorGroupRegion(deref(ch.Region))})
		if err != nil {
			return err
		}
		a.created[ch.Group.Name] = g.ID
		ch.Group.ID = g.ID
		return nil
	}
	id, err := a.id(&ch.Group)
	if err != nil {
		return err
	}
	switch ch.Action {
	case RenameGroup:
		return a.c.UpdateConnectorGroup(ctx, id, client.ConnectorGroupUpdate{Name: ch.Name})
	case MoveConnector:
		_, err := a.c.AddConnector(ctx, id, ch.Connector.ID)
		if errors.Is(err, client.ErrAlreadyMember) {
			// It is there already: an earlier attempt whose answer was
			// lost put it there, or someone else did.
			return nil
		}
		return err
	case MoveApplication:
		return a.c.AddApplicationViaConnectorGroup(ctx, id, ch.Application.ID)
	case SetRegion:
		if err := a.checkEmpty(ctx, id, ch.Group.Name); err != nil {
			return err
		}
		update := client.ConnectorGroupUpdate{Region: client.ConnectorGroupRegion(deref(ch.Region))}
		update.ClearRegion = update.Region == ""
		return a.c.UpdateConnectorGroup(ctx, id, update)
	case DeleteGroup:
		g, err := a.c.GetConnectorGroup(ctx, id)
		if err != nil {
			return err
		}
		if g.IsDefault {
			return fmt.Errorf("%w: group %s is the default group now, and the default group is never deleted", ErrServiceChanged, strconv.Quote(g.Name))
		}
		err = a.c.DeleteConnectorGroup(ctx, id)
		var ce *client.Error
		if errors.Is(err, client.ErrNotFound) && errors.As(err, &ce) && ce.AfterAmbiguousAttempt {
			// An earlier attempt whose answer was lost deleted it.
			return nil
		}
		return err
	}
	return fmt.Errorf("desired: unknown action %q", ch.Action)
}

// checkEmpty reads the group's connectors and applications right before
// its region changes: the plan saw it empty after its moves, and a region
// must never be sent to a group that holds either.
func (a *applier) checkEmpty(ctx context.Context, id, name string) error {
	members, err := a.c.ListMembers(ctx, id)
	if err != nil {
		return err
	}
	apps, err := a.c.ListGroupApplications(ctx, id)
	if err != nil {
		return err
	}
	if len(members) > 0 || len(apps) > 0 {
		return fmt.Errorf("%w: group %s holds %d connectors and %d applications, so its region is left as it is", ErrServiceChanged, strconv.Quote(name), len(members), len(apps))
	}
	return nil
}
