package fakegraph

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireInvariant checks the model's rule on the store's insides: every
// connector is in exactly one group, the one groupOf names, and every
// member is a connector.
func requireInvariant(t *testing.T, s *store) {
	t.Helper()
	s.mu.RLock()
	defer s.mu.RUnlock()
	in := map[string][]string{}
	for id, g := range s.groups {
		members := g.memberIDs()
		require.IsNonDecreasing(t, members, "group %s's members are sorted", id)
		require.Len(t, members, g.members.count, "group %s's count", id)
		for _, m := range members {
			in[m] = append(in[m], id)
		}
	}
	require.Len(t, in, len(s.connectorIDs), "every connector is in a group, and only connectors are members")
	require.Len(t, s.index, len(s.connectorIDs))
	for c, groups := range in {
		require.Len(t, groups, 1, "connector %s is in exactly one group", c)
		require.Equal(t, groups[0], s.groupOf[s.index[c]].group.ID, "groupOf agrees with the member lists for %s", c)
	}
}

func TestStoreMove(t *testing.T) {
	tests := []struct {
		name              string
		group, connector  string
		err               error
		wantIn, wantNotIn string // where the connector is after a move, and is not
	}{
		{"from the default group to an empty one", emptyGroupID, docConnectorID, nil, emptyGroupID, defaultGroupID},
		{"from Europe to the default group", defaultGroupID, europeMember, nil, defaultGroupID, europeGroupID},
		{"into the group it is in", defaultGroupID, docConnectorID, ErrAlreadyMember, "", ""},
		{"unknown group", "no-such-group", docConnectorID, ErrGroupNotFound, "", ""},
		{"unknown connector", emptyGroupID, "no-such-connector", ErrConnectorNotFound, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(DefaultSeed())
			before := s.Groups()
			c, err := s.Move(tt.group, tt.connector)
			requireInvariant(t, s)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				assert.Equal(t, before, s.Groups(), "a refused move changes nothing")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.connector, c.ID)
			in, err := s.GroupOf(tt.connector)
			require.NoError(t, err)
			assert.Equal(t, tt.wantIn, in.ID)
			old, err := s.Group(tt.wantNotIn)
			require.NoError(t, err)
			assert.NotContains(t, old.Members, tt.connector, "gone from the old group")
		})
	}
	t.Run("the group is checked first, unless the connector's path asks", func(t *testing.T) {
		s := newStore(DefaultSeed())
		_, err := s.Move("no-such-group", "no-such-connector")
		assert.ErrorIs(t, err, ErrGroupNotFound)
		_, err = s.move("no-such-group", "no-such-connector", connectorFirst)
		assert.ErrorIs(t, err, ErrConnectorNotFound)
		_, err = s.move("no-such-group", docConnectorID, connectorFirst)
		assert.ErrorIs(t, err, ErrGroupNotFound)
	})
}

// A panic in the middle of a move, after the connector left its old group
// and before it joined the new one, undoes the move and releases the lock.
func TestStoreMoveIsUndoneByAPanic(t *testing.T) {
	s := newStore(DefaultSeed())
	before := s.Groups()
	s.testHookBeforeInsert = func() {
		g := s.groups[defaultGroupID]
		require.NotContains(t, g.memberIDs(), docConnectorID, "the hook runs mid-move, after the removal")
		panic("injected")
	}
	require.PanicsWithValue(t, "injected", func() { _, _ = s.Move(emptyGroupID, docConnectorID) })
	s.testHookBeforeInsert = nil
	assert.Equal(t, before, s.Groups(), "the connector is back where it was")
	requireInvariant(t, s)
	_, err := s.Move(emptyGroupID, docConnectorID) // would deadlock if the lock were held
	require.NoError(t, err)
	requireInvariant(t, s)
}

