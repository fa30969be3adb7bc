package fakegraph

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// The spec is where the name's limit is enforced (kin-openapi checks it);
// graph.MaxNameLength is the same fact for Go (the seed's check, the
// bounds on what is read). They must agree.
func TestSpecNameLimitIsGraphMaxNameLength(t *testing.T) {
	v, err := specvalidator.Load()
	require.NoError(t, err)
	for _, schema := range []string{"ConnectorGroupCreate", "ConnectorGroupUpdate"} {
		ref := v.Doc().Components.Schemas[schema]
		require.NotNil(t, ref, schema)
		name := ref.Value.Properties["name"]
		require.NotNil(t, name, schema+".name")
		require.NotNil(t, name.Value.MaxLength, schema+".name has a maxLength")
		assert.Equal(t, uint64(graph.MaxNameLength), *name.Value.MaxLength, schema+".name's maxLength")
	}
}

// A name of graph.MaxNameLength characters is taken on create and on
// update; one character more is Graph's 400 with kin-openapi's words,
// and nothing changes. Characters are code points:
// 256 emoji (4 bytes each in UTF-8, a pair each in UTF-16) fit.
func TestNameLongerThanTheLimitIsRefused(t *testing.T) {
	const tooLong = "The request is not valid: body/name: maximum string length is 256"
	s, srv := newServer(t, nil)
	for _, char := range []string{"n", "é", "😀", `\ud83d\ude00`, `\u0001`} {
		longest := strings.Repeat(char, graph.MaxNameLength)
		create := func(name string) call {
			return apiCall(http.MethodPost, groupsPath, `{"name":"`+name+`"}`)
		}
		rename := func(name string) call {
			return apiCall(http.MethodPatch, groupPath(emptyGroupID), `{"name":"`+name+`"}`)
		}

		s.Reset()
		before := s.Snapshot()
		requireGraphError(t, send(t, srv, create(longest+char)), http.StatusBadRequest, "BadRequest", tooLong)
		requireGraphError(t, send(t, srv, rename(longest+char)), http.StatusBadRequest, "BadRequest", tooLong)
		requireGraphError(t, send(t, srv, create(strings.Repeat(longest, 16))), http.StatusBadRequest, "BadRequest", tooLong)
		assert.Equal(t, before, s.Snapshot(), "%q: a refused name changes nothing", char)

		ex := send(t, srv, create(longest))
		requireSuccess(t, ex, http.StatusOK)
		created := decodeAs[struct{ ID, Name string }](t, ex)
		assert.Equal(t, graph.MaxNameLength, len([]rune(created.Name)), "%q: the name is kept whole", char)
		requireSuccess(t, send(t, srv, rename(longest)), http.StatusNoContent)
		g, err := s.Group(emptyGroupID)
		require.NoError(t, err)
		assert.Equal(t, created.Name, g.Name, "%q: the same name, by either operation", char)
	}
}

// The largest page a client can make the fake build: $top=999 over 999
// groups whose names are as long as the spec allows, of the character
// that costs the most on the wire (a control character, escaped as 6
// bytes). It fits in graph.MaxResponseBytes, the most this project's
// readers take, so a page the fake sends is always one they can read.
func TestLargestPageFitsWhatReadersTake(t *testing.T) {
	_, srv := newServer(t, largestPageSeed())
	ex := send(t, srv, apiCall(http.MethodGet, fmt.Sprintf("%s?$top=%d", groupsPath, graph.MaxPageSize), ""))
	requireSuccess(t, ex, http.StatusOK)
	page := decodeAs[groupPage](t, ex)
	require.Len(t, page.Value, graph.MaxPageSize)
	assert.Nil(t, page.OdataNextLink, "every group on one page")
	want := (graph.MaxPageSize - len(DefaultSeed().ConnectorGroups)) * 6 * graph.MaxNameLength
	assert.Greater(t, len(ex.body), want, "the names are on the page, escaped")
	assert.LessOrEqual(t, len(ex.body), graph.MaxResponseBytes, "the largest page is one the client reads")
	t.Logf("$top=%d of %d-character names: %d bytes", graph.MaxPageSize, graph.MaxNameLength, len(ex.body))
}

// largestPageSeed is the default seed with groups added up to
// graph.MaxPageSize, each named with graph.MaxNameLength control
// characters, which JSON escapes as 6 bytes each.
func largestPageSeed() *Seed {
	seed := DefaultSeed()
	for i := len(seed.ConnectorGroups); i < graph.MaxPageSize; i++ {
		seed.ConnectorGroups = append(seed.ConnectorGroups, SeedConnectorGroup{
			ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Name: strings.Repeat("\x01", graph.MaxNameLength),
			ConnectorGroupType: "applicationProxy", Region: "unknownFutureValue", Members: []string{},
		})
	}
	return seed
}
