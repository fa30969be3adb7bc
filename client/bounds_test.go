package client

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/har"
)

// Hostile servers against the client's bounds: a body streamed without
// end, a gzip bomb, and a list of endless pages each near the bound. Each
// test asserts the error the bound ends in, and that the client allocated
// far less than the server would have made it hold. The servers are on
// loopback, stop writing when the client hangs up, and never send more
// than hostileBytes.

const (
	// hostileBytes is what a hostile server sends if it is let: 1 GiB,
	// after decompression. It is never held by the test either: the servers
	// write it in chunks from one buffer.
	hostileBytes = 1<<30 + 1<<20 // just over 1 GiB
	// allocBound is the most one call may allocate against a hostile
	// server: a sixteenth of what the server would send.
	allocBound = hostileBytes / 16
	chunkBytes = 64 << 10
)

// allocatedDuring is how many bytes of heap f allocated, every goroutine
// counted. TotalAlloc only grows, so no garbage collection can hide an
// allocation, and the count does not depend on timing.
func allocatedDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// writeFiller writes n bytes of fill to w, in chunks of one reused
// buffer, and stops when the client hangs up: at the first write that
// fails, or when ctx, the request's, is done.
func writeFiller(ctx context.Context, w io.Writer, n int64, fill byte) {
	buf := bytes.Repeat([]byte{fill}, chunkBytes)
	for n > 0 && ctx.Err() == nil {
		k := min(n, int64(len(buf)))
		if _, err := w.Write(buf[:k]); err != nil {
			return
		}
		n -= k
	}
}

// hostileBody is a handler that answers status with a body of n bytes:
// plain, the start of a JSON object whose name never ends; or, with
// gzipped, a gzip bomb, n zero bytes streamed through gzip.Writer, which
// a few hundred KiB on the wire inflate back to.
func hostileBody(status int, n int64, gzipped bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", graph.ContentTypeEntity)
		if !gzipped {
			w.WriteHeader(status)
			prefix := `{"id":"g-1","name":"`
			io.WriteString(w, prefix)
			writeFiller(r.Context(), w, n-int64(len(prefix)), 'x')
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(status)
		zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
		writeFiller(r.Context(), zw, n, 0)
		zw.Close()
	}
}

// hostileServer serves h on 127.0.0.1 and counts its requests.
func hostileServer(t *testing.T, h http.Handler) (srv *httptest.Server, requests *atomic.Int32) {
	t.Helper()
	requests = new(atomic.Int32)
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, requests
}

// hostileClient is a client of srv with the default retry policy, on a
// clock that never waits, so that a retry would show as a second request.
func hostileClient(t *testing.T, srv *httptest.Server, opts ...Option) *Client {
	t.Helper()
	base := []Option{
		WithBaseURL(srv.URL + "/beta"),
		WithTokenSource(StaticToken(testToken)),
		withClock(newFakeClock(), func() float64 { return 0.5 }),
	}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// One response is read to graph.MaxResponseBytes, after decompression, and
// no further: past it the call ends in an error that wraps a
// *TooLargeError and names the request, it is not retried (a 500 would
// be, were it readable), and the client allocates a small part of the
// hostile body. With a Recorder the bound is the same, and the recorder
// keeps no part of the body.
func TestBounds_OneResponse(t *testing.T) {
	for _, tc := range []struct {
		name     string
		status   int
		gzipped  bool
		recorder bool
	}{
		{"a streamed body", 200, false, false},
		{"a gzip bomb", 200, true, false},
		{"a streamed 500", 500, false, false},
		{"a gzip bomb of a 500", 500, true, false},
		{"a streamed body, recorded", 200, false, true},
		{"a gzip bomb, recorded", 200, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, requests := hostileServer(t, hostileBody(tc.status, hostileBytes, tc.gzipped))
			var opts []Option
			rec := NewRecorder()
			if tc.recorder {
				opts = append(opts, WithRecorder(rec))
			}
			c := hostileClient(t, srv, opts...)

			var (
				got *ConnectorGroup
				err error
			)
			allocated := allocatedDuring(func() { got, err = c.GetConnectorGroup(context.Background(), "g-1") })
			t.Logf("allocated %d MiB against a %d MiB body", allocated>>20, hostileBytes>>20)
			require.Less(t, allocated, uint64(allocBound), "bytes allocated against a %d-byte body", hostileBytes)

			var tooLarge *TooLargeError
			require.ErrorAs(t, err, &tooLarge)
			assert.Nil(t, got)
			assert.Equal(t, int64(graph.MaxResponseBytes), tooLarge.Limit)
			assert.Equal(t, fmt.Sprintf("client: the %d %s response to GET %s/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/g-1 is larger than 4194304 bytes, the most this program reads; not retried, since a retry would read the same",
				tc.status, http.StatusText(tc.status), srv.URL), err.Error())
			assert.Equal(t, int32(1), requests.Load(), "not retried")

			if tc.recorder {
				entries := recorded(t, rec)
				require.Len(t, entries, 1)
				content := entries[0].Response.Content
				assert.False(t, content.TextRecorded, "no part of the body is recorded")
				assert.Equal(t, "the body is larger than 4194304 bytes, the most the recorder keeps of one; not recorded", entries[0].Response.Comment)
			}
		})
	}
}

