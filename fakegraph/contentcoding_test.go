package fakegraph

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// gzipped compresses s as Microsoft's SDKs do (kiota-http-go's
// CompressionHandler: gzip.NewWriter, default level).
func gzipped(t testing.TB, s string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.String()
}

// gzipCall is c with its body gzip-compressed, as the SDK sends it.
func gzipCall(t testing.TB, c call) call {
	t.Helper()
	c.body = gzipped(t, c.body)
	c.header = map[string]string{"Content-Encoding": "gzip"}
	return c
}

// Every operation that takes a body reads a gzipped one as the JSON it
// holds, and changes the state as the plain body would.
func TestGzipBodiesAreReadByEveryOperation(t *testing.T) {
	s, srv := newServer(t, nil)

	// The doc's operation.
	moved := requireCreated(t, send(t, srv, gzipCall(t, docCall(emptyGroupID, inactiveConnID))))
	assert.Equal(t, inactiveConnID, moved.Id)
	assert.Equal(t, []string{inactiveConnID}, memberIDs(t, s, emptyGroupID))

	// create, rename, members/$ref and memberOf/$ref.
	created := send(t, srv, gzipCall(t, apiCall(http.MethodPost, ap+"/connectorGroups", `{"name":"Gzip group","region":"eur"}`)))
	requireSuccess(t, created, http.StatusOK)
	group := decodeAs[struct{ ID, Name, Region string }](t, created)
	assert.Equal(t, "Gzip group", group.Name)
	assert.Equal(t, "eur", group.Region)

	requireSuccess(t, send(t, srv, gzipCall(t, apiCall(http.MethodPatch, ap+"/connectorGroups/"+group.ID, `{"name":"Renamed"}`))), http.StatusNoContent)
	g, err := s.Group(group.ID)
	require.NoError(t, err)
	assert.Equal(t, "Renamed", g.Name)

	link := graph.ConnectorLinkAt(srv.URL+"/beta", europeMember)
	requireSuccess(t, send(t, srv, gzipCall(t, apiCall(http.MethodPost, ap+"/connectorGroups/"+group.ID+"/members/$ref", refBody(link)))), http.StatusNoContent)
	assert.Equal(t, []string{europeMember}, memberIDs(t, s, group.ID))

	groupLink := graph.ConnectorGroupLinkAt(srv.URL+"/beta", europeGroupID)
	requireSuccess(t, send(t, srv, gzipCall(t, apiCall(http.MethodPost, ap+"/connectors/"+europeMember+"/memberOf/$ref", refBody(groupLink)))), http.StatusNoContent)
	assert.Equal(t, []string{europeMember}, memberIDs(t, s, europeGroupID))
	assert.Empty(t, memberIDs(t, s, group.ID))

	// Codings that say gzip in other words.
	for _, coding := range []string{"GZIP", "x-gzip", "gzip, identity", " gzip ,"} {
		c := gzipCall(t, apiCall(http.MethodPatch, ap+"/connectorGroups/"+group.ID, `{"name":"`+strings.TrimSpace(coding)+`"}`))
		c.header["Content-Encoding"] = coding
		requireSuccess(t, send(t, srv, c), http.StatusNoContent)
		g, err := s.Group(group.ID)
		require.NoError(t, err)
		assert.Equal(t, strings.TrimSpace(coding), g.Name, "Content-Encoding %q", coding)
	}

	// "identity" is no coding: the body is plain JSON.
	plain := apiCall(http.MethodPatch, ap+"/connectorGroups/"+group.ID, `{"name":"Identity"}`)
	plain.header = map[string]string{"Content-Encoding": "identity"}
	requireSuccess(t, send(t, srv, plain), http.StatusNoContent)

	// A read with gzip named and no body is a read.
	get := apiCall(http.MethodGet, ap+"/connectorGroups/"+group.ID, "")
	get.header = map[string]string{"Content-Encoding": "gzip"}
	requireSuccess(t, send(t, srv, get), http.StatusOK)
}

