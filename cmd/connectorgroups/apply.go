package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/desired"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

var applyCommand = clientCommand{
	name:     "apply",
	synopsis: "-f FILE [-prune] [-dry-run]",
	timeout:  desiredTimeout,
	about: []string{
		"Makes the service match a desired-state file: plans as plan does, then makes the changes in order,",
		"printing each once it is made, and last how many. It stops at the first error, which names the",
		"change that failed, and lists on stderr the changes not made; running it again takes up from there.",
		"Run again after it succeeded, it changes nothing. The file's format and what apply never does",
		"(delete the default group, send a region to a group that holds connectors or applications, touch",
		"what the file does not name but what -prune moves and deletes): docs/desired-state.md.",
	},
	status: "Exit status: 0 done, 1 the service or the network failed, 2 bad usage or a file with problems (each FILE:LINE: message).",
	flags: func(fs *flag.FlagSet) clientCall {
		in := desiredFlags(fs)
		dryRun := fs.Bool("dry-run", false, "print the plan, as plan does, and change nothing")
		return clientCall{check: in.read, run: func(ctx context.Context, c *client.Client, stdout io.Writer) error {
			plan, err := desired.NewPlan(ctx, c, in.file, in.options())
			if err != nil {
				return err
			}
			if *dryRun || len(plan.Changes) == 0 {
				return writePlanText(stdout, plan, *in.path)
			}
			made := 0
			err = plan.Apply(ctx, c, func(ch desired.Change) {
				made++
				fmt.Fprintln(stdout, changeLine(ch))
			})
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(stdout, "Applied %s.\n", countChanges(made))
			return err
		}}
	},
}

// writeNotDone follows the error line of an apply that stopped (which
// names the change that failed): the changes it did not try, so that
// what stands is known. stdout has those it made.
func writeNotDone(w io.Writer, err error, token string) {
	var stopped *desired.ApplyError
	if !errors.As(err, &stopped) {
		return
	}
	fmt.Fprintf(w, "not done: %s\n", countChanges(len(stopped.NotDone)))
	for _, c := range stopped.NotDone {
		fmt.Fprintln(w, "  "+graph.RedactSecret(changeLine(c), token))
	}
}

func countChanges(n int) string {
	if n == 1 {
		return "1 change"
	}
	return fmt.Sprintf("%d changes", n)
}
