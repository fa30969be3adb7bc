package desired

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/connectorgroups/connectorgroups/client"
)

// Options are how NewPlan compares.
type Options struct {
	// Prune deletes the groups the file omits, after moving what they hold
	// into the default group. The default group is never deleted, nor a
	// group of a type other than applicationProxy.
	Prune bool
}

// Plan is the changes that make the service match a file, in the order
// Apply makes them. No changes means the service matches the file.
type Plan struct {
	Changes []Change
}

// settableRegions are the regions a request may send: the spec's
// request enum, without unknownFutureValue, which names no region.
var settableRegions = []string{
	string(client.RegionNorthAmerica), string(client.RegionEurope), string(client.RegionAustralia),
	string(client.RegionAsia), string(client.RegionIndia),
}

// NewPlan reads the service through c and compares it with f. It writes
// nothing. Problems with the file, those seen only against the service
// included, are a *FileError; anything else is the service's error (a
// *client.Error, or the transport's).
func NewPlan(ctx context.Context, c *client.Client, f *File, opts Options) (*Plan, error) {
	if problems := f.check(); len(problems) > 0 {
		return nil, fileError(f.name, problems)
	}
	s, err := readState(ctx, c)
	if err != nil {
		return nil, err
	}
	p := &planner{file: f, state: s, prune: opts.Prune}
	p.matchGroups()
	p.placeConnectors()
	if err := p.placeApplications(ctx, c); err != nil {
		return nil, err
	}
	p.checkRegions()
	if opts.Prune && s.defaultID == "" {
		p.problem(0, "-prune moves what a deleted group holds into the default group, and the service reports no default group")
	}
	if len(p.problems) > 0 {
		slices.SortStableFunc(p.problems, func(a, b Problem) int { return a.Line - b.Line })
		return nil, fileError(f.name, p.problems)
	}
	return &Plan{Changes: p.changes()}, nil
}

// planner compares one file with one reading of the service.
type planner struct {
	file  *File
	state *state
	prune bool

	// targets[i] is the service's group that the file's i-th group is,
	// nil for one to create.
	targets []*client.ConnectorGroup
	// Where each connector and application is, by group id, and where the
	// file wants it, by the index of the file's group.
	connectorAt, applicationAt map[string]string
	connectorTo, applicationTo map[string]int
	// The file's connectors and applications as the service knows them, in
	// the file's order, per group.
	connectors   [][]client.Connector
	applications [][]client.Application
	// regionOrder is the file's groups whose region changes, in the order
	// the changes are made.
	regionOrder []int

	problems []Problem
}

func (p *planner) problem(line int, format string, args ...any) {
	p.problems = append(p.problems, Problem{Line: line, Message: fmt.Sprintf(format, args...)})
}

// matchGroups finds the service's group for each of the file's: the
// default one for the default, else the one group of that name. When the
// file has a default group, the service's default is matched by it alone.
func (p *planner) matchGroups() {
	fileHasDefault := slices.ContainsFunc(p.file.ConnectorGroups, func(g Group) bool { return g.Default })
	p.targets = make([]*client.ConnectorGroup, len(p.file.ConnectorGroups))
	for i, g := range p.file.ConnectorGroups {
		if g.Default {
			if d, ok := p.state.group(p.state.defaultID); ok {
				p.targets[i] = &d
			} else {
				p.problem(g.lines.def, "group %q is the default group, and the service reports none", g.Name)
			}
			continue
		}
		var found []client.ConnectorGroup
		for _, sg := range p.state.groups {
			if sg.Name == g.Name && !(fileHasDefault && sg.IsDefault) {
				found = append(found, sg)
			}
		}
		switch len(found) {
		case 0:
		case 1:
			p.targets[i] = &found[0]
		default:
			ids := make([]string, len(found))
			for j, sg := range found {
				ids[j] = sg.ID
			}
			p.problem(nameLine(g), "the name %q matches %d groups on the service (%s); a file matches groups by name, so rename all but one of them first", g.Name, len(found), strings.Join(ids, ", "))
		}
	}
}

