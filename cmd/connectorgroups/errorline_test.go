package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A server's error with bidi controls and other format characters (in
// its code, its message, the ids and the headers -v logs) reaches the
// terminal escaped, never as the characters: a right-to-left override
// would show the rest of the line reversed. The error line and the -v
// log alike.
func TestErrorLineEscapesFormatCharacters(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "r-\u2066id\u2069")
		w.Header().Set("client-request-id", "\u200fc-1")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":{"code":"Request_\u200bResourceNotFound","message":"Resource 'g-1' does not exist \u202edetacilpmoc si ti\u202c \ufeff.","innerError":{"request-id":"r-\u2067"}}}`)
	}))
	defer srv.Close()

	code, stdout, stderr := runCmd(t, context.Background(), "group", "get", "-id", "g-1", "-v", "-token", "t", "-base-url", srv.URL+"/beta")
	require.Equal(t, exitFailure, code, "stdout %s stderr %s", stdout, stderr)
	for i, line := range strings.Split(stderr, "\n") {
		assert.False(t, strings.ContainsFunc(line, func(r rune) bool { return unicode.Is(unicode.Cf, r) }), "line %d holds a format character: %q", i, line)
	}
	assert.Contains(t, stderr, `error: Request_\u200bResourceNotFound: Resource 'g-1' does not exist \u202edetacilpmoc si ti\u202c \ufeff. (status 404, request-id r-\u2067)`)
	assert.Contains(t, stderr, `request-id=r-\u2066id\u2069 client-request-id=\u200fc-1`, "the -v log")
}
