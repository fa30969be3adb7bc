package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// addCommand returns the add subcommand sending through rt
// (http.DefaultTransport when nil); tests pass a validating transport.
//
// It prints the connector as indented JSON and exits 0. A service error
// prints Graph's code, message and request-id on one line and exits 1;
// bad flags, a missing or unusable token and unusable ids exit 2.
func addCommand(rt http.RoundTripper) func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
		fs := newFlagSet("add")
		baseURL := fs.String("base-url", client.DefaultBaseURL, "Graph's `URL`, version included")
		group := fs.String("group", "", "the connector group's `ID` (required)")
		connector := fs.String("connector", "", "the connector's `ID` (required)")
		token := fs.String("token", "", "the access `TOKEN` (default $GRAPH_TOKEN)")
		timeout := fs.Duration("timeout", 30*time.Second, "the `DURATION` the whole call may take, retries included")
		verbose := fs.Bool("v", false, "log each request and response line to stderr, tokens redacted")
		usage := func(w io.Writer) {
			writeUsage(w, fs, "-group ID -connector ID [-base-url URL] [-token TOKEN] [-timeout DURATION] [-v]",
				"Adds a connector to a connector group: POST {base-url}/connectorGroups/{group}/members/$ref.",
				"The token comes from -token or, better (flags show in process lists), GRAPH_TOKEN.",
				"Exit status: 0 added, 1 the service or the network failed, 2 bad usage.")
		}
		if code, done := parseFlags(fs, args, usage, stdout, stderr); done {
			return code
		}

		var problems []string
		if fs.NArg() > 0 {
			problems = append(problems, "unexpected arguments: "+strings.Join(fs.Args(), " "))
		}
		if *group == "" {
			problems = append(problems, "-group is required")
		}
		if *connector == "" {
			problems = append(problems, "-connector is required")
		}
		tok := *token
		if tok == "" {
			tok = os.Getenv("GRAPH_TOKEN")
		}
		if tok == "" {
			problems = append(problems, "no token: set GRAPH_TOKEN or pass -token")
		}
		if *timeout <= 0 {
			problems = append(problems, "-timeout must be positive")
		}
		if len(problems) > 0 {
			return usageError(stderr, "add", problems...)
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
		c, err := client.NewClient(
			client.WithBaseURL(*baseURL),
			client.WithHTTPClient(&http.Client{Transport: transport}),
			client.WithTokenSource(client.StaticToken(tok)),
		)
		if err != nil {
			return usageError(stderr, "add", errorLines(err, "client: ")...)
		}

		ctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		conn, err := c.AddConnector(ctx, *group, *connector)
		if errors.Is(err, client.ErrInvalidID) || errors.Is(err, client.ErrInvalidToken) {
			return usageError(stderr, "add", errorLines(err, "client: ")...)
		}
		if err != nil {
			fmt.Fprintln(stderr, errorLine(err))
			return exitFailure
		}
		out, err := json.MarshalIndent(conn, "", "  ")
		if err != nil {
			fmt.Fprintf(stderr, "connectorgroups add: %v\n", err)
			return exitFailure
		}
		fmt.Fprintf(stdout, "%s\n", out)
		return exitOK
	}
}

// errorLine puts a failure on one line: for a service error, Graph's code
// and message, then the status and the request-id that support asks for.
func errorLine(err error) string {
	var ge *client.Error
	if !errors.As(err, &ge) {
		return "error: " + graph.OneLine(err.Error(), 2000)
	}
	code := ge.Code
	if code == "" {
		code = http.StatusText(ge.StatusCode)
	}
	notes := []string{fmt.Sprintf("status %d", ge.StatusCode)}
	if ge.RequestID != "" {
		notes = append(notes, "request-id "+ge.RequestID)
	}
	if ge.RetryAfter > 0 {
		notes = append(notes, "retry after "+ge.RetryAfter.String())
	}
	if ge.Attempts > 1 {
		notes = append(notes, fmt.Sprintf("%d attempts", ge.Attempts))
	}
	if ge.AfterAmbiguousAttempt && errors.Is(ge, client.ErrAlreadyMember) {
		notes = append(notes, "an earlier attempt may have added it")
	}
	if ge.Location != "" {
		notes = append(notes, "redirect to "+ge.Location+" not followed")
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		notes = append(notes, "timed out before a retry")
	case errors.Is(err, context.Canceled):
		notes = append(notes, "interrupted before a retry")
	}
	line := fmt.Sprintf("error: %s: %s (%s)", code, ge.Message, strings.Join(notes, ", "))
	// Code, message and ids come from the server: one line, and no control
	// character reaches the terminal.
	return graph.OneLine(line, 2000)
}

// requestLogger logs each request line with its headers, and each
// response's status line, to w. Credentials are never written.
type requestLogger struct {
	base http.RoundTripper
	w    io.Writer
	mu   sync.Mutex
}

func (l *requestLogger) RoundTrip(req *http.Request) (*http.Response, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", req.Method, req.URL.Redacted())
	names := make([]string, 0, len(req.Header))
	for name := range req.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range req.Header[name] {
			fmt.Fprintf(&b, "> %s: %s\n", name, graph.RedactHeaderValue(name, v))
		}
	}
	l.write(b.String())

	start := time.Now()
	resp, err := l.base.RoundTrip(req)
	elapsed := time.Since(start).Round(time.Millisecond)
	if err != nil {
		l.write(fmt.Sprintf("< error after %v: %v\n", elapsed, err))
		return nil, err
	}
	line := fmt.Sprintf("< %s %s (%v)", resp.Proto, resp.Status, elapsed)
	for _, h := range []string{graph.HeaderRequestID, graph.HeaderClientRequestID, "Retry-After"} {
		if v := resp.Header.Get(h); v != "" {
			line += " " + h + "=" + v
		}
	}
	l.write(line + "\n")
	return resp, nil
}

func (l *requestLogger) write(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	io.WriteString(l.w, s)
}
