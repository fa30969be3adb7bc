package fakegraph

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The benchmarks drive the fake's http.Handler in-process for every
// operation, each next to a bare handler that answers the same status,
// headers and bytes, so that the ratio fake/bare is what the fake's
// pipeline (ids, auth, validation, the model) costs over net/http's own
// handling of a request and a recorder. Each iteration's request succeeds:
// the adds alternate a connector between two groups.

const benchToday = "/beta/onPremisesPublishingProfiles/applicationProxy"

// benchCase is one operation: step sends the i-th request(s) to h.
type benchCase struct {
	name string
	step func(b *testing.B, h http.Handler, i int)
}

// benchDo sends one request and fails the benchmark on an unexpected status.
func benchDo(b *testing.B, h http.Handler, method, target, body string, want int) []byte {
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, target, nil)
	} else {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	}
	r.Header.Set("Authorization", "Bearer dev-token")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != want {
		b.Fatalf("%s %s: status %d, want %d: %s", method, target, w.Code, want, w.Body.String())
	}
	return w.Body.Bytes()
}

func benchCases() []benchCase {
	groups := [2]string{emptyGroupID, europeGroupID}
	todayConnector := func(id string) string {
		return "https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors/" + id
	}
	todayGroup := func(id string) string {
		return "https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/" + id
	}
	return []benchCase{
		{"docAdd201", func(b *testing.B, h http.Handler, i int) {
			benchDo(b, h, http.MethodPost, membersPath("/beta", groups[i%2]), refBody(docRef(docConnectorID)), http.StatusCreated)
		}},
		{"todayAdd204", func(b *testing.B, h http.Handler, i int) {
			benchDo(b, h, http.MethodPost, benchToday+"/connectorGroups/"+groups[i%2]+"/members/$ref", refBody(todayConnector(docConnectorID)), http.StatusNoContent)
		}},
		{"memberOfRef204", func(b *testing.B, h http.Handler, i int) {
			benchDo(b, h, http.MethodPost, benchToday+"/connectors/"+docConnectorID+"/memberOf/$ref", refBody(todayGroup(groups[i%2])), http.StatusNoContent)
		}},
		{"createDelete", func(b *testing.B, h http.Handler, i int) {
			body := benchDo(b, h, http.MethodPost, benchToday+"/connectorGroups", `{"name":"bench `+strconv.Itoa(i)+`","region":"eur"}`, http.StatusOK)
			_, rest, _ := bytes.Cut(body, []byte(`"id":"`))
			id, _, _ := bytes.Cut(rest, []byte(`"`))
			benchDo(b, h, http.MethodDelete, benchToday+"/connectorGroups/"+string(id), "", http.StatusNoContent)
		}},
		{"patch204", func(b *testing.B, h http.Handler, i int) {
			benchDo(b, h, http.MethodPatch, benchToday+"/connectorGroups/"+emptyGroupID, `{"name":"renamed `+strconv.Itoa(i%2)+`"}`, http.StatusNoContent)
		}},
		{"getGroup", func(b *testing.B, h http.Handler, i int) {
			benchDo(b, h, http.MethodGet, benchToday+"/connectorGroups/"+europeGroupID, "", http.StatusOK)
		}},
		{"getConnector", func(b *testing.B, h http.Handler, i int) {
			benchDo(b, h, http.MethodGet, benchToday+"/connectors/"+europeMember, "", http.StatusOK)
		}},
		{"listGroupsTop2", func(b *testing.B, h http.Handler, i int) {
			benchDo(b, h, http.MethodGet, benchToday+"/connectorGroups?$top=2", "", http.StatusOK)
		}},
		{"listConnectors", func(b *testing.B, h http.Handler, i int) {
			benchDo(b, h, http.MethodGet, benchToday+"/connectors", "", http.StatusOK)
		}},
		{"listMembers", func(b *testing.B, h http.Handler, i int) {
			benchDo(b, h, http.MethodGet, benchToday+"/connectorGroups/"+europeGroupID+"/members?$top=5", "", http.StatusOK)
		}},
		{"listMemberOf", func(b *testing.B, h http.Handler, i int) {
			benchDo(b, h, http.MethodGet, benchToday+"/connectors/"+europeMember+"/memberOf", "", http.StatusOK)
		}},
	}
}

