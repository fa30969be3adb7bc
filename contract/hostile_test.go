package contract_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Servers that lie about what a create made: verify must touch only what
// it made. Each wraps the real fake and answers the run's create with a
// group that existed before the run. Afterwards the fake's state, read
// through its state API, is as it was; no PATCH or DELETE reached a group
// that existed before the run; and the report says what the server did.

// presentedDefault is the group the last liar calls the default. The fake
// holds it as an ordinary group, so that the DELETE that liar accepts
// really loses it.
const presentedDefault = "5b2e8c41-7d3a-4e96-a0f1-c8d4b6e2a937"

// liar is a server that answers the run's create with an existing group.
type liar struct {
	name string
	// answer is the existing group the create is answered with, as the
	// server serves it (201).
	answer string
	// renames makes the server list that group, from then on, under the
	// name the create asked for, as if the create had renamed it: the
	// cleanup's sweep, which deletes the groups named as this run's, then
	// finds it.
	renames bool
	// presents makes the server call presentedDefault the default group
	// (and the fake's own default not), and delete it, members and all,
	// when asked.
	presents bool
}

func liars() []liar {
	return []liar{
		{name: "a create answered with -group", answer: emptyGroup},
		{name: "a create answered with -group, listed from then on under the new name", answer: emptyGroup, renames: true},
		{name: "a create answered with the default group", answer: defaultGroup},
		{name: "a create answered with the default group, listed from then on under the new name", answer: defaultGroup, renames: true},
		{name: "a create answered with the default group, which the server deletes when asked", answer: presentedDefault, renames: true, presents: true},
	}
}

func (l liar) seed() *fakegraph.Seed {
	seed := fakegraph.DefaultSeed()
	if l.presents {
		seed.ConnectorGroups = append(seed.ConnectorGroups, fakegraph.SeedConnectorGroup{
			ID: presentedDefault, Name: "Default (as the server presents it)", ConnectorGroupType: "applicationProxy", Region: "nam", Members: []string{},
		})
	}
	return seed
}

// theDefault is the group the liar's answers call the default.
func (l liar) theDefault() string {
	if l.presents {
		return presentedDefault
	}
	return defaultGroup
}

// changesSeen records every PATCH and DELETE that reached the server for
// a group in protected, whatever its token.
type changesSeen struct {
	protected []string
	mu        sync.Mutex
	seen      []string
}

func (c *changesSeen) note(r *http.Request) {
	if r.Method != http.MethodPatch && r.Method != http.MethodDelete {
		return
	}
	if id := idAfter(r, "connectorGroups"); slices.Contains(c.protected, strings.ToLower(id)) {
		c.mu.Lock()
		c.seen = append(c.seen, r.Method+" "+r.URL.Path)
		c.mu.Unlock()
	}
}

func (c *changesSeen) list() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.seen)
}

// serve wraps fake as l lies, noting in changes what reached the fake.
func (l liar) serve(fake *fakegraph.Server, changes *changesSeen) http.Handler {
	var mu sync.Mutex
	claimed := map[string]string{} // group → the name the server now gives it
	present := func(g map[string]any) {
		id, _ := g["id"].(string)
		mu.Lock()
		name, renamed := claimed[id]
		mu.Unlock()
		if renamed {
			g["name"] = name
		}
		if l.presents {
			switch id {
			case presentedDefault:
				g["isDefault"] = true
			case defaultGroup:
				g["isDefault"] = false
			}
		}
	}
	var next http.Handler = fake
	presenting := rewrite(func(_ *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
		if rec.Code/100 == 2 {
			editGroups(rec, present)
		}
	})(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		changes.note(r)
		if name, ok := plainCreate(r); ok {
			if l.renames {
				mu.Lock()
				claimed[l.answer] = name
				mu.Unlock()
			}
			answerCreatedWith(w, r, presenting, l.answer)
			return
		}
		if l.presents && opOf(r) == graph.OpDeleteConnectorGroup && withDevToken(r) && idAfter(r, "connectorGroups") == presentedDefault {
			// The fake holds it as an ordinary group: emptied, it goes.
			if g, err := fake.Group(presentedDefault); err == nil {
				for _, c := range g.Members {
					_, _ = fake.MoveConnector(defaultGroup, c)
				}
			}
		}
		presenting.ServeHTTP(w, r)
	})
}

