package fakegraph_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/connectorgroups/connectorgroups/fakegraph"
	"github.com/connectorgroups/connectorgroups/gen/api"
)

// The doc page's example against the fake, in-process. In a test,
// fakegraph.NewTestServer(t, nil) does the first three lines and closes the
// server when the test ends.
func Example() {
	fake, err := fakegraph.New(fakegraph.DefaultSeed())
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodPost,
		srv.URL+"/beta/connectorGroups/4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21/members/$ref",
		strings.NewReader(`{"@odata.id": "https://graph.microsoft.com/beta/connector/d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"}`))
	req.Header.Set("Authorization", "Bearer dev-token")
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.Client().Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()

	var c api.Connector
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		panic(err)
	}
	fmt.Println(resp.Status)
	fmt.Println(c.Id, c.MachineName, c.ExternalIp, c.Status)
	// Output:
	// 201 Created
	// d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30 CONNECTOR-01.contoso.com 203.0.113.10 active
}
