package desired_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connectorgroups/connectorgroups/desired"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// pairSeed and the pair's index seed each pair's generator (PCG), so
// that one pair runs alone, the same, with -run 'TestApplyConvergesOnRandomStates/pair017$'.
const (
	pairSeed  = 0x5eed_0f_91a2
	pairCount = 300
)

// convergeStats counts what the pairs did, from the fake's side, so that
// the property cannot hold for want of cases.
type convergeStats struct {
	converged, refused, parsed int
	// refusedBy counts the refusals by each kind the oracle found;
	// refusedFor, those it found for that kind alone.
	refusedBy, refusedFor              map[string]int
	withRegion, withRename, withCreate int
	withDelete, withConnMove, withApp  int
	withPrune, withClear, withSync     int
}

// TestApplyConvergesOnRandomStates runs NewPlan and Apply on random pairs
// of a tenant and a desired file, and checks by the fake's own record and
// state that a plan writes nothing; that a refusal is justified; and that
// an apply converges to what the file says, keeps the default group and
// every connector, sends a region only to empty groups, and leaves
// nothing to do for a second run.
func TestApplyConvergesOnRandomStates(t *testing.T) {
	st := &convergeStats{refusedBy: map[string]int{}, refusedFor: map[string]int{}}
	for i := range pairCount {
		t.Run(fmt.Sprintf("pair%03d", i), func(t *testing.T) { runPair(t, i, st) })
	}
	t.Logf("%d pairs: %d converged (%d with prune, %d of them sparing a syncFabric group), %d refused, %d read through Parse", pairCount, st.converged, st.withPrune, st.withSync, st.refused, st.parsed)
	t.Logf("converged with: region change %d (to none %d), rename %d, create %d, delete %d, connector move %d, application move %d",
		st.withRegion, st.withClear, st.withRename, st.withCreate, st.withDelete, st.withConnMove, st.withApp)
	t.Logf("refused for: %v; for that alone: %v", st.refusedBy, st.refusedFor)
	if t.Failed() {
		return
	}
	atLeast := func(what string, got, want int) {
		if got < want {
			t.Errorf("only %d pairs %s; want at least %d, or the property is hardly tested", got, what, want)
		}
	}
	// About half what the fixed seeds give, so that a change of the
	// generators that thins a case out shows.
	atLeast("converged", st.converged, 80)
	atLeast("converged with prune", st.withPrune, 40)
	atLeast("refused", st.refused, 60)
	atLeast("refused for a region change of a group that would not be empty, and that alone", st.refusedFor[refuseRegionNotEmpty], 25)
	atLeast("refused for region changes that wait on each other, and that alone", st.refusedFor[refuseRegionCycle], 2)
	atLeast("refused for a region Graph does not take", st.refusedBy[refuseRegionValue], 8)
	atLeast("converged after a region change", st.withRegion, 30)
	atLeast("converged after a region change to none", st.withClear, 8)
	atLeast("converged with prune, sparing a syncFabric group", st.withSync, 8)
	atLeast("converged after a rename", st.withRename, 20)
	atLeast("converged after a create", st.withCreate, 50)
	atLeast("converged after a delete", st.withDelete, 20)
	atLeast("converged after a connector move", st.withConnMove, 50)
	atLeast("converged after an application move", st.withApp, 35)
	atLeast("read through Parse", st.parsed, 70)
}

