package contract_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// The typed client's every operation, judged from the client's side: each
// request it sends, and each response it reads, through the validating
// Transport, against the fake.

// typedClient is the client package on rt, with the dev token and no
// retries (a retry would hide what one request did).
func typedClient(t *testing.T, baseURL string, rt http.RoundTripper, opts ...client.Option) *client.Client {
	t.Helper()
	opts = append([]client.Option{
		client.WithBaseURL(baseURL),
		client.WithHTTPClient(&http.Client{Transport: rt, Timeout: testRequestTimeout}),
		client.WithTokenSource(client.StaticToken(devToken)),
		client.WithoutRetry(),
	}, opts...)
	c, err := client.NewClient(opts...)
	require.NoError(t, err)
	return c
}

// One fake, the whole surface in an order that leaves it as it started;
// pages of one item, so that every list follows @odata.nextLink.
func TestTheTypedClientsExchangesConform(t *testing.T) {
	srv := fakegraph.NewTestServer(t, fakegraph.DefaultSeed(), fakegraph.WithPageSize(1))
	before := srv.Fake.Snapshot()
	tr := newTransport(t, srv.Client().Transport)
	c := typedClient(t, srv.URL+"/beta", tr)
	doc := typedClient(t, srv.URL+"/beta", tr, client.WithDocPath())
	ctx, cancel := context.WithTimeout(t.Context(), testRunTimeout)
	defer cancel()
	var created string

	steps := []struct {
		name string
		call func() error
	}{
		{"ListConnectorGroups", func() error {
			groups, err := c.ListConnectorGroups(ctx)
			assert.Len(t, groups, 3)
			return err
		}},
		{"GetConnectorGroup", func() error {
			g, err := c.GetConnectorGroup(ctx, europeGroup)
			if err == nil {
				assert.Equal(t, client.RegionEurope, g.Region)
			}
			return err
		}},
		{"CreateConnectorGroup", func() error {
			g, err := c.CreateConnectorGroup(ctx, client.NewConnectorGroup{Name: "contract", Region: client.RegionEurope})
			if err == nil {
				created = g.ID
				assert.False(t, g.IsDefault)
			}
			return err
		}},
		{"UpdateConnectorGroup", func() error {
			return c.UpdateConnectorGroup(ctx, created, client.ConnectorGroupUpdate{Name: "contract renamed", Region: client.RegionNorthAmerica})
		}},
		{"ListMembers", func() error {
			members, err := c.ListMembers(ctx, defaultGroup)
			assert.Len(t, members, 2)
			return err
		}},
		{"ListConnectors", func() error {
			connectors, err := c.ListConnectors(ctx)
			assert.Len(t, connectors, 3)
			return err
		}},
		{"GetConnector", func() error {
			got, err := c.GetConnector(ctx, docConnector)
			if err == nil {
				assert.Equal(t, docConnector, got.ID)
			}
			return err
		}},
		{"AddConnector (today's path)", func() error {
			_, err := c.AddConnector(ctx, created, docConnector)
			return err
		}},
		{"GetConnectorGroupOf", func() error {
			g, err := c.GetConnectorGroupOf(ctx, docConnector)
			if err == nil {
				assert.Equal(t, created, g.ID)
			}
			return err
		}},
		{"AddConnector (WithDocPath)", func() error {
			_, err := doc.AddConnector(ctx, emptyGroup, docConnector)
			return err
		}},
		{"AddConnectorViaMemberOf", func() error { return c.AddConnectorViaMemberOf(ctx, defaultGroup, docConnector) }},
		{"DeleteConnectorGroup", func() error { return c.DeleteConnectorGroup(ctx, created) }},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			n := tr.Exchanges()
			require.NoError(t, step.call())
			assert.Greater(t, tr.Exchanges(), n, "the call sent nothing")
			assert.Empty(t, tr.Violations())
		})
	}
	assert.Equal(t, before, srv.Fake.Snapshot(), "the steps undo each other")
}

// A region beyond the published enum is no violation to the Transport,
// since the response schema carries a string, and no error to the client,
// which keeps the value.
func TestTheClientReadsARegionBeyondThePublishedEnum(t *testing.T) {
	srv := startFake(t, japanRegion)
	tr := newTransport(t, srv.Client().Transport)
	c := typedClient(t, srv.URL+"/beta", tr)

	g, err := c.GetConnectorGroup(t.Context(), europeGroup)
	require.NoError(t, err)
	groups, err := c.ListConnectorGroups(t.Context())
	require.NoError(t, err)

	assert.Equal(t, client.ConnectorGroupRegion("japan"), g.Region)
	i := slices.IndexFunc(groups, func(g client.ConnectorGroup) bool { return g.ID == europeGroup })
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, client.ConnectorGroupRegion("japan"), groups[i].Region)
	assert.Equal(t, 2, tr.Exchanges())
	assert.Empty(t, tr.Violations())
}
