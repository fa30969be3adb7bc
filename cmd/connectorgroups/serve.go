package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// freeAfterSeed is how many connectors make serve give the garbage of reading
// the seed back to the OS as soon as it serves.
const freeAfterSeed = 10000

// shutdownTimeout bounds how long serve waits for requests in flight once
// it is told to stop; connections without one are closed at once.
const shutdownTimeout = 5 * time.Second

// runServe starts fakegraph on -addr and serves until ctx is cancelled
// (SIGINT/SIGTERM). Bad flags, fault settings, an -addr that is not
// HOST:PORT (or not loopback with -trust-unsigned-jwt), or a bad seed exit 2 (exitUsage): all are mistakes in what the
// user asked for, and all are found before anything listens. Failing to
// listen on a well-formed address, or to serve, exits 1.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "where to listen, as `HOST:PORT`; port 0 picks a free one")
	seedPath := fs.String("seed", "", "the starting state: a JSON `FILE` of connectors, connectorGroups and tokens (default: the built-in seed)")
	trustJWT := fs.Bool("trust-unsigned-jwt", false, "accept JWTs not in the seed WITHOUT verifying them (scopes from scp/roles); for replaying real Graph tokens in tests only; loopback -addr only, unless -allow-remote-unsigned-jwt")
	allowRemoteJWT := fs.Bool("allow-remote-unsigned-jwt", false, "with -trust-unsigned-jwt, listen on an -addr that is not loopback all the same (anyone who reaches it can mint any token)")
	faultRate := fs.Float64("fault-rate", 0, "the share of requests, a `RATE` from 0 to 1, that fail with -fault-status")
	faultStatus := fs.Int("fault-status", http.StatusTooManyRequests, "the `STATUS` of injected faults: 429 or 503")
	retryAfter := fs.Duration("retry-after", 2*time.Second, "the Retry-After of injected faults, a `DURATION` rounded up to whole seconds (at least 1)")
	pageSize := fs.Int("page-size", 0, "cap every page of every list at `N` items (at least 1), so that clients must follow @odata.nextLink (default: no cap; Graph's 100, or $top)")
	quiet := fs.Bool("quiet", false, "do not log requests to stderr")
	latency := fs.Duration("latency", 0, "hold every request that reaches its handler this `DURATION` first, as a slow service does (requests stay in flight longer, e.g. to test a stop under load)")
	stateOut := fs.String("state-out", "", "on stop, write the final state to `FILE` as a seed (-seed reads it back), for post-mortems")
	maxConns := fs.Int("max-conns", 0, "hold at most `N` connections open at once; while all are open, new clients wait and the connection idle the longest is closed to make room (default: 1024, or fewer when the file limit, ulimit -n, is lower)")
	validateResponses := fs.Bool("validate-responses", false, "check every response against the spec before it is sent (slower; for contract runs): each violation is logged, and serve exits 1 on stop if any came")
	answersName := fs.String("answers", string(fakegraph.AnswersSeen), "where the doc pages and the live service disagree, answer as `MODE` says: seen, as the live service was seen (a create 200, an update 204), or documented, as the pages say (a create 201, an update 200 with the group)")
	usage := func(w io.Writer) {
		writeUsage(w, fs, "[-addr HOST:PORT] [-seed FILE] [-trust-unsigned-jwt [-allow-remote-unsigned-jwt]] [-fault-rate RATE] [-fault-status STATUS] [-retry-after DURATION] [-page-size N] [-latency DURATION] [-max-conns N] [-state-out FILE] [-validate-responses] [-answers MODE] [-quiet]",
			"Serves a fake of Graph's Application Proxy connector groups under /beta, Graph's only version with them: the doc's POST /connectorGroups/{id}/members/$ref and today's surface under /onPremisesPublishingProfiles/applicationProxy, until Ctrl-C or SIGTERM.",
			"Exit status: 0 stopped cleanly, 1 it could not listen or a request outlived the shutdown, 2 bad usage (flags or seed).")
	}
	if code, done := parseFlags(fs, args, usage, stdout, stderr); done {
		return code
	}

	// Every mistake at once, before anything listens.
	var problems []string
	if fs.NArg() > 0 {
		problems = append(problems, "unexpected arguments: "+strings.Join(fs.Args(), " "))
	}
	if err := checkListenAddr(*addr); err != nil {
		problems = append(problems, err.Error())
	} else if err := checkUnsignedJWTAddr(*addr, *trustJWT, *allowRemoteJWT); err != nil {
		problems = append(problems, err.Error())
	}
	seed := fakegraph.DefaultSeed()
	if *seedPath != "" {
		var err error
		if seed, err = fakegraph.LoadSeedFile(*seedPath); err != nil {
			for _, line := range errorLines(err, *seedPath+": ", "fakegraph: seed: ") {
				problems = append(problems, fmt.Sprintf("invalid seed %s: %s", *seedPath, line))
			}
		}
	}
	// fakegraph's own check, the one New runs: a bad -fault-status or
	// -retry-after is reported even without -fault-rate.
	faults, err := fakegraph.Faults{Rate: *faultRate, Status: *faultStatus, RetryAfter: *retryAfter}.Check()
	if err != nil {
		problems = append(problems, errorLines(err, "fakegraph: ")...)
	}
	pageSizeSet, maxConnsSet := false, false
	fs.Visit(func(f *flag.Flag) {
		pageSizeSet = pageSizeSet || f.Name == "page-size"
		maxConnsSet = maxConnsSet || f.Name == "max-conns"
	})
	if maxConnsSet {
		if err := fakegraph.CheckMaxConns(*maxConns); err != nil {
			problems = append(problems, "-max-conns: "+strings.TrimPrefix(err.Error(), "fakegraph: "))
		}
	}
	if pageSizeSet {
		if err := fakegraph.CheckPageSize(*pageSize); err != nil {
			problems = append(problems, "-page-size: "+strings.TrimPrefix(err.Error(), "fakegraph: "))
		}
	}
	if err := fakegraph.CheckLatency(*latency); err != nil {
		problems = append(problems, "-latency: "+strings.TrimPrefix(err.Error(), "fakegraph: "))
	}
	if *stateOut != "" {
		if err := checkOutputDir("state-out", *stateOut); err != nil {
			problems = append(problems, err.Error())
		}
	}
	answers, err := fakegraph.ParseAnswers(*answersName)
	if err != nil {
		problems = append(problems, fmt.Sprintf("-answers %q is neither %s nor %s", *answersName, fakegraph.AnswersSeen, fakegraph.AnswersDocumented))
	}
	if len(problems) > 0 {
		return usageError(stderr, "serve", problems...)
	}
	opts := []fakegraph.Option{fakegraph.WithFaults(faults), fakegraph.WithLatency(*latency), fakegraph.WithAnswers(answers)}
	if pageSizeSet {
		opts = append(opts, fakegraph.WithPageSize(*pageSize))
	}
	if *trustJWT {
		opts = append(opts, fakegraph.WithTrustUnsignedJWT())
	}
	if *validateResponses {
		opts = append(opts, fakegraph.WithResponseValidation())
	}
	var reqLog *bufferedLog
	if !*quiet {
		reqLog = newBufferedLog(stderr)
		defer reqLog.Close()
		opts = append(opts, fakegraph.WithLogger(slog.New(slog.NewTextHandler(reqLog, nil))))
	}
	srv, err := fakegraph.New(seed, opts...)
	if err != nil {
		return usageError(stderr, "serve", errorLines(err, "fakegraph: ")...)
	}

	// Listen before printing, so that the banner shows the real port.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "connectorgroups serve: cannot listen on %s: %v\n", *addr, err)
		return exitFailure
	}
	hs := fakegraph.NewDrainingServer(srv, fakegraph.WithMaxConns(*maxConns))
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	// Serving already: the port answers while the banner is written.
	printBanner(stdout, baseURL(ln.Addr()), seed, *trustJWT, faults, answers)
	if len(seed.Connectors) >= freeAfterSeed {
		// Reading a big seed left garbage several times the size of
		// the state (its JSON, the decoder's copy): return it to the OS
		// now rather than at the next GC, which may be far off on an
		// idle fake. Serving already; this only takes the other core.
		go debug.FreeOSMemory()
	}

	select {
	case err := <-served:
		fmt.Fprintf(stderr, "connectorgroups serve: %v\n", err)
		return exitFailure
	case <-ctx.Done():
	}
	// Idle and half-sent connections are dropped at once; only requests
	// in flight are waited for, and only for shutdownTimeout.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "connectorgroups serve: %s\n", strings.TrimPrefix(err.Error(), "fakegraph: "))
		if *stateOut != "" {
			// Still worth having; a request cut off may yet change it.
			_ = writeState(*stateOut, srv)
		}
		return exitFailure
	}
	if *stateOut != "" {
		if err := writeState(*stateOut, srv); err != nil {
			fmt.Fprintf(stderr, "connectorgroups serve: -state-out: %v\n", err)
			return exitFailure
		}
	}
	<-served // http.ErrServerClosed
	if reqLog != nil {
		reqLog.Close() // every request's line before the last words
	}
	violations := 0
	if *validateResponses {
		violations = len(srv.ResponseViolations())
	}
	line, code := lastWords(violations, *quiet)
	fmt.Fprintln(stderr, line)
	return code
}

