package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/desired"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The output formats of plan's -o.
const (
	planText = "text"
	planJSON = "json"
)

// desiredTimeout is -timeout's default for export, plan and apply, which
// read every group and may make a change per connector and application.
const desiredTimeout = 5 * time.Minute

var planCommand = clientCommand{
	name:     "plan",
	synopsis: "-f FILE [-prune] [-o FORMAT]",
	timeout:  desiredTimeout,
	about: []string{
		"Reads a desired-state file and the service, and prints the changes that would make the service",
		"match the file, one a line, in the order apply makes them; it changes nothing. The file's format",
		"and what apply never does: docs/desired-state.md.",
	},
	status: "Exit status: 0 with or without changes, 1 the service or the network failed, 2 bad usage or a file with problems (each FILE:LINE: message).",
	flags: func(fs *flag.FlagSet) clientCall {
		in := desiredFlags(fs)
		format := fs.String("o", planText, "the output `FORMAT`: text, a change a line, or json, {\"changes\": [...]}")
		check := func() []string {
			var problems []string
			if *format != planText && *format != planJSON {
				problems = append(problems, fmt.Sprintf("-o must be %s or %s, not %q", planText, planJSON, *format))
			}
			return append(problems, in.read()...)
		}
		return clientCall{check: check, run: func(ctx context.Context, c *client.Client, stdout io.Writer) error {
			plan, err := desired.NewPlan(ctx, c, in.file, in.options())
			if err != nil {
				return err
			}
			if *format == planJSON {
				return writePlanJSON(stdout, plan)
			}
			return writePlanText(stdout, plan, *in.path)
		}}
	},
}

// writePlanText writes a change a line, or when there is none, the line
// that says so.
func writePlanText(w io.Writer, plan *desired.Plan, path string) error {
	if len(plan.Changes) == 0 {
		_, err := fmt.Fprintln(w, inSyncLine(path))
		return err
	}
	for _, c := range plan.Changes {
		if _, err := fmt.Fprintln(w, changeLine(c)); err != nil {
			return err
		}
	}
	return nil
}

// writePlanJSON writes one object, {"changes": [...]}, indented; the list
// is [] when there is no change, so that `jq '.changes | length'` works.
func writePlanJSON(w io.Writer, plan *desired.Plan) error {
	changes := plan.Changes
	if changes == nil {
		changes = []desired.Change{}
	}
	out, err := json.MarshalIndent(struct {
		Changes []desired.Change `json:"changes"`
	}{changes}, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", out)
	return err
}

// changeLine is a change as plan and apply print it. Names come from the
// service, so the line is made safe for a terminal.
func changeLine(c desired.Change) string { return graph.OneLine(c.String(), 2000) }
