package desired

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// MaxFileBytes bounds a file Parse reads: ten thousand groups with a
// hundred connectors each fit in a quarter of it.
const MaxFileBytes = 16 << 20

// The keys a file knows, in the order Export writes them.
const (
	keyConnectorGroups = "connectorGroups"
	keyName            = "name"
	keyDefault         = "default"
	keyRegion          = "region"
	keyConnectors      = "connectors"
	keyApplications    = "applications"
)

var groupKeys = []string{keyName, keyDefault, keyRegion, keyConnectors, keyApplications}

// regionShape is what a region may look like: an OData enum member name.
// Which regions Graph takes is checked against the service, by NewPlan,
// since a group may keep a region Graph no longer takes.
var regionShape = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,63}$`)

// Parse reads a file in YAML (or JSON, which is YAML too). name is the
// file's name in messages. Every problem the file shows on its own is
// reported, each with its line, in one *FileError: an unknown key, a
// value of the wrong kind, a group without a name, two groups of one
// name, two default groups, and a connector or application listed twice.
// Those that show only against the service are NewPlan's.
func Parse(name string, r io.Reader) (*File, error) {
	data, err := graph.ReadAtMost(r, MaxFileBytes, "desired-state file")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p := parser{file: &File{name: name}}
	p.parse(data)
	if len(p.problems) > 0 {
		return nil, fileError(name, p.problems)
	}
	if problems := p.file.check(); len(problems) > 0 {
		return nil, fileError(name, problems)
	}
	return p.file, nil
}

type parser struct {
	file     *File
	problems []Problem
}

func (p *parser) problem(n *yaml.Node, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	p.problems = append(p.problems, Problem{Line: line, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) parse(data []byte) {
	if !utf8.Valid(data) {
		p.problem(nil, "the file is not UTF-8 text")
		return
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.problem(nil, "the file is empty: it needs %s", keyConnectorGroups)
			return
		}
		p.problems = append(p.problems, yamlProblem(err))
		return
	}
	var second yaml.Node
	if err := dec.Decode(&second); !errors.Is(err, io.EOF) {
		p.problem(&second, "the file holds more than one YAML document; put every group under one %s", keyConnectorGroups)
		return
	}
	if len(doc.Content) == 0 {
		p.problem(&doc, "the file is empty: it needs %s", keyConnectorGroups)
		return
	}
	if hasAlias(&doc) {
		p.problem(&doc, "the file uses a YAML alias (*name); write each value out")
		return
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		p.problem(root, "the file must be a mapping with the key %s", keyConnectorGroups)
		return
	}
	var groups *yaml.Node
	p.each(root, []string{keyConnectorGroups}, func(key, value *yaml.Node) {
		groups = value
	})
	if groups == nil {
		if len(p.problems) == 0 {
			p.problem(root, "the file has no %s", keyConnectorGroups)
		}
		return
	}
	if groups.Kind != yaml.SequenceNode {
		if !isNull(groups) {
			p.problem(groups, "%s must be a list of groups", keyConnectorGroups)
			return
		}
	}
	p.file.ConnectorGroups = []Group{}
	for _, n := range groups.Content {
		p.group(n)
	}
}

// each calls fn for each key of a mapping, in order, and reports a key it
// does not know, or one given twice.
func (p *parser) each(m *yaml.Node, known []string, fn func(key, value *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, value := m.Content[i], m.Content[i+1]
		switch {
		case key.Kind != yaml.ScalarNode:
			p.problem(key, "a key must be a name")
		case !slices.Contains(known, key.Value):
			p.problem(key, "unknown key %q; the keys here are %s", key.Value, strings.Join(known, ", "))
		case seen[key.Value] > 0:
			p.problem(key, "%s is given twice (first at line %d)", key.Value, seen[key.Value])
		default:
			seen[key.Value] = key.Line
			fn(key, value)
		}
	}
}

func (p *parser) group(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		p.problem(n, "a group must be a mapping with a %s", keyName)
		return
	}
	g := Group{lines: lines{group: n.Line}}
	p.each(n, groupKeys, func(key, value *yaml.Node) {
		switch key.Value {
		case keyName:
			g.lines.name = value.Line
			if s, ok := p.text(value, keyName); ok {
				g.Name = s
			}
		case keyDefault:
			g.lines.def = value.Line
			switch {
			case value.Kind == yaml.ScalarNode && value.ShortTag() == "!!bool":
				g.Default = value.Value == "true" || value.Value == "True" || value.Value == "TRUE"
			default:
				p.problem(value, "%s must be true or false", keyDefault)
			}
		case keyRegion:
			g.lines.region = value.Line
			if isNull(value) {
				none := ""
				g.Region = &none
			} else if s, ok := p.text(value, keyRegion); ok {
				g.Region = &s
			}
		case keyConnectors:
			g.Connectors, g.lines.connectors = p.list(value, keyConnectors)
		case keyApplications:
			g.Applications, g.lines.applications = p.list(value, keyApplications)
		}
	})
	if g.lines.name == 0 {
		p.problem(n, "a group has no %s", keyName)
	}
	p.file.ConnectorGroups = append(p.file.ConnectorGroups, g)
}

// text is a scalar's value; null, a list or a mapping is a problem.
func (p *parser) text(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		p.problem(n, "%s must be text", what)
		return "", false
	}
	return n.Value, true
}

// list reads a list of scalars (null is an empty list) and their lines.
func (p *parser) list(n *yaml.Node, what string) ([]string, []int) {
	if isNull(n) {
		return []string{}, nil
	}
	if n.Kind != yaml.SequenceNode {
		p.problem(n, "%s must be a list", what)
		return nil, nil
	}
	values := make([]string, 0, len(n.Content))
	ls := make([]int, 0, len(n.Content))
	for _, item := range n.Content {
		if s, ok := p.text(item, "each of "+what); ok {
			values = append(values, s)
			ls = append(ls, item.Line)
		}
	}
	return values, ls
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// hasAlias reports whether the tree holds an alias: a file is small, and
// written out it cannot multiply itself (a "billion laughs").
func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}

// yamlLine finds the line in the YAML parser's message ("yaml: line 3:
// ..."), which it gives only in its text.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

func yamlProblem(err error) Problem {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line := 0
		fmt.Sscan(m[1], &line)
		return Problem{Line: line, Message: "not YAML: " + msg[len(m[0]):]}
	}
	return Problem{Message: "not YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}
