package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// The reference server's default seed.
const (
	addEmptyGroup   = "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21"
	addEuropeGroup  = "9e7c3a58-2b1d-4f60-8a94-c5e0d7b2f316"
	addConnector01  = "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"
	addEuropeMember = "6c0e2b7d-91a4-4f38-b5d2-0a7e3c9f1e64"
	addMissing      = "00000000-0000-4000-8000-000000000000"
)

// addRun is one in-process run of the add command.
type addRun struct {
	code           int
	stdout, stderr string
	tr             *contract.Transport
}

// runAddCmd runs add with args; every request goes through the contract
// suite's validating transport.
func runAddCmd(t *testing.T, args ...string) addRun {
	t.Helper()
	tr, err := contract.NewTransport(http.DefaultTransport)
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := addCommand(tr)(context.Background(), args, &stdout, &stderr)
	return addRun{code: code, stdout: stdout.String(), stderr: stderr.String(), tr: tr}
}

func (r addRun) assertValidTraffic(t *testing.T) {
	t.Helper()
	if r.tr.Exchanges() == 0 {
		t.Fatal("no request went through the validating transport")
	}
	for _, v := range r.tr.Violations() {
		t.Errorf("contract violation: %s", v)
	}
}

func fakeGraphURL(t *testing.T) string {
	t.Helper()
	return fakegraph.NewTestServer(t, fakegraph.DefaultSeed()).URL + "/beta"
}

// connector01JSON is the seed's CONNECTOR-01 as the commands print it.
const connector01JSON = `{
  "id": "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30",
  "machineName": "CONNECTOR-01.contoso.com",
  "externalIp": "203.0.113.10",
  "status": "active",
  "version": "1.5.3437.0"
}
`

// connector01Table is the seed's CONNECTOR-01 as -o table prints it.
const connector01Table = `ID                                    MACHINE                   EXTERNAL IP   STATUS  VERSION
d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30  CONNECTOR-01.contoso.com  203.0.113.10  active  1.5.3437.0
`

// add prints the whole connector in every format: after today's 204,
// which has no body, it reads the connector back; after the doc path's
// 201, it prints the one the service sent. A table of the id alone and
// dashes told the user nothing.
func TestAdd_PrintsTheConnector(t *testing.T) {
	t.Setenv("GRAPH_TOKEN", "")
	tests := []struct {
		name  string
		extra []string
		want  string
	}{
		{"today's path", nil, connector01JSON},
		{"the doc's path", []string{"-doc-path"}, connector01JSON},
		{"today's path, as a table", []string{"-o", "table"}, connector01Table},
		{"the doc's path, as a table", []string{"-doc-path", "-o", "table"}, connector01Table},
		{"today's path, its id", []string{"-o", "id"}, addConnector01 + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"-base-url", fakeGraphURL(t), "-group", addEmptyGroup, "-connector", addConnector01, "-token", "dev-token"}, tt.extra...)
			r := runAddCmd(t, args...)
			if r.code != exitOK || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			if r.stdout != tt.want {
				t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, tt.want)
			}
			r.assertValidTraffic(t)
		})
	}
}

