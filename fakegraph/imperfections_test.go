package fakegraph

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A request with latency is answered no sooner than the latency, and its
// change is made; a request refused before its handler does not wait.
func TestWithLatencyDelaysTheHandler(t *testing.T) {
	const latency = 150 * time.Millisecond
	s, srv := newServer(t, nil, WithLatency(latency))

	start := time.Now()
	requireCreated(t, send(t, srv, docCall(emptyGroupID, docConnectorID)))
	assert.GreaterOrEqual(t, time.Since(start), latency)
	g, err := s.GroupOf(docConnectorID)
	require.NoError(t, err)
	assert.Equal(t, emptyGroupID, g.ID)

	start = time.Now()
	unauthorized := docCall(emptyGroupID, inactiveConnID)
	unauthorized.token = ""
	requireGraphError(t, send(t, srv, unauthorized), http.StatusUnauthorized, "InvalidAuthenticationToken", "")
	assert.Less(t, time.Since(start), latency, "a 401 is answered before the handler, without the wait")

	_, err = New(nil, WithLatency(-time.Second))
	assert.ErrorContains(t, err, "latency -1s is negative")
}

// A lost answer: the add is carried out in full, and the client gets no
// byte of its answer, only a dropped connection. The requests lose does
// not pick are answered as always.
func TestWithLostAnswersAppliesThenDropsTheAnswer(t *testing.T) {
	var picked atomic.Int32
	s, srv := newServer(t, nil, WithLostAnswers(func(r *http.Request) bool {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/$ref") && picked.Add(1) == 1 {
			return true // the first add only
		}
		return false
	}))
	_, err := roundTrip(srv, docCall(emptyGroupID, docConnectorID))
	require.Error(t, err, "the first add gets no answer")
	assert.NotContains(t, err.Error(), "HTTP/1.1", "not a byte of the answer came")
	g, err := s.GroupOf(docConnectorID)
	require.NoError(t, err)
	assert.Equal(t, emptyGroupID, g.ID, "yet the add was carried out")

	// The same add again is answered: the connector is there already.
	requireGraphError(t, send(t, srv, docCall(emptyGroupID, docConnectorID)), http.StatusBadRequest, "Request_BadRequest", "")
	assert.Equal(t, int32(2), picked.Load(), "lose was asked once per add")
}

// StateAsSeed is the state now: a server built from it has the same
// snapshot, moves and new groups included, and the same tokens.
func TestStateAsSeedStartsWhereTheServerStands(t *testing.T) {
	s, srv := newServer(t, nil)
	requireCreated(t, send(t, srv, docCall(emptyGroupID, docConnectorID)))
	ex := send(t, srv, apiCall(http.MethodPost, ap+"/connectorGroups", `{"name":"Later","region":"eur"}`))
	require.Equal(t, http.StatusOK, ex.status)

	again, err := New(s.StateAsSeed())
	require.NoError(t, err)
	assert.Equal(t, s.Snapshot(), again.Snapshot())
	assert.Len(t, again.Groups(), 4)
	assert.Equal(t, DefaultSeed().Tokens, again.StateAsSeed().Tokens)
}
