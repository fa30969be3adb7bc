package desired_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/desired"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// scenarioWrites runs the scenario once without failures and returns its
// plan's length, after checking that the plan has every kind of change
// and that each change is one write the fake took.
func scenarioWrites(t *testing.T) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	svc := startFake(t, scenarioSeed(), nil)
	w := readWorld(t, svc.fake)
	c := svc.client(t)
	plan, err := desired.NewPlan(ctx, c, scenarioFile(), desired.Options{Prune: true})
	if err != nil {
		t.Fatalf("NewPlan: %v", err)
	}
	got := map[desired.Action]int{}
	for _, ch := range plan.Changes {
		got[ch.Action]++
	}
	if fmt.Sprint(got) != fmt.Sprint(scenarioActions) {
		t.Fatalf("the scenario's plan has %v; want %v:\n%s", got, scenarioActions, showPlan(plan))
	}
	mark := svc.log.mark()
	if err := plan.Apply(ctx, c, nil); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	svc.settle()
	writes := svc.log.writesSince(mark)
	if len(writes) != len(plan.Changes) {
		t.Fatalf("%d changes made %d writes:\n%s", len(plan.Changes), len(writes), listRequests(writes))
	}
	for _, req := range writes {
		if !req.ok() {
			t.Fatalf("the fake refused a write: %s", req)
		}
	}
	assertConverged(t, svc.fake, w, expect(w, scenarioFile(), true))
	return len(plan.Changes)
}

// TestApplyAfterAFailureMidwayConverges stops an apply at each of its
// writes in turn with an outage (503 from that write on, no retries), and
// checks that the ApplyError says exactly what was done, that nothing was
// lost meanwhile, and that once the outage is over a new plan and apply
// reach the file's state and leave nothing to do.
func TestApplyAfterAFailureMidwayConverges(t *testing.T) {
	n := scenarioWrites(t)
	for k := 1; k <= n; k++ {
		t.Run(fmt.Sprintf("outage from write %d", k), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var armed, down atomic.Bool
			armed.Store(true)
			outage := fakegraph.Faults{Rate: 0.5, Status: http.StatusServiceUnavailable, Rand: func() float64 {
				if down.Load() {
					return 0 // fails: below Rate
				}
				return 0.9
			}}
			svc := startFake(t, scenarioSeed(), func(n int64) {
				if armed.Load() && n >= int64(k) {
					down.Store(true)
				}
			}, fakegraph.WithFaults(outage))
			w := readWorld(t, svc.fake)
			c := svc.client(t, client.WithoutRetry())
			file := scenarioFile()
			plan := planScenario(ctx, t, c, file, n)
			want := append([]desired.Change(nil), plan.Changes...)

			mark := svc.log.mark()
			var reported []desired.Change
			err := plan.Apply(ctx, c, func(ch desired.Change) { reported = append(reported, ch) })
			svc.settle()
			armed.Store(false)
			down.Store(false)

			var ae *desired.ApplyError
			if !errors.As(err, &ae) {
				t.Fatalf("Apply = %v; want an *ApplyError", err)
			}
			var ce *client.Error
			if !errors.As(ae.Err, &ce) || ce.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("ApplyError.Err = %v; want the 503", ae.Err)
			}
			if len(ae.Done)+1+len(ae.NotDone) != len(want) {
				t.Errorf("Done %d + Failed + NotDone %d ≠ %d changes", len(ae.Done), len(ae.NotDone), len(want))
			}
			if len(ae.Done) == k-1 && len(ae.Done)+1+len(ae.NotDone) == len(want) {
				assertSameChanges(t, "Done", ae.Done, want[:k-1])
				assertSameChanges(t, "Failed", []desired.Change{ae.Failed}, want[k-1:k])
				assertSameChanges(t, "NotDone", ae.NotDone, want[k:])
			} else {
				t.Errorf("Done has %d changes; the outage began at write %d, so %d were made", len(ae.Done), k, k-1)
			}
			assertSameChanges(t, "the changes reported done", reported, ae.Done)

			writes := svc.log.writesSince(mark)
			if len(writes) != k {
				t.Errorf("%d writes reached the fake; want %d, the last refused:\n%s", len(writes), k, listRequests(writes))
			}
			for i, req := range writes {
				if (i < k-1) != req.ok() {
					t.Errorf("write %d: %s", i+1, req)
				}
			}
			svc.assertNoRegionOnNonEmpty(t)
			assertWhole(t, svc.fake, w)
			if t.Failed() {
				return
			}

			convergeAgain(ctx, t, svc, c, w, file)
		})
	}
}