func TestStoreLifecycle(t *testing.T) {
	s := newStore(DefaultSeed())
	s.newID = func() string { return "00000000-0000-4000-8000-000000000001" }

	g := s.CreateGroup("Asia", "asia")
	assert.Equal(t, ConnectorGroup{ID: "00000000-0000-4000-8000-000000000001", Name: "Asia", ConnectorGroupType: "applicationProxy", Region: "asia", Members: []string{}}, g)
	ids := func() []string {
		var out []string
		for _, g := range s.Groups() {
			out = append(out, g.ID)
		}
		return out
	}
	assert.Equal(t, []string{g.ID, defaultGroupID, emptyGroupID, europeGroupID}, ids(), "listed in id order")

	t.Run("a repeated id is drawn again", func(t *testing.T) {
		draws := []string{g.ID, "00000000-0000-4000-8000-000000000002"}
		s.newID = func() string { id := draws[0]; draws = draws[1:]; return id }
		again := s.CreateGroup("Asia", "")
		assert.Equal(t, "00000000-0000-4000-8000-000000000002", again.ID)
		assert.Empty(t, again.Region)
		require.NoError(t, s.DeleteGroup(again.ID))
	})

	name := func(v string) *string { return &v }
	tests := []struct {
		name  string
		group string
		patch groupPatch
		err   error
		want  ConnectorGroup // Members ignored
	}{
		{"rename a group with members", europeGroupID, groupPatch{name: name("EU")}, nil,
			ConnectorGroup{Name: "EU", Region: "eur"}},
		{"the same region on a group with members", europeGroupID, groupPatch{region: name("eur")}, nil,
			ConnectorGroup{Name: "EU", Region: "eur"}},
		{"another region on a group with members", europeGroupID, groupPatch{name: name("not applied"), region: name("nam")}, ErrRegionLocked,
			ConnectorGroup{Name: "EU", Region: "eur"}},
		{"clear the region of a group with members", europeGroupID, groupPatch{region: name("")}, ErrRegionLocked,
			ConnectorGroup{Name: "EU", Region: "eur"}},
		{"another region on an empty group", g.ID, groupPatch{region: name("ind")}, nil,
			ConnectorGroup{Name: "Asia", Region: "ind"}},
		{"clear the region of an empty group", g.ID, groupPatch{region: name("")}, nil,
			ConnectorGroup{Name: "Asia", Region: ""}},
		{"nothing to change", g.ID, groupPatch{}, nil,
			ConnectorGroup{Name: "Asia", Region: ""}},
		{"unknown group", "nope", groupPatch{name: name("x")}, ErrGroupNotFound, ConnectorGroup{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.UpdateGroup(tt.group, tt.patch)
			require.ErrorIs(t, err, tt.err)
			if tt.err == ErrGroupNotFound {
				return
			}
			got, err := s.Group(tt.group)
			require.NoError(t, err)
			assert.Equal(t, tt.want.Name, got.Name)
			assert.Equal(t, tt.want.Region, got.Region)
		})
	}

	deletes := []struct {
		name  string
		group string
		err   error
	}{
		{"the default group", defaultGroupID, ErrDefaultGroup},
		{"a group with members", europeGroupID, ErrGroupNotEmpty},
		{"an empty group", g.ID, nil},
		{"a group already deleted", g.ID, ErrGroupNotFound},
		{"an empty seeded group", emptyGroupID, nil},
	}
	for _, tt := range deletes {
		t.Run("delete "+tt.name, func(t *testing.T) {
			require.ErrorIs(t, s.DeleteGroup(tt.group), tt.err)
			_, err := s.Group(tt.group)
			if tt.err == nil || tt.err == ErrGroupNotFound {
				assert.ErrorIs(t, err, ErrGroupNotFound, "gone")
			} else {
				assert.NoError(t, err, "still there")
			}
		})
	}
	t.Run("the default group is refused even when empty", func(t *testing.T) {
		for _, c := range s.Connectors() {
			if in, _ := s.GroupOf(c.ID); in.ID == defaultGroupID {
				_, err := s.Move(europeGroupID, c.ID)
				require.NoError(t, err)
			}
		}
		def, err := s.Group(defaultGroupID)
		require.NoError(t, err)
		require.Empty(t, def.Members)
		assert.ErrorIs(t, s.DeleteGroup(defaultGroupID), ErrDefaultGroup)
	})
	requireInvariant(t, s)
	assert.Equal(t, []string{defaultGroupID, europeGroupID}, ids())
}

func TestStoreReturnsCopies(t *testing.T) {
	seed := DefaultSeed()
	s := newStore(seed)
	seed.ConnectorGroups[1].Members = append(seed.ConnectorGroups[1].Members, docConnectorID)
	seed.Connectors[0].MachineName = "changed"

	groups := s.Groups()
	require.Len(t, groups, 3)
	assert.Empty(t, groups[1].Members, "changing the seed after newStore changes nothing")
	groups[2].Members[0] = "changed"

	again := s.Groups()
	assert.Equal(t, []string{europeMember}, again[2].Members, "changing a result changes nothing")
	assert.Equal(t, ConnectorGroup{ID: europeGroupID, Name: "Europe", ConnectorGroupType: "applicationProxy", Region: "eur", Members: []string{europeMember}}, again[2])

	members, err := s.Members(europeGroupID)
	require.NoError(t, err)
	assert.Equal(t, "CONNECTOR-02.contoso.com", members[0].MachineName)
	_, err = s.Members("no-such-group")
	assert.ErrorIs(t, err, ErrGroupNotFound)
	_, err = s.GroupOf("no-such-connector")
	assert.ErrorIs(t, err, ErrConnectorNotFound)
}