// bareHandler answers every request with the answers the fake gave to
// the first ones, replayed in order: the same status, headers and body,
// with none of the fake's work.
type bareHandler struct {
	answers []*httptest.ResponseRecorder
	n       int
}

func (h *bareHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a := h.answers[h.n%len(h.answers)]
	h.n++
	hd := w.Header()
	for k, v := range a.Header() {
		hd[k] = v
	}
	w.WriteHeader(a.Code)
	_, _ = w.Write(a.Body.Bytes())
}

// recordingHandler keeps every answer of next.
type recordingHandler struct {
	next    http.Handler
	answers []*httptest.ResponseRecorder
}

func (h *recordingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	h.next.ServeHTTP(rec, r)
	h.answers = append(h.answers, rec)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func BenchmarkOperations(b *testing.B) {
	for _, tc := range benchCases() {
		// The bare handler replays what a fresh fake answered to two
		// iterations (the adds alternate between two answers).
		srv, err := New(nil)
		if err != nil {
			b.Fatal(err)
		}
		rec := &recordingHandler{next: srv}
		tc.step(b, rec, 0)
		tc.step(b, rec, 1)
		bare := &bareHandler{answers: rec.answers}
		b.Run(tc.name+"/bare", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				tc.step(b, bare, i)
			}
		})
		for _, mode := range benchModes() {
			b.Run(tc.name+"/"+mode.name, func(b *testing.B) {
				srv, err := New(nil, mode.opts...)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					tc.step(b, srv, i)
				}
			})
		}
	}
}

// benchMode is one configuration of the fake to measure.
type benchMode struct {
	name string
	opts []Option
}

func benchModes() []benchMode {
	return []benchMode{
		{name: "fake"},
		{name: "fakeRespValid", opts: []Option{WithResponseValidation()}},
	}
}

// BenchmarkListPageOf100 is the load test's list workload in-process: a
// page of 100 connectors from a seed of 1,000, in each mode.
func BenchmarkListPageOf100(b *testing.B) {
	seed := DefaultSeed()
	for i := range 1000 {
		seed.Connectors = append(seed.Connectors, SeedConnector{
			ID: "00000000-0000-4000-8000-" + strconv.FormatInt(1e11+int64(i), 10)[:12], MachineName: "CONNECTOR-" + strconv.Itoa(i) + ".contoso.com",
			ExternalIP: "198.51.100." + strconv.Itoa(i%256), Status: "active", Version: "1.5.3437.0",
		})
	}
	target := benchToday + "/connectors?$top=100"
	for _, mode := range benchModes() {
		b.Run(mode.name, func(b *testing.B) {
			srv, err := New(seed, mode.opts...)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				benchDo(b, srv, http.MethodGet, target, "", http.StatusOK)
			}
		})
	}
}

// BenchmarkLargestGroupPage is the most a client can make the fake build:
// $top=999 over 999 groups whose names are as long as the spec allows, of
// a character escaped as 6 bytes (TestLargestPageFitsWhatReadersTake). It
// reports the body's bytes.
func BenchmarkLargestGroupPage(b *testing.B) {
	seed := largestPageSeed()
	target := benchToday + "/connectorGroups?$top=" + strconv.Itoa(graph.MaxPageSize)
	for _, mode := range benchModes() {
		b.Run(mode.name, func(b *testing.B) {
			srv, err := New(seed, mode.opts...)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var size int
			for b.Loop() {
				size = len(benchDo(b, srv, http.MethodGet, target, "", http.StatusOK))
			}
			b.ReportMetric(float64(size), "body-bytes")
		})
	}
}
