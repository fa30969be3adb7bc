package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// printer writes a command's result to stdout: JSON for programs (the
// default), a table for people (-o table), or the ids alone, one per line,
// for shell scripts (-o id: GROUP=$(connectorgroups group create -name N -o id)).
type printer func(w io.Writer, v any) error

func printerFor(format string) (printer, error) {
	switch format {
	case "json":
		return printJSON, nil
	case "table":
		return printTable, nil
	case "id":
		return printIDs, nil
	}
	return nil, fmt.Errorf("-o must be json, table or id, not %q", format)
}

// printJSON writes v as indented JSON with Graph's property names. An empty
// list is [], never null, so that `jq length` and friends work.
func printJSON(w io.Writer, v any) error {
	switch l := v.(type) {
	case []client.ConnectorGroup:
		if l == nil {
			v = []client.ConnectorGroup{}
		}
	case []client.Connector:
		if l == nil {
			v = []client.Connector{}
		}
	case []client.Application:
		if l == nil {
			v = []client.Application{}
		}
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", out)
	return err
}

// printTable writes groups or connectors as aligned columns. Every cell
// comes from the server, so it is folded onto one line without control
// characters before it reaches a terminal.
func printTable(w io.Writer, v any) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(cells ...string) {
		for i, c := range cells {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, cell(c))
		}
		fmt.Fprintln(tw)
	}
	switch v := v.(type) {
	case []client.ConnectorGroup:
		groupRows(row, v...)
	case *client.ConnectorGroup:
		groupRows(row, *v)
	case []client.Connector:
		connectorRows(row, v...)
	case *client.Connector:
		connectorRows(row, *v)
	case []client.Application:
		applicationRows(row, v...)
	case *client.Application:
		applicationRows(row, *v)
	default:
		return fmt.Errorf("no table form for %T", v)
	}
	return tw.Flush()
}

// printIDs writes the id of each group or connector on a line of its own.
// Ids come from the server: one that could break the line is refused
// rather than printed for a script to misread.
func printIDs(w io.Writer, v any) error {
	var ids []string
	switch v := v.(type) {
	case []client.ConnectorGroup:
		for _, g := range v {
			ids = append(ids, g.ID)
		}
	case *client.ConnectorGroup:
		ids = append(ids, v.ID)
	case []client.Connector:
		for _, c := range v {
			ids = append(ids, c.ID)
		}
	case *client.Connector:
		ids = append(ids, v.ID)
	case []client.Application:
		for _, a := range v {
			ids = append(ids, a.ID)
		}
	case *client.Application:
		ids = append(ids, v.ID)
	default:
		return fmt.Errorf("no id form for %T", v)
	}
	for _, id := range ids {
		if id == "" || id != cell(id) || strings.Contains(id, " ") {
			return fmt.Errorf("the service sent an id that is empty or holds white space or control characters: %q", id)
		}
	}
	for _, id := range ids {
		if _, err := fmt.Fprintln(w, id); err != nil {
			return err
		}
	}
	return nil
}

func groupRows(row func(...string), groups ...client.ConnectorGroup) {
	row("ID", "NAME", "REGION", "DEFAULT", "TYPE")
	for _, g := range groups {
		row(g.ID, g.Name, orDash(string(g.Region)), strconv.FormatBool(g.IsDefault), orDash(string(g.ConnectorGroupType)))
	}
}

func connectorRows(row func(...string), connectors ...client.Connector) {
	row("ID", "MACHINE", "EXTERNAL IP", "STATUS", "VERSION")
	for _, c := range connectors {
		row(c.ID, orDash(c.MachineName), orDash(c.ExternalIP), orDash(string(c.Status)), orDash(c.Version))
	}
}

// applicationRows shows where an application is published: its external
// URL, or "-" when on-premises publishing is off.
func applicationRows(row func(...string), apps ...client.Application) {
	row("ID", "APP ID", "NAME", "EXTERNAL URL")
	for _, a := range apps {
		url := ""
		if a.Published() {
			url = a.OnPremisesPublishing.ExternalURL
		}
		row(a.ID, orDash(a.AppID), orDash(a.DisplayName), orDash(url))
	}
}

// cell makes one table cell of a server's string: one line, no tabs (they
// would break the columns), no control characters.
func cell(s string) string { return graph.OneLine(s, 200) }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