// A list's pages together are read to WithMaxListBytes: past it the call
// ends in an error that says how many pages and bytes were read and that
// none of the list is returned, and the client allocates a small part of
// what an endless list of pages near the per-response bound would make it
// hold. Plain pages and gzip pages (each a few KiB inflating to almost
// 4 MiB) alike.
func TestBounds_ListTotal(t *testing.T) {
	const (
		pageBytes   = graph.MaxResponseBytes - 1<<10 // near the bound of one response
		listBound   = 16 << 20                       // four such pages; a fifth is over
		hostilePage = 256                            // pages the server would send: 1 GiB
		// listAllocBound is the most the call may allocate: a fifth of
		// what the server would send.
		listAllocBound = hostilePage * pageBytes / 5
	)
	for _, gzipped := range []bool{false, true} {
		t.Run(fmt.Sprintf("gzip %v", gzipped), func(t *testing.T) {
			var url string
			path := appProxy + "/connectorGroups"
			var page atomic.Int32
			srv, requests := hostileServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := page.Add(1)
				next := ""
				if n < hostilePage {
					next = fmt.Sprintf(`"@odata.nextLink":"%s%s?$skiptoken=p%d",`, url, path, n+1)
				}
				start := fmt.Sprintf(`{%s"value":[{"id":"g-%d","name":"`, next, n)
				const end = `"}]}`
				w.Header().Set("Content-Type", graph.ContentTypeEntity)
				var out io.Writer = w
				if gzipped {
					w.Header().Set("Content-Encoding", "gzip")
					zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
					defer zw.Close()
					out = zw
				}
				io.WriteString(out, start)
				writeFiller(r.Context(), out, int64(pageBytes-len(start)-len(end)), 'x')
				io.WriteString(out, end)
			}))
			url = srv.URL
			c := hostileClient(t, srv, WithMaxListBytes(listBound))

			var (
				groups []ConnectorGroup
				err    error
			)
			allocated := allocatedDuring(func() { groups, err = c.ListConnectorGroups(context.Background()) })
			t.Logf("allocated %d MiB against %d pages of %d KiB", allocated>>20, hostilePage, pageBytes>>10)
			// Five pages are read and four decoded, each read and decode
			// allocating a few times its size: about 120 MiB.
			require.Less(t, allocated, uint64(listAllocBound), "bytes allocated against a list of %d pages of %d bytes", hostilePage, pageBytes)

			var tooLarge *TooLargeError
			require.ErrorAs(t, err, &tooLarge)
			assert.Nil(t, groups, "no part of the list")
			assert.Equal(t, int64(listBound), tooLarge.Limit)
			assert.Equal(t, fmt.Sprintf("client: the list of connector groups, %d bytes in its first 5 pages, is larger than %d bytes, the most this program reads; the list is not returned in part (WithMaxListBytes sets the bound)",
				5*pageBytes, listBound), err.Error())
			assert.Equal(t, int32(5), requests.Load())
		})
	}
}