// plainCreate reports whether r is a create the fake would take, a name
// and nothing else with the right token, and the name; r's body stays
// readable.
func plainCreate(r *http.Request) (string, bool) {
	if opOf(r) != graph.OpCreateConnectorGroup || !withDevToken(r) {
		return "", false
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return "", false
	}
	var m map[string]any
	if json.Unmarshal(body, &m) != nil || len(m) != 1 {
		return "", false
	}
	name, ok := m["name"].(string)
	return name, ok && name != ""
}

// answerCreatedWith answers r 201 with the group id as next serves it.
func answerCreatedWith(w http.ResponseWriter, r *http.Request, next http.Handler, id string) {
	get := r.Clone(r.Context())
	get.Method, get.RequestURI, get.Body, get.ContentLength = http.MethodGet, "", http.NoBody, 0
	get.URL.Path, get.URL.RawPath = "/"+graph.Beta+graph.ConnectorGroupPath(id), ""
	get.Header.Del("Content-Type")
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, get)
	for k, v := range rec.Header() {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(rec.Body.Bytes())
}

// editGroups applies edit to the group a body holds, or to each item of
// its value.
func editGroups(rec *httptest.ResponseRecorder, edit func(map[string]any)) {
	var m map[string]any
	if json.Unmarshal(rec.Body.Bytes(), &m) != nil {
		return
	}
	if value, ok := m["value"].([]any); ok {
		for _, item := range value {
			if g, ok := item.(map[string]any); ok {
				edit(g)
			}
		}
	} else if _, ok := m["id"]; ok {
		edit(m)
	}
	setJSON(rec, m)
}

func TestVerifyTouchesOnlyWhatItMade(t *testing.T) {
	for _, l := range liars() {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			fake, err := fakegraph.New(l.seed())
			require.NoError(t, err)
			before := fake.Snapshot()
			changes := &changesSeen{}
			for _, g := range before.Groups {
				changes.protected = append(changes.protected, strings.ToLower(g.ID))
			}
			srv := httptest.NewServer(drainBodies(l.serve(fake, changes)))
			t.Cleanup(srv.Close)

			rep := runChecks(t, fakeTarget(srv))

			var text bytes.Buffer
			require.NoError(t, rep.WriteText(&text, true))
			report := text.String()
			assert.Empty(t, changes.list(), "no PATCH or DELETE reached a group that existed before the run; report:\n%s", report)
			for _, id := range []string{l.answer, emptyGroup, l.theDefault()} {
				was := groupIn(t, before, id)
				now, err := fake.Group(id)
				require.NoError(t, err, "group %s (%s) is still there", id, was.Name)
				assert.Equal(t, was, now, "group %s: its name, region and members", id)
			}
			assert.Equal(t, before, fake.Snapshot(), "the whole state")

			create, _ := rep.Result(contract.CheckStatefulCreate)
			assert.Equal(t, contract.StatusFail, create.Status)
			assert.True(t, strings.HasPrefix(create.Detail, fmt.Sprintf("the server answered the create with the id of group %s (%q), which existed before this run", l.answer, groupIn(t, before, l.answer).Name)), create.Detail)
			assert.Contains(t, create.Detail, ": verify will not change or delete it; POST ")
			if l.answer == l.theDefault() {
				assert.Contains(t, create.Detail, "which existed before this run (the default group): verify will not change or delete it")
			} else {
				assert.NotContains(t, create.Detail, "(the default group)")
			}
			for _, check := range []string{contract.CheckStatefulUpdate, contract.CheckStatefulMove, contract.CheckStatefulDelete} {
				res, _ := rep.Result(check)
				assert.Equal(t, contract.StatusSkip, res.Status, "%s builds on no group: %s", check, res.Detail)
			}
			assert.False(t, rep.OK())

			require.NotNil(t, rep.Cleanup, report)
			assert.Contains(t, rep.Cleanup.Detail, "moved connector "+docConnector+" back to group "+defaultGroup, "its own connector, back where it was")
			if !l.renames {
				assert.Equal(t, contract.StatusPass, rep.Cleanup.Status, rep.Cleanup.Detail)
				assert.Contains(t, rep.Cleanup.Detail, "no group of this run is left")
				return
			}
			// The sweep finds the group under this run's name, and leaves it.
			assert.Equal(t, contract.StatusFail, rep.Cleanup.Status)
			assert.True(t, strings.HasPrefix(rep.Cleanup.Detail, "THE SERVER MAY BE LEFT CHANGED: the server lists group "+l.answer), rep.Cleanup.Detail)
			assert.Contains(t, rep.Cleanup.Detail, "which existed before this run")
			assert.Contains(t, rep.Cleanup.Detail, "under this run's name: verify did not rename it, and will not delete it")
			assert.NotContains(t, rep.Cleanup.Detail, "no group of this run is left")
			assert.Contains(t, rep.Summary(), "CLEANUP FAILED: the server may be left changed")
			assert.Contains(t, report, "not sent: verify's guard refused it: group "+l.answer, "the refusal is in the evidence")
		})
	}
}

