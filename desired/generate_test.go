package desired_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/connectorgroups/connectorgroups/desired"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// The generators of the property test: a random tenant as a fakegraph
// seed, and a random desired file against it.

var groupNamePool = []string{"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett", "Kilo", "Lima"}

const syncFabricName = "AD Sync Fabric"

func randomID(r *rand.Rand) string {
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", r.Uint32(), r.IntN(1<<16), r.IntN(1<<12), r.IntN(1<<12), r.Uint64()&(1<<48-1))
}

// randomSeedRegion is a group's region in a seed: one of the published
// ones, none, and now and then japan, a value Graph sends but does not
// take back.
func randomSeedRegion(r *rand.Rand) string {
	if r.IntN(15) == 0 {
		return "japan"
	}
	return []string{"nam", "eur", "aus", "asia", "ind", ""}[r.IntN(6)]
}

// randomSeed is a tenant: its default group and up to four others (now
// and then two of one name), sometimes a syncFabric group, up to eight
// connectors spread over the groups (those no group lists start in the
// default one), and up to five applications, published and assigned,
// published and not, or not published.
func randomSeed(r *rand.Rand) *fakegraph.Seed {
	s := &fakegraph.Seed{Tokens: map[string][]string{testToken: {"Directory.ReadWrite.All"}}}
	names := slices.Clone(groupNamePool)
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	defaultName := []string{"Default", "Default group", names[len(names)-1]}[r.IntN(3)]
	s.ConnectorGroups = append(s.ConnectorGroups, fakegraph.SeedConnectorGroup{
		ID: randomID(r), Name: defaultName, ConnectorGroupType: "applicationProxy", IsDefault: true, Region: randomSeedRegion(r)})
	for i := range r.IntN(5) {
		name := names[i]
		if i > 0 && r.IntN(12) == 0 {
			name = s.ConnectorGroups[len(s.ConnectorGroups)-1].Name
		}
		s.ConnectorGroups = append(s.ConnectorGroups, fakegraph.SeedConnectorGroup{
			ID: randomID(r), Name: name, ConnectorGroupType: "applicationProxy", Region: randomSeedRegion(r)})
	}
	if r.IntN(5) == 0 {
		s.ConnectorGroups = append(s.ConnectorGroups, fakegraph.SeedConnectorGroup{
			ID: randomID(r), Name: syncFabricName, ConnectorGroupType: "syncFabric", Region: randomSeedRegion(r)})
	}
	for i := range r.IntN(9) {
		c := fakegraph.SeedConnector{ID: randomID(r), MachineName: fmt.Sprintf("host%02d.contoso.com", i),
			ExternalIP: fmt.Sprintf("203.0.113.%d", 10+i), Status: []string{"active", "inactive"}[r.IntN(2)]}
		if i > 0 && r.IntN(40) == 0 {
			c.MachineName = s.Connectors[r.IntN(i)].MachineName
		}
		s.Connectors = append(s.Connectors, c)
		if g := r.IntN(len(s.ConnectorGroups) + 1); g < len(s.ConnectorGroups) {
			s.ConnectorGroups[g].Members = append(s.ConnectorGroups[g].Members, c.ID)
		}
	}
	for i := range r.IntN(6) {
		a := fakegraph.SeedApplication{ID: randomID(r), AppID: randomID(r), DisplayName: fmt.Sprintf("App %d", i)}
		if r.IntN(4) > 0 {
			a.OnPremisesPublishing = json.RawMessage(fmt.Sprintf(`{"externalUrl":"https://app%d-contoso.msappproxy.net/","internalUrl":"http://app%d.contoso.local/"}`, i, i))
			if r.IntN(5) < 3 {
				var proxies []string
				for _, g := range s.ConnectorGroups {
					if g.ConnectorGroupType == "applicationProxy" {
						proxies = append(proxies, g.ID)
					}
				}
				a.ConnectorGroup = proxies[r.IntN(len(proxies))]
			}
		}
		s.Applications = append(s.Applications, a)
	}
	return s
}

// fileRegion is a file group's region: nil (leave) often, none, a region
// Graph takes, and now and then japan.
func fileRegion(r *rand.Rand) *string {
	var v string
	switch n := r.IntN(100); {
	case n < 50:
		return nil
	case n < 65:
		v = ""
	case n < 97:
		v = sendableRegions[r.IntN(len(sendableRegions))]
	default:
		v = "japan"
	}
	return &v
}

// draft is a file being generated: its groups, with the existing group
// each is (or ""), and where each connector and application is listed.
type draft struct {
	groups []desired.Group
	ids    []string
	// conn and app map what is listed to its file group; connRef is how
	// a connector is written (its id or its machineName).
	conn, app map[string]int
	connRef   map[string]string
	fresh     int
}

func (d *draft) add(g desired.Group, id string) int {
	d.groups = append(d.groups, g)
	d.ids = append(d.ids, id)
	return len(d.groups) - 1
}

// freshName is a name no service group and no file group has.
func (d *draft) freshName() string {
	d.fresh++
	return fmt.Sprintf("Team %d", d.fresh)
}

