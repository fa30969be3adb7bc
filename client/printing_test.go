package client

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoToken is a token shaped like the identity platform's (a JWT), with
// a "/" that JSON may escape.
const echoToken = "eyJ0eXAiOiJKV1QifQ.eyJzY3AiOiJEaXJlY3Rvcnkq/fQ.c2lnbmF0dXJl"

// echoTokenMiddle is a part of echoToken that every spelling of it in
// echoAll holds.
const echoTokenMiddle = "yJ0eXAiOiJKV1QifQ.eyJzY3AiOiJEaXJlY3Rvcnkq"

// echoAll is an error body that echoes the request's Authorization value
// every way a server might, in every member of Graph's error: the whole
// value, the token alone, and the token spelled with JSON escapes ("\/"
// and "\u0065") that the raw body does not show.
func echoAll(authorization string) string {
	token := strings.TrimPrefix(authorization, "Bearer ")
	escaped := strings.ReplaceAll(strings.Replace(token, "e", `\u0065`, 1), "/", `\/`)
	return fmt.Sprintf(`{"error":{"code":"Echo_%[2]s","message":"Access denied for %[1]s","target":"%[2]s",
		"details":[{"code":"d","message":"token %[3]s","target":"%[2]s"}],
		"innerError":{"code":"%[2]s","message":"%[1]s","request-id":"%[2]s","client-request-id":"%[3]s","date":"2026-11-27T10:15:30"}}}`,
		authorization, token, escaped)
}

// A server that echoes the Authorization header: no way of printing the
// *Error shows the token (Error(), %v, %+v, %#v, Body), and none needs
// to: what the server sent is there, with the token replaced. Headers and
// a redirect's Location that echo it too.
func TestError_NeverPrintsTheTokenAServerEchoes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"in the body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, echoAll(r.Header.Get("Authorization")))
		}},
		{"in the headers", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("request-id", echoToken)
			w.Header().Set("client-request-id", r.Header.Get("Authorization"))
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprintf(w, "upstream refused %s\n", r.Header.Get("Authorization"))
		}},
		{"in a redirect", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "https://elsewhere.example/?access_token="+echoToken)
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusFound)
			fmt.Fprintf(w, "<html><title>Moved for %s</title></html>", echoToken)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := hostileServer(t, tc.handler)
			c, err := NewClient(WithBaseURL(srv.URL+"/beta"), WithTokenSource(StaticToken(echoToken)), WithoutRetry())
			require.NoError(t, err)
			_, err = c.GetConnectorGroup(context.Background(), "g-1")
			ge := asError(t, err)
			printed := map[string]string{
				"Error()": ge.Error(),
				"%v":      fmt.Sprintf("%v", err),
				"%+v":     fmt.Sprintf("%+v", err),
				"%#v":     fmt.Sprintf("%#v", ge),
				"%#v, *":  fmt.Sprintf("%#v", *ge),
				"Body":    string(ge.Body),
			}
			for how, s := range printed {
				assert.NotContains(t, s, echoToken, "%s shows the token", how)
				assert.NotContains(t, s, echoTokenMiddle, "%s shows the token, spelled with escapes", how)
			}
			all := strings.Join([]string{ge.Error(), ge.Code, ge.Message, ge.RequestID, ge.ClientRequestID, ge.Location, string(ge.Body)}, "\n")
			assert.Contains(t, all, "[REDACTED]", "what the server sent is there, the token replaced")
			t.Logf("%s\n%s", ge.Error(), ge.Body)
		})
	}
}

// The token of the request is what is redacted, whatever the token
// source returned before or after: a source that refreshes its token
// between attempts has each attempt's answer redacted with the token
// that attempt sent.
func TestError_RedactsTheTokenOfTheAttemptAnswered(t *testing.T) {
	srv, requests := hostileServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, echoAll(r.Header.Get("Authorization")))
	}))
	n := 0
	tokens := TokenFunc(func(context.Context) (string, error) {
		n++
		return fmt.Sprintf("%s-%d", echoToken, n), nil
	})
	c := hostileClient(t, srv, WithTokenSource(tokens), WithRetry(RetryPolicy{MaxAttempts: 2}))
	_, err := c.GetConnectorGroup(context.Background(), "g-1")
	ge := asError(t, err)
	require.Equal(t, int32(2), requests.Load())
	for _, printed := range []string{ge.Error(), string(ge.Body), fmt.Sprintf("%#v", ge)} {
		assert.NotContains(t, printed, echoTokenMiddle)
	}
	assert.Equal(t, "graph: 503 Echo_[REDACTED]: Access denied for Bearer [REDACTED] (request-id [REDACTED], 2 attempts)", ge.Error())
}

// A server's message with bidi controls and other format characters
// reaches Error() escaped, never as the characters, which would make the
// terminal show the rest of the line reversed or hide part of it.
func TestError_EscapesFormatCharactersFromTheServer(t *testing.T) {
	srv, _ := hostileServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("request-id", "r-\u2066id\u2069")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":{"code":"Not\u200bFound","message":"Resource 'x' does not exist \u202edetacilpmoc si ti\u202c and \ufeffhidden\u200e"}}`)
	}))
	c := hostileClient(t, srv, WithoutRetry())
	_, err := c.GetConnectorGroup(context.Background(), "g-1")
	ge := asError(t, err)
	for how, s := range map[string]string{"Error()": ge.Error(), "%+v": fmt.Sprintf("%+v", err), "Code": ge.Code, "Message": ge.Message, "RequestID": ge.RequestID} {
		assert.False(t, strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cf, r) }), "%s = %q holds a format character", how, s)
	}
	assert.Equal(t, `graph: 404 Not\u200bFound: Resource 'x' does not exist \u202edetacilpmoc si ti\u202c and \ufeffhidden\u200e (request-id r-\u2066id\u2069)`, ge.Error())
}

// A nextLink the client will not follow is quoted in the error without
// the token, should the server have put it there.
func TestPaging_NeverQuotesTheTokenInALink(t *testing.T) {
	srv, _ := hostileServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		writeJSON(w, r, 200, `{"@odata.nextLink":"https://elsewhere.example/beta/x?access_token=`+token+`","value":[]}`)
	}))
	c, err := NewClient(WithBaseURL(srv.URL+"/beta"), WithTokenSource(StaticToken(echoToken)), WithoutRetry())
	require.NoError(t, err)
	_, err = c.ListConnectors(context.Background())
	require.Error(t, err)
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, err), echoTokenMiddle)
	assert.Contains(t, err.Error(), "@odata.nextLink https://elsewhere.example/beta/x?access_token=[REDACTED] is not on")
}
