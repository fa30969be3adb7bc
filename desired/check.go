package desired

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// check finds what is wrong with a file on its own, whether Parse read it
// or a program built it: Parse and NewPlan both ask.
func (f *File) check() []Problem {
	var problems []Problem
	add := func(line int, format string, args ...any) {
		problems = append(problems, Problem{Line: line, Message: fmt.Sprintf(format, args...)})
	}
	names := map[string]int{}      // name → line of its first group, +1 so that 0 is unseen
	defaults := 0                  // line of the first default group, +1
	connectors := map[string]int{} // folded connector → its first line, +1
	applications := map[string]int{}
	for _, g := range f.ConnectorGroups {
		line := g.lines.name
		if line == 0 {
			line = g.lines.group
		}
		switch {
		case g.Name == "" && g.lines.name != 0:
			add(line, "a group's name is empty")
		case g.Name == "":
			add(line, "a group has no name")
		case utf8.RuneCountInString(g.Name) > graph.MaxNameLength:
			add(line, "the name of group %q is longer than %d characters", abbreviate(g.Name), graph.MaxNameLength)
		case names[g.Name] > 0:
			add(line, "two groups are named %q%s; names are unique in a file", g.Name, firstAt(names[g.Name]-1))
		default:
			names[g.Name] = line + 1
		}
		if g.Region != nil && *g.Region != "" && !regionShape.MatchString(*g.Region) {
			add(g.lines.region, "region %q of group %q is no region: write nam, eur, aus, asia or ind, or null for none", abbreviate(*g.Region), g.Name)
		}
		if g.Default {
			if defaults > 0 {
				add(g.lines.def, "group %q is a second default group%s; a tenant has one", g.Name, firstAt(defaults-1))
			} else {
				defaults = g.lines.def + 1
			}
		}
		for i, c := range g.Connectors {
			line := at(g.lines.connectors, i)
			key := strings.ToLower(c)
			switch {
			case c == "":
				add(line, "group %q lists an empty connector", g.Name)
			case connectors[key] > 0:
				add(line, "connector %s is listed twice%s", c, firstAt(connectors[key]-1))
			default:
				connectors[key] = line + 1
			}
		}
		for i, a := range g.Applications {
			line := at(g.lines.applications, i)
			key := strings.ToLower(a)
			switch {
			case a == "" || strings.ContainsAny(a, `/\`) || graph.HasSpaceOrControl(a):
				add(line, "group %q lists %q, which is no application id", g.Name, a)
			case applications[key] > 0:
				add(line, "application %s is listed twice%s", a, firstAt(applications[key]-1))
			default:
				applications[key] = line + 1
			}
		}
	}
	return problems
}

// abbreviate shortens a long name for a message.
func abbreviate(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}

// firstAt says where a thing was first given, when the file has lines.
func firstAt(line int) string {
	if line == 0 {
		return ""
	}
	return fmt.Sprintf(" (first at line %d)", line)
}
