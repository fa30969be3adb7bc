package fakegraph

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A handler that panics mid-move gets Graph's 500, and the panic's log
// line (its value and stack) and the request log hold neither the token
// that made the request nor one the fake refused: a log is read by more
// people than the tokens are meant for.
func TestPanicLogNeverHoldsTheToken(t *testing.T) {
	seeded, unknown := "sentinel-"+rand.Text(), "sentinel-"+rand.Text()
	seed := DefaultSeed()
	seed.Tokens[seeded] = []string{"Directory.ReadWrite.All"}
	var log bytes.Buffer // the handler runs on this goroutine: no lock needed
	s, err := New(seed, WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	require.NoError(t, err)
	s.store.testHookBeforeInsert = func() {
		var m map[string]int
		//lint:ignore SA5000 the panic is the point: a runtime error, as a bug would make
		m["x"]++
	}

	answers := map[string]*httptest.ResponseRecorder{}
	for name, token := range map[string]string{"seeded (panics)": seeded, "unknown (401)": unknown} {
		req := httptest.NewRequest(http.MethodPost, membersPath("/beta", emptyGroupID), strings.NewReader(refBody(docRef(docConnectorID))))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		answers[name] = rec
	}
	require.Equal(t, http.StatusInternalServerError, answers["seeded (panics)"].Code, answers["seeded (panics)"].Body.String())
	require.Equal(t, http.StatusUnauthorized, answers["unknown (401)"].Code)
	require.Contains(t, log.String(), "assignment to entry in nil map", "the panic is logged, with its value")
	require.Contains(t, log.String(), "goroutine", "and its stack")

	outputs := map[string]string{"log": log.String()}
	for name, rec := range answers {
		outputs[name] = fmt.Sprintf("%v\n%s", rec.Header(), rec.Body)
	}
	for name, text := range outputs {
		for _, tok := range []string{seeded, unknown} {
			assert.NotContains(t, text, strings.TrimPrefix(tok, "sentinel-"), "%s holds a token", name)
		}
	}
}
