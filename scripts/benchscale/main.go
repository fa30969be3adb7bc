// Command benchscale measures how the fake's startup grows with its seed
// (make bench-scale): for each size it writes a seed of that many
// connectors (scripts/internal/seedgen) into a temporary directory, execs
// `connectorgroups serve -seed FILE -quiet` on a free loopback port, polls
// a GET of the default group until it answers 200, and reads the server's
// VmRSS from /proc/PID/status at that moment, and VmRSS and VmHWM
// again -settle later, once serve has given the seed's garbage back. It prints one
// markdown table with per-connector ratios, so that linearity shows.
//
//	go run ./scripts/benchscale -bin bin/connectorgroups -sizes 10000,100000,1000000
//
// Timings are measurements, never pass/fail: it fails only when a server
// does not start answering within -timeout.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/connectorgroups/connectorgroups/scripts/internal/seedgen"
)

type result struct {
	connectors int
	seedBytes  int64
	ready      time.Duration
	rssKB      int64
	hwmKB      int64
	settledKB  int64 // VmRSS -settle after the first answer
}

func main() {
	bin := flag.String("bin", "bin/connectorgroups", "the connectorgroups binary to run")
	sizes := flag.String("sizes", "10000,100000,1000000", "comma-separated connector counts")
	groups := flag.Int("groups", 10, "connector groups in each seed")
	spread := flag.Bool("spread", false, "list every connector as a member of a group (default: all unlisted, so in the default group)")
	runs := flag.Int("runs", 1, "starts per size; the table shows the median time and the largest RSS")
	timeout := flag.Duration("timeout", 60*time.Second, "how long one server may take to answer")
	cpu := flag.String("cpu", "", "run the server under `taskset -c CPU` (e.g. 0); empty for no pinning")
	settle := flag.Duration("settle", 2*time.Second, "how long after the first answer to read VmRSS again")
	flag.Parse()

	dir, err := os.MkdirTemp("", "connectorgroups-scale-")
	if err != nil {
		fatal(err)
	}
	defer os.RemoveAll(dir)

	var results []result
	for _, f := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			fatal(fmt.Errorf("-sizes: %q is not a positive count", f))
		}
		seed := filepath.Join(dir, fmt.Sprintf("seed-%d.json", n))
		size, err := writeSeed(seed, n, *groups, *spread)
		if err != nil {
			fatal(err)
		}
		var best result
		var times []time.Duration
		for range *runs {
			r, err := measure(*bin, seed, *cpu, *timeout, *settle)
			if err != nil {
				fatal(fmt.Errorf("%d connectors: %w", n, err))
			}
			times = append(times, r.ready)
			best.rssKB, best.hwmKB, best.settledKB = max(best.rssKB, r.rssKB), max(best.hwmKB, r.hwmKB), max(best.settledKB, r.settledKB)
		}
		best.connectors, best.seedBytes, best.ready = n, size, median(times)
		results = append(results, best)
		fmt.Fprintf(os.Stderr, "benchscale: %d connectors: answering after %v, VmRSS %d MB\n", n, best.ready.Round(time.Millisecond), best.rssKB/1024)
		os.Remove(seed)
	}
	printTable(os.Stdout, results)
}

func writeSeed(path string, n, groups int, spread bool) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := seedgen.Write(w, n, groups, spread); err != nil {
		f.Close()
		return 0, err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return 0, err
	}
	return st.Size(), f.Close()
}

// measure starts one server and times it from exec to its first 200.
func measure(bin, seed, cpu string, timeout, settle time.Duration) (result, error) {
	addr, err := freePort()
	if err != nil {
		return result{}, err
	}
	args := []string{bin, "serve", "-addr", addr, "-seed", seed, "-quiet"}
	if cpu != "" {
		args = append([]string{"taskset", "-c", cpu}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout = io.Discard
	var stderr strings.Builder
	cmd.Stderr = &stderr
	url := "http://" + addr + "/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/" + seedgen.GroupID(0)
	client := &http.Client{Timeout: time.Second}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}()
	deadline := start.Add(timeout)
	for {
		select {
		case err := <-exited:
			exited <- err
			return result{}, fmt.Errorf("the server exited before answering (%v): %s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			return result{}, fmt.Errorf("no answer within %v", timeout)
		}
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer dev-token")
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
			return result{}, fmt.Errorf("GET %s answered %d", url, resp.StatusCode)
		}
		time.Sleep(2 * time.Millisecond)
	}
	ready := time.Since(start)
	// taskset execs the server, so the pid is the server's.
	rss, _, err := procMemory(cmd.Process.Pid)
	if err != nil {
		return result{}, err
	}
	time.Sleep(settle)
	settled, hwm, err := procMemory(cmd.Process.Pid)
	if err != nil {
		return result{}, err
	}
	return result{ready: ready, rssKB: rss, hwmKB: hwm, settledKB: settled}, nil
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// procMemory reads VmRSS and VmHWM, in kB, from /proc/PID/status.
func procMemory(pid int) (rssKB, hwmKB int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	return parseStatus(string(b))
}

func parseStatus(status string) (rssKB, hwmKB int64, err error) {
	found := 0
	for _, line := range strings.Split(status, "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		fields := strings.Fields(value)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, 0, fmt.Errorf("/proc status: unexpected %s line %q", name, line)
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc status: %s: %w", name, err)
		}
		if name == "VmRSS" {
			rssKB = kb
		} else {
			hwmKB = kb
		}
		found++
	}
	if found != 2 {
		return 0, 0, errors.New("/proc status: no VmRSS and VmHWM")
	}
	return rssKB, hwmKB, nil
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	for i := range s { // a handful of values
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s[len(s)/2]
}

func printTable(w io.Writer, rs []result) {
	fmt.Fprintln(w, "| connectors | seed file | first answer after | µs per connector | VmRSS then | VmRSS settled | VmHWM | settled bytes per connector | peak bytes per connector |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		fmt.Fprintf(w, "| %d | %.1f MB | %.0f ms | %.2f | %.0f MB | %.0f MB | %.0f MB | %.0f | %.0f |\n",
			r.connectors, float64(r.seedBytes)/1e6, float64(r.ready.Microseconds())/1000,
			float64(r.ready.Microseconds())/float64(r.connectors),
			float64(r.rssKB)/1024, float64(r.settledKB)/1024, float64(r.hwmKB)/1024,
			float64(r.settledKB*1024)/float64(r.connectors), float64(r.hwmKB*1024)/float64(r.connectors))
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "benchscale:", err)
	os.Exit(1)
}
