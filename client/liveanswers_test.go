package client

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// statusLog records the status of every response, by method.
type statusLog struct {
	next http.RoundTripper
	mu   sync.Mutex
	got  map[string][]int
}

func (l *statusLog) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(req)
	if err == nil {
		l.mu.Lock()
		l.got[req.Method] = append(l.got[req.Method], resp.StatusCode)
		l.mu.Unlock()
	}
	return resp, err
}

// A create returns the group whether the service answers 200 (as the live
// service does) or 201 (as the doc page says), and an update succeeds
// whether it answers 204 or 200 with the group.
func TestFakeGraph_BothAnswers(t *testing.T) {
	for _, tt := range []struct {
		answers        fakegraph.Answers
		create, update int
	}{
		{fakegraph.AnswersSeen, http.StatusOK, http.StatusNoContent},
		{fakegraph.AnswersDocumented, http.StatusCreated, http.StatusOK},
	} {
		t.Run(tt.answers.String(), func(t *testing.T) {
			e := setupFake(t, "/beta", []fakegraph.Option{fakegraph.WithAnswers(tt.answers)})
			log := &statusLog{next: e.tr, got: map[string][]int{}}
			c, err := NewClient(WithBaseURL(e.url), WithHTTPClient(&http.Client{Transport: log}), WithTokenSource(StaticToken("dev-token")))
			require.NoError(t, err)
			ctx := context.Background()

			g, err := c.CreateConnectorGroup(ctx, NewConnectorGroup{Name: "Made", Region: RegionEurope})
			require.NoError(t, err)
			assert.Equal(t, ConnectorGroup{ID: g.ID, Name: "Made", ConnectorGroupType: ConnectorGroupTypeApplicationProxy, Region: RegionEurope}, *g)
			require.NoError(t, c.UpdateConnectorGroup(ctx, g.ID, ConnectorGroupUpdate{Name: "Renamed"}))
			got, err := c.GetConnectorGroup(ctx, g.ID)
			require.NoError(t, err)
			assert.Equal(t, "Renamed", got.Name)

			assert.Equal(t, []int{tt.create}, log.got[http.MethodPost], "the create's status")
			assert.Equal(t, []int{tt.update}, log.got[http.MethodPatch], "the update's status")
			assertValidTraffic(t, e.tr)
		})
	}
}

// Real tenants answer region "japan" and connectorGroupType "syncFabric",
// which the published enums lack: every read keeps them as they came, and
// so does the JSON the client's types write.
func TestFakeGraph_ValuesBeyondThePublishedEnums(t *testing.T) {
	seed, err := fakegraph.LoadSeedFile("../testdata/seeds/beyond-enums.json")
	require.NoError(t, err)
	e := setupFakeSeed(t, seed, "/beta", nil)
	ctx := context.Background()
	const (
		japanDefault = "a1ab5519-2c4d-4e6f-8a0b-1c2d3e4f5a6b"
		syncGroup    = "5e725447-9a1b-4c2d-8e3f-4a5b6c7d8e9f"
		syncConn     = "1a7e9b3c-64d2-4f80-b5a1-d09c8e2f7b46"
	)
	wantDefault := ConnectorGroup{ID: japanDefault, Name: "Default", ConnectorGroupType: ConnectorGroupTypeApplicationProxy, IsDefault: true, Region: "japan"}
	wantSync := ConnectorGroup{ID: syncGroup, Name: "Group-contoso-a18a3741", ConnectorGroupType: "syncFabric", Region: RegionEurope}

	groups, err := e.client.ListConnectorGroups(ctx)
	require.NoError(t, err)
	assert.Contains(t, groups, wantDefault)
	assert.Contains(t, groups, wantSync)
	got, err := e.client.GetConnectorGroup(ctx, japanDefault)
	require.NoError(t, err)
	assert.Equal(t, wantDefault, *got)
	of, err := e.client.GetConnectorGroupOf(ctx, syncConn)
	require.NoError(t, err)
	assert.Equal(t, wantSync, *of)

	out, err := json.Marshal(got)
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"`+japanDefault+`","name":"Default","connectorGroupType":"applicationProxy","isDefault":true,"region":"japan"}`, string(out))
	assertValidTraffic(t, e.tr)
}
