package fakegraph

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The validator and the handler read the same bytes the same way: each of
// these bodies was once accepted by one and read differently by the other.
func TestOneReadingOfTheBody(t *testing.T) {
	const (
		noSuch = "https://graph.microsoft.com/beta/connector/no-such"
		real   = "https://graph.microsoft.com/beta/connector/" + inactiveConnID
	)
	tests := []struct {
		name        string
		contentType string
		body        string
		status      int
		code        string
		message     string
	}{
		{"a key differing in case is another key", "application/json",
			`{"@odata.id":"` + noSuch + `","@ODATA.ID":"` + real + `"}`,
			http.StatusNotFound, "Request_ResourceNotFound", "Resource 'no-such' does not exist or one of its queried reference-property objects are not present."},
		{"only the differently cased key", "application/json",
			`{"@ODATA.ID":"` + real + `"}`,
			http.StatusBadRequest, "BadRequest", ""},
		{"a repeated key", "application/json",
			`{"@odata.id":"` + noSuch + `","@odata.id":"` + real + `"}`,
			http.StatusBadRequest, "BadRequest", "The JSON request payload has the property '@odata.id' more than once."},
		{"trailing garbage", "application/json",
			`{"@odata.id":"` + real + `"} garbage`,
			http.StatusBadRequest, "BadRequest", msgUnreadableJSON},
		{"a malformed media type and trailing garbage", `application/json; charset="`,
			`{"@odata.id":"` + real + `"} garbage`,
			http.StatusUnsupportedMediaType, "UnsupportedMediaType", `The content type 'application/json; charset="' is not a valid media type; send application/json.`},
		{"a malformed media type", `application/json;;`,
			`{"@odata.id":"` + real + `"}`,
			http.StatusUnsupportedMediaType, "UnsupportedMediaType", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			c := docCall(emptyGroupID, "")
			c.contentType, c.body = tt.contentType, tt.body
			requireGraphError(t, send(t, srv, c), tt.status, tt.code, tt.message)
			assert.Empty(t, memberIDs(t, s, emptyGroupID), "nothing was added")
		})
	}
}

// A body the spec accepts is never refused for its shape, and one it
// refuses never reaches the store (the property test in contract/ covers
// this at large; these are the cases that once went wrong).
func TestODataIDPatternIsTheRule(t *testing.T) {
	tests := []struct {
		ref    string
		status int
	}{
		{"https://A.COM", http.StatusBadRequest},
		{"urn:example:1", http.StatusBadRequest},
		{"https://graph.microsoft.com/beta/users/" + inactiveConnID, http.StatusBadRequest},
		{"https://graph.microsoft.com/beta/directoryObjects/" + inactiveConnID, http.StatusBadRequest},
		{"https://graph.microsoft.com/beta/connector/" + inactiveConnID + "?$select=id", http.StatusBadRequest},
		{"https://graph.microsoft.com/{ver}/connector/{id}", http.StatusBadRequest},
		{"https://graph.microsoft.com/beta/connector/" + inactiveConnID, http.StatusCreated},
		{"http://127.0.0.1:1/v1.0/connectors/" + inactiveConnID, http.StatusCreated},
		{"https://graph.microsoft.com/beta/connector/0b9d4e21%2D5a7c-4c86-9e3f-d1a2b6c8f057", http.StatusCreated}, // %2D is '-'
		{"https://graph.microsoft.com/beta/connector/unknown%20id", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			s, srv := newServer(t, nil)
			c := docCall(emptyGroupID, "")
			c.body = refBody(tt.ref)
			ex := send(t, srv, c)
			switch tt.status {
			case http.StatusCreated:
				assert.Equal(t, inactiveConnID, requireCreated(t, ex).Id)
			case http.StatusBadRequest:
				requireGraphError(t, ex, tt.status, "BadRequest", "Invalid URL format specified in payload.")
				assert.Empty(t, memberIDs(t, s, emptyGroupID))
			default:
				requireGraphError(t, ex, tt.status, "Request_ResourceNotFound", "Resource 'unknown id' does not exist or one of its queried reference-property objects are not present.")
			}
		})
	}
}

func TestStateAPI(t *testing.T) {
	s, srv := newServer(t, nil)

	g, err := s.Group(europeGroupID)
	require.NoError(t, err)
	assert.Equal(t, []string{europeMember}, g.Members)
	_, err = s.Group("nope")
	assert.ErrorIs(t, err, ErrGroupNotFound)
	c, err := s.Connector(inactiveConnID)
	require.NoError(t, err)
	assert.Equal(t, "inactive", c.Status)
	_, err = s.Connector("nope")
	assert.ErrorIs(t, err, ErrConnectorNotFound)
	assert.Len(t, s.Connectors(), 3)
	assert.Len(t, s.Groups(), 3)

	// A change through the state API is what HTTP sees, and the reverse.
	_, err = s.MoveConnector(emptyGroupID, inactiveConnID)
	require.NoError(t, err)
	_, err = s.MoveConnector(emptyGroupID, inactiveConnID)
	assert.True(t, errors.Is(err, ErrAlreadyMember))
	requireGraphError(t, send(t, srv, docCall(emptyGroupID, inactiveConnID)), http.StatusBadRequest, "Request_BadRequest", "")
	requireCreated(t, send(t, srv, docCall(emptyGroupID, docConnectorID)))
	g, _ = s.Group(emptyGroupID)
	assert.Equal(t, []string{inactiveConnID, docConnectorID}, g.Members, "members sorted by id")

	// Reset goes back to the seed, however often.
	for range 2 {
		s.Reset()
		g, _ = s.Group(emptyGroupID)
		assert.Empty(t, g.Members)
		requireCreated(t, send(t, srv, docCall(emptyGroupID, inactiveConnID)))
	}
}
