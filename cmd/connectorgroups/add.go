package main

import (
	"context"
	"flag"
	"io"
	"net/http"

	"github.com/connectorgroups/connectorgroups/client"
)

// addCommand returns the add subcommand sending through rt
// (http.DefaultTransport when nil); tests pass a validating transport.
//
// It moves a connector into a connector group, on today's path by default
// (openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups~1{id}~1members~1$ref/post)
// or, with -doc-path, on the doc page's
// (openapi/connectorgroups.yaml#/paths/~1connectorGroups~1{id}~1members~1$ref/post).
// It prints the connector as it is after the move: the one the service
// sent with the doc's 201, or after today's 204, which has no body, the
// connector read back.
func addCommand(rt http.RoundTripper) func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return addClientCommand.run(rt)
}

var addClientCommand = clientCommand{
	name:     "add",
	synopsis: "-group ID -connector ID [-doc-path]",
	about: []string{
		"Adds a connector to a connector group, which moves it out of the group it was in (a connector is always in exactly one):",
		"POST {base-url}/onPremisesPublishingProfiles/applicationProxy/connectorGroups/{group}/members/$ref,",
		"or with -doc-path the doc page's POST {base-url}/connectorGroups/{group}/members/$ref.",
		"It prints the connector as it is after the move: today's service answers 204 without a body,",
		"so the connector is then read back (GET {base-url}/onPremisesPublishingProfiles/applicationProxy/connectors/{connector}).",
	},
	flags: func(fs *flag.FlagSet) clientCall {
		group := fs.String("group", "", "the connector group's `ID` (required)")
		connector := fs.String("connector", "", "the connector's `ID` (required)")
		docPath := fs.Bool("doc-path", false, "use the doc page's path and link form (connector/{id}), which only the fake serves today")
		return clientCall{
			check: func() []string { return append(required("group", *group), required("connector", *connector)...) },
			options: func() []client.Option {
				if *docPath {
					return []client.Option{client.WithDocPath()}
				}
				return nil
			},
			call: func(ctx context.Context, c *client.Client) (any, error) {
				conn, err := c.AddConnector(ctx, *group, *connector)
				if err != nil {
					return nil, err
				}
				if *conn == (client.Connector{ID: conn.ID}) { // the answer had no body
					return readBackConnector(ctx, c, conn.ID)
				}
				return conn, nil
			},
		}
	},
}
