// Command loadtest is make bench's loopback load test. It drives wrk
// (Debian's package, 4.1.0 here) against the servers, on 127.0.0.1 only:
//
//	bare        scripts/bench/bare: the fake's bytes, nothing else
//	fake        connectorgroups serve -quiet
//	fake+log    connectorgroups serve, logging every request (to a file)
//	fake+resp   serve with response validation, when serve -h offers it
//	prism       Stoplight Prism's mock of the spec, through npx (pinned)
//
// For each round, workload and server in turn (so that a disturbance of
// the machine hits all servers alike), it starts the fake afresh on a seed
// of -connectors connectors (every add moves a connector no add moved
// before; scripts/internal/workload), runs wrk pinned to -client-cpu with
// the server pinned to -server-cpu, and reads the line its Lua done()
// prints. It prints one markdown table of medians over the rounds, with
// the ratios to bare and to Prism, the machine's shape and the command.
// A run where any answer had another status than the workload's, or a
// socket error, is marked in the table, never silently counted. Raw
// outputs go to -out (a temporary directory by default).
//
// Timings are measurements, never pass/fail: it fails only when it cannot
// run at all.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/connectorgroups/connectorgroups/scripts/internal/seedgen"
	"github.com/connectorgroups/connectorgroups/scripts/internal/workload"
)

type options struct {
	fakeBin, bareBin, wrkBin, spec string
	duration                       time.Duration
	rounds, connections, threads   int
	connectors                     int
	serverCPU, clientCPU           string
	workloads                      []string
	prism                          bool
	prismVersion                   string
	prismTimeout                   time.Duration
	out, command                   string
	// loadBefore is /proc/loadavg when the run began: the machine is
	// shared, and the table says how busy it was.
	loadBefore string
}

