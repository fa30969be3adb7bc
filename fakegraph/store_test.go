package fakegraph

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStoreAddMember(t *testing.T) {
	s := newStore(DefaultSeed())

	c, err := s.AddMember(emptyGroupID, docConnectorID)
	require.NoError(t, err)
	assert.Equal(t, Connector{ID: docConnectorID, MachineName: "CONNECTOR-01.contoso.com", ExternalIP: "203.0.113.10", Status: "active", Version: "1.5.3437.0"}, c)

	_, err = s.AddMember(emptyGroupID, docConnectorID)
	assert.ErrorIs(t, err, ErrAlreadyMember)
	_, err = s.AddMember("no-such-group", docConnectorID)
	assert.ErrorIs(t, err, ErrGroupNotFound)
	_, err = s.AddMember(emptyGroupID, "no-such-connector")
	assert.ErrorIs(t, err, ErrConnectorNotFound)
	_, err = s.AddMember("no-such-group", "no-such-connector")
	assert.ErrorIs(t, err, ErrGroupNotFound, "the group is checked first")

	members, err := s.Members(emptyGroupID)
	require.NoError(t, err)
	assert.Equal(t, []Connector{c}, members)
	_, err = s.Members("no-such-group")
	assert.ErrorIs(t, err, ErrGroupNotFound)
}

func TestStoreReturnsCopies(t *testing.T) {
	seed := DefaultSeed()
	s := newStore(seed)
	seed.ConnectorGroups[0].Members = append(seed.ConnectorGroups[0].Members, docConnectorID)
	seed.Connectors[0].MachineName = "changed"

	groups := s.Groups()
	require.Len(t, groups, 2)
	assert.Empty(t, groups[0].Members, "changing the seed after newStore changes nothing")
	groups[1].Members[0] = "changed"

	again := s.Groups()
	assert.Equal(t, []string{europeMember}, again[1].Members, "changing a result changes nothing")
	assert.Equal(t, ConnectorGroup{ID: europeGroupID, Name: "Europe", ConnectorGroupType: "applicationProxy", Region: "eur", Members: []string{europeMember}}, again[1])

	members, err := s.Members(europeGroupID)
	require.NoError(t, err)
	assert.Equal(t, "CONNECTOR-02.contoso.com", members[0].MachineName)
}
