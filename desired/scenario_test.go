package desired_test

import (
	"encoding/json"

	"github.com/connectorgroups/connectorgroups/desired"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// The rich scenario of the fault tests: a tenant and a file (applied with
// Prune) whose plan has every kind of change: a create with a region, a
// rename of the default group, moves of connectors and applications, a
// region change of a group the moves empty, moves into it after, and the
// prune of two groups, one of them holding a connector and an
// application the file does not list.
const (
	scDefault = "0c5e7a93-6d2f-4b18-9e40-a3f1c8d2b765"
	scEurope  = "9e7c3a58-2b1d-4f60-8a94-c5e0d7b2f316"
	scAsia    = "3b0d9c2e-7f41-4a58-9c6e-1d2f3a4b5c6d"
	scOld     = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d"
	scSpare   = "1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a0b"
	scSync    = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"

	scConn1 = "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"
	scConn2 = "6c0e2b7d-91a4-4f38-b5d2-0a7e3c9f1e64"
	scConn3 = "0b9d4e21-5a7c-4c86-9e3f-d1a2b6c8f057"
	scConn4 = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
	scConn5 = "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
	scConn6 = "c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f"
	scConn7 = "d4e5f6a7-b8c9-4d0e-9f2a-3b4c5d6e7f80"

	scApp1 = "5f0e2a71-3b9c-4d84-a6e1-8c2d7f4b9a10" // published, assigned to none: reports the default group
	scApp2 = "3d8b6f0a-c2e4-4a91-b7d5-1e6f9c3a2b84" // in Europe
	scApp3 = "8e7d6c5b-4a39-4281-9f0e-d1c2b3a49586" // in Old
	scApp4 = "2c1b0a99-8877-4665-9544-332211009988" // not published
	scApp5 = "4d3c2b1a-0f9e-48d7-a6b5-c4d3e2f1a0b9" // in Asia
	scApp6 = "6f5e4d3c-2b1a-4098-b7c6-d5e4f3a2b1c0" // in Old, listed nowhere
)

func scenarioSeed() *fakegraph.Seed {
	conn := func(id, host string) fakegraph.SeedConnector {
		return fakegraph.SeedConnector{ID: id, MachineName: host, ExternalIP: "203.0.113.7", Status: "active"}
	}
	group := func(id, name, region string, members ...string) fakegraph.SeedConnectorGroup {
		return fakegraph.SeedConnectorGroup{ID: id, Name: name, ConnectorGroupType: "applicationProxy", Region: region, Members: members}
	}
	published := json.RawMessage(`{"externalUrl":"https://app-contoso.msappproxy.net/","internalUrl":"http://app.contoso.local/"}`)
	app := func(id, appID, name, group string) fakegraph.SeedApplication {
		return fakegraph.SeedApplication{ID: id, AppID: appID, DisplayName: name, OnPremisesPublishing: published, ConnectorGroup: group}
	}
	def := group(scDefault, "Default", "nam", scConn1, scConn2)
	def.IsDefault = true
	sync := group(scSync, "AD Sync Fabric", "", scConn6)
	sync.ConnectorGroupType = "syncFabric"
	return &fakegraph.Seed{
		Tokens: map[string][]string{testToken: {"Directory.ReadWrite.All"}},
		Connectors: []fakegraph.SeedConnector{
			conn(scConn1, "host01.contoso.com"), conn(scConn2, "host02.contoso.com"), conn(scConn3, "host03.contoso.com"),
			conn(scConn4, "host04.contoso.com"), conn(scConn5, "host05.contoso.com"), conn(scConn6, "host06.contoso.com"),
			conn(scConn7, "host07.contoso.com"),
		},
		ConnectorGroups: []fakegraph.SeedConnectorGroup{
			def,
			group(scEurope, "Europe", "eur", scConn3),
			group(scAsia, "Asia", "asia", scConn4),
			group(scOld, "Old", "", scConn5, scConn7),
			group(scSpare, "Spare", "aus"),
			sync,
		},
		Applications: []fakegraph.SeedApplication{
			app(scApp1, "11111111-1111-4111-8111-111111111111", "Expenses", ""),
			app(scApp2, "22222222-2222-4222-8222-222222222222", "Intranet", scEurope),
			app(scApp3, "33333333-3333-4333-8333-333333333333", "Wiki", scOld),
			{ID: scApp4, AppID: "44444444-4444-4444-8444-444444444444", DisplayName: "Not published"},
			app(scApp5, "55555555-5555-4555-8555-555555555555", "Tickets", scAsia),
			app(scApp6, "66666666-6666-4666-8666-666666666666", "Old portal", scOld),
		},
	}
}

func scenarioFile() *desired.File {
	region := func(s string) *string { return &s }
	return &desired.File{ConnectorGroups: []desired.Group{
		{Name: "Main", Default: true, Connectors: []string{scConn1}, Applications: []string{scApp1}},
		{Name: "Europe", Region: region("ind"), Connectors: []string{"host02.contoso.com"}},
		{Name: "Web", Region: region("eur"), Connectors: []string{scConn3}, Applications: []string{scApp2}},
		{Name: "Asia", Connectors: []string{scConn4, "host05.contoso.com"}, Applications: []string{scApp5, scApp3}},
	}}
}

// scenarioActions are the changes the scenario's plan must hold, by kind.
var scenarioActions = map[desired.Action]int{
	desired.CreateGroup:     1, // Web
	desired.RenameGroup:     1, // Default → Main
	desired.MoveConnector:   4, // conn3 → Web, conn5 → Asia, conn2 → Europe, conn7 → default (prune)
	desired.MoveApplication: 3, // app2 → Web, app3 → Asia, app6 → default (prune)
	desired.SetRegion:       1, // Europe eur → ind
	desired.DeleteGroup:     2, // Old, Spare
}
