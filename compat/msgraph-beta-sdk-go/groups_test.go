package compat_test

import (
	"testing"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func groupSteps() []step {
	return []step{
		{"list the connector groups", func(t *testing.T, l *lifecycle) {
			got := allGroups(t, l)
			want := l.fake.Groups()
			require.Len(t, got, len(want), "every group, over pages of %d", pageSize)
			for i := range want {
				requireGroupAsFake(t, want[i], got[i])
			}
		}},
		{"create a connector group", func(t *testing.T, l *lifecycle) {
			body := models.NewConnectorGroup()
			body.SetName(ptr("SDK pilot"))
			region := models.EUR_CONNECTORGROUPREGION
			body.SetRegion(&region)
			created, err := l.groups().Post(ctx(t), body, nil)
			require.NoError(t, err)
			require.NotNil(t, created)
			l.created = deref(created.GetId())
			want, err := l.fake.Group(l.created)
			require.NoError(t, err, "the fake holds the group the SDK was answered")
			assert.Equal(t, "SDK pilot", want.Name)
			assert.Equal(t, "eur", want.Region)
			assert.False(t, want.IsDefault)
			requireGroupAsFake(t, want, created)
		}},
		{"get the group", func(t *testing.T, l *lifecycle) {
			id := l.requireCreated(t)
			got, err := l.groups().ByConnectorGroupId(id).Get(ctx(t), nil)
			require.NoError(t, err)
			assert.Equal(t, "SDK pilot", deref(got.GetName()))
			assert.Equal(t, "eur", enumString(got.GetRegion()))
			assert.Equal(t, "applicationProxy", enumString(got.GetConnectorGroupType()))
		}},
		{"rename the group (PATCH)", func(t *testing.T, l *lifecycle) {
			id := l.requireCreated(t)
			body := models.NewConnectorGroup()
			body.SetName(ptr("SDK pilot, renamed"))
			_, err := l.groups().ByConnectorGroupId(id).Patch(ctx(t), body, nil)
			require.NoError(t, err)
			g, err := l.fake.Group(id)
			require.NoError(t, err)
			assert.Equal(t, "SDK pilot, renamed", g.Name)
			assert.Equal(t, "eur", g.Region, "a PATCH of the name leaves the region")
			got, err := l.groups().ByConnectorGroupId(id).Get(ctx(t), nil)
			require.NoError(t, err)
			assert.Equal(t, "SDK pilot, renamed", deref(got.GetName()))
		}},
	}
}

func ptr[T any](v T) *T { return &v }
