package desired_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/connectorgroups/connectorgroups/desired"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// A group the plan creates must be given only a region Graph takes
// (nam, eur, aus, asia, ind) or none, as a region change must: japan is
// a region a group may keep, never one a request may send. NewPlan has to
// refuse the file, rather than plan a create the service answers 400
// halfway through an apply.
func TestNewPlanRefusesACreatedGroupInARegionGraphDoesNotTake(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	svc := startFake(t, fakegraph.DefaultSeed(), nil)
	c := svc.client(t)
	japan := "japan"
	f := &desired.File{ConnectorGroups: []desired.Group{{Name: "Tokyo", Region: &japan}}}

	plan, err := desired.NewPlan(ctx, c, f, desired.Options{})
	var fe *desired.FileError
	if errors.As(err, &fe) {
		return
	}
	if err != nil {
		t.Fatalf("NewPlan: %v; want a *desired.FileError", err)
	}
	mark := svc.log.mark()
	applyErr := plan.Apply(ctx, c, nil)
	svc.settle()
	t.Errorf("NewPlan accepted a new group in region japan; want a *desired.FileError.\nplan:\n%s\nApply: %v\nwrites:\n%s",
		showPlan(plan), applyErr, listRequests(svc.log.writesSince(mark)))
}
