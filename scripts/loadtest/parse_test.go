package main

import (
	"strings"
	"testing"
)

// What wrk 4.1.0 prints with --latency and a workload's Lua done().
const wrkOutput = `Running 3s test @ http://127.0.0.1:41235
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   583.71us  415.20us   9.98ms   89.09%
    Req/Sec    55.61k     2.10k   58.92k    74.19%
  Latency Distribution
     50%  480.00us
     75%  680.00us
     90%    0.96ms
     99%    1.80ms
  166833 requests in 3.00s, 55.48MB read
  Non-2xx or 3xx responses: 7
Requests/sec:  55610.61
Transfer/sec:     18.49MB
CGBENCH requests=166833 duration_us=3000101 p50_us=480 p90_us=960 p99_us=1802 max_us=9980 bad_status=7 first_bad=400 errors=2
`

func TestParseWrk(t *testing.T) {
	r, err := parseWrk(wrkOutput)
	if err != nil {
		t.Fatal(err)
	}
	want := wrkResult{requests: 166833, durationUS: 3000101, p50us: 480, p90us: 960, p99us: 1802, maxUS: 9980, badStatus: 7, firstBad: 400, sockErrors: 2, non2xx: 7}
	if r != want {
		t.Errorf("parseWrk = %+v, want %+v", r, want)
	}
	if got := r.rps(); got < 55609 || got > 55610 { // 166833 requests in 3.000101 s
		t.Errorf("rps = %v", got)
	}
	if p := r.problem(); !strings.Contains(p, "7 answers with another status (first: 400)") || !strings.Contains(p, "2 socket errors") {
		t.Errorf("problem = %q", p)
	}
}

func TestParseWrkRefuses(t *testing.T) {
	for name, out := range map[string]string{
		"no line":       "Running 3s test\nRequests/sec: 1\n",
		"missing field": "CGBENCH requests=1 duration_us=2\n",
		"unknown field": strings.Replace(wrkOutput, "errors=2", "errors=2 extra=1", 1),
		"not a number":  strings.Replace(wrkOutput, "p99_us=1802", "p99_us=1.8ms", 1),
	} {
		if _, err := parseWrk(out); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestSummariseMedians(t *testing.T) {
	c := &cell{results: []wrkResult{
		{requests: 300, durationUS: 1e6, p99us: 5000},
		{requests: 100, durationUS: 1e6, p99us: 1000, badStatus: 1},
		{requests: 200, durationUS: 1e6, p99us: 9000},
	}}
	s := summarise(c)
	if s.rps != 200 || s.p99ms != 5 || s.bad != 1 || s.rounds != 3 {
		t.Errorf("summarise = %+v", s)
	}
}

func TestFindResponseFlag(t *testing.T) {
	help := `Usage: connectorgroups serve [-addr HOST:PORT]
  -addr HOST:PORT
    	where to listen
  -quiet
    	do not log requests to stderr
  -validate-responses
    	check every response against the spec
`
	if name, ok := findResponseFlag(help); !ok || name != "validate-responses" {
		t.Errorf("findResponseFlag = %q, %v", name, ok)
	}
	if _, ok := findResponseFlag("  -quiet\n    \tdo not log; responses are not checked\n"); ok {
		t.Error("a word in a description is no flag")
	}
}
