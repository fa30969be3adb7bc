package fakegraph

import "sync"

// A success body is appended into a buffer that goes back to a pool once
// the body is written: a page of 100 connectors is 15 KB, and allocating
// it anew for every request made the garbage collector, marking a seed's
// heap again and again, a fifth of a list's cost in a profile.
// Nothing keeps a body after response.write: net/http, the response
// checker and test recorders copy what they are given.

// maxPooledBody bounds what the pool keeps, so that one huge page does
// not stay in memory for good.
const maxPooledBody = 256 << 10

var bodyBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// bodyBuffer is an empty buffer of at least size bytes, from the pool.
func bodyBuffer(size int) *[]byte {
	p := bodyBuffers.Get().(*[]byte)
	if cap(*p) < size {
		*p = make([]byte, 0, size)
	}
	*p = (*p)[:0]
	return p
}

// pooledSuccess is successBytes of the body appended into buf (from
// bodyBuffer), which goes back to the pool once the body is written.
func pooledSuccess(status int, buf *[]byte, body []byte) response {
	*buf = body // append may have grown it
	r := successBytes(status, body)
	r.pooled = buf
	return r
}

// release gives the buffer back; r's body must not be read after it.
func (r response) release() {
	if r.pooled != nil && cap(*r.pooled) <= maxPooledBody {
		bodyBuffers.Put(r.pooled)
	}
}