// convergeAgain plans and applies once more, after a run that stopped,
// and checks that it reaches the file's state and leaves nothing to do.
func convergeAgain(ctx context.Context, t *testing.T, svc *fakeService, c *client.Client, w *world, file *desired.File) {
	t.Helper()
	plan, err := desired.NewPlan(ctx, c, file, desired.Options{Prune: true})
	if err != nil {
		t.Fatalf("NewPlan after the failure: %v", err)
	}
	if err := plan.Apply(ctx, c, nil); err != nil {
		t.Fatalf("Apply after the failure: %v\nplan:\n%s", err, showPlan(plan))
	}
	svc.settle()
	svc.assertNoRegionOnNonEmpty(t)
	assertWhole(t, svc.fake, w)
	assertConverged(t, svc.fake, w, expect(w, file, true))
	last, err := desired.NewPlan(ctx, c, file, desired.Options{Prune: true})
	if err != nil {
		t.Fatalf("the last NewPlan: %v", err)
	}
	if len(last.Changes) > 0 {
		t.Errorf("the plan after convergence is not empty:\n%s", showPlan(last))
	}
}

// TestApplyAfterALostAnswerConverges makes the fake carry out one write
// of the apply and drop its answer, each write in turn, with the client's
// retries on: a retried move must count as made ("already a member"), an
// idempotent write's retry succeeds, and a create, which the client does
// not repeat, leaves a group the next plan finds by name. Either way the
// next apply converges.
func TestApplyAfterALostAnswerConverges(t *testing.T) {
	n := scenarioWrites(t)
	for j := 1; j <= n; j++ {
		t.Run(fmt.Sprintf("answer of write %d lost", j), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var writes atomic.Int64
			lose := func(r *http.Request) bool {
				return r.Method != http.MethodGet && writes.Add(1) == int64(j)
			}
			svc := startFake(t, scenarioSeed(), nil, fakegraph.WithLostAnswers(lose))
			w := readWorld(t, svc.fake)
			// The default policy, but for short waits between attempts.
			c := svc.client(t, client.WithRetry(client.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond}))
			file := scenarioFile()
			plan := planScenario(ctx, t, c, file, n)
			lost := plan.Changes[j-1]
			mark := svc.log.mark()
			err := plan.Apply(ctx, c, nil)
			svc.settle()
			var ae *desired.ApplyError
			switch lost.Action {
			case desired.CreateGroup:
				if !errors.As(err, &ae) || ae.Failed.Action != desired.CreateGroup {
					t.Fatalf("Apply = %v; want an *ApplyError at the create, which the client does not repeat", err)
				}
				next, err := desired.NewPlan(ctx, c, file, desired.Options{Prune: true})
				if err != nil {
					t.Fatalf("NewPlan: %v", err)
				}
				for _, ch := range next.Changes {
					if ch.Action == desired.CreateGroup && ch.Group.Name == lost.Group.Name {
						t.Errorf("the next plan creates %q again, though the lost create made it", lost.Group.Name)
					}
				}
			case desired.DeleteGroup:
				// The retry hears 404: the client leaves it to the caller
				// whether that means done, and either answer is safe.
				if err != nil && !errors.As(err, &ae) {
					t.Fatalf("Apply = %v; want nil or an *ApplyError", err)
				}
				t.Logf("a lost delete's answer: Apply = %v", err)
			default:
				if err != nil {
					t.Fatalf("Apply after the lost answer of %q: %v; its retry makes it", lost, err)
				}
			}
			if lost.Action == desired.MoveConnector {
				refused := 0
				for _, req := range svc.log.writesSince(mark) {
					if req.Status == http.StatusBadRequest {
						refused++
					}
				}
				if refused != 1 {
					t.Errorf("%d writes heard 400; want the one retried move, answered \"already a member\":\n%s", refused, listRequests(svc.log.writesSince(mark)))
				}
			}
			svc.assertNoRegionOnNonEmpty(t)
			assertWhole(t, svc.fake, w)
			if err != nil {
				convergeAgain(ctx, t, svc, c, w, file)
				return
			}
			assertConverged(t, svc.fake, w, expect(w, file, true))
			last, err := desired.NewPlan(ctx, c, file, desired.Options{Prune: true})
			if err != nil {
				t.Fatalf("NewPlan: %v", err)
			}
			if len(last.Changes) > 0 {
				t.Errorf("the plan after the apply is not empty:\n%s", showPlan(last))
			}
		})
	}
}

// assertSameChanges compares changes by what they do: a group the plan
// creates has no id in the plan, and may have one once made.
func assertSameChanges(t *testing.T, what string, got, want []desired.Change) {
	t.Helper()
	same := len(got) == len(want)
	for i := 0; same && i < len(got); i++ {
		same = got[i].String() == want[i].String() && got[i].Action == want[i].Action &&
			(want[i].Group.ID == "" || got[i].Group.ID == want[i].Group.ID)
	}
	if !same {
		t.Errorf("%s:\n got %s\nwant %s", what, showPlan(&desired.Plan{Changes: got}), showPlan(&desired.Plan{Changes: want}))
	}
}

// planScenario plans the scenario's file, which must take the n changes
// of the clean run.
func planScenario(ctx context.Context, t *testing.T, c *client.Client, file *desired.File, n int) *desired.Plan {
	t.Helper()
	plan, err := desired.NewPlan(ctx, c, file, desired.Options{Prune: true})
	if err != nil {
		t.Fatalf("NewPlan: %v", err)
	}
	if len(plan.Changes) != n {
		t.Fatalf("the plan has %d changes; the clean run's had %d", len(plan.Changes), n)
	}
	return plan
}
