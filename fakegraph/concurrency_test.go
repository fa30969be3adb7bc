package fakegraph

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Many clients moving the same connectors between groups at once, by all
// three paths, while others list: every move is 201/204 or the duplicate
// 400, every response conforms, and afterwards every connector is in
// exactly one group, the one memberOf names.
func TestConcurrentMovesKeepEachConnectorInOneGroup(t *testing.T) {
	const workers, rounds = 12, 10
	seed := pagingSeed() // g-0..g-4, c-0..c-6
	s, srv := newServer(t, seed, WithPageSize(2))
	adds := []func(groupID, connectorID string) call{addByDoc, addByMembers, addByMemberOf}

	var wg sync.WaitGroup
	results := make(chan exchange, workers*rounds)
	errs := make(chan error, workers*rounds)
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				var c call
				switch (w + i) % 4 {
				case 3: // a reader among the writers
					c = apiCall(http.MethodGet, membersOf(fmt.Sprintf("g-%d", i%5)), "")
				default:
					c = adds[(w+i)%3](fmt.Sprintf("g-%d", (w*3+i)%5), fmt.Sprintf("c-%d", (w+i*5)%7))
				}
				ex, err := roundTrip(srv, c)
				if err != nil {
					errs <- err
					continue
				}
				results <- ex
			}
		})
	}
	wg.Wait()
	close(results)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	statuses := map[int]int{}
	for ex := range results {
		requireSpecValid(t, ex)
		statuses[ex.status]++
		if ex.status == http.StatusBadRequest {
			requireGraphError(t, ex, http.StatusBadRequest, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'members'.")
		}
	}
	t.Logf("statuses: %v", statuses)
	for status := range statuses {
		assert.Contains(t, []int{200, 201, 204, 400}, status)
	}
	assert.Positive(t, statuses[201]+statuses[204], "some moves went through")

	requireInvariant(t, s.store)
	for _, c := range s.Connectors() {
		in := 0
		for _, g := range s.Groups() {
			for _, m := range g.Members {
				if m == c.ID {
					in++
				}
			}
		}
		assert.Equal(t, 1, in, "connector %s is in exactly one group", c.ID)
		g, err := s.GroupOf(c.ID)
		require.NoError(t, err)
		ex := send(t, srv, apiCall(http.MethodGet, memberOfPath(c.ID), ""))
		assert.Equal(t, []string{g.ID}, pageIDs(decodeAs[groupPage](t, ex).Value), "memberOf agrees")
	}
}
