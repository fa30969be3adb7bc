package soak

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// opKind is one kind of operation of the mixed workload.
type opKind int

const (
	opMove           opKind = iota // an owned connector to another group, by either path
	opDuplicateAdd                 // an owned connector to the group it is in: "already a member"
	opCreateGroup                  // a group of the worker's own
	opDeleteGroup                  // one of its groups: refused while it holds connectors, then emptied and deleted
	opListOwnGroup                 // a group of its own, paged: exactly the model's members
	opListShared                   // a shared group, paged: each member once, the worker's own as the model says
	opMemberOf                     // an owned connector's group
	opListConnectors               // every connector, paged: each exactly once
	opListGroups                   // every group, paged: each once, the shared and its own among them
	opKinds
)

var opNames = [opKinds]string{"move", "duplicate add", "create group", "delete group", "list own group", "list shared group", "memberOf", "list connectors", "list groups"}

// opWeights is how often each kind comes, out of their sum.
var opWeights = [opKinds]int{30, 8, 6, 5, 14, 10, 15, 3, 3}

// maxOwnGroups bounds the groups a worker holds at once.
const maxOwnGroups = 3

// worker runs its share of the workload on its own connectors.
type worker struct {
	id         int
	c          *client.Client
	rng        *rand.Rand
	shared     []string // shared[0] is the default group
	connectors []string // every connector of the seed
	owned      []string // this worker's, sorted
	m          *model
	counts     [opKinds]int
	calls      int
	failf      func(format string, args ...any)
}

// run takes tickets from remaining until none are left, stopAt passes or
// ctx ends.
func (w *worker) run(ctx context.Context, stopAt time.Time, remaining *atomic.Int64) {
	for ctx.Err() == nil && time.Now().Before(stopAt) && remaining.Add(-1) >= 0 {
		kind := w.pick()
		w.counts[kind]++
		w.do(ctx, kind)
	}
}

func (w *worker) pick() opKind {
	total := 0
	for _, n := range opWeights {
		total += n
	}
	r := w.rng.IntN(total)
	for k, n := range opWeights {
		if r < n {
			return opKind(k)
		}
		r -= n
	}
	return opMove
}

func (w *worker) do(ctx context.Context, kind opKind) {
	switch kind {
	case opMove:
		c := w.anyOwned()
		w.move(ctx, c, w.otherGroup(w.m.where[c]))
	case opDuplicateAdd:
		w.duplicateAdd(ctx, w.anyOwned())
	case opCreateGroup:
		if len(w.m.own) >= maxOwnGroups {
			w.deleteGroup(ctx)
			return
		}
		w.createGroup(ctx)
	case opDeleteGroup:
		w.deleteGroup(ctx)
	case opListOwnGroup:
		own := w.m.ownGroups()
		if len(own) == 0 {
			w.listShared(ctx)
			return
		}
		w.listOwn(ctx, own[w.rng.IntN(len(own))])
	case opListShared:
		w.listShared(ctx)
	case opMemberOf:
		w.memberOf(ctx, w.anyOwned())
	case opListConnectors:
		w.listConnectors(ctx)
	case opListGroups:
		w.listGroups(ctx)
	}
}

func (w *worker) anyOwned() string { return w.owned[w.rng.IntN(len(w.owned))] }

// otherGroup is a group the worker may move into, other than from: a
// shared one or one of its own.
func (w *worker) otherGroup(from string) string {
	candidates := slices.DeleteFunc(append(slices.Clone(w.shared), w.m.ownGroups()...), func(g string) bool { return g == from })
	return candidates[w.rng.IntN(len(candidates))]
}

func (w *worker) move(ctx context.Context, connector, to string) {
	w.calls++
	var err error
	if w.rng.IntN(2) == 0 {
		_, err = w.c.AddConnector(ctx, to, connector)
	} else {
		err = w.c.AddConnectorViaMemberOf(ctx, to, connector)
	}
	if err != nil {
		w.failf("move %s from %s to %s: %v", connector, w.m.where[connector], to, err)
		return
	}
	w.m.where[connector] = to
}

func (w *worker) duplicateAdd(ctx context.Context, connector string) {
	w.calls++
	group := w.m.where[connector]
	var err error
	if w.rng.IntN(2) == 0 {
		_, err = w.c.AddConnector(ctx, group, connector)
	} else {
		err = w.c.AddConnectorViaMemberOf(ctx, group, connector)
	}
	var ge *client.Error
	switch {
	case !errors.Is(err, client.ErrAlreadyMember) || !errors.As(err, &ge):
		w.failf("add %s to %s, where it is: want ErrAlreadyMember, got %v", connector, group, err)
	case ge.Code != graph.CodeRequestBadRequest || ge.Message != graph.MsgAlreadyMember || ge.AfterAmbiguousAttempt:
		w.failf("add %s to %s again: %+v, want Graph's duplicate error, unambiguous", connector, group, ge)
	}
}

func (w *worker) createGroup(ctx context.Context) {
	w.calls++
	g, err := w.c.CreateConnectorGroup(ctx, client.NewConnectorGroup{Name: fmt.Sprintf("soak w%d #%d", w.id, w.counts[opCreateGroup])})
	if err != nil {
		w.failf("create a group: %v", err)
		return
	}
	w.m.own[g.ID] = true
}

