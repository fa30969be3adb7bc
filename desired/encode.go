package desired

import (
	"io"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// header opens every file Encode writes.
const header = `The connector groups, as connectorgroups plan and apply read them.
The default group is the one with default: true; the others are matched by name.
region: omitted leaves it as it is, null means none.
A connector or application not listed stays where it is.`

// Encode writes the file as YAML, in the shape Parse reads, with the names
// Export knows beside the ids it lists.
func (f *File) Encode(w io.Writer) error {
	groups := &yaml.Node{Kind: yaml.SequenceNode}
	for _, g := range f.ConnectorGroups {
		groups.Content = append(groups.Content, g.node())
	}
	root := &yaml.Node{Kind: yaml.MappingNode, HeadComment: header}
	root.Content = []*yaml.Node{text(keyConnectorGroups), groups}
	if len(f.ConnectorGroups) == 0 {
		groups.Style = yaml.FlowStyle
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return err
	}
	return enc.Close()
}

func (g Group) node() *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, value *yaml.Node) { n.Content = append(n.Content, text(key), value) }
	add(keyName, text(g.Name))
	if g.Default {
		add(keyDefault, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
	}
	if g.Region != nil {
		if *g.Region == "" {
			add(keyRegion, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"})
		} else {
			add(keyRegion, text(*g.Region))
		}
	}
	if g.Connectors != nil {
		add(keyConnectors, list(g.Connectors, g.notes.connectors))
	}
	if g.Applications != nil {
		add(keyApplications, list(g.Applications, g.notes.applications))
	}
	return n
}

// text is a string scalar, quoted by the encoder when YAML would read it
// as something else (true, null, 1e3).
func text(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

func list(items, notes []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode}
	if len(items) == 0 {
		n.Style = yaml.FlowStyle
	}
	for i, item := range items {
		v := text(item)
		if i < len(notes) && notes[i] != "" {
			v.LineComment = comment(notes[i])
		}
		n.Content = append(n.Content, v)
	}
	return n
}

// comment is a name as a comment: quoted only if it holds what a comment
// cannot (a line break, a control character).
func comment(s string) string {
	q := strconv.Quote(s)
	if q[1:len(q)-1] == s {
		return s
	}
	return q
}