// checkOutputDir refuses a file flag (serve's -state-out, export's -o)
// whose directory does not exist, before anything is done, rather than
// losing the result at the end: the state at the stop, or an export.
func checkOutputDir(flagName, path string) error {
	info, err := os.Stat(filepath.Dir(path))
	if err != nil || !info.IsDir() {
		return fmt.Errorf("-%s %q: its directory does not exist", flagName, path)
	}
	return nil
}

// lastWords is serve's line on a graceful stop and its exit status: 1 when
// -validate-responses saw a response break the spec, so that a contract
// run that used the fake fails.
func lastWords(violations int, quiet bool) (string, int) {
	if violations == 0 {
		return "connectorgroups serve: stopped", exitOK
	}
	where := "logged above"
	if quiet {
		where = "run without -quiet to see them"
	}
	return fmt.Sprintf("connectorgroups serve: stopped; %d responses violated the spec (%s)", violations, where), exitFailure
}

// baseURL is the URL to print for a listener; an unspecified address
// (":8080", "0.0.0.0:8080") is reachable at loopback.
func baseURL(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String() + "/" + graph.Beta
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/" + graph.Beta
}

// The banner lists at most bannerListMax groups, connectors and tokens, and
// names at most bannerMembersMax members of a group; it counts the rest. A
// seed of 400k connectors would otherwise print 25 MB, -quiet or not.
const (
	bannerListMax    = 10
	bannerMembersMax = 3
)

