package desired

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/connectorgroups/connectorgroups/client"
)

// Export reads the service's connector groups through c as a file: every
// group with its region (null for none), its connectors (by machineName
// where that names one connector, else by id) and the applications that
// report it. The default group comes first, then the others by name. A
// plan of the file against the same service is empty.
//
// Names are unique in a file, so a service where two groups share a name,
// the default one included, cannot be written as one: Export says which,
// and writes nothing.
func Export(ctx context.Context, c *client.Client) (*File, error) {
	s, err := readState(ctx, c)
	if err != nil {
		return nil, err
	}
	groups := slices.Clone(s.groups)
	slices.SortStableFunc(groups, func(a, b client.ConnectorGroup) int {
		if a.IsDefault != b.IsDefault {
			if a.IsDefault {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	var shared []string
	first := map[string]string{} // name → the id of its first group
	for _, g := range groups {
		if id, ok := first[g.Name]; ok {
			shared = append(shared, fmt.Sprintf("%q (%s and %s)", g.Name, id, g.ID))
			continue
		}
		first[g.Name] = g.ID
	}
	if len(shared) > 0 {
		return nil, fmt.Errorf("desired: cannot export: a file matches groups by name, and these names are shared: %s; rename one of each first", strings.Join(shared, ", "))
	}

	machineNames := map[string]int{}
	for _, cn := range s.connectors {
		machineNames[strings.ToLower(cn.MachineName)]++
	}
	f := &File{ConnectorGroups: make([]Group, 0, len(groups))}
	for _, g := range groups {
		region := string(g.Region)
		out := Group{Name: g.Name, Default: g.IsDefault, Region: &region, Connectors: []string{}, Applications: []string{}}
		members := slices.Clone(s.members[g.ID])
		slices.SortFunc(members, func(a, b client.Connector) int {
			return cmp.Or(strings.Compare(a.MachineName, b.MachineName), strings.Compare(a.ID, b.ID))
		})
		for _, cn := range members {
			if cn.MachineName != "" && machineNames[strings.ToLower(cn.MachineName)] == 1 {
				out.Connectors = append(out.Connectors, cn.MachineName)
				out.notes.connectors = append(out.notes.connectors, "")
				continue
			}
			out.Connectors = append(out.Connectors, cn.ID)
			out.notes.connectors = append(out.notes.connectors, cn.MachineName)
		}
		for _, a := range s.apps[g.ID] {
			out.Applications = append(out.Applications, a.ID)
			out.notes.applications = append(out.notes.applications, a.DisplayName)
		}
		f.ConnectorGroups = append(f.ConnectorGroups, out)
	}
	return f, nil
}
