package fakegraph

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync/atomic"
)

// requestIDSource makes request-ids: version-4-shaped UUIDs, as Graph's
// are GUIDs, each unique in the process, without a crypto/rand read per
// request. A request-id is a correlation id, not a secret: nothing is
// authorised by it and nothing needs it unguessable, only distinct, so a
// counter will do. The first half is random per process, so that two
// fakes (or two runs) do not repeat each other's ids; the second is the
// counter passed through a bijection on 62 bits (an odd multiplier, then
// a random mask), so that ids do not read as a sequence but stay distinct
// for 2^62 requests.
type requestIDSource struct {
	prefix [8]byte
	mask   uint64
	n      atomic.Uint64
}

// requestIDMultiplier is odd, so multiplying by it is a bijection mod 2^62.
const requestIDMultiplier = 0x9E3779B97F4A7C15

var requestIDGen = newRequestIDSource()

func newRequestIDSource() *requestIDSource {
	var seed [16]byte
	_, _ = rand.Read(seed[:]) // crypto/rand.Read never fails (Go 1.24+)
	s := &requestIDSource{mask: binary.BigEndian.Uint64(seed[8:])}
	copy(s.prefix[:], seed[:8])
	s.prefix[6] = s.prefix[6]&0x0f | 0x40 // version 4
	return s
}

// next returns a fresh id in the 8-4-4-4-12 form.
func (s *requestIDSource) next() string {
	const low62 = 1<<62 - 1
	v := (s.n.Add(1)*requestIDMultiplier ^ s.mask) & low62
	var raw [16]byte
	copy(raw[:8], s.prefix[:])
	binary.BigEndian.PutUint64(raw[8:], v|0x8000000000000000) // variant 10
	var out [36]byte
	hex.Encode(out[0:8], raw[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], raw[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], raw[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], raw[8:10])
	out[23] = '-'
	hex.Encode(out[24:], raw[10:])
	return string(out[:])
}
