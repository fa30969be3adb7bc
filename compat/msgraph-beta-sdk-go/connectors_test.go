package compat_test

import (
	"testing"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/fakegraph"
)

func connectorSteps() []step {
	return []step{
		{"list the connectors", func(t *testing.T, l *lifecycle) {
			first, err := l.connectors().Get(ctx(t), nil)
			require.NoError(t, err)
			got := every[models.Connectorable](t, l, first, models.CreateConnectorCollectionResponseFromDiscriminatorValue)
			want := l.fake.Connectors()
			require.Len(t, got, len(want))
			for i := range want {
				requireConnectorAsFake(t, want[i], got[i])
			}
		}},
		{"get a connector", func(t *testing.T, l *lifecycle) {
			got, err := l.connectors().ByConnectorId(connector01).Get(ctx(t), nil)
			require.NoError(t, err)
			want, err := l.fake.Connector(connector01)
			require.NoError(t, err)
			requireConnectorAsFake(t, want, got)
			assert.Equal(t, "CONNECTOR-01.contoso.com", deref(got.GetMachineName()))
		}},
	}
}

func requireConnectorAsFake(t *testing.T, want fakegraph.Connector, got models.Connectorable) {
	t.Helper()
	require.NotNil(t, got)
	assert.Equal(t, want.ID, deref(got.GetId()))
	assert.Equal(t, want.MachineName, deref(got.GetMachineName()))
	assert.Equal(t, want.ExternalIP, deref(got.GetExternalIp()))
	assert.Equal(t, want.Status, enumString(got.GetStatus()))
	assert.Equal(t, want.Version, deref(got.GetVersion()))
}
