// Command connectorgroups serves the reference fake of Graph's Application
// Proxy connector groups, adds connectors with the typed client, and verifies
// any server against the spec.
//
// Each subcommand lives in a file of its own; the table in this file lists
// them, and dispatch runs the one named.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes shared by the subcommands.
const (
	exitOK      = 0
	exitFailure = 1 // the operation failed: a service error, a failed check
	exitUsage   = 2 // bad flags or arguments
)

// command is one subcommand. run gets the arguments after the subcommand's
// name and returns the process's exit code.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands is every subcommand, in the order the usage lists them.
var commands = []command{
	{name: "serve", summary: "run the reference fake of Graph's connector groups on a local address", run: runServe},
	{name: "add", summary: "add a connector to a connector group with the typed client", run: addCommand(nil)},
	{name: "verify", summary: "run the contract suite's server-side checks against any server", run: runVerify},
}

func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(stderr, "connectorgroups: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: connectorgroups <command> [flags]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'connectorgroups <command> -h' for a command's flags.")
}