// Many goroutines moving the same connectors between groups at once: each
// move is applied whole, so the invariant holds throughout and at the end,
// and every connector has been where its last successful move put it.
func TestStoreConcurrentMovesKeepTheInvariant(t *testing.T) {
	const connectors, groups, movers, moves = 6, 4, 8, 200
	seed := &Seed{Tokens: map[string][]string{"t": {"Directory.ReadWrite.All"}}}
	for i := range groups {
		seed.ConnectorGroups = append(seed.ConnectorGroups, SeedConnectorGroup{ID: fmt.Sprintf("g-%d", i), Name: "G", ConnectorGroupType: "applicationProxy", IsDefault: i == 0})
	}
	for i := range connectors {
		seed.Connectors = append(seed.Connectors, SeedConnector{ID: fmt.Sprintf("c-%d", i), MachineName: "m", ExternalIP: "192.0.2.1", Status: "active"})
	}
	require.NoError(t, seed.Validate())
	s := newStore(seed)

	var wg sync.WaitGroup
	errs := make(chan error, movers)
	for m := range movers {
		wg.Go(func() {
			for i := range moves {
				_, err := s.Move(fmt.Sprintf("g-%d", (m+i)%groups), fmt.Sprintf("c-%d", (m*7+i)%connectors))
				if err != nil && err != ErrAlreadyMember {
					errs <- err
					return
				}
				if i%50 == 0 {
					_, _ = s.GroupsPage("", 2) // readers alongside
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	requireInvariant(t, s)
}

func TestMemberSet(t *testing.T) {
	var m memberSet
	assert.Equal(t, -1, m.next(0), "empty")
	for _, i := range []int{3, 64, 63, 200, 3} {
		m.add(i)
	}
	assert.Equal(t, 4, m.count, "3 twice counts once")
	var got []int
	for i := m.next(0); i >= 0; i = m.next(i + 1) {
		got = append(got, i)
	}
	assert.Equal(t, []int{3, 63, 64, 200}, got, "in order")
	assert.Equal(t, 63, m.next(4))
	assert.Equal(t, 200, m.next(65))
	assert.Equal(t, -1, m.next(201))
	assert.Equal(t, -1, m.next(10_000), "beyond the words")
	m.remove(63)
	m.remove(63)
	m.remove(5000)
	assert.Equal(t, 3, m.count)
	assert.Equal(t, 64, m.next(4))
}

// A move costs the same whatever the size of the groups: the members are
// a set of indexes, not a sorted slice that each move shifts.
func TestStoreMovesAmongManyConnectors(t *testing.T) {
	seed := &Seed{Tokens: map[string][]string{"t": {"x"}}}
	for i := range 5000 {
		seed.Connectors = append(seed.Connectors, SeedConnector{ID: fmt.Sprintf("c-%05d", 4999-i), Status: "active"})
	}
	seed.ConnectorGroups = []SeedConnectorGroup{
		{ID: "g-0", Name: "D", ConnectorGroupType: "applicationProxy", IsDefault: true},
		{ID: "g-1", Name: "One", ConnectorGroupType: "applicationProxy", Members: []string{"c-00007", "c-04000"}},
	}
	s := newStore(seed)
	requireInvariant(t, s)
	for i := 0; i < 5000; i += 3 { // 1667 moves
		_, err := s.Move("g-1", fmt.Sprintf("c-%05d", i))
		require.NoError(t, err)
	}
	_, err := s.Move("g-1", "c-04000")
	require.ErrorIs(t, err, ErrAlreadyMember)
	requireInvariant(t, s)
	page, more := s.membersAfter(s.groups["g-1"], "c-00006", 3)
	assert.Equal(t, []string{"c-00007", "c-00009", "c-00012"}, page)
	assert.True(t, more)
	page, more = s.membersAfter(s.groups["g-1"], "c-04998", 3)
	assert.Empty(t, page, "c-04998 is the last")
	assert.False(t, more)
	g, err := s.Group("g-0")
	require.NoError(t, err)
	assert.Len(t, g.Members, 5000-1667-2, "all but the moved and the two listed in g-1")
}