// groupIn is the group id in snap.
func groupIn(t *testing.T, snap fakegraph.Snapshot, id string) fakegraph.ConnectorGroup {
	t.Helper()
	i := slices.IndexFunc(snap.Groups, func(g fakegraph.ConnectorGroup) bool { return g.ID == id })
	require.GreaterOrEqual(t, i, 0, "group %s is in the snapshot", id)
	return snap.Groups[i]
}

// A create answered with the id an earlier create of the run got is no
// new group: it fails its check loudly, and the group is deleted once.
// The server takes ignored_auth's create, sent without a token, as if it
// had the dev token; it answers every later create that a fake would take
// with the group that one made.
func TestACreateAnsweredWithAnIDThisRunGotBeforeFailsLoudly(t *testing.T) {
	var (
		mu    sync.Mutex
		first string
	)
	reuse := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if opOf(r) == graph.OpCreateConnectorGroup && r.Header.Get("Authorization") == "" {
				r.Header.Set("Authorization", "Bearer "+devToken)
			}
			if _, ok := plainCreate(r); !ok {
				next.ServeHTTP(w, r)
				return
			}
			mu.Lock()
			made := first
			mu.Unlock()
			if made != "" {
				answerCreatedWith(w, r, next, made)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var g struct{ ID string }
			_ = json.Unmarshal(rec.Body.Bytes(), &g)
			mu.Lock()
			first = g.ID
			mu.Unlock()
			copyRecorded(w, rec)
		})
	}
	srv, fake := startFakeWithState(t, func(*fakegraph.Server) func(http.Handler) http.Handler { return reuse })
	before := fake.Snapshot()

	rep := runChecks(t, fakeTarget(srv))

	var text bytes.Buffer
	require.NoError(t, rep.WriteText(&text, true))
	mu.Lock()
	id := first
	mu.Unlock()
	require.NotEmpty(t, id, "a create reached the fake")
	auth, _ := rep.Result(contract.CheckIgnoredAuth)
	assert.Equal(t, contract.StatusFail, auth.Status, "it took a create without a token")
	create, _ := rep.Result(contract.CheckStatefulCreate)
	assert.Equal(t, contract.StatusFail, create.Status)
	assert.True(t, strings.HasPrefix(create.Detail, "the server answered the create with the id of group "+id+", which an earlier create of this run already got"), create.Detail)
	require.NotNil(t, rep.Cleanup)
	assert.Equal(t, contract.StatusPass, rep.Cleanup.Status, rep.Cleanup.Detail)
	assert.Equal(t, 1, strings.Count(rep.Cleanup.Detail, "deleted group "+id), rep.Cleanup.Detail)
	assert.Equal(t, before, fake.Snapshot(), "report:\n%s", text.String())
}

