package main

import (
	"context"
	"flag"

	"github.com/connectorgroups/connectorgroups/client"
)

// The connector-group commands: groups lists them, and group get, create,
// update and delete work on one. Each calls the client method of the same
// name (openapi/connectorgroups.yaml#/paths/~1onPremisesPublishingProfiles~1applicationProxy~1connectorGroups).

var groupsCommand = clientCommand{
	name:  "groups",
	about: []string{"Lists every connector group, following @odata.nextLink to the last page: GET {base-url}/onPremisesPublishingProfiles/applicationProxy/connectorGroups."},
	flags: func(*flag.FlagSet) clientCall {
		return clientCall{call: func(ctx context.Context, c *client.Client) (any, error) { return c.ListConnectorGroups(ctx) }}
	},
}

var groupGetCommand = clientCommand{
	name:     "group get",
	synopsis: "-id ID",
	summary:  "prints one connector group",
	about:    []string{"Prints one connector group: GET {base-url}/onPremisesPublishingProfiles/applicationProxy/connectorGroups/{id}."},
	flags: func(fs *flag.FlagSet) clientCall {
		id := fs.String("id", "", "the connector group's `ID` (required)")
		return clientCall{check: func() []string { return required("id", *id) },
			call: func(ctx context.Context, c *client.Client) (any, error) { return c.GetConnectorGroup(ctx, *id) }}
	},
}

var groupCreateCommand = clientCommand{
	name:     "group create",
	synopsis: "-name NAME [-region REGION]",
	summary:  "creates a connector group and prints it",
	about: []string{
		"Creates a connector group and prints it: POST {base-url}/onPremisesPublishingProfiles/applicationProxy/connectorGroups.",
		"Graph sets its id, isDefault (false) and connectorGroupType (applicationProxy).",
	},
	flags: func(fs *flag.FlagSet) clientCall {
		name := fs.String("name", "", "the group's `NAME` (required)")
		region := fs.String("region", "", "the group's `REGION`: "+regionList()+" (default: the service's choice)")
		return clientCall{
			check: func() []string { return append(required("name", *name), checkRegion("region", *region)...) },
			call: func(ctx context.Context, c *client.Client) (any, error) {
				return c.CreateConnectorGroup(ctx, client.NewConnectorGroup{Name: *name, Region: client.ConnectorGroupRegion(*region)})
			},
		}
	},
}

var groupUpdateCommand = clientCommand{
	name:     "group update",
	synopsis: "-id ID [-name NAME] [-region REGION | -clear-region]",
	summary:  "renames a connector group or changes its region, and prints it",
	about: []string{
		"Renames a connector group or changes its region, then prints the group as it is now:",
		"PATCH {base-url}/onPremisesPublishingProfiles/applicationProxy/connectorGroups/{id}, then GET it.",
		"The region can change only while the group holds no connectors.",
	},
	flags: func(fs *flag.FlagSet) clientCall {
		id := fs.String("id", "", "the connector group's `ID` (required)")
		name := fs.String("name", "", "the group's new `NAME`")
		region := fs.String("region", "", "the group's new `REGION`: "+regionList())
		clearRegion := fs.Bool("clear-region", false, "leave the group with no region (sends \"region\": null)")
		check := func() []string {
			problems := required("id", *id)
			switch {
			case *name == "" && *region == "" && !*clearRegion:
				problems = append(problems, "nothing to change: pass -name, -region or -clear-region")
			case *region != "" && *clearRegion:
				problems = append(problems, "-region and -clear-region cannot go together")
			}
			return append(problems, checkRegion("region", *region)...)
		}
		return clientCall{check: check, call: func(ctx context.Context, c *client.Client) (any, error) {
			update := client.ConnectorGroupUpdate{Name: *name, Region: client.ConnectorGroupRegion(*region), ClearRegion: *clearRegion}
			if err := c.UpdateConnectorGroup(ctx, *id, update); err != nil {
				return nil, err
			}
			// Today's service answers the PATCH with 204 and no body, so
			// the group is read back to show what changed.
			g, err := c.GetConnectorGroup(ctx, *id)
			if err != nil {
				return nil, &changedButUnread{done: "the connector group was updated", err: err}
			}
			return g, nil
		}}
	},
}

var groupDeleteCommand = clientCommand{
	name:     "group delete",
	synopsis: "-id ID",
	summary:  "deletes an empty connector group",
	about: []string{
		"Deletes an empty connector group and prints nothing: DELETE {base-url}/onPremisesPublishingProfiles/applicationProxy/connectorGroups/{id}.",
		"Graph refuses to delete a group that holds connectors (move them first) and the default group.",
	},
	flags: func(fs *flag.FlagSet) clientCall {
		id := fs.String("id", "", "the connector group's `ID` (required)")
		return clientCall{check: func() []string { return required("id", *id) },
			call: func(ctx context.Context, c *client.Client) (any, error) { return nil, c.DeleteConnectorGroup(ctx, *id) }}
	},
}

// groupCommands are group's subcommands, in the order its usage lists them.
var groupCommands = []clientCommand{groupGetCommand, groupCreateCommand, groupUpdateCommand, groupDeleteCommand, groupAppsCommand}

var membersCommand = clientCommand{
	name:     "members",
	synopsis: "-group ID",
	about:    []string{"Lists a connector group's connectors, following @odata.nextLink to the last page: GET {base-url}/onPremisesPublishingProfiles/applicationProxy/connectorGroups/{group}/members."},
	flags: func(fs *flag.FlagSet) clientCall {
		group := fs.String("group", "", "the connector group's `ID` (required)")
		return clientCall{check: func() []string { return required("group", *group) },
			call: func(ctx context.Context, c *client.Client) (any, error) { return c.ListMembers(ctx, *group) }}
	},
}