// deleteGroup deletes one of the worker's groups. One that holds
// connectors must be refused first; the worker then moves them to shared
// groups and deletes it, and the group is gone. Now and then it tries the
// default group, which must always be refused.
func (w *worker) deleteGroup(ctx context.Context) {
	if w.rng.IntN(8) == 0 {
		w.requireRefusedDelete(ctx, w.shared[0], graph.MsgDefaultGroup)
	}
	own := w.m.ownGroups()
	if len(own) == 0 {
		w.createGroup(ctx)
		return
	}
	g := own[w.rng.IntN(len(own))]
	if members := w.m.membersOf(g); len(members) > 0 {
		w.requireRefusedDelete(ctx, g, graph.MsgGroupNotEmpty)
		for _, c := range members {
			w.move(ctx, c, w.shared[w.rng.IntN(len(w.shared))])
		}
	}
	w.calls++
	if err := w.c.DeleteConnectorGroup(ctx, g); err != nil {
		w.failf("delete the emptied group %s: %v", g, err)
		return
	}
	delete(w.m.own, g)
	w.m.deleted = append(w.m.deleted, g)
	w.calls++
	if _, err := w.c.GetConnectorGroup(ctx, g); !errors.Is(err, client.ErrNotFound) {
		w.failf("get the deleted group %s: want ErrNotFound, got %v", g, err)
	}
}

func (w *worker) requireRefusedDelete(ctx context.Context, group, format string) {
	w.calls++
	err := w.c.DeleteConnectorGroup(ctx, group)
	var ge *client.Error
	if !errors.As(err, &ge) || ge.StatusCode != 400 || ge.Code != graph.CodeRequestBadRequest || ge.Message != fmt.Sprintf(format, group) {
		w.failf("delete %s: want Graph's 400 %q, got %v", group, fmt.Sprintf(format, group), err)
	}
}

// listOwn lists a group only this worker moves into or out of: it must
// hold exactly the model's members, each once.
func (w *worker) listOwn(ctx context.Context, group string) {
	w.calls++
	got, err := w.c.ListMembers(ctx, group)
	if err != nil {
		w.failf("list own group %s: %v", group, err)
		return
	}
	ids := connectorIDs(got)
	slices.Sort(ids)
	if want := w.m.membersOf(group); !slices.Equal(ids, want) {
		w.failf("own group %s lists %v, the model says %v", group, ids, want)
	}
}

// listShared lists a shared group, which other workers change meanwhile:
// each member comes once, and this worker's connectors are there exactly
// when the model puts them there (only this worker moves them).
func (w *worker) listShared(ctx context.Context) {
	group := w.shared[w.rng.IntN(len(w.shared))]
	w.calls++
	got, err := w.c.ListMembers(ctx, group)
	if err != nil {
		w.failf("list shared group %s: %v", group, err)
		return
	}
	ids := connectorIDs(got)
	if dup := firstDuplicate(ids); dup != "" {
		w.failf("shared group %s lists %s twice", group, dup)
	}
	for _, c := range w.owned {
		if listed, want := slices.Contains(ids, c), w.m.where[c] == group; listed != want {
			w.failf("shared group %s: my connector %s listed %v, the model says in %s", group, c, listed, w.m.where[c])
		}
	}
}

func (w *worker) memberOf(ctx context.Context, connector string) {
	w.calls++
	g, err := w.c.GetConnectorGroupOf(ctx, connector)
	if err != nil {
		w.failf("memberOf %s: %v", connector, err)
		return
	}
	if g.ID != w.m.where[connector] {
		w.failf("memberOf %s is %s, the model says %s", connector, g.ID, w.m.where[connector])
	}
}

// listConnectors: connectors never come or go, so every one is listed
// exactly once, however the pages fall.
func (w *worker) listConnectors(ctx context.Context) {
	w.calls++
	got, err := w.c.ListConnectors(ctx)
	if err != nil {
		w.failf("list connectors: %v", err)
		return
	}
	ids := connectorIDs(got)
	slices.Sort(ids)
	if !slices.Equal(ids, w.connectors) {
		w.failf("list connectors: %d items, want each of %d once (first duplicate %q)", len(ids), len(w.connectors), firstDuplicate(ids))
	}
}

// listGroups: each group once; the shared ones and this worker's own are
// there, its deleted ones are not.
func (w *worker) listGroups(ctx context.Context) {
	w.calls++
	got, err := w.c.ListConnectorGroups(ctx)
	if err != nil {
		w.failf("list groups: %v", err)
		return
	}
	ids := make([]string, len(got))
	for i, g := range got {
		ids[i] = g.ID
	}
	if dup := firstDuplicate(ids); dup != "" {
		w.failf("list groups: %s twice", dup)
	}
	for _, g := range append(slices.Clone(w.shared), w.m.ownGroups()...) {
		if !slices.Contains(ids, g) {
			w.failf("list groups: %s missing", g)
		}
	}
	for _, g := range w.m.deleted {
		if slices.Contains(ids, g) {
			w.failf("list groups: the deleted %s is listed", g)
		}
	}
}

func connectorIDs(cs []client.Connector) []string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

// firstDuplicate is the first id that comes twice, or "".
func firstDuplicate(ids []string) string {
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			return id
		}
		seen[id] = true
	}
	return ""
}

func (w *worker) summary() string {
	var parts []string
	for k, n := range w.counts {
		parts = append(parts, fmt.Sprintf("%s %d", opNames[k], n))
	}
	return strings.Join(parts, ", ")
}
