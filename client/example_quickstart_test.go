package client_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"os"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// Example_quickstart is the program README.md shows: the README's main is
// the part between the two "README.md quotes" lines, word for word, and
// TestREADMEQuotesExampleQuickstart fails when they drift apart. Here the
// fake runs in-process, and GRAPH_BASE_URL names it, as the quickstart
// exports it for `make serve`.
func Example_quickstart() {
	fake, err := fakegraph.New(nil)
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	defer setenv("GRAPH_BASE_URL", srv.URL+"/beta")()
	defer setenv("GRAPH_TOKEN", "dev-token")()

	// README.md quotes from here.
	ctx := context.Background()
	// The fake that `make serve` starts, unless GRAPH_BASE_URL names another server.
	c, err := client.NewClient(
		client.WithBaseURL(cmp.Or(os.Getenv("GRAPH_BASE_URL"), "http://127.0.0.1:8080/beta")),
		client.WithTokenSource(client.StaticToken(cmp.Or(os.Getenv("GRAPH_TOKEN"), "dev-token"))),
	)
	if err != nil {
		log.Fatal(err)
	}
	group, err := c.CreateConnectorGroup(ctx, client.NewConnectorGroup{Name: "Tokyo pilot", Region: client.RegionAsia})
	if err != nil {
		log.Fatal(err)
	}
	// A connector is always in exactly one group, so adding it to this one
	// moves it out of the group it was in.
	const connector01 = "d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"
	if _, err := c.AddConnector(ctx, group.ID, connector01); err != nil && !errors.Is(err, client.ErrAlreadyMember) {
		log.Fatal(err)
	}
	members, err := c.ListMembers(ctx, group.ID) // every page, or an error
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range members {
		fmt.Printf("%s (%s) holds %s\n", group.Name, group.Region, m.MachineName)
	}
	// README.md quotes up to here.

	// Output:
	// Tokyo pilot (asia) holds CONNECTOR-01.contoso.com
}

// setenv sets an environment variable for an example and returns what
// puts it back.
func setenv(key, value string) func() {
	old, had := os.LookupEnv(key)
	os.Setenv(key, value)
	return func() {
		if had {
			os.Setenv(key, old)
		} else {
			os.Unsetenv(key)
		}
	}
}