// Any coding the fake cannot undo is 415 with Accept-Encoding: gzip, on
// any operation, and changes nothing.
func TestOtherContentCodingsAre415(t *testing.T) {
	body := `{"name":"Never made"}`
	tests := []struct {
		name     string
		encoding []string // one header line each
		body     string
	}{
		{"deflate", []string{"deflate"}, body},
		{"br", []string{"br"}, body},
		{"compress", []string{"compress"}, body},
		{"x-compress", []string{"x-compress"}, body},
		{"zstd", []string{"zstd"}, body},
		{"unknown", []string{"squash"}, body},
		{"gzip twice, in one line", []string{"gzip, gzip"}, gzipped(t, gzipped(t, body))},
		{"gzip twice, in two lines", []string{"gzip", "x-gzip"}, gzipped(t, gzipped(t, body))},
		{"gzip, then another", []string{"gzip, br"}, gzipped(t, body)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			before := s.Snapshot()
			c := apiCall(http.MethodPost, ap+"/connectorGroups", tt.body)
			ex, err := roundTripWith(srv, c, func(h http.Header) { h[graph.HeaderContentEncoding] = tt.encoding })
			require.NoError(t, err)
			requireSpecValid(t, ex)
			requireGraphError(t, ex, http.StatusUnsupportedMediaType, "UnsupportedMediaType",
				"The content encoding '"+strings.Join(tt.encoding, ", ")+"' is not supported; send the body uncompressed or with Content-Encoding: gzip.")
			assert.Equal(t, "gzip", ex.header.Get("Accept-Encoding"))
			assert.Equal(t, before, s.Snapshot(), "a refused body changes nothing")
		})
	}

	// Whatever the method: the coding is judged before routing.
	_, srv := newServer(t, nil)
	get := apiCall(http.MethodGet, ap+"/connectorGroups", "")
	get.header = map[string]string{"Content-Encoding": "br"}
	requireGraphError(t, send(t, srv, get), http.StatusUnsupportedMediaType, "UnsupportedMediaType", "")
}

// roundTripWith is roundTrip with the request's headers changed last, for
// headers that call cannot hold (one name on several lines).
func roundTripWith(srv *httptest.Server, c call, edit func(http.Header)) (exchange, error) {
	var ex exchange
	transport := srv.Client().Transport
	client := &http.Client{Transport: roundTripperFunc(func(r *http.Request) (*http.Response, error) {
		edit(r.Header)
		return transport.RoundTrip(r)
	})}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, c.method, srv.URL+c.path, strings.NewReader(c.body))
	if err != nil {
		return ex, err
	}
	req.Header.Set("Content-Type", c.contentType)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := client.Do(req)
	if err != nil {
		return ex, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return exchange{req: req, status: resp.StatusCode, header: resp.Header, body: body}, err
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A gzip stream that does not inflate is a body the fake cannot read:
// Graph's 400, and nothing changes.
func TestCorruptGzipIsAnUnreadableBody(t *testing.T) {
	valid := gzipped(t, `{"name":"Never made"}`)
	badChecksum := []byte(valid)
	badChecksum[len(badChecksum)-8] ^= 0xff // the CRC-32 of the trailer
	tests := map[string]string{
		"plain JSON":           `{"name":"Never made"}`,
		"cut short":            valid[:len(valid)-5],
		"a wrong checksum":     string(badChecksum),
		"garbage after it":     valid + "garbage!!",
		"a broken deflate":     valid[:10] + "\xff\xff\xff\xff" + valid[14:],
		"a header only, short": "\x1f\x8b\x08",
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			before := s.Snapshot()
			c := apiCall(http.MethodPost, ap+"/connectorGroups", body)
			c.header = map[string]string{"Content-Encoding": "gzip"}
			requireGraphError(t, send(t, srv, c), http.StatusBadRequest, "BadRequest", msgUnreadableJSON)
			assert.Equal(t, before, s.Snapshot())
		})
	}

	// A stream that inflates to nothing is an empty body.
	_, srv := newServer(t, nil)
	c := gzipCall(t, apiCall(http.MethodPost, ap+"/connectorGroups", ""))
	c.contentType = "application/json"
	requireGraphError(t, send(t, srv, c), http.StatusBadRequest, "BadRequest", msgEmptyPayload)
}

