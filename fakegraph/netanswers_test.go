package fakegraph

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// net/http answers some requests itself, before any handler runs, in plain
// text: those the fake cannot turn into Graph's JSON. This table finds out,
// by sending each raw over TCP to the fake behind serve's DrainingServer,
// which still escape and which the fake catches. docs/hardening.md's table
// "Answers net/http writes itself" lists the same rows (checked below): if
// a Go release changes one, this test says which.
var netHTTPAnswers = []struct {
	name    string // as the docs' table names it
	request string
	status  int
	by      string // who answers, and how: plainText, noBody or graphJSON
}{
	{"headers over MaxHeaderBytes (64 KiB)", "GET " + ap + "/connectors HTTP/1.1\r\nHost: fake\r\nX-Big: " + strings.Repeat("a", MaxHeaderBytes+8<<10) + "\r\n\r\n", 431, plainText},
	{"a request line that is not HTTP", "HELLO\r\n\r\n", 400, plainText},
	{"HTTP/3.0 as the version", "GET " + ap + "/connectors HTTP/3.0\r\nHost: fake\r\n\r\n", 505, plainText},
	{"Transfer-Encoding: gzip", "POST " + ap + "/connectorGroups HTTP/1.1\r\nHost: fake\r\nTransfer-Encoding: gzip\r\n\r\n", 501, plainText},
	{"Expect: other than 100-continue", "POST " + ap + "/connectorGroups HTTP/1.1\r\nHost: fake\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}", 417, noBody},
	{"HTTP/1.1 without Host", "GET " + ap + "/connectors HTTP/1.1\r\n\r\n", 400, plainText},
	{"two Host headers", "GET " + ap + "/connectors HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, plainText},
	{"a Host that is no host", "GET " + ap + "/connectors HTTP/1.1\r\nHost: a b\r\n\r\n", 400, plainText},
	{"two different Content-Lengths", "POST " + ap + "/connectorGroups HTTP/1.1\r\nHost: fake\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400, plainText},
	{"a header name with a space", "GET " + ap + "/connectors HTTP/1.1\r\nHost: fake\r\nBad Name: x\r\n\r\n", 400, plainText},
	{"a request target that is not a path", "GET beta HTTP/1.1\r\nHost: fake\r\n\r\n", 400, plainText},
	{"OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: fake\r\n\r\n", 400, graphJSON},
	{"Expect: 100-continue", "POST " + ap + "/connectorGroups HTTP/1.1\r\nHost: fake\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}", 401, graphJSON},
	{"CONNECT", "CONNECT fake:443 HTTP/1.1\r\nHost: fake:443\r\n\r\n", 400, graphJSON},
	{"an absolute URL as the target", "GET http://elsewhere" + ap + "/connectors HTTP/1.1\r\nHost: fake\r\n\r\n", 401, graphJSON},
	{"a path with //", "GET /beta//connectors HTTP/1.1\r\nHost: fake\r\n\r\n", 400, graphJSON},
	{"HEAD on an operation", "HEAD " + ap + "/connectors HTTP/1.1\r\nHost: fake\r\n\r\n", 405, graphJSON},
}

// Who answers a request, and how, as the docs' table says it.
const (
	plainText = "net/http, plain text"
	noBody    = "net/http, no body"
	graphJSON = "the fake: Graph's JSON error"
)

// rawExchange writes request on a fresh connection and reads one response;
// a 100 Continue is skipped, as a client would.
func rawExchange(t *testing.T, addr, request string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(5*time.Second)))
	_, err = io.WriteString(conn, request)
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	method, _, _ := strings.Cut(request, " ")
	for {
		resp, err := http.ReadResponse(br, &http.Request{Method: method})
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusContinue {
			return resp, body
		}
	}
}

func TestWhichAnswersNetHTTPWritesItself(t *testing.T) {
	_, srv := startFakeBehindDrainingServer(t, Timeouts{})
	addr := srv.Listener.Addr().String()
	for _, tt := range netHTTPAnswers {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := rawExchange(t, addr, tt.request)
			assert.Equal(t, tt.status, resp.StatusCode, "body: %s", body)
			switch tt.by {
			case plainText, noBody:
				want := map[string]string{plainText: "text/plain; charset=utf-8", noBody: ""}[tt.by]
				assert.Equal(t, want, resp.Header.Get("Content-Type"), "net/http's own answer")
				assert.Equal(t, tt.by == noBody, len(body) == 0, "body: %q", body)
				assert.Empty(t, resp.Header.Get("request-id"), "written before the fake saw the request")
				return
			}
			assert.NotEmpty(t, resp.Header.Get("request-id"), "the fake answered")
			if resp.Request.Method == http.MethodHead {
				return // no body
			}
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			var e struct {
				Error struct{ Code, Message string }
			}
			require.NoError(t, json.Unmarshal(body, &e), "Graph's error: %s", body)
			assert.NotEmpty(t, e.Error.Code)
		})
	}
}

// docs/hardening.md documents the same rows, so that the table there is
// the one this test proves.
func TestTheDocsListNetHTTPsAnswers(t *testing.T) {
	doc, err := os.ReadFile("../docs/hardening.md")
	require.NoError(t, err)
	for _, tt := range netHTTPAnswers {
		row := "| " + tt.name + " | " + sprintf("%d", tt.status) + " | " + tt.by + " |"
		assert.Contains(t, string(doc), row)
	}
}