// printBanner tells the user what they can call: the URL, which answers
// it gives where the doc pages and the service disagree, the seeded state
// (summarised when it is big) with every connector where the fake places
// it, the tokens, and a curl for the doc's example that will succeed.
func printBanner(w io.Writer, apiURL string, seed *fakegraph.Seed, trustJWT bool, faults fakegraph.Faults, answers fakegraph.Answers) {
	fmt.Fprintln(w, "connectorgroups serve: a fake of Microsoft Graph's Application Proxy connector groups")
	fmt.Fprintf(w, "URL: %s   (beta only: /v1.0 answers 400, as Graph does)\n", apiURL)
	fmt.Fprintln(w, answersLine(answers))

	placed := seed.Placed()
	fmt.Fprintln(w, "\nConnector groups:")
	for _, g := range placed[:min(len(placed), bannerListMax)] {
		members := "none"
		if n := len(g.Members); n > 0 {
			members = strings.Join(g.Members[:min(n, bannerMembersMax)], ", ")
			if n > bannerMembersMax {
				members += fmt.Sprintf(" … and %d more", n-bannerMembersMax)
			}
		}
		fmt.Fprintf(w, "  %s  %q (%s, %s)  members: %s\n", g.ID, g.Name, g.ConnectorGroupType, g.Region, members)
	}
	printMore(w, len(seed.ConnectorGroups))
	fmt.Fprintln(w, "\nConnectors:")
	for _, c := range seed.Connectors[:min(len(seed.Connectors), bannerListMax)] {
		fmt.Fprintf(w, "  %s  %s  %s  %s\n", c.ID, c.MachineName, c.ExternalIP, c.Status)
	}
	printMore(w, len(seed.Connectors))
	printApplications(w, seed)

	fmt.Fprintln(w, "\nTokens (Authorization: Bearer <token>):")
	tokens := make([]string, 0, len(seed.Tokens))
	for t := range seed.Tokens {
		tokens = append(tokens, t)
	}
	slices.Sort(tokens)
	// The curl's token: dev-token if it can add members, else the first
	// that can. It is listed even beyond the first bannerListMax.
	devToken := ""
	for _, t := range tokens {
		if canWrite(seed.Tokens[t]) && (devToken == "" || t == "dev-token") {
			devToken = t
		}
	}
	listed := 0
	for i, t := range tokens {
		if i >= bannerListMax && t != devToken {
			continue
		}
		note := tokenReach(seed.Tokens[t])
		fmt.Fprintf(w, "  %-14s %-40s %s\n", t, strings.Join(seed.Tokens[t], " "), note)
		listed++
	}
	if more := len(tokens) - listed; more > 0 {
		fmt.Fprintf(w, "  … and %d more\n", more)
	}
	if trustJWT {
		fmt.Fprintln(w, "  Unsigned JWTs are TRUSTED: any JWT passes with the scopes in its scp/roles claims.")
	}
	if faults.Rate > 0 {
		// The header's value, not the flag's: 1.5s goes out as 2.
		fmt.Fprintf(w, "\nFaults: %.0f%% of requests answer %d with Retry-After: %d (seconds).\n",
			faults.Rate*100, faults.Status, faults.RetryAfterSeconds())
	}

	group, connector := firstMove(seed.Connectors, placed)
	switch {
	case devToken == "":
		fmt.Fprintln(w, "\nNo seeded token can add members; add one with Directory.ReadWrite.All to the seed.")
	case len(seed.Connectors) == 0:
		fmt.Fprintln(w, "\nNo connectors are seeded, so no add can succeed; groups can still be listed, created, renamed and deleted.")
	case group == "":
		fmt.Fprintln(w, "\nThere is one group and every connector is in it, so no add can succeed; add a group to the seed.")
	default:
		fmt.Fprintln(w, "\nTry the doc's example:")
		body, _ := json.Marshal(map[string]string{"@odata.id": graph.DocConnectorLink(graph.Beta, connector)})
		fmt.Fprintf(w, "  curl -i -X POST %s -H %s -H 'Content-Type: application/json' -d %s\n",
			shellQuote(apiURL+"/connectorGroups/"+url.PathEscape(group)+"/members/$ref"), shellQuote("Authorization: Bearer "+devToken), shellQuote(string(body)))
	}
	fmt.Fprintln(w, "\nPress Ctrl-C to stop.")
}

