package fastvalidator_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
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

// BenchmarkPageCheck: the response check of a page of 100 connectors,
// which it reads in place (the benchmark first proves that it does).
func BenchmarkPageCheck(b *testing.B) {
	h := newRespHarness(b)
	var page strings.Builder
	page.WriteString(`{"@odata.context":"https://graph.microsoft.com/beta/$metadata#onPremisesPublishingProfiles('applicationProxy')/connectors","value":[`)
	for i := range 100 {
		if i > 0 {
			page.WriteByte(',')
		}
		fmt.Fprintf(&page, `{"externalIp":"198.51.100.%d","id":"00000000-0000-4000-8000-%012d","machineName":"CONNECTOR-%d.contoso.com","status":"active","version":"1.5.3437.0"}`, i, i, i)
	}
	page.WriteString(`],"@odata.nextLink":"https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors?$top=100&$skiptoken=abc"}`)
	body := []byte(page.String())
	inPlace, reason, found := h.compiled.BodyVerdicts("listConnectors", 200, body)
	if !found || !inPlace || reason != "" {
		b.Fatalf("the page is not checked in place: %v %q %v", inPlace, reason, found)
	}
	b.Run("inPlace", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			h.compiled.Check("listConnectors", "GET", 200, http.Header{"Content-Type": {"application/json"}}, body)
		}
	})
}
