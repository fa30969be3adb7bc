package compat_test

import (
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// The seed's applications and the groups they report.
const (
	appExpenses = "5f0e2a71-3b9c-4d84-a6e1-8c2d7f4b9a10" // assigned to Europe
	appIntranet = "3d8b6f0a-c2e4-4a91-b7d5-1e6f9c3a2b84" // published, not assigned
	appPayroll  = "b7d4c9e2-1f6a-4e35-8b07-3a9c5e2d1f48" // onPremisesPublishing null

	groupDefault      = "0c5e7a93-6d2f-4b18-9e40-a3f1c8d2b765"
	groupNorthAmerica = "4a1f0d12-8f7f-4bde-9f6c-5d3c0e7f7a21"
	groupEurope       = "9e7c3a58-2b1d-4f60-8a94-c5e0d7b2f316"
)

// applicationSteps read the applications, and assign Intranet to the
// group the lifecycle created, move it, and remove the assignment, reading
// each change back from both sides. They run while the created group
// still exists, and leave every application as the seed had it.
func applicationSteps() []step {
	return []step{
		{"page through the applications with PageIterator", func(t *testing.T, l *lifecycle) {
			before := len(l.wire.all())
			first, err := l.sdk.Applications().Get(ctx(t), nil)
			require.NoError(t, err)
			require.Len(t, first.GetValue(), pageSize, "the first page is full")
			require.NotNil(t, first.GetOdataNextLink(), "and links the next")

			got := every[models.Applicationable](t, l, first, models.CreateApplicationCollectionResponseFromDiscriminatorValue)
			// Sorted by id, as the fake lists them.
			require.Equal(t, []string{appIntranet, appExpenses, appPayroll}, applicationIDs(got))
			want := l.fake.Applications()
			require.Len(t, want, len(got))
			for i, a := range got {
				assert.Equal(t, want[i].AppID, deref(a.GetAppId()), "appId of %s", want[i].ID)
				assert.Equal(t, want[i].DisplayName, deref(a.GetDisplayName()), "displayName of %s", want[i].ID)
				assert.Equal(t, want[i].Published(), a.GetOnPremisesPublishing() != nil, "onPremisesPublishing of %s", want[i].ID)
				// The list carries no connectorGroup: that is a
				// navigation of its own (applicationGroup).
				assert.Nil(t, a.GetConnectorGroup(), "connectorGroup of %s", want[i].ID)
			}
			// Payroll API's onPremisesPublishing is null on the wire: the
			// SDK reads it as no object at all.
			assert.Nil(t, got[2].GetOnPremisesPublishing(), "Payroll API: onPremisesPublishing is null")
			assert.Equal(t, "https://intranet-contoso.msappproxy.net/", deref(published(t, got[0]).GetExternalUrl()))
			assert.Equal(t, "https://expenses-contoso.msappproxy.net/", deref(published(t, got[1]).GetExternalUrl()))

			pages := l.wire.since(before)
			require.Len(t, pages, 2, "three applications over pages of two, one GET a page: %v", pages)
			for i, p := range pages {
				assert.Equal(t, http.MethodGet, p.method)
				assert.True(t, strings.HasSuffix(p.path, "/beta/applications"), p.path)
				assert.Equal(t, i > 0, strings.Contains(p.query, "$skiptoken="), "page %d follows @odata.nextLink: %q", i, p.query)
			}
		}},
		{"get an application", func(t *testing.T, l *lifecycle) {
			got, err := l.sdk.Applications().ByApplicationId(appExpenses).Get(ctx(t), nil)
			require.NoError(t, err)
			assert.Equal(t, appExpenses, deref(got.GetId()))
			assert.Equal(t, "8c3e1d52-7a4f-4b69-9e20-d5b7a1c4f683", deref(got.GetAppId()))
			assert.Equal(t, "Expenses (on-premises)", deref(got.GetDisplayName()))
			p := published(t, got)
			assert.Equal(t, "https://expenses-contoso.msappproxy.net/", deref(p.GetExternalUrl()))
			assert.Equal(t, "http://expenses.contoso.local/", deref(p.GetInternalUrl()))
			assert.Equal(t, "aadPreAuthentication", enumString(p.GetExternalAuthenticationType()))
			assert.True(t, deref(p.GetIsOnPremPublishingEnabled()))
		}},
		{"read an application's connectorGroup: assigned, and the default", func(t *testing.T, l *lifecycle) {
			assert.Equal(t, groupEurope, applicationGroup(t, l, appExpenses), "Expenses is assigned to Europe")
			assert.Equal(t, groupDefault, applicationGroup(t, l, appIntranet), "Intranet, never assigned, reports the default group")

			got, err := l.sdk.Applications().ByApplicationId(appExpenses).ConnectorGroup().Get(ctx(t), nil)
			require.NoError(t, err)
			want, err := l.fake.Group(groupEurope)
			require.NoError(t, err)
			requireGroupAsFake(t, want, got)
			assert.Equal(t, "Europe", deref(got.GetName()))
		}},
		{"list a group's applications", func(t *testing.T, l *lifecycle) {
			assert.Equal(t, []string{appExpenses}, groupApplications(t, l, groupEurope))
			assert.Equal(t, []string{appIntranet}, groupApplications(t, l, groupDefault), "the default group lists the unassigned application")
			assert.Empty(t, groupApplications(t, l, groupNorthAmerica))
		}},
		{"assign through the group's applications/$ref (POST): not in the SDK", func(t *testing.T, l *lifecycle) {
			// msgraph-beta-sdk-go v0.165.0 has no Ref() on a group's
			// applications (onpremisespublishingprofiles/
			// item_connector_groups_item_applications_request_builder.go:
			// Get, Count, ByApplicationId only), so no SDK user can send
			// this POST. Asserting the absence makes a later SDK that adds
			// it fail here, so that the step gets written then.
			builder := l.groups().ByConnectorGroupId(groupNorthAmerica).Applications()
			if _, ok := reflect.TypeOf(builder).MethodByName("Ref"); ok {
				t.Fatalf("%T now has Ref(): assign through it here", builder)
			}
			t.Logf("skipped: %T has no Ref() in msgraph-beta-sdk-go %s; the SDK assigns through PUT applications/{id}/connectorGroup/$ref alone", builder, sdkVersion)
			t.Skip("POST connectorGroups/{id}/applications/$ref has no builder in the SDK")
		}},
		{"assign an application through connectorGroup/$ref (PUT)", func(t *testing.T, l *lifecycle) {
			id := l.requireCreated(t)
			require.NoError(t, assignApplication(t, l, appIntranet, id))

			assert.Equal(t, id, applicationGroup(t, l, appIntranet), "the application reports the group")
			assert.Equal(t, []string{appIntranet}, groupApplications(t, l, id), "and the group lists it")
			assert.NotContains(t, groupApplications(t, l, groupDefault), appIntranet, "the default group no longer does")
			a, err := l.fake.Application(appIntranet)
			require.NoError(t, err)
			assert.Equal(t, id, a.ConnectorGroup)
		}},
		{"move it through connectorGroup/$ref (PUT)", func(t *testing.T, l *lifecycle) {
			id := l.requireCreated(t)
			require.NoError(t, assignApplication(t, l, appIntranet, groupNorthAmerica))

			assert.Equal(t, groupNorthAmerica, applicationGroup(t, l, appIntranet))
			assert.Equal(t, []string{appIntranet}, groupApplications(t, l, groupNorthAmerica))
			assert.Empty(t, groupApplications(t, l, id), "moved out of the created group")
			assert.Equal(t, []string{appExpenses}, groupApplications(t, l, groupEurope), "another group's application stays")
		}},
		{"remove the assignment (DELETE connectorGroup/$ref): the default group again", func(t *testing.T, l *lifecycle) {
			require.NoError(t, l.sdk.Applications().ByApplicationId(appIntranet).ConnectorGroup().Ref().Delete(ctx(t), nil))

			assert.Equal(t, groupDefault, applicationGroup(t, l, appIntranet))
			assert.Equal(t, []string{appIntranet}, groupApplications(t, l, groupDefault))
			assert.Empty(t, groupApplications(t, l, groupNorthAmerica))
			a, err := l.fake.Application(appIntranet)
			require.NoError(t, err)
			assert.Empty(t, a.ConnectorGroup, "unassigned, as the seed had it")
		}},
		{"an application without on-premises publishing: 404 as ODataError", func(t *testing.T, l *lifecycle) {
			err := assignApplication(t, l, appPayroll, groupNorthAmerica)
			requireODataError(t, err, http.StatusNotFound, graph.CodeApplicationNotFound, graph.MsgPublishingNotEnabled)
			_, err = l.sdk.Applications().ByApplicationId(appPayroll).ConnectorGroup().Get(ctx(t), nil)
			requireODataError(t, err, http.StatusNotFound, graph.CodeApplicationNotFound, graph.MsgPublishingNotEnabled)
			a, err := l.fake.Application(appPayroll)
			require.NoError(t, err)
			assert.Empty(t, a.ConnectorGroup, "nothing was assigned")
		}},
		{"an application that does not exist: 404 as ODataError", func(t *testing.T, l *lifecycle) {
			const missing = "00000000-0000-4000-8000-000000000404"
			_, err := l.sdk.Applications().ByApplicationId(missing).Get(ctx(t), nil)
			requireODataError(t, err, http.StatusNotFound, graph.CodeResourceNotFound, fmt.Sprintf(graph.MsgResourceNotFound, missing))
		}},
	}
}

// assignApplication puts the application in the group through PUT
// applications/{id}/connectorGroup/$ref, with the link a user writes for
// the live service.
func assignApplication(t *testing.T, l *lifecycle, applicationID, groupID string) error {
	t.Helper()
	ref := models.NewReferenceUpdate()
	ref.SetOdataId(ptr(connectorGroupLink(groupID)))
	return l.sdk.Applications().ByApplicationId(applicationID).ConnectorGroup().Ref().Put(ctx(t), ref, nil)
}

// applicationGroup is the id of the group an application reports,
// through the SDK.
func applicationGroup(t *testing.T, l *lifecycle, applicationID string) string {
	t.Helper()
	g, err := l.sdk.Applications().ByApplicationId(applicationID).ConnectorGroup().Get(ctx(t), nil)
	require.NoError(t, err)
	return deref(g.GetId())
}

// groupApplications lists the applications a group reports through the
// SDK, every page of them, as sorted ids.
func groupApplications(t *testing.T, l *lifecycle, groupID string) []string {
	t.Helper()
	first, err := l.groups().ByConnectorGroupId(groupID).Applications().Get(ctx(t), nil)
	require.NoError(t, err)
	ids := applicationIDs(every[models.Applicationable](t, l, first, models.CreateApplicationCollectionResponseFromDiscriminatorValue))
	sort.Strings(ids)
	return ids
}

func applicationIDs(apps []models.Applicationable) []string {
	var ids []string
	for _, a := range apps {
		ids = append(ids, deref(a.GetId()))
	}
	return ids
}

// published is an application's onPremisesPublishing, which must be there.
func published(t *testing.T, a models.Applicationable) models.OnPremisesPublishingable {
	t.Helper()
	p := a.GetOnPremisesPublishing()
	require.NotNil(t, p, "onPremisesPublishing of %s", deref(a.GetId()))
	return p
}