// answersLine says which answers serve gives where Graph's doc pages and
// its live service disagree, and how to get the others.
func answersLine(a fakegraph.Answers) string {
	if a == fakegraph.AnswersDocumented {
		return "Answers: documented, as the doc pages say: a create 201, an update 200 with the group (-answers seen: as the live service answers)"
	}
	return "Answers: seen, as the live service answers: a create 200, an update 204 (-answers documented: as the doc pages say)"
}

// printApplications lists the seed's applications, if it has any, each
// with the group it reports: the one it is assigned to, the default group
// when it is not assigned, none when its on-premises publishing is off.
func printApplications(w io.Writer, seed *fakegraph.Seed) {
	if len(seed.Applications) == 0 {
		return
	}
	fmt.Fprintln(w, "\nApplications:")
	for _, a := range seed.Applications[:min(len(seed.Applications), bannerListMax)] {
		where := "on-premises publishing off: no group"
		switch g := seed.ApplicationGroup(a); {
		case g == "":
		case a.ConnectorGroup == "":
			where = "group: " + g + " (the default; not assigned)"
		default:
			where = "group: " + g
		}
		fmt.Fprintf(w, "  %s  %q  %s\n", a.ID, a.DisplayName, where)
	}
	printMore(w, len(seed.Applications))
}

// printMore counts what a list of n items left out.
func printMore(w io.Writer, n int) {
	if n > bannerListMax {
		fmt.Fprintf(w, "  … and %d more\n", n-bannerListMax)
	}
}

// firstMove returns the first connector, in seed order, and the first
// group, in seed order, that it is not in: adding it there moves it, and
// succeeds. placed is the seed's groups with every connector placed
// (Seed.Placed), so a connector is in exactly one; "" when there is no
// connector or one group only. It takes time linear in the seed's size.
func firstMove(connectors []fakegraph.SeedConnector, placed []fakegraph.SeedConnectorGroup) (groupID, connectorID string) {
	if len(connectors) == 0 {
		return "", ""
	}
	first := connectors[0].ID
	for _, g := range placed {
		if !slices.Contains(g.Members, first) {
			return g.ID, first
		}
	}
	return "", ""
}

func canWrite(scopes []string) bool {
	return graph.OperationPermissions(graph.OpAddConnectorDoc).Allows(scopes, nil)
}

// tokenReach says what a seeded token (its scopes count as delegated) may
// call: today's operations all want the same permission, the doc's
// operation also takes Directory.AccessAsUser.All, and the directory's
// read permissions read applications.
func tokenReach(scopes []string) string {
	switch {
	case graph.OperationPermissions(graph.OpListConnectorGroups).Allows(scopes, nil):
		return "every operation"
	case canWrite(scopes):
		return "the doc's POST /connectorGroups/{id}/members/$ref only (403 elsewhere)"
	case graph.OperationPermissions(graph.OpListApplications).Allows(scopes, nil):
		return "GET /applications and /applications/{id} only (403 elsewhere: lacks Directory.ReadWrite.All)"
	}
	return "403: lacks Directory.ReadWrite.All"
}

// checkListenAddr refuses an -addr that net.Listen could only fail on or
// misread: it must be HOST:PORT with a numeric port (HOST may be empty).
func checkListenAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q is not HOST:PORT, such as 127.0.0.1:8080 (port 0 picks a free one)", addr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("-addr %q: the port %q is not a number from 0 to 65535", addr, port)
	}
	return nil
}

// shellQuote quotes s for a POSIX shell as the banner's curl is pasted:
// in single quotes, unless it needs none but a '$' escaped, which keeps
// the doc's /members/$ref readable.
func shellQuote(s string) string {
	plain := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@%$", r)) {
			plain = false
			break
		}
	}
	if plain {
		return strings.ReplaceAll(s, "$", `\$`)
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