// noLeftChanged asserts that nothing in a report claims the server is
// left changed, and that a cleanup, if there is one, says there was
// nothing to undo.
func noLeftChanged(t *testing.T, rep contract.Report) {
	t.Helper()
	var text bytes.Buffer
	require.NoError(t, rep.WriteText(&text, true))
	assert.NotContains(t, strings.ToLower(text.String()), "left changed", text.String())
	assert.False(t, rep.CleanupFailed(), text.String())
	if rep.Cleanup != nil {
		assert.Equal(t, contract.StatusPass, rep.Cleanup.Status)
		assert.True(t, strings.HasPrefix(rep.Cleanup.Detail, "nothing to undo: "), rep.Cleanup.Detail)
	}
}

// refuseWrites answers every write 403, as Graph does a token without the
// permission.
func refuseWrites(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		writeGraphError(w, r, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
	})
}

func writeGraphError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set(graph.HeaderRequestID, "7c1a3e52-9b0d-4c6f-8e21-3f5d6a9b0c14")
	w.Header().Set(graph.HeaderClientRequestID, r.Header.Get(graph.HeaderClientRequestID))
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": code, "message": message}})
}

// A cleanup says what is known: when no write was accepted there is
// nothing to undo, and it never says the server is left changed.
func TestACleanupWithNothingAcceptedSaysNothingToUndo(t *testing.T) {
	t.Run("an unreachable server", func(t *testing.T) {
		t.Parallel()
		target := contract.Target{BaseURL: closedURL(t) + "/beta", Token: devToken, Group: emptyGroup, Connector: docConnector,
			HTTPClient: &http.Client{Timeout: testRequestTimeout}}

		rep := runChecks(t, target)

		noLeftChanged(t, rep)
		assert.Nil(t, rep.Cleanup, "no write was sent, so there is no cleanup line")
		assert.Zero(t, rep.Passed)
	})
	t.Run("a server that refuses every write", func(t *testing.T) {
		t.Parallel()
		srv, fake := startFakeWithState(t, func(*fakegraph.Server) func(http.Handler) http.Handler { return refuseWrites })
		before := fake.Snapshot()

		rep := runChecks(t, fakeTarget(srv))

		noLeftChanged(t, rep)
		require.NotNil(t, rep.Cleanup, "the run moved nothing, but it tried")
		assert.Regexp(t, `^nothing to undo: the server accepted none of the \d+ writes this run tried \(\d+ answered 4xx\)$`, rep.Cleanup.Detail)
		assert.Equal(t, before, fake.Snapshot())
	})
	t.Run("a server that refuses the one write, then goes away", func(t *testing.T) {
		t.Parallel()
		var (
			mu   sync.Mutex
			gone bool
		)
		srv, _ := startFakeWithState(t, func(*fakegraph.Server) func(http.Handler) http.Handler {
			return func(next http.Handler) http.Handler {
				refusing := refuseWrites(next)
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					mu.Lock()
					wasGone := gone
					gone = gone || r.Method != http.MethodGet
					mu.Unlock()
					if wasGone {
						writeGraphError(w, r, http.StatusServiceUnavailable, "serviceNotAvailable", "The service is not available.")
						return
					}
					refusing.ServeHTTP(w, r)
				})
			}
		})

		rep := runChecks(t, fakeTarget(srv), contract.CheckPositiveData)

		noLeftChanged(t, rep)
		require.NotNil(t, rep.Cleanup)
		assert.Equal(t, "nothing to undo: the server did not accept the one write this run tried (1 answered 4xx)", rep.Cleanup.Detail)
	})
}

// closedURL is the URL of a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	return url
}