func nameLine(g Group) int {
	if g.lines.name != 0 {
		return g.lines.name
	}
	return g.lines.group
}

// placeConnectors finds each listed connector, by id or machineName, and
// notes where it is and where the file wants it.
func (p *planner) placeConnectors() {
	byID := map[string]client.Connector{}
	byName := map[string][]client.Connector{}
	for _, c := range p.state.connectors {
		byID[strings.ToLower(c.ID)] = c
		if c.MachineName != "" {
			key := strings.ToLower(c.MachineName)
			byName[key] = append(byName[key], c)
		}
	}
	p.connectorAt = map[string]string{}
	for gid, members := range p.state.members {
		for _, c := range members {
			p.connectorAt[c.ID] = gid
		}
	}
	p.connectorTo = map[string]int{}
	listedAs := map[string]string{} // connector id → the entry that listed it
	listedAt := map[string]int{}
	p.connectors = make([][]client.Connector, len(p.file.ConnectorGroups))
	for i, g := range p.file.ConnectorGroups {
		for j, entry := range g.Connectors {
			line := at(g.lines.connectors, j)
			c, ok := byID[strings.ToLower(entry)]
			if !ok {
				switch named := byName[strings.ToLower(entry)]; len(named) {
				case 0:
					p.problem(line, "unknown connector %q: the service has no connector with this id or machineName", entry)
					continue
				case 1:
					c = named[0]
				default:
					ids := make([]string, len(named))
					for k, n := range named {
						ids[k] = n.ID
					}
					p.problem(line, "machineName %q names %d connectors (%s); list each by its id", entry, len(named), strings.Join(ids, ", "))
					continue
				}
			}
			if first, dup := listedAs[c.ID]; dup {
				p.problem(line, "connector %s is listed twice: as %q here and as %q at line %d", c.ID, entry, first, listedAt[c.ID])
				continue
			}
			listedAs[c.ID], listedAt[c.ID] = entry, line
			p.connectorTo[c.ID] = i
			p.connectors[i] = append(p.connectors[i], c)
		}
	}
}

// placeApplications notes where each listed application is and where the
// file wants it. One that no group reports is looked up: it does not
// exist, or its on-premises publishing is off; both are the file's
// problem.
func (p *planner) placeApplications(ctx context.Context, c *client.Client) error {
	known := map[string]client.Application{}
	p.applicationAt = map[string]string{}
	for gid, apps := range p.state.apps {
		for _, a := range apps {
			known[strings.ToLower(a.ID)] = a
			p.applicationAt[a.ID] = gid
		}
	}
	p.applicationTo = map[string]int{}
	p.applications = make([][]client.Application, len(p.file.ConnectorGroups))
	for i, g := range p.file.ConnectorGroups {
		for j, id := range g.Applications {
			line := at(g.lines.applications, j)
			a, ok := known[strings.ToLower(id)]
			if !ok {
				got, err := c.GetApplication(ctx, id)
				switch {
				case errors.Is(err, client.ErrNotFound), errors.Is(err, client.ErrInvalidID):
					p.problem(line, "unknown application %q: the service has no application with this id", id)
					continue
				case err != nil:
					return err
				case !got.Published():
					p.problem(line, "application %q (%s) has no on-premises publishing, so it cannot have a connector group; turn publishing on first", got.DisplayName, got.ID)
					continue
				}
				a = *got
			}
			p.applicationTo[a.ID] = i
			p.applications[i] = append(p.applications[i], a)
		}
	}
	return nil
}

// regionChanges reports whether the file changes the region of its i-th
// group, which exists already.
func (p *planner) regionChanges(i int) bool {
	g, t := p.file.ConnectorGroups[i], p.targets[i]
	return t != nil && g.Region != nil && *g.Region != string(t.Region)
}

