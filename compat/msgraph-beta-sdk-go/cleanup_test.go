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
		{"move the connectors back and delete the group", func(t *testing.T, l *lifecycle) {
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
