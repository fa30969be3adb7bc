package fakegraph

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The live service accepts the system-set isDefault and connectorGroupType
// in a create's and an update's body and ignores them: a create with
// "isDefault": true still made a group that is not the default. So does
// the fake, whatever their values, as long as each has its type.
var ignoredSystemSetBodies = []struct{ name, fields string }{
	{"isDefault true", `"isDefault":true`},
	{"isDefault false", `"isDefault":false`},
	{"connectorGroupType applicationProxy", `"connectorGroupType":"applicationProxy"`},
	{"connectorGroupType syncFabric", `"connectorGroupType":"syncFabric"`},
	{"connectorGroupType of no enum", `"connectorGroupType":"not a type at all"`},
	{"connectorGroupType empty", `"connectorGroupType":""`},
	{"both, asking to be the default", `"isDefault":true,"connectorGroupType":"applicationProxy"`},
	{"both, asking not to be", `"connectorGroupType":"syncFabric","isDefault":false`},
}

func TestCreateIgnoresIsDefaultAndConnectorGroupType(t *testing.T) {
	for _, tt := range ignoredSystemSetBodies {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			before := s.Snapshot()
			ex := send(t, srv, apiCall(http.MethodPost, groupsPath, `{"name":"Asked",`+tt.fields+`,"region":"eur"}`))
			requireSuccess(t, ex, http.StatusOK)
			g := decodeAs[api.ConnectorGroup](t, ex)
			assert.False(t, g.IsDefault, "a create never makes the default group")
			assert.Equal(t, graph.GroupTypeApplicationProxy, g.ConnectorGroupType, "the system sets the type")
			assert.Equal(t, "Asked", g.Name, "what may be written is written")
			require.NotNil(t, g.Region)
			assert.Equal(t, "eur", *g.Region)

			// The state after: the new group as answered, and the old
			// default still the one default.
			after := s.Snapshot()
			require.Len(t, after.Groups, len(before.Groups)+1)
			stored, err := s.Group(g.Id)
			require.NoError(t, err)
			assert.Equal(t, ConnectorGroup{ID: g.Id, Name: "Asked", ConnectorGroupType: graph.GroupTypeApplicationProxy, Region: "eur", Members: []string{}}, stored)
			assert.Equal(t, []string{defaultGroupID}, defaultIDs(after), "exactly one default, the seed's")
		})
	}
}

func TestUpdateIgnoresIsDefaultAndConnectorGroupType(t *testing.T) {
	for _, tt := range ignoredSystemSetBodies {
		for _, target := range []struct{ what, id string }{{"a group", emptyGroupID}, {"the default group", defaultGroupID}} {
			t.Run(tt.name+", "+target.what, func(t *testing.T) {
				s, srv := newServer(t, nil)
				before, err := s.Group(target.id)
				require.NoError(t, err)
				requireSuccess(t, send(t, srv, apiCall(http.MethodPatch, groupPath(target.id), `{`+tt.fields+`,"name":"Renamed"}`)), http.StatusNoContent)

				after, err := s.Group(target.id)
				require.NoError(t, err)
				want := before
				want.Name = "Renamed"
				assert.Equal(t, want, after, "the name changed, and nothing the system sets")
				assert.Equal(t, []string{defaultGroupID}, defaultIDs(s.Snapshot()), "the default stays the default, and stays the only one")

				// Alone, they change nothing at all.
				requireSuccess(t, send(t, srv, apiCall(http.MethodPatch, groupPath(target.id), `{`+tt.fields+`}`)), http.StatusNoContent)
				again, err := s.Group(target.id)
				require.NoError(t, err)
				assert.Equal(t, after, again)
			})
		}
	}
}

// Their values are ignored, not their types: a value that is not a
// boolean, or not a string, is refused with 400 and changes nothing, as a
// name of the wrong type is. (Graph reads the body as a connectorGroup,
// whose isDefault is a non-nullable Edm.Boolean [inferred].)
func TestSystemSetPropertiesOfTheWrongTypeAreRefused(t *testing.T) {
	for _, tt := range []struct{ name, fields, message string }{
		{"isDefault as a string", `"isDefault":"true"`, "The request is not valid: body/isDefault: value must be a boolean"},
		{"isDefault as a number", `"isDefault":1`, "The request is not valid: body/isDefault: value must be a boolean"},
		{"isDefault null", `"isDefault":null`, "The request is not valid: body/isDefault: Value is not nullable"},
		{"isDefault as an object", `"isDefault":{"value":true}`, "The request is not valid: body/isDefault: value must be a boolean"},
		{"connectorGroupType as a number", `"connectorGroupType":0`, "The request is not valid: body/connectorGroupType: value must be a string"},
		{"connectorGroupType null", `"connectorGroupType":null`, "The request is not valid: body/connectorGroupType: Value is not nullable"},
		{"connectorGroupType as an array", `"connectorGroupType":["applicationProxy"]`, "The request is not valid: body/connectorGroupType: value must be a string"},
	} {
		for _, op := range []struct{ method, path string }{{http.MethodPost, groupsPath}, {http.MethodPatch, groupPath(emptyGroupID)}} {
			t.Run(op.method+" "+tt.name, func(t *testing.T) {
				s, srv := newServer(t, nil)
				before := s.Snapshot()
				requireGraphError(t, send(t, srv, apiCall(op.method, op.path, `{"name":"x",`+tt.fields+`}`)), http.StatusBadRequest, graph.CodeBadRequest, tt.message)
				assert.Equal(t, before, s.Snapshot(), "nothing created or changed")
			})
		}
	}
}

func defaultIDs(sn Snapshot) []string {
	var out []string
	for _, g := range sn.Groups {
		if g.IsDefault {
			out = append(out, g.ID)
		}
	}
	return out
}
