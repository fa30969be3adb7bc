package contract_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Every body the contract suite reads is bounded after decompression: a
// server that sends 64 MiB, or a gzip bomb, ends the read with a clear
// error that names the operation, and the reader holds no more than the
// bound. These tests measure memory, not time, so they run alone (no
// t.Parallel): another test's allocations would count.

const (
	hugeBodyBytes    = 64 << 20      // the streamed JSON
	bombInflated     = 1<<30 + 1<<20 // what the gzip bomb inflates to: over 1 GiB
	bombMemberZeros  = 1 << 20       // zeros per gzip member of the bomb
	allocBound       = 40 << 20      // what one over-bound read may allocate in all
	listingPageBytes = 7 << 19       // 3.5 MiB, one page of the endless list
)

// writeJSONHeaders sets what a Graph answer carries.
func writeJSONHeaders(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("OData-Version", "4.0")
	w.Header().Set(graph.HeaderRequestID, "7c1a3e52-9b0d-4c6f-8e21-3f5d6a9b0c14")
	w.Header().Set(graph.HeaderClientRequestID, r.Header.Get(graph.HeaderClientRequestID))
}

// streamHugeList answers with a collection of groups of hugeBodyBytes,
// written a chunk at a time and never held whole; it stops when the
// client hangs up.
func streamHugeList(w http.ResponseWriter, r *http.Request) {
	writeJSONHeaders(w, r)
	w.WriteHeader(http.StatusOK)
	item := `{"id":"4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21","name":"North America","connectorGroupType":"applicationProxy","isDefault":false,"region":"nam"},`
	chunk := []byte(strings.Repeat(item, (64<<10)/len(item)))
	if _, err := io.WriteString(w, `{"value":[`); err != nil {
		return
	}
	for written := 0; written < hugeBodyBytes; written += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
	_, _ = io.WriteString(w, strings.TrimSuffix(item, ",")+`]}`)
}

// gzipBomb is a gzip member that inflates to bombMemberZeros zero bytes,
// made by streaming zeros through gzip.Writer. Go's gzip reader reads
// concatenated members as one stream, so the bomb is this member sent
// again and again: a server that compressed 1 GiB for each request would
// spend a minute on it under the race detector.
var gzipBomb = sync.OnceValue(func() []byte {
	var member bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zeros := make([]byte, 64<<10)
	for n := 0; n < bombMemberZeros; n += len(zeros) {
		_, _ = gz.Write(zeros)
	}
	_ = gz.Close()
	return member.Bytes()
})

// streamGzipBomb answers with Content-Encoding gzip and a body of about
// 1 MB that inflates to bombInflated bytes: the start of a collection,
// then zeros.
func streamGzipBomb(w http.ResponseWriter, r *http.Request) {
	writeJSONHeaders(w, r)
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(http.StatusOK)
	gz := gzip.NewWriter(w)
	_, _ = io.WriteString(gz, `{"value":[{"name":"`)
	if gz.Close() != nil {
		return
	}
	member := gzipBomb()
	for n := 0; n < bombInflated; n += bombMemberZeros {
		if _, err := w.Write(member); err != nil {
			return
		}
	}
}

// allocated is how many bytes f allocated, on every goroutine.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestTheTransportReadsNoMoreThanItsBoundOfABody(t *testing.T) {
	assert.Less(t, len(gzipBomb())*(bombInflated/bombMemberZeros), 2<<20, "the bomb is small on the wire")
	for _, tt := range []struct {
		name  string
		serve http.HandlerFunc
	}{
		{"64 MiB of JSON, streamed", streamHugeList},
		{"a gzip bomb that inflates to over 1 GiB", streamGzipBomb},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.serve)
			t.Cleanup(srv.Close)
			var seen []contract.Exchange
			tr := newTransport(t, srv.Client().Transport, contract.WithOnExchange(func(ex contract.Exchange) { seen = append(seen, ex) }))
			client := &http.Client{Transport: tr, Timeout: testRequestTimeout}
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/beta"+graph.ConnectorGroupsPath(), nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+devToken)

			var resp *http.Response
			alloc := allocated(func() { resp, err = client.Do(req) })

			require.Error(t, err)
			assert.Nil(t, resp)
			tooLarge, ok := errors.AsType[*graph.TooLargeError](err)
			require.True(t, ok, "%v", err)
			assert.EqualValues(t, graph.MaxResponseBytes, tooLarge.Limit)
			assert.Contains(t, err.Error(), fmt.Sprintf("contract: the response to listConnectorGroups (GET /beta%s) is larger than %d bytes, the most this program reads", graph.ConnectorGroupsPath(), graph.MaxResponseBytes))
			assert.NotContains(t, err.Error(), devToken)
			t.Logf("the round trip allocated %.1f MiB in all", float64(alloc)/(1<<20))
			assert.Less(t, alloc, uint64(allocBound), "the read allocated %d MiB", alloc>>20)
			require.Len(t, seen, 1)
			assert.Equal(t, http.StatusOK, seen[0].Status, "the status came")
			assert.Empty(t, seen[0].ResponseBody, "no part of the body is kept")
		})
	}
}