// checkRegions refuses each region change that the plan's moves do not
// leave the group empty for, and orders the others: a change waits for
// the changes of the groups its group's connectors and applications move
// into, since those moves wait for those changes.
func (p *planner) checkRegions() {
	var changing []int
	for i, g := range p.file.ConnectorGroups {
		created := p.targets[i] == nil && g.Region != nil
		if !created && !p.regionChanges(i) {
			continue
		}
		if *g.Region != "" && !slices.Contains(settableRegions, *g.Region) {
			p.problem(g.lines.region, "group %q cannot be given region %s: Graph sets %s, or none (null); a group keeps another region only if it has it already", g.Name, *g.Region, strings.Join(settableRegions, ", "))
			continue
		}
		if created {
			continue // it is created with its region
		}
		if stay := p.staying(i); len(stay) > 0 {
			p.problem(g.lines.region, "group %q keeps its region %s: it would still hold %s. Graph changes a group's region only while it holds no connectors and no applications, and apply does not empty a group to refill it, since its applications would be served by other connectors meanwhile, and stay so if the run stopped halfway. List these under other groups and apply, then change the region",
				g.Name, regionLabel(string(p.targets[i].Region)), strings.Join(stay, ", "))
			continue
		}
		changing = append(changing, i)
	}
	p.regionOrder = p.orderRegionChanges(changing)
}

// staying names what the i-th group still holds after the plan's moves
// out of it, when its region changes.
func (p *planner) staying(i int) []string {
	id := p.targets[i].ID
	var stay []string
	for _, c := range p.state.members[id] {
		if to, listed := p.connectorTo[c.ID]; !listed || to == i {
			stay = append(stay, "connector "+connectorLabel(&ConnectorRef{ID: c.ID, MachineName: c.MachineName}))
		}
	}
	for _, a := range p.state.apps[id] {
		if to, listed := p.applicationTo[a.ID]; !listed || to == i {
			stay = append(stay, "application "+applicationLabel(&ApplicationRef{ID: a.ID, DisplayName: a.DisplayName}))
		}
	}
	return stay
}

// orderRegionChanges puts each change after those of the groups that
// what its group holds moves into. Two groups that wait on each other are
// refused: each would have to be empty before the other.
func (p *planner) orderRegionChanges(changing []int) []int {
	waitsFor := map[int][]int{} // group → the changing groups it must follow
	isChanging := map[int]bool{}
	for _, i := range changing {
		isChanging[i] = true
	}
	for _, i := range changing {
		id := p.targets[i].ID
		for _, c := range p.state.members[id] {
			if to, ok := p.connectorTo[c.ID]; ok && to != i && isChanging[to] && !slices.Contains(waitsFor[i], to) {
				waitsFor[i] = append(waitsFor[i], to)
			}
		}
		for _, a := range p.state.apps[id] {
			if to, ok := p.applicationTo[a.ID]; ok && to != i && isChanging[to] && !slices.Contains(waitsFor[i], to) {
				waitsFor[i] = append(waitsFor[i], to)
			}
		}
	}
	var order []int
	const (
		unvisited = iota
		visiting
		visited
	)
	mark := map[int]int{}
	var visit func(i int) bool
	visit = func(i int) bool {
		switch mark[i] {
		case visiting:
			return false
		case visited:
			return true
		}
		mark[i] = visiting
		for _, j := range waitsFor[i] {
			if !visit(j) {
				return false
			}
		}
		mark[i] = visited
		order = append(order, i)
		return true
	}
	for _, i := range changing {
		if !visit(i) {
			g := p.file.ConnectorGroups[i]
			p.problem(g.lines.region, "the region changes of group %q and of the groups its connectors or applications move to wait on each other: each group must be empty before its change. Apply the moves first, then the regions", g.Name)
			return nil
		}
	}
	return order
}

// ref is how a change names the file's i-th group.
func (p *planner) ref(i int) GroupRef {
	r := GroupRef{Name: p.file.ConnectorGroups[i].Name}
	if t := p.targets[i]; t != nil {
		r.ID = t.ID
	}
	return r
}