// Service errors: one line on stderr with Graph's code, message and
// request-id; exit 1; nothing on stdout.
func TestAdd_ServiceErrors(t *testing.T) {
	tests := []struct {
		name, token, group, connector string
		want                          string // a regexp for the whole of stderr
	}{
		{"not found", "dev-token", addMissing, addConnector01,
			`^error: Request_ResourceNotFound: Resource '` + addMissing + `' does not exist or one of its queried reference-property objects are not present\. \(status 404, request-id [0-9a-f-]{36}\)\n$`},
		{"already a member", "dev-token", addEuropeGroup, addEuropeMember,
			`^error: Request_BadRequest: One or more added object references already exist for the following modified properties: 'members'\. \(status 400, request-id [0-9a-f-]{36}\)\n$`},
		{"forbidden", "reader-token", addEmptyGroup, addConnector01,
			`^error: Authorization_RequestDenied: Insufficient privileges to complete the operation\. \(status 403, request-id [0-9a-f-]{36}\)\n$`},
		{"unauthorized", "unknown-token", addEmptyGroup, addConnector01,
			`^error: InvalidAuthenticationToken: .+ \(status 401, request-id [0-9a-f-]{36}\)\n$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runAddCmd(t, "-base-url", fakeGraphURL(t), "-group", tt.group, "-connector", tt.connector, "-token", tt.token)
			if r.code != exitFailure || r.stdout != "" {
				t.Errorf("exit %d, stdout %q; want exit %d and no output", r.code, r.stdout, exitFailure)
			}
			if !regexp.MustCompile(tt.want).MatchString(r.stderr) {
				t.Errorf("stderr = %q\nwant match %s", r.stderr, tt.want)
			}
			r.assertValidTraffic(t)
		})
	}
}

func TestAdd_Help(t *testing.T) {
	r := runAddCmd(t, "-h")
	if r.code != exitOK || r.stderr != "" || !strings.HasPrefix(r.stdout, "usage: connectorgroups add ") || !strings.Contains(r.stdout, "GRAPH_TOKEN") {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if n := r.tr.Exchanges(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestAdd_TokenFromEnvironment(t *testing.T) {
	tests := []struct{ name, env, flag string }{
		{"GRAPH_TOKEN alone", "dev-token", ""},
		{"-token wins over GRAPH_TOKEN", "reader-token", "dev-token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GRAPH_TOKEN", tt.env)
			args := []string{"-base-url", fakeGraphURL(t), "-group", addEmptyGroup, "-connector", addConnector01}
			if tt.flag != "" {
				args = append(args, "-token", tt.flag)
			}
			r := runAddCmd(t, args...)
			if r.code != exitOK || !strings.Contains(r.stdout, `"id": "`+addConnector01+`"`) {
				t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
			r.assertValidTraffic(t)
		})
	}
}

// -v logs the request and response lines; the token never shows.
func TestAdd_VerboseRedactsTheToken(t *testing.T) {
	const secret = "dev-token"
	t.Setenv("GRAPH_TOKEN", secret)
	srvURL := fakeGraphURL(t)
	for _, tt := range []struct {
		name, group string
		code        int
		wantStatus  string
	}{
		{"success", addEmptyGroup, exitOK, "< HTTP/1.1 204 No Content"},
		{"failure", addMissing, exitFailure, "< HTTP/1.1 404 Not Found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runAddCmd(t, "-v", "-base-url", srvURL, "-group", tt.group, "-connector", addConnector01)
			if r.code != tt.code {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			for _, want := range []string{
				"> POST " + srvURL + "/onPremisesPublishingProfiles/applicationProxy/connectorGroups/" + tt.group + "/members/$ref\n",
				"> Authorization: Bearer [REDACTED]\n",
				"> Client-Request-Id: ",
				tt.wantStatus,
				" request-id=",
			} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if strings.Contains(r.stderr+r.stdout, secret) {
				t.Errorf("the token leaked:\n%s", r.stderr)
			}
			r.assertValidTraffic(t)
		})
	}
}

// Today's Graph answers 204 without a body: the command reads the
// connector back and prints it. Should the read fail, the line says that
// the move was made, so that nobody repeats it.
func TestAdd_NoContent(t *testing.T) {
	for _, tt := range []struct {
		name       string
		readStatus int
		wantCode   int
		wantStdout string
		wantStderr string // a regexp
	}{
		{"read back", http.StatusOK, exitOK, connector01JSON, `^$`},
		{"read back fails", http.StatusNotFound, exitFailure, "",
			`^error: the connector was moved, but reading it back failed: Request_ResourceNotFound: gone \(status 404, request-id 7c1a3e52-9b0d-4c6f-8e21-3f5d6a9b0c14\)\n$`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var gets int
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("request-id", "7c1a3e52-9b0d-4c6f-8e21-3f5d6a9b0c14")
				w.Header().Set("client-request-id", r.Header.Get("client-request-id"))
				if r.Method == http.MethodPost {
					w.WriteHeader(http.StatusNoContent)
					return
				}
				gets++
				if tt.readStatus != http.StatusOK {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(tt.readStatus)
					io.WriteString(w, `{"error":{"code":"Request_ResourceNotFound","message":"gone"}}`)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("OData-Version", "4.0")
				io.WriteString(w, `{"id":"d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30","machineName":"CONNECTOR-01.contoso.com","externalIp":"203.0.113.10","status":"active","version":"1.5.3437.0"}`)
			}))
			defer srv.Close()
			r := runAddCmd(t, "-base-url", srv.URL+"/beta", "-group", addEmptyGroup, "-connector", addConnector01, "-token", "t")
			if r.code != tt.wantCode || r.stdout != tt.wantStdout || !regexp.MustCompile(tt.wantStderr).MatchString(r.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr matching %s", r.code, r.stdout, r.stderr, tt.wantCode, tt.wantStdout, tt.wantStderr)
			}
			if gets == 0 {
				t.Error("the connector was not read back")
			}
		})
	}
}

// A throttled call whose Retry-After outlasts -timeout ends at once, and
// says when to come back; a body that is not Graph JSON still makes a line.
func TestAdd_GivesUpWithinTimeout(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"429 beyond the timeout", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "30")
			w.Header().Set("request-id", "r-429")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"error":{"code":"TooManyRequests","message":"Too many requests."}}`)
		}, "error: TooManyRequests: Too many requests. (status 429, request-id r-429, retry after 30s)\n"},
		{"text/plain 502", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("request-id", "r-502")
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, "upstream connect error\nreset reason: overflow\n")
		}, "error: Bad Gateway: upstream connect error (status 502, request-id r-502)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			r := runAddCmd(t, "-base-url", srv.URL+"/beta", "-group", addEmptyGroup, "-connector", addConnector01, "-token", "t", "-timeout", "200ms")
			if r.code != exitFailure || r.stderr != tt.want {
				t.Errorf("exit %d, stderr %q; want %d, %q", r.code, r.stderr, exitFailure, tt.want)
			}
			if n := r.tr.Exchanges(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
			for _, v := range r.tr.Violations() {
				if v.Direction == contract.DirectionRequest {
					t.Errorf("request violation: %s", v)
				}
			}
		})
	}
}

