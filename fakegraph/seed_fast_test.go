package fakegraph

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// LoadSeed's fast path (plainConnectors) and its strict one agree on
// every input: the same seed, or the same error. Random seeds, mostly
// near the plain form, each one's connectors a mix of plain and not.
func TestLoadSeedFastPathAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	keys := []string{`"id"`, `"machineName"`, `"externalIp"`, `"status"`, `"version"`, `"ID"`, `"Status"`, `"x"`, `"i\u0064"`}
	vals := []string{`"a"`, `"b c"`, `"\u00e9"`, `"é"`, `"a\"b"`, `null`, `1`, `true`, `"\t"`, "\"\xff\"", `""`, `[]`, `{}`, `"~"`, "\"\x7f\"", `"active"`, `"inactive"`, `"{"`}
	ws := []string{"", " ", "\n\t"}
	tails := []string{`,"connectorGroups":[{"id":"g","name":"G","connectorGroupType":"applicationProxy","isDefault":true,"region":"nam","members":[]}],"tokens":{"t":["x"]}}`,
		`,"connectorGroups":[{"id":"g","name":"G","connectorGroupType":"applicationProxy","isDefault":true,"region":"nam","members":["a"]}],"tokens":{"t":["x"]}}`,
		`,"tokens":5}`, `}`, `} x`, `,"Connectors":[]}`, `,"extra":1}`}
	heads := []string{`{"connectors":`, ` {"connectors":`, `{"tokens":1,"connectors":`, `{"CONNECTORS":`}
	fast := 0
	for n := 0; n < 20000; n++ {
		var b bytes.Buffer
		b.WriteString(heads[r.IntN(len(heads))])
		if r.IntN(20) == 0 {
			b.WriteString("null")
		} else {
			b.WriteString("[")
			for e := range r.IntN(3) {
				if e > 0 {
					b.WriteString(",")
				}
				if r.IntN(15) == 0 {
					b.WriteString("null")
					continue
				}
				b.WriteString(ws[r.IntN(3)] + "{")
				for f := range r.IntN(5) {
					if f > 0 {
						b.WriteString(",")
					}
					b.WriteString(ws[r.IntN(3)] + keys[r.IntN(len(keys))] + ws[r.IntN(3)] + ":" + ws[r.IntN(3)] + vals[r.IntN(len(vals))] + ws[r.IntN(3)])
				}
				b.WriteString("}" + ws[r.IntN(3)])
			}
			b.WriteString(`]`)
		}
		b.WriteString(tails[r.IntN(len(tails))])
		data := b.Bytes()
		s1, e1 := loadSeedStrict(data)
		if e1 == nil {
			if err := s1.Validate(); err != nil {
				s1, e1 = nil, err
			}
		}
		s2, e2 := LoadSeed(bytes.NewReader(data))
		if _, ok := loadSeedFast(data); ok {
			fast++
		}
		if fmt.Sprint(e1) != fmt.Sprint(e2) || !reflect.DeepEqual(s1, s2) {
			t.Fatalf("%s\nstrict: %#v %v\nnew:    %#v %v", data, s1, e1, s2, e2)
		}
	}
	if fast < 1000 {
		t.Errorf("only %d of 20000 took the fast path: the test no longer tests it", fast)
	}
}
