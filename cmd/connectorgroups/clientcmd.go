package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/desired"
)

// clientCommand is one command that calls the service with the typed
// client: add, groups, group get|create|update|delete, members, connectors,
// connector get and memberof, the app commands, and export, plan and
// apply. They share their flags (base URL, token, timeout, -v and, but for
// those that print as they go, -o), their usage style, their exit codes
// and the way they print results and errors; each defines only its own
// flags and call.
//
// Exit status, the same for every one: 0 done, 1 the service or the network
// failed, 2 bad usage (flags, a missing or unusable token, unusable ids, a
// desired-state file with problems).
type clientCommand struct {
	name     string // as typed: "group get"
	synopsis string // the command's own flags, e.g. "-id ID"
	summary  string // one line for a subcommand list: "prints one connector group"
	about    []string
	// status replaces the usage's shared exit-status line, for a command
	// whose codes say more ("" keeps it).
	status string
	// timeout is -timeout's default (zero: 30s), longer for a command that
	// makes many calls.
	timeout time.Duration
	// flags declares the command's own flags on fs and returns what to do
	// with them once parsed.
	flags func(fs *flag.FlagSet) clientCall
}

// clientCall is what a clientCommand does once its flags are parsed.
type clientCall struct {
	// check returns the problems with the command's own flags (nil:
	// nothing to check).
	check func() []string
	// options adds client options (nil: none).
	options func() []client.Option
	// call makes the call and returns what to print: a value the printers
	// know (see output.go), or nil to print nothing.
	call func(ctx context.Context, c *client.Client) (any, error)
	// run, instead of call, is for a command that prints as it goes
	// (export, plan, apply): it writes its output to stdout itself and
	// declares its own -o, if it has one, and its error is reported as
	// call's is.
	run func(ctx context.Context, c *client.Client, stdout io.Writer) error
}

// run returns the command's func for the command table, sending through rt
// (http.DefaultTransport when nil) with extra client options after the
// command's; tests pass a validating transport, and client.WithoutRetry
// where a failure must end a call at once.
func (cc clientCommand) run(rt http.RoundTripper, extra ...client.Option) func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
		fs := newFlagSet(cc.name)
		cmd := cc.flags(fs)
		baseURL := fs.String("base-url", "", "Graph's `URL`, version included (default $"+envBaseURL+", else "+client.DefaultBaseURL+")")
		token := fs.String("token", "", "the access `TOKEN` (default $"+envToken+")")
		timeout := fs.Duration("timeout", cmp.Or(cc.timeout, 30*time.Second), "the `DURATION` the whole call may take, retries and pages included")
		verbose := fs.Bool("v", false, "log each request and response line to stderr, tokens redacted")
		shared := " [-base-url URL] [-token TOKEN] [-timeout DURATION] [-v]"
		var output *string
		if cmd.run == nil {
			output = fs.String("o", "json", "the output `FORMAT`: json, table for people, or id for scripts")
			shared = " [-o FORMAT]" + shared
		}
		usage := func(w io.Writer) {
			synopsis := strings.TrimSpace(cc.synopsis + shared)
			about := append(append([]string{}, cc.about...),
				"The token comes from -token or, better (flags show in process lists), "+envToken+".",
				cmp.Or(cc.status, "Exit status: 0 done, 1 the service or the network failed, 2 bad usage."))
			writeUsage(w, fs, synopsis, about...)
		}
		if code, done := parseFlags(fs, args, usage, stdout, stderr); done {
			return code
		}

		var problems []string
		if fs.NArg() > 0 {
			problems = append(problems, "unexpected arguments: "+strings.Join(fs.Args(), " "))
		}
		if cmd.check != nil {
			problems = append(problems, cmd.check()...)
		}
		problems = append(problems, emptyGiven(fs, map[string]string{"base-url": envBaseURL, "token": envToken})...)
		*baseURL = fromEnv(fs, "base-url", *baseURL, envBaseURL)
		if *baseURL == "" && !given(fs, "base-url") {
			*baseURL = client.DefaultBaseURL
		}
		tok := fromEnv(fs, "token", *token, envToken)
		if tok == "" && !given(fs, "token") {
			problems = append(problems, "no token: set GRAPH_TOKEN or pass -token")
		}
		if *timeout <= 0 {
			problems = append(problems, "-timeout must be positive")
		}
		var print printer
		if output != nil {
			var err error
			if print, err = printerFor(*output); err != nil {
				problems = append(problems, err.Error())
			}
		}
		if len(problems) > 0 {
			return usageError(stderr, cc.name, problems...)
		}

		// A run's own transport: rt is shared by every run of this func,
		// so it must not be changed here.
		transport := rt
		if transport == nil {
			transport = http.DefaultTransport
		}
		if *verbose {
			transport = &requestLogger{base: transport, w: stderr}
		}
		opts := []client.Option{
			client.WithBaseURL(*baseURL),
			client.WithHTTPClient(&http.Client{Transport: transport}),
			client.WithTokenSource(client.StaticToken(tok)),
		}
		if cmd.options != nil {
			opts = append(opts, cmd.options()...)
		}
		opts = append(opts, extra...)
		c, err := client.NewClient(opts...)
		if err != nil {
			return usageError(stderr, cc.name, errorLines(err, "client: ")...)
		}

		ctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		var result any
		if cmd.run != nil {
			err = cmd.run(ctx, c, stdout)
		} else {
			result, err = cmd.call(ctx, c)
		}
		// An apply that stopped has changed the service: whatever stopped
		// it, that is reported with what was not done, never as bad usage.
		var stopped *desired.ApplyError
		if !errors.As(err, &stopped) && (errors.Is(err, client.ErrInvalidID) || errors.Is(err, client.ErrInvalidToken)) {
			return usageError(stderr, cc.name, errorLines(err, "client: ")...)
		}
		// A file's problems that show only against the service (an
		// unknown connector, a refused region change) are the file's, as
		// those Parse finds are: bad usage, and nothing was written.
		var fileErr *desired.FileError
		if errors.As(err, &fileErr) {
			return usageError(stderr, cc.name, fileProblems(fileErr)...)
		}
		if err != nil {
			fmt.Fprintln(stderr, errorLine(err, tok))
			writeNotDone(stderr, err, tok)
			var ge *client.Error
			if hint := betaHint(*baseURL); hint != "" && errors.As(err, &ge) {
				fmt.Fprintf(stderr, "connectorgroups %s: %s\n", cc.name, hint)
			}
			return exitFailure
		}
		if result == nil {
			return exitOK
		}
		if err := print(stdout, result); err != nil {
			fmt.Fprintf(stderr, "connectorgroups %s: %v\n", cc.name, err)
			return exitFailure
		}
		return exitOK
	}
}

// envBaseURL names the environment variable that sets -base-url for every
// client command, so that a session against the fake sets it once.
const envBaseURL = "GRAPH_BASE_URL"

// required returns the problem of a required flag left empty, if it is.
func required(name, value string) []string {
	if value == "" {
		return []string{"-" + name + " is required"}
	}
	return nil
}