// The list bound's default and its option's checks.
func TestWithMaxListBytes(t *testing.T) {
	c, err := NewClient(WithTokenSource(StaticToken("t")))
	require.NoError(t, err)
	assert.Equal(t, int64(64<<20), c.maxListBytes, "the documented default")
	c, err = NewClient(WithTokenSource(StaticToken("t")), WithMaxListBytes(1))
	require.NoError(t, err)
	assert.Equal(t, int64(1), c.maxListBytes)
	for _, n := range []int64{0, -1} {
		_, err := NewClient(WithTokenSource(StaticToken("t")), WithMaxListBytes(n))
		assert.ErrorContains(t, err, "is not a positive number of bytes")
	}
}

// A Recorder holds each body it records once: the entry's text is the
// body the caller reads, not a copy. The live heap, measured after a
// collection, grows by about the body (and its buffer's spare room, under
// a quarter) while the response waits unread, not by twice the body.
func TestRecorder_HoldsEachBodyOnce(t *testing.T) {
	const size = 3 << 20
	srv, _ := hostileServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `"`)
		writeFiller(r.Context(), w, size-2, 'x') // chunked: the recorder cannot know the length ahead
		io.WriteString(w, `"`)
	}))
	rec := NewRecorder()
	hc := &http.Client{Transport: rec.RoundTripper(srv.Client().Transport)}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	resp, err := hc.Get(srv.URL + "/beta/x")
	require.NoError(t, err)
	runtime.GC()
	runtime.ReadMemStats(&after)
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("held %d KiB for a %d KiB body", held>>10, size>>10)
	assert.Less(t, held, int64(size+size/2), "the body is held once, not twice")

	n, err := io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, int64(size), n, "the caller reads the body whole")
	entries := recorded(t, rec)
	require.Len(t, entries, 1)
	assert.Len(t, entries[0].Response.Content.Text, size)
	runtime.KeepAlive(rec)
}

// Through Recorder.RoundTripper, any caller gets a body too large to
// record whole and unchanged, a request body too, and the entry says why
// it has no text.
func TestRecorder_PassesOnBodiesTooLargeToRecord(t *testing.T) {
	const size = graph.MaxResponseBytes + 3<<20 + 5
	pattern := func(i int64) byte { return byte('a' + i%23) }
	fill := func(w io.Writer) {
		buf := make([]byte, chunkBytes)
		for off := int64(0); off < size; off += int64(len(buf)) {
			k := min(int64(len(buf)), size-off)
			for i := range k {
				buf[i] = pattern(off + i)
			}
			if _, err := w.Write(buf[:k]); err != nil {
				return
			}
		}
	}
	check := func(r io.Reader) (n int64, intact bool) {
		buf := make([]byte, chunkBytes)
		intact = true
		for {
			k, err := r.Read(buf)
			for i := range k {
				intact = intact && buf[i] == pattern(n+int64(i))
			}
			n += int64(k)
			if err != nil {
				return n, intact
			}
		}
	}
	var serverGot int64
	var serverIntact bool
	srv, _ := hostileServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serverGot, serverIntact = check(r.Body)
		fill(w)
	}))
	rec := NewRecorder()
	hc := &http.Client{Transport: rec.RoundTripper(srv.Client().Transport)}
	pr, pw := io.Pipe()
	go func() { fill(pw); pw.Close() }()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/beta/x", pr)
	require.NoError(t, err)
	resp, err := hc.Do(req)
	require.NoError(t, err)
	n, intact := check(resp.Body)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, int64(size), n, "the caller gets every byte")
	assert.True(t, intact, "in order")
	assert.Equal(t, int64(size), serverGot, "the server gets every byte of the request")
	assert.True(t, serverIntact)

	entries := recorded(t, rec)
	require.Len(t, entries, 1)
	e := entries[0]
	const comment = "the body is larger than 4194304 bytes, the most the recorder keeps of one; not recorded"
	assert.True(t, e.Request.PostData == nil, "no request body is recorded")
	assert.Equal(t, int64(-1), e.Request.BodySize)
	assert.Equal(t, comment, e.Request.Comment)
	assert.False(t, e.Response.Content.TextRecorded)
	assert.Equal(t, comment, e.Response.Comment)
}

// recorded writes rec's HAR and reads it back.
func recorded(t *testing.T, rec *Recorder) []har.Entry {
	t.Helper()
	var buf strings.Builder
	_, err := rec.WriteTo(&buf)
	require.NoError(t, err)
	f, err := har.Read(strings.NewReader(buf.String()), har.DefaultMaxBytes)
	require.NoError(t, err)
	return f.Log.Entries
}
