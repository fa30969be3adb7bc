package fakegraph

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// FuzzLoadSeed feeds any bytes to the seed loader. Invariants: no panic;
// the fast path and the strict one agree (the same seed or the same
// error); and a seed it accepts builds a server (New) whose state holds
// the model's rules: exactly one default group, every seeded connector in
// exactly one group, each group and connector of the seed and no other.
// Its corpus under testdata/fuzz replays in every go test.
func FuzzLoadSeed(f *testing.F) {
	f.Add(defaultSeedJSON)
	for _, s := range []string{
		`{"connectors":[{"id":"c","machineName":"m","externalIp":"192.0.2.1","status":"active"}],` +
			`"connectorGroups":[{"id":"g","name":"G","connectorGroupType":"applicationProxy","isDefault":true,"members":["c"]}],"tokens":{"t":["Directory.ReadWrite.All"]}}`,
		`{"connectors":[],"connectorGroups":[{"id":"g","name":"G","connectorGroupType":"applicationProxy","isDefault":true,"region":null,"members":[]}],"tokens":{}}`,
		`{"connectors":[{"id":"c","machineName":"m","externalIp":"x","status":"active"}],"connectorGroups":[` +
			`{"id":"a","name":"A","connectorGroupType":"applicationProxy","isDefault":true,"members":["c"]},` +
			`{"id":"b","name":"B","connectorGroupType":"applicationProxy","isDefault":false,"members":["c"]}],"tokens":{"t":["x"]}}`,
		// An escape in a connector's id: the fast path must leave it to the strict one.
		`{"connectors":[{"id":"c\u0031","machineName":"m","externalIp":"x","status":"active"}],` +
			`"connectorGroups":[{"id":"g","name":"G","connectorGroupType":"applicationProxy","isDefault":true,"members":["c1"]}],"tokens":{"t":["x"]}}`,
		`{"connectors":[],"connectorGroups":[{"id":"a","name":"A","connectorGroupType":"applicationProxy","isDefault":true},` +
			`{"id":"b","name":"B","connectorGroupType":"applicationProxy","isDefault":true}],"tokens":{"t":["x"]}}`,
		`{"connectors":null,"connectorGroups":null,"tokens":null}`,
		// Applications: publishing indented, null, absent, and of the wrong kind.
		`{"connectors":[],"connectorGroups":[{"id":"g","name":"G","connectorGroupType":"applicationProxy","isDefault":true,"members":[]}],"tokens":{"t":["x"]},` +
			`"applications":[{"id":"a","appId":"p","displayName":"A","onPremisesPublishing": { "externalUrl" : "https://a/" },"connectorGroup":"g"},` +
			`{"id":"b","appId":"q","displayName":"B","onPremisesPublishing":null},{"id":"c","appId":"r","displayName":"C"},` +
			`{"id":"d","appId":"s","displayName":"D","onPremisesPublishing":[1],"connectorGroup":"h"}]}`,
		`{"connectors":[{"id":"c","id":"d"}]}`,
		`null`, `[]`, ``, `{} {}`, "{\"connectors\":[{\"id\":\"\xff\"}]}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		seed, err := LoadSeed(bytes.NewReader(data))
		strict, serr := loadSeedStrict(data)
		if serr == nil {
			if verr := strict.Validate(); verr != nil {
				strict, serr = nil, verr
			}
		}
		if fmt.Sprint(err) != fmt.Sprint(serr) || !reflect.DeepEqual(seed, strict) {
			t.Fatalf("the fast path and the strict one disagree on %q:\nLoadSeed: %#v, %v\nstrict:   %#v, %v", data, seed, err, strict, serr)
		}
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		var opts []Option
		if len(seed.Tokens) == 0 {
			opts = append(opts, WithTrustUnsignedJWT()) // New refuses a seed without tokens otherwise
		}
		srv, err := New(seed, opts...)
		if err != nil {
			t.Fatalf("LoadSeed accepted %q, New refused it: %v", data, err)
		}
		requireModelHolds(t, seed, srv.Snapshot())
	})
}

// requireModelHolds checks a fresh server's state against its seed: the
// seed's groups and connectors, exactly one default group, every connector
// in exactly one group.
func requireModelHolds(t *testing.T, seed *Seed, snap Snapshot) {
	t.Helper()
	if len(snap.Groups) != len(seed.ConnectorGroups) || len(snap.Connectors) != len(seed.Connectors) {
		t.Fatalf("%d groups and %d connectors; the seed has %d and %d", len(snap.Groups), len(snap.Connectors), len(seed.ConnectorGroups), len(seed.Connectors))
	}
	in := make(map[string]int, len(snap.Connectors)) // connector id → how many groups list it
	for _, c := range seed.Connectors {
		in[c.ID] = 0
	}
	defaults := 0
	for _, g := range snap.Groups {
		if g.IsDefault {
			defaults++
		}
		if !slices.IsSorted(g.Members) {
			t.Fatalf("group %q: members not sorted: %q", g.ID, g.Members)
		}
		for _, m := range g.Members {
			n, ok := in[m]
			if !ok {
				t.Fatalf("group %q lists %q, which is no seeded connector", g.ID, m)
			}
			in[m] = n + 1
		}
	}
	if defaults != 1 {
		t.Fatalf("%d default groups, want exactly 1", defaults)
	}
	for id, n := range in {
		if n != 1 {
			t.Fatalf("connector %q is in %d groups, want exactly 1", id, n)
		}
	}
}
