package seedgen

import (
	"bytes"
	"testing"

	"github.com/connectorgroups/connectorgroups/fakegraph"
)

func TestWriteLoads(t *testing.T) {
	for _, spread := range []bool{false, true} {
		var b bytes.Buffer
		if err := Write(&b, 50, 4, spread); err != nil {
			t.Fatal(err)
		}
		seed, err := fakegraph.LoadSeed(&b)
		if err != nil {
			t.Fatalf("spread %v: %v", spread, err)
		}
		if len(seed.Connectors) != 50 || len(seed.ConnectorGroups) != 4 || !seed.ConnectorGroups[0].IsDefault {
			t.Fatalf("spread %v: %d connectors, %d groups", spread, len(seed.Connectors), len(seed.ConnectorGroups))
		}
		srv, err := fakegraph.New(seed)
		if err != nil {
			t.Fatal(err)
		}
		def, err := srv.Group(GroupID(0))
		if err != nil {
			t.Fatal(err)
		}
		want := 50
		if spread {
			want = 13 // connectors 0, 4, …, 48
		}
		if len(def.Members) != want {
			t.Errorf("spread %v: the default group holds %d, want %d", spread, len(def.Members), want)
		}
		if g, err := srv.GroupOf(ConnectorID(49)); err != nil || (spread && g.ID != GroupID(1)) || (!spread && g.ID != GroupID(0)) {
			t.Errorf("spread %v: connector 49 is in %v (%v)", spread, g.ID, err)
		}
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	_ = Write(&a, 20, 3, true)
	_ = Write(&b, 20, 3, true)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes differ")
	}
}
