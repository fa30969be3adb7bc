package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/connectorgroups/connectorgroups/client"
)

// The application commands: apps lists them, app get prints one, app group
// prints the one group it is in, app assign puts it into a group (from the
// group's side or the application's) and app unassign removes its
// assignment; group apps lists a group's applications
// (openapi/connectorgroups.yaml#/paths/~1applications). In the app family
// -id names the application, as -id names the group in the group family;
// the other object a command takes is named by its kind (-group).

var appsCommand = clientCommand{
	name:  "apps",
	about: []string{"Lists every application, following @odata.nextLink to the last page: GET {base-url}/applications."},
	flags: func(*flag.FlagSet) clientCall {
		return clientCall{call: func(ctx context.Context, c *client.Client) (any, error) { return c.ListApplications(ctx) }}
	},
}

var appGetCommand = clientCommand{
	name:     "app get",
	synopsis: "-id ID",
	summary:  "prints one application",
	about:    []string{"Prints one application, by its object id (not its appId): GET {base-url}/applications/{id}."},
	flags: func(fs *flag.FlagSet) clientCall {
		id := fs.String("id", "", "the application's object `ID` (required)")
		return clientCall{check: func() []string { return required("id", *id) },
			call: func(ctx context.Context, c *client.Client) (any, error) { return c.GetApplication(ctx, *id) }}
	},
}

var appGroupCommand = clientCommand{
	name:     "app group",
	synopsis: "-id ID",
	summary:  "prints the connector group an application is in",
	about: []string{
		"Prints the connector group an application is in: GET {base-url}/applications/{id}/connectorGroup.",
		"An application that is not assigned to a group reports the default group; one whose",
		"on-premises publishing is off has none (404 Application_NotFound).",
	},
	flags: func(fs *flag.FlagSet) clientCall {
		id := fs.String("id", "", "the application's object `ID` (required)")
		return clientCall{check: func() []string { return required("id", *id) },
			call: func(ctx context.Context, c *client.Client) (any, error) {
				return c.GetApplicationConnectorGroup(ctx, *id)
			}}
	},
}

// Values of app assign's -via.
const (
	viaGroup       = "group"
	viaApplication = "app"
)

var appAssignCommand = clientCommand{
	name:     "app assign",
	synopsis: "-id ID -group ID [-via SIDE]",
	summary:  "puts an application into a connector group, and prints the group",
	about: []string{
		"Assigns an application to a connector group, which moves it out of the group it was in (an",
		"application is in at most one): with -via group (the default) from the group's side,",
		"POST {base-url}/onPremisesPublishingProfiles/applicationProxy/connectorGroups/{group}/applications/$ref;",
		"with -via app from the application's side, PUT {base-url}/applications/{id}/connectorGroup/$ref,",
		"today's documented way. Both are answered 204 without a body, so the application's group is",
		"then read back (GET {base-url}/applications/{id}/connectorGroup) and printed.",
		"An application whose on-premises publishing is off cannot be assigned.",
	},
	flags: func(fs *flag.FlagSet) clientCall {
		id := fs.String("id", "", "the application's object `ID` (required)")
		group := fs.String("group", "", "the `ID` of the connector group to put it into (required)")
		via := fs.String("via", viaGroup, "the `SIDE` the link is written from: group (POST …/applications/$ref) or app (PUT …/connectorGroup/$ref)")
		check := func() []string {
			problems := append(required("id", *id), required("group", *group)...)
			if *via != viaGroup && *via != viaApplication {
				problems = append(problems, fmt.Sprintf("-via must be %s or %s, not %q", viaGroup, viaApplication, *via))
			}
			return problems
		}
		return clientCall{check: check, call: func(ctx context.Context, c *client.Client) (any, error) {
			assign := c.AddApplication
			if *via == viaApplication {
				assign = c.AddApplicationViaConnectorGroup
			}
			if err := assign(ctx, *group, *id); err != nil {
				return nil, err
			}
			return readBackApplicationGroup(ctx, c, *id, "the application was assigned")
		}}
	},
}

var appUnassignCommand = clientCommand{
	name:     "app unassign",
	synopsis: "-id ID",
	summary:  "removes an application's assignment, and prints the group it then reports",
	about: []string{
		"Removes an application's assignment to a connector group: DELETE {base-url}/applications/{id}/connectorGroup/$ref.",
		"The application then reports the tenant's default group, which is read back and printed.",
	},
	flags: func(fs *flag.FlagSet) clientCall {
		id := fs.String("id", "", "the application's object `ID` (required)")
		return clientCall{check: func() []string { return required("id", *id) },
			call: func(ctx context.Context, c *client.Client) (any, error) {
				if err := c.RemoveApplicationConnectorGroup(ctx, *id); err != nil {
					return nil, err
				}
				return readBackApplicationGroup(ctx, c, *id, "the application's assignment was removed")
			}}
	},
}

// appCommands are app's subcommands, in the order its usage lists them.
var appCommands = []clientCommand{appGetCommand, appGroupCommand, appAssignCommand, appUnassignCommand}

var groupAppsCommand = clientCommand{
	name:     "group apps",
	synopsis: "-id ID",
	summary:  "lists the applications assigned to a connector group",
	about: []string{
		"Lists the applications assigned to a connector group, following @odata.nextLink to the last page:",
		"GET {base-url}/onPremisesPublishingProfiles/applicationProxy/connectorGroups/{id}/applications.",
	},
	flags: func(fs *flag.FlagSet) clientCall {
		id := fs.String("id", "", "the connector group's `ID` (required)")
		return clientCall{check: func() []string { return required("id", *id) },
			call: func(ctx context.Context, c *client.Client) (any, error) { return c.ListGroupApplications(ctx, *id) }}
	},
}

// readBackApplicationGroup reads the group an application reports after a
// change answered without a body, so that the command shows where the
// application is now; done says what was changed, should the read fail.
func readBackApplicationGroup(ctx context.Context, c *client.Client, id, done string) (*client.ConnectorGroup, error) {
	g, err := c.GetApplicationConnectorGroup(ctx, id)
	if err != nil {
		return nil, &changedButUnread{done: done, err: err}
	}
	return g, nil
}
