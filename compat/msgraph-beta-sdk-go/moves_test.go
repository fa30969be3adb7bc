package compat_test

import (
	"testing"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The seed's connectors the moves use: connector01 starts in the default
// group, connector02 in Europe.
const (
	connector01 = "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"
	connector02 = "6c0e2b7d-91a4-4f38-b5d2-0a7e3c9f1e64"
)

func moveSteps() []step {
	return []step{
		{"list the new group's members: none", func(t *testing.T, l *lifecycle) {
			assert.Empty(t, groupMembers(t, l, l.requireCreated(t)))
		}},
		{"add a connector through members/$ref (move path 1)", func(t *testing.T, l *lifecycle) {
			id := l.requireCreated(t)
			from, err := l.fake.GroupOf(connector01)
			require.NoError(t, err)
			require.NotEqual(t, id, from.ID)

			ref := models.NewReferenceCreate()
			ref.SetOdataId(ptr(connectorLink(connector01)))
			require.NoError(t, l.groups().ByConnectorGroupId(id).Members().Ref().Post(ctx(t), ref, nil))

			assert.Equal(t, []string{connector01}, groupMembers(t, l, id))
			assert.Equal(t, []string{id}, memberOf(t, l, connector01), "in exactly one group: the new one")
			assert.NotContains(t, groupMembers(t, l, from.ID), connector01, "moved out of %s", from.Name)
		}},
		{"list a connector's memberOf", func(t *testing.T, l *lifecycle) {
			want, err := l.fake.GroupOf(connector02)
			require.NoError(t, err)
			first, err := l.connectors().ByConnectorId(connector02).MemberOf().Get(ctx(t), nil)
			require.NoError(t, err)
			require.Len(t, first.GetValue(), 1)
			requireGroupAsFake(t, want, first.GetValue()[0])
			assert.Equal(t, "Europe", deref(first.GetValue()[0].GetName()))
		}},
		{"move a connector through memberOf/$ref (move path 2)", func(t *testing.T, l *lifecycle) {
			id := l.requireCreated(t)
			from, err := l.fake.GroupOf(connector02)
			require.NoError(t, err)
			require.NotEqual(t, id, from.ID)

			ref := models.NewReferenceCreate()
			ref.SetOdataId(ptr(connectorGroupLink(id)))
			require.NoError(t, l.connectors().ByConnectorId(connector02).MemberOf().Ref().Post(ctx(t), ref, nil))

			assert.Equal(t, []string{id}, memberOf(t, l, connector02))
			assert.ElementsMatch(t, []string{connector01, connector02}, groupMembers(t, l, id))
			assert.NotContains(t, groupMembers(t, l, from.ID), connector02, "moved out of %s", from.Name)
		}},
	}
}