func main() {
	var o options
	var workloads string
	flag.StringVar(&o.fakeBin, "fake", "bin/connectorgroups", "the connectorgroups binary")
	flag.StringVar(&o.bareBin, "bare", "bin/bare", "the bare server's binary (scripts/bench/bare)")
	flag.StringVar(&o.wrkBin, "wrk", "wrk", "the wrk binary")
	flag.StringVar(&o.spec, "spec", "openapi/connectorgroups.yaml", "the spec Prism mocks")
	flag.DurationVar(&o.duration, "duration", 3*time.Second, "one wrk run")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds; the table shows medians")
	flag.IntVar(&o.connections, "connections", 32, "wrk -c")
	flag.IntVar(&o.threads, "threads", 1, "wrk -t")
	flag.IntVar(&o.connectors, "connectors", 100000, "connectors in the fake's seed; the adds walk them, moving each into group 1, then 2, …")
	flag.StringVar(&o.serverCPU, "server-cpu", "0", "taskset -c for the servers (empty: no pinning)")
	flag.StringVar(&o.clientCPU, "client-cpu", "1", "taskset -c for wrk (empty: no pinning)")
	flag.StringVar(&workloads, "workloads", "", "comma-separated workload names (default: all)")
	flag.BoolVar(&o.prism, "prism", true, "also measure Prism (npx)")
	flag.StringVar(&o.prismVersion, "prism-version", "5.14.2", "the @stoplight/prism-cli version npx runs")
	flag.DurationVar(&o.prismTimeout, "prism-timeout", 180*time.Second, "how long Prism's install and start may take")
	flag.StringVar(&o.out, "out", "", "where raw outputs go (default: a new temporary directory)")
	flag.StringVar(&o.command, "command", "", "the command to print as how the table was made (default: this program's arguments)")
	flag.Parse()
	if workloads != "" {
		o.workloads = strings.Split(workloads, ",")
	}
	if o.command == "" {
		o.command = strings.Join(os.Args, " ")
	}
	o.loadBefore = loadAverage()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// server is one server under test.
type server struct {
	name  string
	note  string // why it was not measured, or what it is
	start func(run string) (addr string, stop func(), err error)
	// ok is false when it cannot be measured (note says why).
	ok bool
}

// cell is one workload × server: every round's result.
type cell struct {
	results []wrkResult
}

func run(o options) error {
	ws, err := pickWorkloads(o.workloads)
	if err != nil {
		return err
	}
	for _, bin := range []string{o.fakeBin, o.bareBin} {
		if _, err := os.Stat(bin); err != nil {
			return err
		}
	}
	if _, err := exec.LookPath(o.wrkBin); err != nil {
		return fmt.Errorf("wrk is not installed (Debian: apt-get install -y wrk): %w", err)
	}
	if o.out == "" {
		if o.out, err = os.MkdirTemp("", "connectorgroups-bench-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	logf("raw outputs in %s", o.out)

	seed := filepath.Join(o.out, "seed.json")
	if err := writeSeed(seed, o.connectors); err != nil {
		return err
	}
	// One script per workload, and one for Prism (ForPrism).
	luas := map[string]string{}
	for _, w := range ws {
		for _, v := range []struct {
			key string
			w   workload.Workload
		}{{w.Name, w}, {w.Name + ".prism", w.ForPrism()}} {
			p := filepath.Join(o.out, v.key+".lua")
			if err := os.WriteFile(p, []byte(v.w.Lua(o.connectors)), 0o644); err != nil {
				return err
			}
			luas[v.key] = p
		}
	}

	servers := []*server{
		{name: "bare", ok: true, start: func(run string) (string, func(), error) {
			return startProcess(o, run, "bare", []string{o.bareBin, "-addr", "ADDR"}, nil)
		}},
		fakeServer(o, seed, "fake", "-quiet"),
		fakeServer(o, seed, "fake+log", ""),
	}
	if flagName, found := responseValidationFlag(o.fakeBin); found {
		s := fakeServer(o, seed, "fake+resp", "-quiet", "-"+flagName)
		s.note = "serve -" + flagName
		servers = append(servers, s)
	} else {
		servers = append(servers, &server{name: "fake+resp", note: "not measured: serve -h offers no response-validation flag yet"})
	}
	prismVersion := ""
	if o.prism {
		p, stop := startPrism(o)
		defer stop()
		servers = append(servers, p)
		if p.ok {
			prismVersion = o.prismVersion
		}
	} else {
		servers = append(servers, &server{name: "prism", note: "not measured: -prism=false"})
	}

	// Prism runs on Node.js: a second of each workload first, unmeasured,
	// lets its JIT warm up, as the Go servers need not.
	for _, s := range servers {
		if s.name == "prism" && s.ok {
			for _, w := range ws {
				warm := o
				warm.duration = time.Second
				addr, _, _ := s.start("")
				if _, err := runWrk(warm, "warmup-"+w.Name+"-prism", addr, luas[w.Name+".prism"]); err != nil {
					logf("Prism's warm-up of %s: %v", w.Name, err)
				}
			}
		}
	}

	// Bare and Prism hold no state and start once; the fake starts
	// afresh for each run, so that every add moves a connector.
	cells := map[string]*cell{}
	logf("%d rounds × %d workloads × %d servers × %v", o.rounds, len(ws), countOK(servers), o.duration)
	for r := 1; r <= o.rounds; r++ {
		for wi, w := range ws {
			for _, s := range servers {
				if !s.ok {
					continue
				}
				run := fmt.Sprintf("r%d-%s-%s", r, w.Name, s.name)
				addr, stop, err := s.start(run)
				if err != nil {
					return fmt.Errorf("%s: %w", run, err)
				}
				lua := luas[w.Name]
				if s.name == "prism" {
					lua = luas[w.Name+".prism"]
				}
				res, err := runWrk(o, run, addr, lua)
				stop()
				if err != nil {
					return fmt.Errorf("%s: %w", run, err)
				}
				key := w.Name + "\x00" + s.name
				if cells[key] == nil {
					cells[key] = &cell{}
				}
				cells[key].results = append(cells[key].results, res)
				logf("round %d/%d, workload %d/%d %s, %s: %.0f req/s, p99 %.2f ms%s", r, o.rounds, wi+1, len(ws), w.Name, s.name, res.rps(), float64(res.p99us)/1000, res.problem())
			}
		}
	}
	_ = os.Remove(seed) // big, and made again from the flags
	printReport(os.Stdout, o, ws, servers, cells, prismVersion)
	return nil
}

func countOK(ss []*server) int {
	n := 0
	for _, s := range ss {
		if s.ok {
			n++
		}
	}
	return n
}

func pickWorkloads(names []string) ([]workload.Workload, error) {
	all := workload.All()
	if len(names) == 0 {
		return all, nil
	}
	var out []workload.Workload
	for _, n := range names {
		i := slices.IndexFunc(all, func(w workload.Workload) bool { return w.Name == strings.TrimSpace(n) })
		if i < 0 {
			var known []string
			for _, w := range all {
				known = append(known, w.Name)
			}
			return nil, fmt.Errorf("unknown workload %q (known: %s)", n, strings.Join(known, ", "))
		}
		out = append(out, all[i])
	}
	return out, nil
}

func writeSeed(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := seedgen.Write(w, n, 3, false); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func fakeServer(o options, seed, name string, flags ...string) *server {
	return &server{name: name, ok: true, start: func(run string) (string, func(), error) {
		args := []string{o.fakeBin, "serve", "-addr", "ADDR", "-seed", seed}
		for _, f := range flags {
			if f != "" {
				args = append(args, f)
			}
		}
		return startProcess(o, run, name, args, nil)
	}}
}

// responseValidationFlag finds serve's flag for response validation in
// serve -h, if it has one: a boolean flag whose name says "response".
func responseValidationFlag(bin string) (string, bool) {
	out, _ := exec.Command(bin, "serve", "-h").CombinedOutput()
	return findResponseFlag(string(out))
}

var flagLine = regexp.MustCompile(`(?m)^\s+-([A-Za-z0-9-]*respons[A-Za-z0-9-]*)\b(.*)$`)

func findResponseFlag(help string) (string, bool) {
	for _, m := range flagLine.FindAllStringSubmatch(help, -1) {
		// A boolean flag has no value placeholder after its name.
		if strings.TrimSpace(m[2]) == "" {
			return m[1], true
		}
	}
	return "", false
}

// startProcess starts a server on a free loopback port (ADDR in args),
// pinned to -server-cpu, and waits until it accepts connections. Its
// stdout and stderr go to the run's file in -out.
func startProcess(o options, run, name string, args []string, ready func(addr string) error) (string, func(), error) {
	addr, err := freeAddr()
	if err != nil {
		return "", nil, err
	}
	for i, a := range args {
		if a == "ADDR" {
			args[i] = addr
		}
	}
	if o.serverCPU != "" {
		args = append([]string{"taskset", "-c", o.serverCPU}, args...)
	}
	logFile, err := os.Create(filepath.Join(o.out, run+"."+name+".log"))
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return "", nil, err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	stop := func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		logFile.Close()
	}
	if ready == nil {
		ready = func(addr string) error {
			c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
			if err == nil {
				c.Close()
			}
			return err
		}
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case <-exited:
			stop()
			return "", nil, fmt.Errorf("%s exited at start; see %s", name, logFile.Name())
		default:
		}
		if ready(addr) == nil {
			return addr, stop, nil
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("%s did not start within a minute; see %s", name, logFile.Name())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// startPrism installs (npx --yes, pinned to -prism-version) and starts
// Prism's mock of the spec once, for the whole run, waiting for it at most
// -prism-timeout. When it cannot, the server is marked and the run goes on.
func startPrism(o options) (*server, func()) {
	s := &server{name: "prism", note: "@stoplight/prism-cli@" + o.prismVersion + " mock, via npx"}
	if _, err := exec.LookPath("npx"); err != nil {
		s.note = "not measured: npx is not installed (Node.js), so Prism cannot be"
		return s, func() {}
	}
	addr, err := freeAddr()
	if err != nil {
		s.note = "not measured: " + err.Error()
		return s, func() {}
	}
	host, port, _ := net.SplitHostPort(addr)
	logPath := filepath.Join(o.out, "prism.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		s.note = "not measured: " + err.Error()
		return s, func() {}
	}
	args := []string{"npx", "--yes", "@stoplight/prism-cli@" + o.prismVersion, "mock", "-h", host, "-p", port, o.spec}
	if o.serverCPU != "" {
		args = append([]string{"taskset", "-c", o.serverCPU}, args...)
	}
	logf("starting Prism (npx may install it first; at most %v): %s", o.prismTimeout, strings.Join(args, " "))
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		s.note = "not measured: " + err.Error()
		return s, func() {}
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	stop := func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		logFile.Close()
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.prismTimeout)
	defer cancel()
	for {
		select {
		case <-exited:
			stop()
			s.note = "not measured: Prism could not be installed or started (npx exited); see " + logPath
			return s, func() {}
		case <-ctx.Done():
			stop()
			s.note = fmt.Sprintf("not measured: Prism was not installed and answering within %v; see %s", o.prismTimeout, logPath)
			return s, func() {}
		case <-time.After(200 * time.Millisecond):
		}
		// Prism answers once it has loaded the spec.
		resp, err := http.Get("http://" + addr + "/onPremisesPublishingProfiles/applicationProxy/connectorGroups")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			break
		}
	}
	s.ok = true
	s.start = func(string) (string, func(), error) { return addr, func() {}, nil }
	return s, stop
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// runWrk runs one wrk, pinned, and saves its output.
func runWrk(o options, run, addr, lua string) (wrkResult, error) {
	args := []string{o.wrkBin, "-t" + strconv.Itoa(o.threads), "-c" + strconv.Itoa(o.connections),
		"-d" + strconv.Itoa(max(1, int(o.duration.Round(time.Second).Seconds()))) + "s", "--latency", "--timeout", "5s",
		"-s", lua, "http://" + addr, "--", strconv.Itoa(o.threads)}
	if o.clientCPU != "" {
		args = append([]string{"taskset", "-c", o.clientCPU}, args...)
	}
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	_ = os.WriteFile(filepath.Join(o.out, run+".wrk.txt"), append([]byte(strings.Join(args, " ")+"\n"), out...), 0o644)
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %v: %s", err, out)
	}
	return parseWrk(string(out))
}

// wrkResult is what one wrk run measured.
type wrkResult struct {
	requests, durationUS            int64
	p50us, p90us, p99us, maxUS      int64
	badStatus, firstBad, sockErrors int64
	non2xx                          int64 // wrk's own count, of status > 399
}

func (r wrkResult) rps() float64 {
	if r.durationUS == 0 {
		return 0
	}
	return float64(r.requests) / (float64(r.durationUS) / 1e6)
}

// problem is "" for a clean run, else what was wrong, for the log.
func (r wrkResult) problem() string {
	var p []string
	if r.badStatus > 0 {
		p = append(p, fmt.Sprintf("%d answers with another status (first: %d)", r.badStatus, r.firstBad))
	}
	if r.sockErrors > 0 {
		p = append(p, fmt.Sprintf("%d socket errors", r.sockErrors))
	}
	if len(p) == 0 {
		return ""
	}
	return " — " + strings.Join(p, ", ")
}

var (
	cgLine     = regexp.MustCompile(`(?m)^CGBENCH (.*)$`)
	non2xxLine = regexp.MustCompile(`(?m)^\s*Non-2xx or 3xx responses: (\d+)`)
)

// parseWrk reads the CGBENCH line the workload's Lua done() prints, and
// wrk's own count of non-2xx answers.
func parseWrk(out string) (wrkResult, error) {
	m := cgLine.FindStringSubmatch(out)
	if m == nil {
		return wrkResult{}, errors.New("wrk printed no CGBENCH line (did the Lua script fail?)")
	}
	var r wrkResult
	fields := map[string]*int64{
		"requests": &r.requests, "duration_us": &r.durationUS, "p50_us": &r.p50us, "p90_us": &r.p90us,
		"p99_us": &r.p99us, "max_us": &r.maxUS, "bad_status": &r.badStatus, "first_bad": &r.firstBad, "errors": &r.sockErrors,
	}
	seen := 0
	for _, kv := range strings.Fields(m[1]) {
		k, v, ok := strings.Cut(kv, "=")
		dst := fields[k]
		if !ok || dst == nil {
			return wrkResult{}, fmt.Errorf("CGBENCH line: unexpected %q", kv)
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return wrkResult{}, fmt.Errorf("CGBENCH line: %s: %w", k, err)
		}
		*dst = n
		seen++
	}
	if seen != len(fields) {
		return wrkResult{}, fmt.Errorf("CGBENCH line: %d of %d fields", seen, len(fields))
	}
	if n := non2xxLine.FindStringSubmatch(out); n != nil {
		r.non2xx, _ = strconv.ParseInt(n[1], 10, 64)
	}
	return r, nil
}

// summary is a cell's medians.
type summary struct {
	rps, p99ms float64
	bad        int64 // answers with another status, and socket errors, over all rounds
	rounds     int
}

func summarise(c *cell) summary {
	if c == nil || len(c.results) == 0 {
		return summary{}
	}
	var rps, p99 []float64
	var bad int64
	for _, r := range c.results {
		rps = append(rps, r.rps())
		p99 = append(p99, float64(r.p99us)/1000)
		bad += r.badStatus + r.sockErrors
	}
	return summary{rps: median(rps), p99ms: median(p99), bad: bad, rounds: len(c.results)}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func printReport(w io.Writer, o options, ws []workload.Workload, servers []*server, cells map[string]*cell, prismVersion string) {
	fmt.Fprintf(w, "\n## Load test: medians of %d rounds of %v, wrk -t%d -c%d, loopback\n\n", o.rounds, o.duration, o.threads, o.connections)
	fmt.Fprintln(w, "| workload | server | req/s | p99 | × bare req/s | × bare p99 | × Prism req/s | notes |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---|")
	for _, wl := range ws {
		bare := summarise(cells[wl.Name+"\x00bare"])
		prism := summarise(cells[wl.Name+"\x00prism"])
		for _, s := range servers {
			if !s.ok {
				continue
			}
			c := summarise(cells[wl.Name+"\x00"+s.name])
			note := ""
			if c.bad > 0 {
				note = fmt.Sprintf("**%d bad answers or socket errors: not a clean run**", c.bad)
			}
			fmt.Fprintf(w, "| %s | %s | %.0f | %.2f ms | %s | %s | %s | %s |\n", wl.Name, s.name, c.rps, c.p99ms,
				ratio(c.rps, bare.rps), ratio(c.p99ms, bare.p99ms), ratio(c.rps, prism.rps), note)
		}
	}
	printGoals(w, ws, servers, cells)
	fmt.Fprintln(w, "\nWorkloads:")
	for _, wl := range ws {
		fmt.Fprintf(w, "- %s: %s; every answer must be %d\n", wl.Name, wl.Title, wl.Status)
	}
	fmt.Fprintln(w, "\nServers:")
	for _, s := range servers {
		desc := map[string]string{
			"bare":      "scripts/bench/bare: net/http answering each workload with the fake's recorded bytes",
			"fake":      fmt.Sprintf("connectorgroups serve -quiet -seed (%d connectors, 3 groups), started afresh for each run", o.connectors),
			"fake+log":  "the same, logging every request (to a file)",
			"fake+resp": "the same, -quiet, with response validation",
			"prism":     "Stoplight Prism's mock of " + o.spec + ", started once (it holds no state); paths without /beta, and Prefer: code=N for the workload's status",
		}[s.name]
		if s.note != "" {
			desc += " (" + s.note + ")"
		}
		fmt.Fprintf(w, "- %s: %s\n", s.name, desc)
	}
	fmt.Fprintln(w, "\nMachine:")
	for _, l := range machine(o, prismVersion) {
		fmt.Fprintln(w, "- "+l)
	}
	fmt.Fprintf(w, "\nCommand: `%s`\n", o.command)
	fmt.Fprintf(w, "Raw outputs: %s\n", o.out)
}

// printGoals sets the performance floors beside the medians: informative,
// never pass/fail.
func printGoals(w io.Writer, ws []workload.Workload, servers []*server, cells map[string]*cell) {
	has := func(name string) bool {
		return slices.ContainsFunc(servers, func(s *server) bool { return s.name == name && s.ok })
	}
	// A floor is a ratio of req/s that server must reach against vs.
	type goal struct {
		text   string
		server string
		vs     string // bare or prism
		min    float64
	}
	goals := []goal{
		{text: "fake ≥ 5× Prism req/s", server: "fake", vs: "prism", min: 5},
	}
	fmt.Fprintln(w, "\nFloors, per workload: ✓ met, ✗ not, – not measured")
	fmt.Fprintln(w)
	header := "| goal |"
	rule := "|---|"
	for _, wl := range ws {
		header += " " + wl.Name + " |"
		rule += ":---:|"
	}
	fmt.Fprintln(w, header)
	fmt.Fprintln(w, rule)
	for _, g := range goals {
		row := "| " + g.text + " |"
		for _, wl := range ws {
			a, b := summarise(cells[wl.Name+"\x00"+g.server]), summarise(cells[wl.Name+"\x00"+g.vs])
			mark := "–"
			if has(g.server) && has(g.vs) && a.rps > 0 && b.rps > 0 {
				r := a.rps / b.rps
				mark = fmt.Sprintf("%.2f× ✗", r)
				if r >= g.min {
					mark = fmt.Sprintf("%.2f× ✓", r)
				}
			}
			row += " " + mark + " |"
		}
		fmt.Fprintln(w, row)
	}
}

func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// machine describes where the numbers were taken.
func machine(o options, prismVersion string) []string {
	model := "unknown"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	kernel := "unknown"
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = strings.TrimSpace(string(b))
	}
	goVersion := runtime.Version()
	if out, err := exec.Command("go", "version").Output(); err == nil {
		goVersion = strings.TrimSpace(string(out))
	}
	wrkVersion := "unknown"
	if out, _ := exec.Command(o.wrkBin, "-v").CombinedOutput(); len(out) > 0 {
		wrkVersion, _, _ = strings.Cut(strings.TrimSpace(string(out)), "\n")
	}
	pin := "no pinning"
	if o.serverCPU != "" || o.clientCPU != "" {
		pin = fmt.Sprintf("servers on CPU %s, wrk on CPU %s (taskset -c)", orNone(o.serverCPU), orNone(o.clientCPU))
	}
	lines := []string{
		fmt.Sprintf("%d CPUs (nproc), %s", runtime.NumCPU(), model),
		fmt.Sprintf("load average (1, 5, 15 min) %s at the start, %s at the end", o.loadBefore, loadAverage()),
		"Linux " + kernel,
		goVersion,
		wrkVersion,
		pin,
	}
	if prismVersion != "" {
		lines = append(lines, "@stoplight/prism-cli "+prismVersion+" (npx)")
	}
	return lines
}

// loadAverage is the first three fields of /proc/loadavg, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func orNone(s string) string {
	if s == "" {
		return "any"
	}
	return s
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadtest: "+format+"\n", args...)
}
