package desired_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// fakeService is the fake Graph on a loopback port, behind a wrapper of
// the test's own that sees every request before the fake does: it counts
// the writes, classifies the PATCHes by their bodies, and, for a PATCH
// that sends a region, reads the group's connectors and applications
// through the state API before the fake gets the request. So a region
// sent to a group that is not empty is caught here whatever the fake
// answers.
type fakeService struct {
	fake *fakegraph.Server
	srv  *httptest.Server
	log  *requestLog

	// beforeWrite, if set, is called with the number of each write (1 for
	// the first) before the fake sees it.
	beforeWrite func(n int64)

	writes   atomic.Int64
	inflight sync.WaitGroup

	mu sync.Mutex
	// regionPatches, clearPatches and renamePatches count the PATCHes
	// that send a region, a region of null, and a name.
	regionPatches, clearPatches, renamePatches int
	// regionOnNonEmpty lists each region PATCH that arrived at a group
	// holding connectors or applications.
	regionOnNonEmpty []string
}

const testToken = "dev-token"

// startFake serves seed on 127.0.0.1 until the test ends; beforeWrite may
// be nil.
func startFake(t *testing.T, seed *fakegraph.Seed, beforeWrite func(n int64), opts ...fakegraph.Option) *fakeService {
	t.Helper()
	s := &fakeService{log: &requestLog{}, beforeWrite: beforeWrite}
	opts = append(opts, fakegraph.WithLogger(slog.New(s.log.handler())))
	fake, err := fakegraph.New(seed, opts...)
	if err != nil {
		t.Fatalf("fakegraph.New: %v", err)
	}
	s.fake = fake
	s.srv = httptest.NewServer(s) // 127.0.0.1
	t.Cleanup(s.srv.Close)
	return s
}

// client is a client of the fake with opts (retries on by default).
func (s *fakeService) client(t *testing.T, opts ...client.Option) *client.Client {
	t.Helper()
	base := []client.Option{
		client.WithBaseURL(s.srv.URL + "/beta"),
		client.WithHTTPClient(s.srv.Client()),
		client.WithTokenSource(client.StaticToken(testToken)),
	}
	c, err := client.NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatalf("client.NewClient: %v", err)
	}
	return c
}

// settle waits until every request the fake has begun is answered and
// logged: a client may read a whole answer before the fake's handler has
// returned and logged it.
func (s *fakeService) settle() { s.inflight.Wait() }

func (s *fakeService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.inflight.Add(1)
	defer s.inflight.Done()
	if r.Method != http.MethodGet {
		n := s.writes.Add(1)
		if s.beforeWrite != nil {
			s.beforeWrite(n)
		}
	}
	if r.Method == http.MethodPatch {
		body, err := io.ReadAll(r.Body)
		if err == nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
			s.inspectPatch(path.Base(r.URL.Path), body)
		}
	}
	s.fake.ServeHTTP(w, r)
}

func (s *fakeService) inspectPatch(groupID string, body []byte) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := fields["name"]; ok {
		s.renamePatches++
	}
	if _, ok := fields["region"]; !ok {
		return
	}
	s.regionPatches++
	if string(fields["region"]) == "null" {
		s.clearPatches++
	}
	members, err := s.fake.Members(groupID)
	if err != nil {
		return // no such group: the fake answers 404, and changes nothing
	}
	apps, err := s.fake.GroupApplications(groupID)
	if err != nil {
		return
	}
	if len(members) > 0 || len(apps) > 0 {
		var what []string
		for _, m := range members {
			what = append(what, "connector "+m.ID)
		}
		for _, a := range apps {
			what = append(what, "application "+a.ID)
		}
		s.regionOnNonEmpty = append(s.regionOnNonEmpty, "PATCH "+string(body)+" to group "+groupID+" holding "+strings.Join(what, ", "))
	}
}

// patchCounts is how many region, clearing and rename PATCHes arrived
// so far.
func (s *fakeService) patchCounts() (region, clear, rename int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.regionPatches, s.clearPatches, s.renamePatches
}

// assertNoRegionOnNonEmpty fails the test for every region PATCH that
// arrived at a group holding connectors or applications.
func (s *fakeService) assertNoRegionOnNonEmpty(t *testing.T) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.regionOnNonEmpty {
		t.Errorf("a region change reached a group that was not empty: %s", v)
	}
}