// from is how a change names the service's group a connector or an
// application leaves.
func (p *planner) from(id string) *GroupRef {
	if id == "" {
		return nil
	}
	g, _ := p.state.group(id)
	return &GroupRef{ID: id, Name: g.Name}
}

// changes lists the plan's changes in the order of the package doc.
func (p *planner) changes() []Change {
	changes := []Change{}
	for i, g := range p.file.ConnectorGroups {
		if p.targets[i] == nil {
			var region *string
			if g.Region != nil && *g.Region != "" {
				region = g.Region
			}
			changes = append(changes, Change{Action: CreateGroup, Group: p.ref(i), Region: region})
		}
	}
	for i, g := range p.file.ConnectorGroups {
		if t := p.targets[i]; g.Default && t != nil && t.Name != g.Name {
			changes = append(changes, Change{Action: RenameGroup, Group: GroupRef{ID: t.ID, Name: t.Name}, Name: g.Name})
		}
	}
	waits := map[int]bool{}
	for _, i := range p.regionOrder {
		waits[i] = true
	}
	for i := range p.file.ConnectorGroups {
		if !waits[i] {
			changes = append(changes, p.movesInto(i)...)
		}
	}
	for _, i := range p.regionOrder {
		g := p.file.ConnectorGroups[i]
		changes = append(changes, Change{Action: SetRegion, Group: p.ref(i), Region: g.Region, OldRegion: string(p.targets[i].Region)})
		changes = append(changes, p.movesInto(i)...)
	}
	if p.prune {
		changes = append(changes, p.pruned()...)
	}
	return changes
}

// movesInto is the moves of the connectors and applications the file's
// i-th group lists and does not hold.
func (p *planner) movesInto(i int) []Change {
	var moves []Change
	to := p.ref(i)
	for _, c := range p.connectors[i] {
		if at := p.connectorAt[c.ID]; at == "" || at != to.ID {
			moves = append(moves, Change{Action: MoveConnector, Group: to, From: p.from(at), Connector: &ConnectorRef{ID: c.ID, MachineName: c.MachineName}})
		}
	}
	for _, a := range p.applications[i] {
		if at := p.applicationAt[a.ID]; at == "" || at != to.ID {
			moves = append(moves, Change{Action: MoveApplication, Group: to, From: p.from(at), Application: &ApplicationRef{ID: a.ID, DisplayName: a.DisplayName}})
		}
	}
	return moves
}

// pruned is, for each group the file omits that prune may delete, the
// moves of what it still holds into the default group, and its delete.
func (p *planner) pruned() []Change {
	matched := map[string]bool{}
	for _, t := range p.targets {
		if t != nil {
			matched[t.ID] = true
		}
	}
	def := p.from(p.state.defaultID)
	for i, t := range p.targets {
		if t != nil && t.IsDefault {
			def = &GroupRef{ID: t.ID, Name: p.file.ConnectorGroups[i].Name}
		}
	}
	// By name, so that a plan reads the same whatever order the service
	// lists its groups in.
	groups := slices.Clone(p.state.groups)
	slices.SortStableFunc(groups, func(a, b client.ConnectorGroup) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	var changes []Change
	for _, g := range groups {
		if matched[g.ID] || !prunable(g) {
			continue
		}
		from := &GroupRef{ID: g.ID, Name: g.Name}
		for _, c := range p.state.members[g.ID] {
			if _, listed := p.connectorTo[c.ID]; !listed {
				changes = append(changes, Change{Action: MoveConnector, Group: *def, From: from, Connector: &ConnectorRef{ID: c.ID, MachineName: c.MachineName}})
			}
		}
		for _, a := range p.state.apps[g.ID] {
			if _, listed := p.applicationTo[a.ID]; !listed {
				changes = append(changes, Change{Action: MoveApplication, Group: *def, From: from, Application: &ApplicationRef{ID: a.ID, DisplayName: a.DisplayName}})
			}
		}
		changes = append(changes, Change{Action: DeleteGroup, Group: *from})
	}
	return changes
}
