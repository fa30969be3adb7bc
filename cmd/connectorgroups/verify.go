package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/connectorgroups/connectorgroups/contract"
)

// Environment variables that may carry the tokens, so that they stay out
// of shell history and process listings.
const (
	envToken       = "GRAPH_TOKEN"
	envReaderToken = "GRAPH_READER_TOKEN"
)

// runVerify runs contract.Run against -base-url and prints the report.
// It exits 0 when no check failed and at least one passed; 1 when one
// failed or none passed (a run of skips verified nothing, so it must not
// read as a pass in CI), when the run was cut short, or when its cleanup
// could not put the server back; 2 on bad flags, including an -only that
// names no check, an unknown one, or one that changes the server under
// -read-only. Tokens are never printed.
func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("verify")
	baseURL := fs.String("base-url", "", "the API root `URL` the spec's paths hang from, e.g. http://127.0.0.1:8080/beta or https://graph.microsoft.com/beta (default $"+envBaseURL+"; required)")
	token := fs.String("token", "", "a bearer `TOKEN` with Directory.ReadWrite.All (default $"+envToken+")")
	readerToken := fs.String("reader-token", "", "a valid bearer `TOKEN` WITHOUT Directory.ReadWrite.All, for ignored_auth's 403 part (default $"+envReaderToken+"; skipped when empty)")
	group := fs.String("group", "", "the `ID` of a connectorGroup the connector is not in: the doc's add moves it there (required)")
	connector := fs.String("connector", "", "the `ID` of a connector the run may move; it is moved back to its group before the run ends (required)")
	application := fs.String("application", "", "the object `ID` of an application published through Application Proxy that the run may move between groups; it is put back before the run ends (default: the application checks that write are skipped)")
	unpublished := fs.String("unpublished-application", "", "the object `ID` of an application whose on-premises publishing is off, which the run tries to assign (default: that check is skipped)")
	only := fs.String("only", "", "the `CHECKS` to run, comma-separated (default: all)")
	readOnly := fs.Bool("read-only", false, "run only the checks that change nothing: they send GETs, and requests without a valid token")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	verbose := fs.Bool("v", false, "print each check's evidence under it")
	timeout := fs.Duration("timeout", 2*time.Minute, "the `DURATION` the checks may take; the cleanup after them may take up to "+contract.CleanupTimeout.String()+" more")
	usage := func(w io.Writer) {
		writeUsage(w, fs, "-base-url URL -token TOKEN -group ID -connector ID [-application ID] [-unpublished-application ID] [-reader-token TOKEN] [-read-only] [-only CHECKS] [-timeout DURATION] [-json] [-v]",
			"Runs the server-side contract checks against a running server and prints one line per check.",
			"The run moves -connector into -group and into a group it creates, then back to the group it",
			"started in, and deletes every group it creates, even when a check fails or the run is cut",
			"short; the cleanup line says what it did, and a failed cleanup fails the run. Before its first",
			"write it records every group that exists, and it never changes or deletes one of them, nor a",
			"default group. With -application it also moves that application between groups and puts it",
			"back; it changes no other application. -read-only changes nothing.",
			"Exit status: 0 no check failed and one passed, 1 a check failed, none passed, the run was cut short",
			"or its cleanup failed, 2 bad usage.")
		fmt.Fprintln(w, "\nchecks, in run order:")
		for _, c := range contract.Checks() {
			ro := ""
			if c.ReadOnly {
				ro = "(read-only) "
			}
			fmt.Fprintf(w, "  %-30s %s%s\n", c.Name, ro, c.Description)
		}
	}
	if code, done := parseFlags(fs, args, usage, stdout, stderr); done {
		return code
	}
	var problems []string
	if fs.NArg() > 0 {
		problems = append(problems, "unexpected arguments: "+strings.Join(fs.Args(), " "))
	}
	envs := map[string]string{"base-url": envBaseURL, "token": envToken, "reader-token": envReaderToken}
	problems = append(problems, emptyGiven(fs, envs)...)
	*baseURL = fromEnv(fs, "base-url", *baseURL, envBaseURL)
	*token = fromEnv(fs, "token", *token, envToken)
	*readerToken = fromEnv(fs, "reader-token", *readerToken, envReaderToken)
	for _, f := range []struct{ name, flag, value string }{
		{"base-url", "-base-url (or $" + envBaseURL + ")", *baseURL}, {"token", "-token (or $" + envToken + ")", *token}, {"group", "-group", *group}, {"connector", "-connector", *connector},
	} {
		if given(fs, f.name) && f.value == "" {
			continue // said above: given empty
		}
		if strings.TrimSpace(f.value) == "" {
			problems = append(problems, f.flag+" is required")
		}
	}
	if *timeout <= 0 {
		problems = append(problems, "-timeout must be positive")
	}
	// An -only given, even empty, is a selection: contract.Run refuses one
	// that names no check rather than running none and passing.
	var checks []string
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "only" {
			checks = strings.Split(*only, ",")
		}
	})
	if len(problems) > 0 {
		return usageError(stderr, "verify", problems...)
	}

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	rep, err := contract.Run(ctx, contract.Target{
		BaseURL:                *baseURL,
		Token:                  *token,
		ReaderToken:            *readerToken,
		Group:                  *group,
		Connector:              *connector,
		Application:            *application,
		UnpublishedApplication: *unpublished,
		ReadOnly:               *readOnly,
		HTTPClient:             &http.Client{Timeout: min(*timeout, contract.DefaultRequestTimeout)},
	}, checks...)
	if err != nil {
		// Run refuses only a target or a check list it cannot use.
		return usageError(stderr, "verify", errorLines(err, "contract: ")...)
	}

	if *asJSON {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteText(stdout, *verbose)
	}
	if err != nil {
		fmt.Fprintf(stderr, "connectorgroups verify: writing the report: %v\n", err)
		return exitFailure
	}
	if rep.CleanupFailed() {
		// The report says so too, but a changed tenant must not go unseen.
		// The detail leads with whether the server is, or may be, left
		// changed, and says what is left.
		fmt.Fprintf(stderr, "connectorgroups verify: CLEANUP FAILED: %s\n", rep.Cleanup.Detail)
	}
	if rep.Interrupted != "" {
		fmt.Fprintf(stderr, "connectorgroups verify: the run was cut short (%s); the checks it did not reach are skipped\n", rep.Interrupted)
	}
	if rep.Failed == 0 && rep.Passed == 0 {
		// The summary says so too, but 0 failed reads as a pass at a glance.
		fmt.Fprintf(stderr, "connectorgroups verify: nothing was verified: no check passed, %d skipped (the report says why)\n", rep.Skipped)
	}
	if !rep.OK() {
		if hint := betaHint(*baseURL); hint != "" {
			fmt.Fprintf(stderr, "connectorgroups verify: %s\n", hint)
		}
		return exitFailure
	}
	return exitOK
}