func runPair(t *testing.T, i int, st *convergeStats) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := rand.New(rand.NewPCG(pairSeed, uint64(i)))
	seed := randomSeed(r)
	svc := startFake(t, seed, nil)
	w := readWorld(t, svc.fake)
	f := randomFile(r, w)
	prune := r.IntN(2) == 0
	text := encodeYAML(f, r)
	t.Cleanup(func() {
		if t.Failed() {
			s, _ := json.MarshalIndent(seed, "", "  ")
			t.Logf("pair %d (rand.NewPCG(%#x, %d)), prune %v\nseed:\n%s\nfile:\n%s", i, pairSeed, i, prune, s, text)
		}
	})
	if r.IntN(2) == 0 {
		parsed, err := desired.Parse("pair.yaml", strings.NewReader(text))
		if err != nil {
			if !listsATextTwice(f) {
				t.Fatalf("Parse refused a file that lists nothing twice: %v", err)
			}
			st.refused++
			st.refusedBy["listed twice in the text"]++
			return
		}
		f = parsed
		st.parsed++
	}
	c := svc.client(t)
	oracle := resolve(w, f)

	mark := svc.log.mark()
	plan, err := desired.NewPlan(ctx, c, f, desired.Options{Prune: prune})
	svc.settle()
	if writes := svc.log.writesSince(mark); len(writes) > 0 {
		t.Errorf("NewPlan wrote:\n%s", listRequests(writes))
	}
	var fe *desired.FileError
	if errors.As(err, &fe) {
		if len(oracle.refusals) == 0 {
			t.Fatalf("NewPlan refused a file the rules allow:\n%v", err)
		}
		st.refused++
		for kind := range oracle.refusals {
			st.refusedBy[kind]++
			if len(oracle.refusals) == 1 {
				st.refusedFor[kind]++
			}
		}
		return
	}
	if err != nil {
		t.Fatalf("NewPlan: %v", err)
	}
	if len(oracle.refusals) > 0 {
		// Go on: what the apply then does to the service says how bad
		// the miss is.
		t.Errorf("NewPlan accepted a file the rules refuse:\n%s\nplan:\n%s", oracle, showPlan(plan))
	}

	mark = svc.log.mark()
	var reported []desired.Change
	applyErr := plan.Apply(ctx, c, func(ch desired.Change) { reported = append(reported, ch) })
	svc.settle()
	writes := svc.log.writesSince(mark)
	svc.assertNoRegionOnNonEmpty(t)
	for _, req := range writes {
		if !req.ok() {
			t.Errorf("the fake refused a write: %s", req)
		}
	}
	assertWhole(t, svc.fake, w)
	if applyErr != nil {
		t.Fatalf("Apply: %v\nplan:\n%s\nwrites:\n%s", applyErr, showPlan(plan), listRequests(writes))
	}
	if t.Failed() || len(oracle.refusals) > 0 {
		return
	}
	if len(writes) != len(plan.Changes) || len(reported) != len(plan.Changes) {
		t.Errorf("a plan of %d changes made %d writes and reported %d done:\nplan:\n%s\nwrites:\n%s",
			len(plan.Changes), len(writes), len(reported), showPlan(plan), listRequests(writes))
	}
	e := expect(w, f, prune)
	assertConverged(t, svc.fake, w, e)

	again, err := desired.NewPlan(ctx, c, f, desired.Options{Prune: prune})
	if err != nil {
		t.Fatalf("NewPlan after the apply: %v", err)
	}
	if len(again.Changes) > 0 {
		t.Errorf("the plan after the apply is not empty:\n%s", showPlan(again))
	}
	mark = svc.log.mark()
	if err := again.Apply(ctx, c, nil); err != nil {
		t.Errorf("the second Apply: %v", err)
	}
	svc.settle()
	if writes := svc.log.writesSince(mark); len(writes) > 0 {
		t.Errorf("the second apply wrote:\n%s", listRequests(writes))
	}
	if t.Failed() {
		return
	}
	st.count(svc, w, writes, prune)
}

// count adds a converged pair's writes, as the fake saw them.
func (st *convergeStats) count(svc *fakeService, w *world, writes []loggedRequest, prune bool) {
	st.converged++
	if prune {
		st.withPrune++
		if slices.ContainsFunc(w.groups, func(g fakegraph.ConnectorGroup) bool { return g.ConnectorGroupType == "syncFabric" }) {
			st.withSync++
		}
	}
	region, clear, rename := svc.patchCounts()
	has := func(ok func(loggedRequest) bool) int {
		for _, w := range writes {
			if ok(w) {
				return 1
			}
		}
		return 0
	}
	st.withRegion += min(region, 1)
	st.withClear += min(clear, 1)
	st.withRename += min(rename, 1)
	st.withCreate += has(func(w loggedRequest) bool { return w.Method == "POST" && strings.HasSuffix(w.Path, "/connectorGroups") })
	st.withDelete += has(func(w loggedRequest) bool {
		return w.Method == "DELETE" && strings.Contains(w.Path, "/connectorGroups/") && !strings.HasSuffix(w.Path, "$ref")
	})
	st.withConnMove += has(func(w loggedRequest) bool {
		return strings.HasSuffix(w.Path, "/members/$ref") || strings.HasSuffix(w.Path, "/memberOf/$ref")
	})
	st.withApp += has(func(w loggedRequest) bool {
		return strings.HasSuffix(w.Path, "/connectorGroup/$ref") || strings.HasSuffix(w.Path, "/applications/$ref")
	})
}

// listsATextTwice reports whether a group lists a connector or an
// application twice in the text, ignoring case, as Parse refuses.
func listsATextTwice(f *desired.File) bool {
	conns, apps := map[string]bool{}, map[string]bool{}
	for _, g := range f.ConnectorGroups {
		for _, c := range g.Connectors {
			if conns[strings.ToLower(c)] {
				return true
			}
			conns[strings.ToLower(c)] = true
		}
		for _, a := range g.Applications {
			if apps[strings.ToLower(a)] {
				return true
			}
			apps[strings.ToLower(a)] = true
		}
	}
	return false
}

func showPlan(p *desired.Plan) string {
	if p == nil {
		return "  (no plan)"
	}
	lines := make([]string, len(p.Changes))
	for i, c := range p.Changes {
		lines[i] = "  " + c.String()
	}
	return strings.Join(lines, "\n")
}