// The 1 MiB limit counts the inflated bytes: a small gzip body that
// inflates past it is 413, as the plain body is; one that inflates to
// exactly the limit is read.
func TestGzipBodyLimitCountsInflatedBytes(t *testing.T) {
	valid := `{"name":"At the limit"}`
	atLimit := valid + strings.Repeat(" ", MaxBodyBytes-len(valid))
	s, srv := newServer(t, nil)

	small := gzipCall(t, apiCall(http.MethodPost, ap+"/connectorGroups", atLimit+" "))
	require.Less(t, len(small.body), 4096, "a small body on the wire")
	requireGraphError(t, send(t, srv, small), http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
		"The request body is larger than the limit of 1048576 bytes.")

	ex := send(t, srv, gzipCall(t, apiCall(http.MethodPost, ap+"/connectorGroups", atLimit)))
	requireSuccess(t, ex, http.StatusOK)
	assert.Equal(t, "At the limit", decodeAs[struct{ Name string }](t, ex).Name)
	assert.Len(t, s.Groups(), 4)

	// Past the limit as sent: incompressible bytes, declared too large.
	noise := make([]byte, MaxBodyBytes+1)
	for i := range noise {
		noise[i] = byte(i*7919 + i>>8*31)
	}
	big := apiCall(http.MethodPost, ap+"/connectorGroups", string(noise))
	big.header = map[string]string{"Content-Encoding": "gzip"}
	requireGraphError(t, send(t, srv, big), http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "")

	// Past the limit as sent, of unknown length, inflating to nothing:
	// empty gzip members, one after another, which RFC 1952 allows. Only
	// the bound on the wire ends it.
	empty := gzipped(t, "")
	members := strings.Repeat(empty, MaxBodyBytes/len(empty)+1)
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, ap+"/connectorGroups", io.MultiReader(strings.NewReader(members)))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set("Authorization", "Bearer dev-token")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, "body: %s", rec.Body)
	assert.Len(t, s.Groups(), 4)
}

// A gzip bomb, streamed: a gigabyte of zeros, compressed as it is sent,
// costs the fake what a plain body just over the limit costs (the limit's
// worth of memory, about twice over as its buffer grows) and a 413, and
// the fake stops reading it long before its end.
func TestGzipBombCostsAtMostTheLimit(t *testing.T) {
	const bombSize = 1 << 30 // inflated: 1024 times MaxBodyBytes
	s, err := New(nil)
	require.NoError(t, err)

	// The yardstick: a plain body of unknown length, one byte over.
	plain, _ := servedAllocating(t, s, "", func(w io.Writer) error {
		_, err := w.Write(make([]byte, MaxBodyBytes+1))
		return err
	})

	// The compressor's own state is made before the measurement: what
	// is measured is the fake's reading.
	zw := gzip.NewWriter(io.Discard)
	require.NoError(t, zw.Flush())
	var inflatedSent int64
	zeros := make([]byte, 64<<10)
	bomb, rec := servedAllocating(t, s, "gzip", func(w io.Writer) error {
		zw.Reset(w)
		for inflatedSent < bombSize {
			if _, err := zw.Write(zeros); err != nil {
				return err // the fake stopped reading
			}
			inflatedSent += int64(len(zeros))
		}
		return zw.Close()
	})

	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, "body: %s", rec.Body)
	t.Logf("a %d-byte bomb: %d bytes inflated before the fake stopped reading; %d bytes allocated while it was served, %d for a plain body of %d bytes",
		bombSize, inflatedSent, bomb, plain, MaxBodyBytes+1)
	assert.Less(t, bomb, plain+256<<10, "a bomb costs what a plain body at the limit costs, and the inflater")
	// About 2.2 MB, or twice that with the race detector, which makes
	// the allocator hold more; the bomb inflates to 1024 times the limit.
	assert.Less(t, bomb, uint64(8*MaxBodyBytes), "memory is bounded by the limit, not by the bomb")
	assert.Less(t, inflatedSent, int64(16*MaxBodyBytes), "the fake stopped reading near the limit")
}

// servedAllocating serves a create whose body write streams, of unknown
// length, with Content-Encoding coding (none when ""), and returns the
// bytes allocated while the fake served it (runtime.MemStats.TotalAlloc:
// everything allocated, so an upper bound of what was held at once).
func servedAllocating(t *testing.T, s *Server, coding string, write func(io.Writer) error) (uint64, *httptest.ResponseRecorder) {
	t.Helper()
	wire, feed := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		feed.CloseWithError(write(feed))
	}()
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, ap+"/connectorGroups", wire)
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer dev-token")
	if coding != "" {
		req.Header.Set("Content-Encoding", coding)
	}
	rec := httptest.NewRecorder()

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s.ServeHTTP(rec, req)
	runtime.ReadMemStats(&after)
	_ = wire.CloseWithError(io.ErrClosedPipe) // ends the writer
	<-done
	return after.TotalAlloc - before.TotalAlloc, rec
}