// randomFile is a desired file for the world: the default group or not
// (renamed now and then), some of the existing groups by name, some new
// ones, random regions, and some connectors (by id or machineName) and
// applications listed under the file's groups. Now and then it is wrong
// in a way only the service shows (an unknown or ambiguous connector, a
// connector listed by id and by machineName, an unknown or unpublished
// application). Half the time a group whose region it changes gets
// everything it holds listed under other groups, so that most region
// changes can be made.
func randomFile(r *rand.Rand, w *world) *desired.File {
	d := &draft{conn: map[string]int{}, app: map[string]int{}, connRef: map[string]string{}}
	if r.IntN(10) < 7 {
		name := w.byID[w.defaultID].Name
		if r.IntN(10) < 4 {
			name = d.freshName()
		}
		d.add(desired.Group{Name: name, Default: true, Region: fileRegion(r)}, w.defaultID)
	}
	seen := map[string]bool{}
	for _, g := range w.groups {
		if g.IsDefault || g.ConnectorGroupType != "applicationProxy" || seen[g.Name] || r.IntN(10) >= 6 {
			continue
		}
		seen[g.Name] = true
		id := g.ID
		if len(w.groupsNamed(g.Name)) > 1 {
			id = "" // refused: the name matches several groups
		}
		d.add(desired.Group{Name: g.Name, Region: fileRegion(r)}, id)
	}
	for range r.IntN(3) {
		d.add(desired.Group{Name: d.freshName(), Region: fileRegion(r)}, "")
	}
	if len(d.groups) > 0 {
		for _, c := range w.conns {
			if r.IntN(2) == 0 {
				d.conn[c.ID] = r.IntN(len(d.groups))
				d.connRef[c.ID] = c.ID
				if r.IntN(2) == 0 {
					d.connRef[c.ID] = c.MachineName
				}
			}
		}
		for _, a := range w.apps {
			_, published := w.appGroup[a.ID]
			if (published && r.IntN(2) == 0) || (!published && r.IntN(12) == 0) {
				d.app[a.ID] = r.IntN(len(d.groups))
			}
		}
	}
	for i, g := range d.groups {
		id := d.ids[i]
		if id == "" || g.Region == nil || *g.Region == w.byID[id].Region || r.IntN(2) == 0 {
			continue
		}
		d.emptyOut(r, w, i)
	}
	return d.file(r, w)
}

// emptyOut lists everything the existing group of file group i holds
// under other file groups, adding one if the file has no other.
func (d *draft) emptyOut(r *rand.Rand, w *world, i int) {
	elsewhere := func() int {
		if len(d.groups) == 1 {
			d.add(desired.Group{Name: d.freshName()}, "")
		}
		j := r.IntN(len(d.groups) - 1)
		if j >= i {
			j++
		}
		return j
	}
	id := d.ids[i]
	for _, c := range w.conns {
		if w.connGroup[c.ID] == id {
			d.conn[c.ID] = elsewhere()
			if d.connRef[c.ID] == "" {
				d.connRef[c.ID] = c.ID
			}
		}
	}
	for _, a := range w.apps {
		if from, published := w.appGroup[a.ID]; published && from == id {
			d.app[a.ID] = elsewhere()
		}
	}
}

// file writes the draft's lists into its groups, in the world's order,
// and adds now and then one of the mistakes only the service shows.
func (d *draft) file(r *rand.Rand, w *world) *desired.File {
	for _, c := range w.conns {
		if i, ok := d.conn[c.ID]; ok {
			d.groups[i].Connectors = append(d.groups[i].Connectors, d.connRef[c.ID])
		}
	}
	for _, a := range w.apps {
		if i, ok := d.app[a.ID]; ok {
			d.groups[i].Applications = append(d.groups[i].Applications, a.ID)
		}
	}
	if len(d.groups) > 0 {
		pick := func() *desired.Group { return &d.groups[r.IntN(len(d.groups))] }
		if r.IntN(30) == 0 {
			g := pick()
			g.Connectors = append(g.Connectors, "ghost.contoso.com")
		}
		if r.IntN(30) == 0 {
			g := pick()
			g.Applications = append(g.Applications, "00000000-0000-4000-8000-00000000a990")
		}
		if r.IntN(25) == 0 {
			for _, c := range w.conns {
				if d.connRef[c.ID] == c.ID && !strings.EqualFold(c.MachineName, c.ID) {
					g := pick()
					g.Connectors = append(g.Connectors, c.MachineName)
					break
				}
			}
		}
	}
	return &desired.File{ConnectorGroups: d.groups}
}

// encodeYAML writes the file as YAML by hand, apart from the package's
// Encode, so that Parse is tested on text the package did not write.
// r varies what is optional (default: false, empty lists); nil writes
// the plainest form.
func encodeYAML(f *desired.File, r *rand.Rand) string {
	var b strings.Builder
	maybe := func() bool { return r != nil && r.IntN(4) == 0 }
	if len(f.ConnectorGroups) == 0 {
		return "connectorGroups: []\n"
	}
	b.WriteString("connectorGroups:\n")
	for _, g := range f.ConnectorGroups {
		fmt.Fprintf(&b, "  - name: %s\n", strconv.Quote(g.Name))
		switch {
		case g.Default:
			b.WriteString("    default: true\n")
		case maybe():
			b.WriteString("    default: false\n")
		}
		switch {
		case g.Region == nil:
		case *g.Region == "":
			b.WriteString("    region: null\n")
		default:
			fmt.Fprintf(&b, "    region: %s\n", *g.Region)
		}
		list := func(key string, items []string) {
			switch {
			case len(items) > 0:
				fmt.Fprintf(&b, "    %s:\n", key)
				for _, it := range items {
					fmt.Fprintf(&b, "      - %s\n", strconv.Quote(it))
				}
			case maybe():
				fmt.Fprintf(&b, "    %s: []\n", key)
			}
		}
		list("connectors", g.Connectors)
		list("applications", g.Applications)
	}
	return b.String()
}
