package compat_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func pagingSteps() []step {
	return []step{
		{"page through the groups with PageIterator", func(t *testing.T, l *lifecycle) {
			before := len(l.wire.all())
			first, err := l.groups().Get(ctx(t), nil)
			require.NoError(t, err)
			require.Len(t, first.GetValue(), pageSize, "the first page is full")
			require.NotNil(t, first.GetOdataNextLink(), "and links the next")

			got := every[models.ConnectorGroupable](t, l, first, models.CreateConnectorGroupCollectionResponseFromDiscriminatorValue)
			want := l.fake.Groups()
			require.Len(t, got, len(want), "four groups: the seed's three and the one created")
			for i := range want {
				assert.Equal(t, want[i].ID, deref(got[i].GetId()))
			}
			pages := l.wire.since(before)
			require.Len(t, pages, (len(want)+pageSize-1)/pageSize, "one GET a page: %v", pages)
			for i, p := range pages {
				assert.Equal(t, http.MethodGet, p.method)
				assert.True(t, strings.HasSuffix(p.path, "/connectorGroups"), p.path)
				assert.Equal(t, i > 0, strings.Contains(p.query, "$skiptoken="), "page %d follows @odata.nextLink: %q", i, p.query)
			}
		}},
		{"stop PageIterator after the first page", func(t *testing.T, l *lifecycle) {
			before := len(l.wire.all())
			first, err := l.connectors().Get(ctx(t), nil)
			require.NoError(t, err)
			it, err := msgraphcore.NewPageIterator[models.Connectorable](first, l.sdk.GetAdapter(), models.CreateConnectorCollectionResponseFromDiscriminatorValue)
			require.NoError(t, err)
			var seen []string
			require.NoError(t, it.Iterate(ctx(t), func(c models.Connectorable) bool {
				seen = append(seen, deref(c.GetId()))
				return len(seen) < pageSize
			}))
			assert.Len(t, seen, pageSize)
			assert.Len(t, l.wire.since(before), 1, "no second page was asked for")
		}},
	}
}
