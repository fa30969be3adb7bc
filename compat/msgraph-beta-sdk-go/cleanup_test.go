package compat_test

import (
	"net/http"
	"testing"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/fakegraph"
)

func cleanupSteps() []step {
	return []step{
		{"move the connectors and applications back and delete the group", func(t *testing.T, l *lifecycle) {
			id := l.requireCreated(t)
			// Each connector back to the group the seed had it in, by
			// either path.
			for _, c := range []string{connector01, connector02} {
				home := seedGroupOf(t, l.seed, c)
				ref := models.NewReferenceCreate()
				ref.SetOdataId(ptr(connectorGroupLink(home)))
				require.NoError(t, l.connectors().ByConnectorId(c).MemberOf().Ref().Post(ctx(t), ref, nil))
			}
			assert.Empty(t, groupMembers(t, l, id))
			// Each application back to the group the seed had it in,
			// should an application step have stopped half-way.
			for _, a := range l.seed.Applications {
				now, err := l.fake.Application(a.ID)
				require.NoError(t, err)
				if now.ConnectorGroup == a.ConnectorGroup {
					continue
				}
				t.Logf("application %s is in %q, the seed had it in %q: putting it back", a.ID, now.ConnectorGroup, a.ConnectorGroup)
				if a.ConnectorGroup == "" {
					require.NoError(t, l.sdk.Applications().ByApplicationId(a.ID).ConnectorGroup().Ref().Delete(ctx(t), nil))
				} else {
					require.NoError(t, assignApplication(t, l, a.ID, a.ConnectorGroup))
				}
			}
			assert.Empty(t, groupApplications(t, l, id))

			require.NoError(t, l.groups().ByConnectorGroupId(id).Delete(ctx(t), nil))
			_, err := l.groups().ByConnectorGroupId(id).Get(ctx(t), nil)
			requireODataError(t, err, http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+id+"' does not exist or one of its queried reference-property objects are not present.")
			assert.Equal(t, l.seed, l.fake.Snapshot(), "the seed's state, as before the first step")
		}},
	}
}

// seedGroupOf is the group a connector was in before the first step.
func seedGroupOf(t *testing.T, seed fakegraph.Snapshot, connectorID string) string {
	t.Helper()
	for _, g := range seed.Groups {
		for _, m := range g.Members {
			if m == connectorID {
				return g.ID
			}
		}
	}
	t.Fatalf("connector %s is in no group of the seed", connectorID)
	return ""
}
