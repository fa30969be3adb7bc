package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/har"
	"github.com/connectorgroups/connectorgroups/internal/harcheck"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
)

// maxHARMiB is the largest -max-mib: a TiB, far past any HAR file, and
// far from overflowing when counted in bytes.
const maxHARMiB = 1 << 20

// runVerifyHAR validates recorded traffic against the spec, offline: one
// line per violation (entry index, operation, direction, field, reason),
// then a summary with the counts. It exits 0 when nothing violates the
// spec, 1 when something does, and 2 on bad usage or a HAR file that
// cannot be read (the error names the position). Secrets are redacted in
// everything it prints.
func runVerifyHAR(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("verify-har")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	ignoreAuth := fs.Bool("ignore-auth", false, "do not require the Authorization header (devtools' sanitized export drops it)")
	maxMiB := fs.Int64("max-mib", har.DefaultMaxBytes>>20, "read at most `N` MiB of FILE.har; a larger file is refused, unread past the bound")
	usage := func(w io.Writer) {
		writeUsage(w, fs, "[-json] [-ignore-auth] [-max-mib N] FILE.har",
			"Validates, offline, every request and response in FILE.har (HAR 1.2, from a browser's devtools,",
			"Microsoft's Dev Proxy or client.Recorder; - reads stdin) that belongs to one of the spec's",
			"operations, and counts the traffic to paths outside the spec (other resources, sign-in, v1.0,",
			"CORS preflights) without checking it. Authorization and cookies are redacted in the output.",
			"Exit status: 0 nothing violates the spec, 1 something does, 2 bad usage or a malformed file.")
	}
	if code, done := parseFlags(fs, args, usage, stdout, stderr); done {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(stderr, "verify-har", "want exactly one FILE.har")
	}
	if *maxMiB < 1 || *maxMiB > maxHARMiB {
		return usageError(stderr, "verify-har", fmt.Sprintf("-max-mib must be from 1 to %d", maxHARMiB))
	}
	name := fs.Arg(0)
	in := io.Reader(os.Stdin)
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return usageError(stderr, "verify-har", err.Error())
		}
		defer f.Close()
		in = f
	}
	file, err := har.Read(in, *maxMiB<<20)
	if err != nil {
		var (
			harErr   *har.Error
			tooLarge *graph.TooLargeError
		)
		switch {
		case errors.As(err, &harErr):
			return usageError(stderr, "verify-har", fmt.Sprintf("%s is not a HAR file this can read: %v", name, err))
		case errors.As(err, &tooLarge):
			return usageError(stderr, "verify-har", fmt.Sprintf("%s: %v (-max-mib %d); not read further, and nothing checked: raise -max-mib to check it", name, err, *maxMiB))
		}
		return usageError(stderr, "verify-har", err.Error())
	}
	v, err := specvalidator.Load()
	if err != nil {
		fmt.Fprintf(stderr, "connectorgroups verify-har: %v\n", err)
		return exitFailure
	}
	res := harcheck.Check(ctx, v, file, harcheck.Options{IgnoreAuth: *ignoreAuth})
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(stderr, "connectorgroups verify-har: %v\n", err)
			return exitFailure
		}
	} else {
		for _, viol := range res.Violations {
			fmt.Fprintln(stdout, viol)
		}
		fmt.Fprintf(stdout, "%s: %d entries: %d checked, %d outside the spec, %d without a response; %d violations\n",
			name, res.Entries, res.Checked, res.Outside, res.NoResponse, len(res.Violations))
	}
	if len(res.Violations) > 0 {
		return exitFailure
	}
	return exitOK
}
