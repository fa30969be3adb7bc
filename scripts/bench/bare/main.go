// Command bare is make bench's baseline: a plain net/http server that
// answers each of the load test's workloads (scripts/internal/workload)
// with the bytes the fake sends for it (status, Content-Type with Graph's
// media type, OData-Version, request-id and client-request-id, body),
// without validation, state or logging. It records those answers at start,
// by sending each workload's request once to an in-process fake, so that
// it cannot drift from the fake. Anything else is 404.
//
//	go run ./scripts/bench/bare -addr 127.0.0.1:8081
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/scripts/internal/seedgen"
	"github.com/connectorgroups/connectorgroups/scripts/internal/workload"
)

// answer is one recorded response.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "where to listen, as HOST:PORT")
	flag.Parse()

	answers, err := record(*addr)
	if err != nil {
		log.Fatalf("bare: %v", err)
	}
	mux := http.NewServeMux()
	for _, w := range workload.All() {
		a := answers[w.Name]
		// The pattern of the workload's path: its ids, and the slots, are
		// wildcards; the query is not part of a pattern.
		path, _, _ := strings.Cut(w.Path, "?")
		pattern := w.Method + " " + wildcards(path)
		mux.HandleFunc(pattern, func(rw http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			h := rw.Header()
			for k, v := range a.header {
				h[k] = v
			}
			rw.WriteHeader(a.status)
			_, _ = rw.Write(a.body)
		})
	}
	fmt.Fprintf(os.Stdout, "bare: listening on http://%s\n", *addr)
	log.Fatal(http.ListenAndServe(*addr, mux))
}

// record sends each workload's first request to a fake with a small seed
// of seedgen's ids (as the load test's is) and keeps what it answers, but for Date, which net/http
// sets, and Content-Length, which it sets from the body.
func record(host string) (map[string]answer, error) {
	var seedJSON bytes.Buffer
	if err := seedgen.Write(&seedJSON, recordConnectors, 3, false); err != nil {
		return nil, err
	}
	seed, err := fakegraph.LoadSeed(&seedJSON)
	if err != nil {
		return nil, err
	}
	srv, err := fakegraph.New(seed)
	if err != nil {
		return nil, err
	}
	out := make(map[string]answer)
	for i, w := range workload.All() {
		path, body := w.Instance(i, 1) // a connector of its own: each add moves one
		req := httptest.NewRequest(w.Method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+workload.Token)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Host = host // the list's @odata.nextLink names it
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != w.Status {
			return nil, fmt.Errorf("%s: the fake answered %d, not %d: %s", w.Name, rec.Code, w.Status, rec.Body)
		}
		h := rec.Header().Clone()
		h.Del("Date")
		h.Del("Content-Length")
		out[w.Name] = answer{status: rec.Code, header: h, body: rec.Body.Bytes()}
	}
	return out, nil
}

// recordConnectors is enough connectors for a full page of the list
// ($top=100) and one for each add.
const recordConnectors = 200

// wildcards turns each segment of a path that holds an id, or a slot,
// into a ServeMux wildcard, and keeps $ref literal.
func wildcards(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		switch {
		case s == "$ref":
			segs[i] = "{ref}"
		case s == workload.GroupSlot || s == workload.ConnectorSlot || strings.HasPrefix(s, "00000000-"):
			segs[i] = fmt.Sprintf("{id%d}", i)
		}
	}
	return strings.Join(segs, "/")
}
