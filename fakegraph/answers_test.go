package fakegraph

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/gen/api"
)

// Where the doc pages and the live service disagree, the fake answers as
// the service was seen by default and as the pages say with
// AnswersDocumented; every other answer is the same in both, the doc's
// own 201 included.
func TestAnswers(t *testing.T) {
	for _, tt := range []struct {
		name         string
		opts         []Option
		createStatus int
		updateStatus int
	}{
		{"no option: as seen", nil, http.StatusOK, http.StatusNoContent},
		{"AnswersSeen", []Option{WithAnswers(AnswersSeen)}, http.StatusOK, http.StatusNoContent},
		{"AnswersDocumented", []Option{WithAnswers(AnswersDocumented)}, http.StatusCreated, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil, tt.opts...)

			ex := send(t, srv, apiCall(http.MethodPost, groupsPath, `{"name":"Made","region":"eur"}`))
			requireSuccess(t, ex, tt.createStatus)
			created := decodeAs[api.ConnectorGroup](t, ex)
			assert.Equal(t, "Made", created.Name, "the group comes with either status")
			_, err := s.Group(created.Id)
			require.NoError(t, err)

			ex = send(t, srv, apiCall(http.MethodPatch, groupPath(created.Id), `{"name":"Renamed","region":"asia"}`))
			requireSuccess(t, ex, tt.updateStatus)
			read := send(t, srv, apiCall(http.MethodGet, groupPath(created.Id), ""))
			requireSuccess(t, read, http.StatusOK)
			assert.Equal(t, "Renamed", decodeAs[api.ConnectorGroup](t, read).Name)
			if tt.updateStatus == http.StatusOK {
				assert.JSONEq(t, string(read.body), string(ex.body), "the 200 carries the group as it is now, as GET reads it")
			}

			// The same in both: the doc's 201 with the connector, today's
			// $ref adds and the delete 204.
			assert.Equal(t, docConnectorID, requireCreated(t, send(t, srv, docCall(emptyGroupID, docConnectorID))).Id)
			requireSuccess(t, send(t, srv, apiCall(http.MethodPost, membersOf(created.Id)+"/$ref", refBody(todayRef(docConnectorID)))), http.StatusNoContent)
			requireSuccess(t, send(t, srv, apiCall(http.MethodPost, memberOfPath(docConnectorID)+"/$ref", refBody(groupRef(emptyGroupID)))), http.StatusNoContent)
			requireSuccess(t, send(t, srv, apiCall(http.MethodDelete, groupPath(created.Id), "")), http.StatusNoContent)
		})
	}
}

func TestAnswersRefusesOthers(t *testing.T) {
	for _, name := range []string{"seen", "documented"} {
		a, err := ParseAnswers(name)
		require.NoError(t, err)
		assert.Equal(t, name, a.String())
	}
	assert.Equal(t, "seen", Answers("").String(), "the zero value is the default")
	for _, name := range []string{"", "Seen", "docs", "live", "seen "} {
		_, err := ParseAnswers(name)
		assert.EqualError(t, err, `fakegraph: answers "`+name+`" is neither seen nor documented`)
	}
	_, err := New(nil, WithAnswers("docs"))
	assert.EqualError(t, err, `fakegraph: answers "docs" is neither seen nor documented`)
}
