package desired_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"strings"

	"github.com/connectorgroups/connectorgroups/client"
	"github.com/connectorgroups/connectorgroups/desired"
	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// A file read, planned and applied against the fake with its default
// seed; a second plan finds nothing to do. docs/desired-state.md quotes
// the part between the marks.
func Example() {
	fake, err := fakegraph.New(nil)
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := client.NewClient(client.WithBaseURL(srv.URL+"/beta"), client.WithTokenSource(client.StaticToken("dev-token")))
	if err != nil {
		log.Fatal(err)
	}

	// docs/desired-state.md quotes from here.
	ctx := context.Background()
	f, err := desired.Parse("groups.yaml", strings.NewReader(`connectorGroups:
  - name: Default
    default: true
  - name: Tokyo pilot
    region: asia
    connectors: [CONNECTOR-01.contoso.com]
`))
	if err != nil {
		log.Fatal(err) // a *desired.FileError: each problem as groups.yaml:LINE: message
	}
	plan, err := desired.NewPlan(ctx, c, f, desired.Options{}) // reads only
	if err != nil {
		log.Fatal(err) // a *desired.FileError too for what shows against the service
	}
	if err := plan.Apply(ctx, c, func(ch desired.Change) { fmt.Println("done:", ch) }); err != nil {
		var stopped *desired.ApplyError
		if errors.As(err, &stopped) { // names the change that failed
			log.Fatalf("%v; not tried: %d more", err, len(stopped.NotDone))
		}
		log.Fatal(err)
	}
	again, err := desired.NewPlan(ctx, c, f, desired.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("changes left:", len(again.Changes))
	current, err := desired.Export(ctx, c)
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range current.ConnectorGroups {
		fmt.Println(g.Name, g.Connectors)
	}
	// docs/desired-state.md quotes up to here.

	// Output:
	// done: create group "Tokyo pilot" in region asia
	// done: move connector CONNECTOR-01.contoso.com from "Default" to "Tokyo pilot"
	// changes left: 0
	// Default [CONNECTOR-03.contoso.com]
	// Europe [CONNECTOR-02.contoso.com]
	// North America []
	// Tokyo pilot [CONNECTOR-01.contoso.com]
}
