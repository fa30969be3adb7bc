package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// withSubcommands is the command table's entry for a command whose first
// argument names one of subs.
func withSubcommands(name, summary string, subs []clientCommand) command {
	return command{name: name, summary: summary, run: subcommandGroup(name, summary, subs, nil), subs: subs}
}

// subcommandGroup returns a command, such as group or connector, whose
// first argument names one of subs ("group get" is subcommand get of
// group). It reports usage in the one style: `group -h` lists the
// subcommands, `group get -h` prints get's flags.
func subcommandGroup(name, summary string, subs []clientCommand, rt http.RoundTripper) func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	names := make([]string, len(subs))
	for i, s := range subs {
		names[i] = strings.TrimPrefix(s.name, name+" ")
	}
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "usage: connectorgroups %s <%s> [flags]\n\nTo %s.\n\nsubcommands:\n", name, strings.Join(names, "|"), summary)
		for i, s := range subs {
			fmt.Fprintf(w, "  %-8s %s\n", names[i], s.summary)
		}
		fmt.Fprintf(w, "\nRun 'connectorgroups %s <subcommand> -h' for its flags.\n", name)
	}
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
		if len(args) == 0 {
			return usageError(stderr, name, "no subcommand given; the subcommands are "+strings.Join(names, ", "))
		}
		switch args[0] {
		case "-h", "-help", "--help", "help":
			usage(stdout)
			return exitOK
		}
		for i, s := range subs {
			if names[i] == args[0] {
				return s.run(rt)(ctx, args[1:], stdout, stderr)
			}
		}
		problem := unknownName("subcommand", args[0], names)
		if len(nearest(args[0], names)) == 0 {
			problem += "; the subcommands are " + strings.Join(names, ", ")
		}
		return usageError(stderr, name, problem)
	}
}