// A request body past the bound is not sent: the error says whose it was.
func TestTheTransportSendsNoRequestBodyPastItsBound(t *testing.T) {
	srv, seen := stub(t, stubResponse{status: http.StatusCreated, body: connectorJSON})
	client := &http.Client{Transport: newTransport(t, srv.Client().Transport), Timeout: testRequestTimeout}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/beta"+graph.ConnectorGroupsPath(), io.LimitReader(zeroReader{}, graph.MaxResponseBytes+1))
	require.NoError(t, err)

	_, err = client.Do(req)

	require.Error(t, err)
	_, ok := errors.AsType[*graph.TooLargeError](err)
	assert.True(t, ok, "%v", err)
	assert.Contains(t, err.Error(), "the request body of createConnectorGroup (POST /beta"+graph.ConnectorGroupsPath()+") is larger than")
	assert.Empty(t, seen(), "nothing was sent")
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// verify against a server whose every list of groups is a bomb: the
// record of what exists cannot be read, so nothing is written, and the
// reports say why, naming the operation.
func TestVerifyAgainstBombsSaysSoAndWritesNothing(t *testing.T) {
	for _, tt := range []struct {
		name  string
		serve http.HandlerFunc
	}{
		{"64 MiB of JSON, streamed", streamHugeList},
		{"a gzip bomb that inflates to over 1 GiB", streamGzipBomb},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, fake := startFakeWithState(t, func(*fakegraph.Server) func(http.Handler) http.Handler {
				return func(next http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						if opOf(r) == graph.OpListConnectorGroups {
							tt.serve(w, r)
							return
						}
						next.ServeHTTP(w, r)
					})
				}
			})
			before := fake.Snapshot()

			rep := runChecks(t, fakeTarget(srv))

			var text bytes.Buffer
			require.NoError(t, rep.WriteText(&text, true))
			tooLarge := fmt.Sprintf("the response to listConnectorGroups (GET /beta%s) is larger than %d bytes, the most this program reads", graph.ConnectorGroupsPath(), graph.MaxResponseBytes)
			reads, _ := rep.Result(contract.CheckReads)
			assert.Equal(t, contract.StatusFail, reads.Status)
			assert.Contains(t, reads.Detail, tooLarge)
			negative, _ := rep.Result(contract.CheckNegativeData)
			assert.Contains(t, negative.Detail, "every group that exists, recorded before the first write", negative.Detail)
			assert.Contains(t, negative.Detail, tooLarge)
			assert.Contains(t, negative.Detail, "were not sent: verify sends no write before it has read every group that exists")
			noLeftChanged(t, rep)
			require.NotNil(t, rep.Cleanup, "the connector's group was read, so its move back was pushed")
			assert.Regexp(t, `^nothing to undo: the server accepted none of the \d+ writes this run tried \(\d+ not sent: refused by verify's guard, or the server could not be reached\)$`, rep.Cleanup.Detail)
			assert.Equal(t, before, fake.Snapshot())
		})
	}
}

// A list whose pages are each within the bound but never end is read to
// maxListingBytes, not to maxPages pages of 4 MiB.
func TestVerifyReadsABoundedListing(t *testing.T) {
	var mu sync.Mutex
	pages := 0
	srv := startFake(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if opOf(r) != graph.OpListConnectorGroups {
				next.ServeHTTP(w, r)
				return
			}
			mu.Lock()
			pages++
			n := pages
			mu.Unlock()
			writeJSONHeaders(w, r)
			w.WriteHeader(http.StatusOK)
			link := "http://" + r.Host + r.URL.Path + "?page=" + strconv.Itoa(n+1)
			_, _ = fmt.Fprintf(w, `{"value":[{"id":"%08d-0000-4000-8000-000000000000","name":"%s","connectorGroupType":"applicationProxy","isDefault":false,"region":"nam"}],"@odata.nextLink":%q}`,
				n, strings.Repeat("x", listingPageBytes), link)
		})
	})

	rep := runChecks(t, fakeTarget(srv), contract.CheckReads)

	reads, _ := rep.Result(contract.CheckReads)
	assert.Equal(t, contract.StatusFail, reads.Status)
	assert.Contains(t, reads.Detail, "more than the 16777216 this program reads of one list, and there are more")
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 5, pages, "16 MiB is passed on the fifth page of 3.5 MiB, and the walk stops there")
}
