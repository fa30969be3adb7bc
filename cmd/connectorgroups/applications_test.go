package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The default seed's applications and groups.
const (
	cliExpensesApp = "5f0e2a71-3b9c-4d84-a6e1-8c2d7f4b9a10" // published, in Europe
	cliIntranetApp = "3d8b6f0a-c2e4-4a91-b7d5-1e6f9c3a2b84" // published, not assigned
	cliPayrollApp  = "b7d4c9e2-1f6a-4e35-8b07-3a9c5e2d1f48" // not published
	cliEurope      = "9e7c3a58-2b1d-4f60-8a94-c5e0d7b2f316"
	cliNorthAm     = "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21"
)

type applicationJSON struct {
	ID                   string         `json:"id"`
	AppID                string         `json:"appId"`
	DisplayName          string         `json:"displayName"`
	OnPremisesPublishing map[string]any `json:"onPremisesPublishing"`
}

// The application commands against the fake, each request validated: they
// read what the fake holds, and each change shows in its state.
func TestCLIApplications(t *testing.T) {
	s := newCLISession(t)

	apps := decodeJSON[[]applicationJSON](t, s.ok("apps"))
	require.Len(t, apps, 3)
	assert.Equal(t, cliIntranetApp, apps[0].ID)
	assert.Nil(t, apps[2].OnPremisesPublishing, "null when publishing is off")
	assert.Equal(t, cliIntranetApp+"\n"+cliExpensesApp+"\n"+cliPayrollApp+"\n", s.ok("apps", "-o", "id"))
	table := s.ok("apps", "-o", "table")
	assert.True(t, strings.HasPrefix(table, "ID "), table)
	assert.Contains(t, table, "Payroll API             -\n", "no external URL without publishing")

	got := decodeJSON[applicationJSON](t, s.ok("app", "get", "-id", cliExpensesApp))
	assert.Equal(t, "Expenses (on-premises)", got.DisplayName)
	assert.Equal(t, "https://expenses-contoso.msappproxy.net/", got.OnPremisesPublishing["externalUrl"])

	assert.Equal(t, cliEurope+"\n", s.ok("app", "group", "-id", cliExpensesApp, "-o", "id"))
	assert.Equal(t, lifecycleDefaultGroup+"\n", s.ok("app", "group", "-id", cliIntranetApp, "-o", "id"), "not assigned: the default group")

	// Assigned from the group's side by default, from the application's
	// with -via app; each prints the group the application is in now.
	s.sent = nil
	g := decodeJSON[groupJSON](t, s.ok("app", "assign", "-id", cliExpensesApp, "-group", cliNorthAm))
	assert.Equal(t, cliNorthAm, g.ID)
	assert.Equal(t, []string{"POST addConnectorGroupApplication", "GET getApplicationConnectorGroup"}, s.sent)
	assert.Equal(t, cliExpensesApp+"\n", s.ok("group", "apps", "-id", cliNorthAm, "-o", "id"))
	assert.Equal(t, "", s.ok("group", "apps", "-id", cliEurope, "-o", "id"), "moved, not copied")
	assert.Equal(t, "[]\n", s.ok("group", "apps", "-id", cliEurope), "an empty list is []")
	a, err := s.fake.Application(cliExpensesApp)
	require.NoError(t, err)
	assert.Equal(t, cliNorthAm, a.ConnectorGroup)

	s.sent = nil
	assert.Equal(t, cliEurope+"\n", s.ok("app", "assign", "-id", cliExpensesApp, "-group", cliEurope, "-via", "app", "-o", "id"))
	assert.Equal(t, []string{"PUT setApplicationConnectorGroup", "GET getApplicationConnectorGroup"}, s.sent)
	a, err = s.fake.Application(cliExpensesApp)
	require.NoError(t, err)
	assert.Equal(t, cliEurope, a.ConnectorGroup)

	s.sent = nil
	assert.Equal(t, lifecycleDefaultGroup+"\n", s.ok("app", "unassign", "-id", cliExpensesApp, "-o", "id"))
	assert.Equal(t, []string{"DELETE removeApplicationConnectorGroup", "GET getApplicationConnectorGroup"}, s.sent)
	a, err = s.fake.Application(cliExpensesApp)
	require.NoError(t, err)
	assert.Empty(t, a.ConnectorGroup, "not assigned")

	s.fails(`Application_NotFound: OnPremisesPublishing is not enabled`, "app", "assign", "-id", cliPayrollApp, "-group", cliNorthAm)
	s.fails(`Application_NotFound: OnPremisesPublishing is not enabled`, "app", "group", "-id", cliPayrollApp)
	s.fails(`Request_BadRequest: One or more added object references already exist`, "app", "assign", "-id", cliIntranetApp, "-group", lifecycleDefaultGroup)
	s.fails(`Request_ResourceNotFound: Resource 'nope'`, "app", "get", "-id", "nope")
	s.assertValidTraffic()
}

// Bad usage of the application commands is found before anything is
// sent.
func TestCLIApplicationsUsage(t *testing.T) {
	s := newCLISession(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"app", "assign", "-id", cliExpensesApp, "-group", cliNorthAm, "-via", "both"}, `-via must be group or app, not "both"`},
		{[]string{"app", "assign", "-id", cliExpensesApp}, "-group is required"},
		{[]string{"app", "get"}, "-id is required"},
		{[]string{"app", "unassign", "-id", "a/b"}, "it contains a slash"},
		{[]string{"group", "apps"}, "-id is required"},
	} {
		code, stdout, stderr := s.run(tt.args...)
		assert.Equal(t, exitUsage, code, "%v", tt.args)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, tt.want, "%v", tt.args)
	}
	assert.Zero(t, s.tr.Exchanges(), "nothing sent")
	code, stdout, _ := s.run("app", "-h")
	assert.Equal(t, exitOK, code)
	for _, sub := range []string{"get", "group", "assign", "unassign"} {
		assert.Contains(t, stdout, "  "+sub+" ")
	}
}
