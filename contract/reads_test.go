package contract_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// onList edits the value of op's 200 pages.
func onList(op string, edit func(value []any) []any) func(http.Handler) http.Handler {
	return rewrite(func(r *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
		if opOf(r) == op && rec.Code == http.StatusOK {
			editJSON(func(m map[string]any) {
				value, _ := m["value"].([]any)
				m["value"] = edit(value)
			})(rec)
		}
	})
}

// without drops the items with id.
func without(id string) func([]any) []any {
	return func(value []any) []any {
		var out []any
		for _, item := range value {
			if g, ok := item.(map[string]any); !ok || g["id"] != id {
				out = append(out, item)
			}
		}
		return out
	}
}

// read_acceptance judges what the reads say about the model, not only
// their statuses: each fault here is well formed on the wire.
func TestReadAcceptanceJudgesTheModel(t *testing.T) {
	tests := []struct {
		name string
		wrap func(http.Handler) http.Handler
		want string
	}{
		{"two default groups", onList(graph.OpListConnectorGroups, func(value []any) []any {
			for _, item := range value {
				item.(map[string]any)["isDefault"] = true
			}
			return value
		}), "groups have isDefault true"},
		{"Group is not listed", onList(graph.OpListConnectorGroups, without(emptyGroup)), "group " + emptyGroup + " is not listed"},
		{"Connector is not listed", onList(graph.OpListConnectors, without(docConnector)), "connector " + docConnector + " is not listed"},
		{"memberOf's group does not list the connector", onList(graph.OpListConnectorGroupMembers, without(docConnector)), "whose members do not list connector"},
		{"memberOf names two groups", onList(graph.OpListConnectorMemberOf, func(value []any) []any { return append(value, value...) }), "memberOf names 2 groups"},
		{"an unknown id is found", rewrite(func(r *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
			if opOf(r) == graph.OpGetConnector && idAfter(r, "connectors") != docConnector {
				rec.Code = http.StatusOK
				setJSON(rec, map[string]any{"id": idAfter(r, "connectors"), "machineName": "m", "externalIp": "203.0.113.1", "status": "active"})
			}
		}), "get a connector no object is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startFake(t, tt.wrap)

			rep := runChecks(t, fakeTarget(srv), contract.CheckReads)

			res, _ := rep.Result(contract.CheckReads)
			assert.Equal(t, contract.StatusFail, res.Status)
			var all string
			for _, e := range res.Evidence {
				all += e.String() + "\n"
			}
			assert.Contains(t, all, tt.want)
		})
	}
}
