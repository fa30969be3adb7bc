// Command connectorgroups serves the reference fake of Graph's Application
// Proxy connector groups, manages groups and connectors with the typed
// client (list, get, create, update, delete, move; applications listed,
// read and assigned to groups), makes a tenant's groups match a
// desired-state file (export, plan, apply), and verifies any server
// against the spec.
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
	"strings"
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
	// subs, for a command such as group, are the subcommands its first
	// argument names (see subcommandGroup).
	subs []clientCommand
}

// commands is every subcommand, in the order the usage lists them.
var commands = []command{
	{name: "serve", summary: "run the reference fake of Graph's connector groups on a local address", run: runServe},
	{name: "groups", summary: "list the connector groups", run: groupsCommand.run(nil)},
	withSubcommands("group", "get, create, update or delete one connector group, or list its applications", groupCommands),
	{name: "members", summary: "list a connector group's connectors", run: membersCommand.run(nil)},
	{name: "add", summary: "move a connector into a connector group", run: addCommand(nil)},
	{name: "connectors", summary: "list the connectors", run: connectorsCommand.run(nil)},
	withSubcommands("connector", "get one connector", connectorCommands),
	{name: "memberof", summary: "print the connector group a connector is in", run: memberOfCommand.run(nil)},
	{name: "move", summary: "move a connector into a connector group, from the connector's side", run: moveCommand.run(nil)},
	{name: "apps", summary: "list the applications", run: appsCommand.run(nil)},
	withSubcommands("app", "get one application, print its connector group, assign it to one or remove that", appCommands),
	{name: "export", summary: "write the service's connector groups as a desired-state file", run: exportCommand.run(nil)},
	{name: "plan", summary: "print the changes that would make the service match a desired-state file", run: planCommand.run(nil)},
	{name: "apply", summary: "make the service match a desired-state file, printing each change made", run: applyCommand.run(nil)},
	{name: "verify", summary: "run the contract suite's checks against any server", run: runVerify},
	{name: "verify-har", summary: "check recorded traffic (a HAR file) against the spec, offline", run: runVerifyHAR},
	{name: "version", summary: "print this program's version, the spec version it speaks, and its Go", run: runVersion},
}

// helpName is the one command outside the table: it reads the table, so
// the table cannot hold it (Go refuses the initialisation cycle).
const helpName = "help"

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
	if len(args) == 0 {
		return usageError(stderr, "", "no command given; the commands are "+strings.Join(commandNames(), ", "))
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	case helpName:
		return help(ctx, args[1:], stdout, stderr)
	}
	c, ok := lookup(args[0])
	if !ok {
		return usageError(stderr, "", unknownName("command", args[0], append(commandNames(), helpName)))
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

// help prints the program's usage, or with a command's name, that
// command's: the same text as `<command> -h`.
func help(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		usage(stdout)
		return exitOK
	case 1, 2:
		if args[0] == helpName || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
			if len(args) == 2 {
				return usageError(stderr, "", "help has no subcommands; help takes a command, or a command and its subcommand")
			}
			helpUsage(stdout)
			return exitOK
		}
		c, ok := lookup(args[0])
		if !ok {
			return usageError(stderr, "", unknownName("command", args[0], append(commandNames(), helpName)))
		}
		if len(args) == 2 && len(c.subs) == 0 {
			return usageError(stderr, "", fmt.Sprintf("%s has no subcommands; help takes a command, or a command and its subcommand", args[0]))
		}
		// `help group get` is `group get -h`; `help group` is `group -h`.
		return c.run(ctx, append(args[1:], "-h"), stdout, stderr)
	default:
		return usageError(stderr, "", "help takes a command, or a command and its subcommand, not "+strings.Join(args, " "))
	}
}

func commandNames() []string {
	names := make([]string, 0, len(commands))
	for _, c := range commands {
		names = append(names, c.name)
	}
	return names
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: connectorgroups <command> [flags]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-10s %s\n", helpName, "print a command's usage: connectorgroups help <command>")
	fmt.Fprintln(w, "\nRun 'connectorgroups <command> -h' for a command's flags.")
}

// helpUsage is help's own usage, for `help help` and `help -h`.
func helpUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: connectorgroups help [COMMAND [SUBCOMMAND]]")
	fmt.Fprintln(w, "\nPrints the program's usage, or a command's: 'connectorgroups help group get' prints")
	fmt.Fprintln(w, "what 'connectorgroups group get -h' prints. The commands are "+strings.Join(commandNames(), ", ")+".")
}
