package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Every command reports usage the same way:
//
//   - `-h` (or `connectorgroups help <command>`) prints the command's usage
//     to stdout and exits 0;
//   - a usage error prints `connectorgroups <command>: <problem>`, one line
//     per problem, then `Run 'connectorgroups <command> -h' for usage.`, to
//     stderr, and exits 2.
//
// Flag placeholders are upper-case names (URL, ID, TOKEN, FILE, HOST:PORT,
// DURATION, ...), written in backquotes in each flag's description, and the
// synopsis uses the same names.

// newFlagSet returns a flag set that prints nothing itself: parseFlags and
// the command's usage function do.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args into fs. On -h it prints the usage to stdout; on a
// bad flag, a usage error to stderr. done reports whether the command must
// return code now.
func parseFlags(fs *flag.FlagSet, args []string, usage func(io.Writer), stdout, stderr io.Writer) (code int, done bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return exitOK, false
	case errors.Is(err, flag.ErrHelp):
		usage(stdout)
		return exitOK, true
	default:
		return usageError(stderr, fs.Name(), err.Error()), true
	}
}

// usageError prints problems in the one style and returns exitUsage. cmd is
// the command's name, or "" for the program itself. A problem of several
// lines gets one line each.
func usageError(w io.Writer, cmd string, problems ...string) int {
	name := "connectorgroups"
	if cmd != "" {
		name += " " + cmd
	}
	for _, p := range problems {
		for line := range strings.SplitSeq(strings.TrimRight(p, "\n"), "\n") {
			fmt.Fprintf(w, "%s: %s\n", name, line)
		}
	}
	fmt.Fprintf(w, "Run '%s -h' for usage.\n", name)
	return exitUsage
}

// writeUsage prints a command's usage: the synopsis, what the command does,
// and its flags.
func writeUsage(w io.Writer, fs *flag.FlagSet, synopsis string, about ...string) {
	fmt.Fprintln(w, strings.TrimSpace("usage: connectorgroups "+fs.Name()+" "+synopsis))
	if len(about) > 0 {
		fmt.Fprintln(w)
		for _, line := range about {
			fmt.Fprintln(w, line)
		}
	}
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if !hasFlags {
		return
	}
	fmt.Fprintln(w, "\nflags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// errorLines splits err's message into lines (errors.Join puts one problem
// on each) and drops prefixes, in order, from the start of each line.
func errorLines(err error, prefixes ...string) []string {
	var lines []string
	for line := range strings.SplitSeq(err.Error(), "\n") {
		for _, p := range prefixes {
			line = strings.TrimPrefix(line, p)
		}
		lines = append(lines, line)
	}
	return lines
}