func TestAdd_NetworkError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	r := runAddCmd(t, "-base-url", "http://"+addr+"/beta", "-group", addEmptyGroup, "-connector", addConnector01, "-token", "t", "-timeout", "200ms")
	if r.code != exitFailure || !strings.HasPrefix(r.stderr, "error: ") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if r.tr.Exchanges() == 0 {
		t.Error("no request went through the validating transport")
	}
	for _, v := range r.tr.Violations() {
		t.Errorf("violation: %s", v)
	}
}

// interruptAfterAnswer cancels the call as soon as the first answer is
// back, as a Ctrl-C between an attempt and its retry would; the contract
// transport has already read the body, so reading it cannot fail.
type interruptAfterAnswer struct {
	next   http.RoundTripper
	cancel context.CancelFunc
}

func (i interruptAfterAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := i.next.RoundTrip(req)
	i.cancel()
	return resp, err
}

// Ctrl-C after a 429, before its retry: the line still names the 429 and
// says why there was no retry. (The client's tests cut the wait itself.)
func TestAdd_InterruptedBeforeRetry(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "20")
		w.Header().Set("request-id", "r-429")
		w.Header().Set("client-request-id", r.Header.Get("client-request-id"))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"error":{"code":"TooManyRequests","message":"Too many requests."}}`)
	}))
	defer srv.Close()
	tr, err := contract.NewTransport(http.DefaultTransport)
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := addCommand(interruptAfterAnswer{tr, cancel})(ctx, []string{"-base-url", srv.URL + "/beta", "-group", addEmptyGroup, "-connector", addConnector01, "-token", "t"}, &stdout, &stderr)
	want := "error: TooManyRequests: Too many requests. (status 429, request-id r-429, retry after 20s, interrupted before a retry)\n"
	if code != exitFailure || stderr.String() != want {
		t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr.String(), exitFailure, want)
	}
	if tr.Exchanges() != 1 {
		t.Errorf("%d requests, want 1", tr.Exchanges())
	}
	for _, v := range tr.Violations() {
		t.Errorf("violation: %s", v)
	}
}

// The func addCommand returns may run more than once in a process: each -v
// run logs to its own stderr only, never to an earlier run's.
func TestAdd_VerboseRunsLogToTheirOwnStderr(t *testing.T) {
	t.Setenv("GRAPH_TOKEN", "dev-token")
	srvURL := fakeGraphURL(t)
	tr, err := contract.NewTransport(http.DefaultTransport)
	if err != nil {
		t.Fatal(err)
	}
	add := addCommand(tr)
	// The add that succeeds reads the connector back (GET, 200).
	runs := []struct {
		group        string
		wantCode     int
		wantStatuses []string
	}{
		{addEmptyGroup, exitOK, []string{"< HTTP/1.1 204 No Content", "< HTTP/1.1 200 OK"}},
		{addMissing, exitFailure, []string{"< HTTP/1.1 404 Not Found"}},
	}
	stderrs := make([]*bytes.Buffer, len(runs))
	for i, run := range runs {
		var stdout bytes.Buffer
		stderrs[i] = &bytes.Buffer{}
		code := add(context.Background(), []string{"-v", "-base-url", srvURL, "-group", run.group, "-connector", addConnector01}, &stdout, stderrs[i])
		if code != run.wantCode {
			t.Fatalf("run %d: exit %d, stderr %q", i+1, code, stderrs[i])
		}
	}
	for i, run := range runs {
		got := stderrs[i].String()
		var requests, responses []string
		for _, line := range strings.Split(got, "\n") {
			switch {
			case strings.HasPrefix(line, "> POST "):
				requests = append(requests, line)
			case strings.HasPrefix(line, "< "):
				responses = append(responses, line)
			}
		}
		wantRequest := "> POST " + srvURL + "/onPremisesPublishingProfiles/applicationProxy/connectorGroups/" + run.group + "/members/$ref"
		if len(requests) != 1 || requests[0] != wantRequest {
			t.Errorf("run %d logged requests %q, want exactly [%q]; stderr:\n%s", i+1, requests, wantRequest, got)
		}
		ok := len(responses) == len(run.wantStatuses)
		for j := 0; ok && j < len(responses); j++ {
			ok = strings.HasPrefix(responses[j], run.wantStatuses[j])
		}
		if !ok {
			t.Errorf("run %d logged responses %q, want exactly %q; stderr:\n%s", i+1, responses, run.wantStatuses, got)
		}
	}
	if n := tr.Exchanges(); n != 3 {
		t.Errorf("%d exchanges, want 3 (an add and its read, an add)", n)
	}
}
