package main

import (
	"context"
	"flag"

	"github.com/connectorgroups/connectorgroups/client"
)

// The connector commands: connectors lists them, connector get prints one,
// and memberof prints the one group a connector is in
// (openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectors).

var connectorsCommand = clientCommand{
	name:  "connectors",
	about: []string{"Lists every connector, following @odata.nextLink to the last page: GET {base-url}/onPremisesPublishingProfiles/applicationProxy/connectors."},
	flags: func(*flag.FlagSet) clientCall {
		return clientCall{call: func(ctx context.Context, c *client.Client) (any, error) { return c.ListConnectors(ctx) }}
	},
}

var connectorGetCommand = clientCommand{
	name:     "connector get",
	synopsis: "-id ID",
	summary:  "prints one connector",
	about:    []string{"Prints one connector: GET {base-url}/onPremisesPublishingProfiles/applicationProxy/connectors/{id}."},
	flags: func(fs *flag.FlagSet) clientCall {
		id := fs.String("id", "", "the connector's `ID` (required)")
		return clientCall{check: func() []string { return required("id", *id) },
			call: func(ctx context.Context, c *client.Client) (any, error) { return c.GetConnector(ctx, *id) }}
	},
}

// connectorCommands are connector's subcommands.
var connectorCommands = []clientCommand{connectorGetCommand}

var memberOfCommand = clientCommand{
	name:     "memberof",
	synopsis: "-connector ID",
	about: []string{
		"Prints the connector group a connector is in: GET {base-url}/onPremisesPublishingProfiles/applicationProxy/connectors/{connector}/memberOf.",
		"A connector is always in exactly one group.",
	},
	flags: func(fs *flag.FlagSet) clientCall {
		connector := fs.String("connector", "", "the connector's `ID` (required)")
		return clientCall{check: func() []string { return required("connector", *connector) },
			call: func(ctx context.Context, c *client.Client) (any, error) {
				return c.GetConnectorGroupOf(ctx, *connector)
			}}
	},
}

var moveCommand = clientCommand{
	name:     "move",
	synopsis: "-connector ID -group ID",
	about: []string{
		"Moves a connector into a connector group from the connector's side, the same move as add:",
		"POST {base-url}/onPremisesPublishingProfiles/applicationProxy/connectors/{connector}/memberOf/$ref",
		"with a link to the group. The service answers 204 without a body, so the connector is",
		"then read back (GET {base-url}/onPremisesPublishingProfiles/applicationProxy/connectors/{connector})",
		"and printed as it is after the move.",
	},
	flags: func(fs *flag.FlagSet) clientCall {
		connector := fs.String("connector", "", "the connector's `ID` (required)")
		group := fs.String("group", "", "the `ID` of the connector group to move it into (required)")
		return clientCall{
			check: func() []string { return append(required("connector", *connector), required("group", *group)...) },
			call: func(ctx context.Context, c *client.Client) (any, error) {
				if err := c.AddConnectorViaMemberOf(ctx, *group, *connector); err != nil {
					return nil, err
				}
				return readBackConnector(ctx, c, *connector)
			},
		}
	},
}

// readBackConnector reads a connector after a move that was answered
// without it (today's 204 No Content), so that every output format shows
// the whole connector, not its id with empty columns.
func readBackConnector(ctx context.Context, c *client.Client, id string) (*client.Connector, error) {
	conn, err := c.GetConnector(ctx, id)
	if err != nil {
		return nil, &changedButUnread{done: "the connector was moved", err: err}
	}
	return conn, nil
}
