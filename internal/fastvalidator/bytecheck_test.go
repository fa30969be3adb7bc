package fastvalidator_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// assertInPlaceSure fails when the in-place check accepts a body that the
// reference reading refuses; it returns both verdicts.
func (h *respHarness) assertInPlaceSure(t testing.TB, c RespCase) (inPlace, referenceOK, found bool) {
	t.Helper()
	inPlace, reason, found := h.compiled.BodyVerdicts(c.Op, c.Status, c.Body)
	if inPlace && reason != "" {
		t.Fatalf("%v: the in-place check accepts a body the reference refuses: %s", c, reason)
	}
	return inPlace, reason == "", found
}

// TestInPlaceCheckIsSure: on the generated and mutated answers of every
// operation, and the real Graph corpus, the in-place check never accepts
// what the reference refuses, and it takes most of what the reference
// accepts (else it would be sure by never answering).
func TestInPlaceCheckIsSure(t *testing.T) {
	h := newRespHarness(t)
	valid, took := 0, 0
	for i, op := range h.ops {
		g := &respGen{h: h, r: rand.New(rand.NewPCG(uint64(i)+9, 9))}
		for range 2000 {
			inPlace, ok, found := h.assertInPlaceSure(t, g.next(op))
			if found && ok {
				valid++
				if inPlace {
					took++
				}
			}
		}
	}
	t.Logf("%d bodies valid, %d of them checked in place", valid, took)
	assert.Greater(t, valid, 2000)
	assert.Greater(t, took, valid*8/10, "bodies checked in place")
}

// FuzzInPlaceCheckIsSure: any body, as any operation's answer at any
// status it declares.
func FuzzInPlaceCheckIsSure(f *testing.F) {
	h := newRespHarness(f)
	g := &respGen{h: h, r: rand.New(rand.NewPCG(1, 2))}
	for i := range 40 {
		c := g.next(h.ops[i%len(h.ops)])
		f.Add(uint8(i%len(h.ops)), uint16(c.Status), c.Body)
	}
	f.Fuzz(func(t *testing.T, op uint8, status uint16, body []byte) {
		o := h.ops[int(op)%len(h.ops)]
		h.assertInPlaceSure(t, RespCase{Op: o.id, Method: o.method, Path: respPath(o), Status: int(status), Body: body})
	})
}
