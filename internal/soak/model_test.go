package soak

import "slices"

// model is one worker's idea of where its connectors are and which groups
// it owns. Only its worker moves its connectors and only its worker moves
// into or deletes its groups, so the model is exact for both, however the
// workers interleave.
type model struct {
	where   map[string]string // each owned connector's group
	own     map[string]bool   // groups it created and has not deleted
	deleted []string          // groups it deleted, gone for good
}

func newModel(connectors []string, defaultGroup string) *model {
	m := &model{where: map[string]string{}, own: map[string]bool{}}
	for _, c := range connectors {
		m.where[c] = defaultGroup
	}
	return m
}

// membersOf is the owned connectors the model places in group, sorted.
func (m *model) membersOf(group string) []string {
	var out []string
	for c, g := range m.where {
		if g == group {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

func (m *model) ownGroups() []string {
	var out []string
	for g := range m.own {
		out = append(out, g)
	}
	slices.Sort(out)
	return out
}
