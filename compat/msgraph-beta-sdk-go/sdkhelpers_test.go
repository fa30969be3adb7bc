package compat_test

import (
	"errors"
	"sort"
	"testing"

	"github.com/microsoft/kiota-abstractions-go/serialization"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models/odataerrors"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/fakegraph"
)

// every walks a list through the SDK's PageIterator, following
// @odata.nextLink to the last page, and returns every item.
func every[T any](t *testing.T, l *lifecycle, first serialization.Parsable, factory serialization.ParsableFactory) []T {
	t.Helper()
	it, err := msgraphcore.NewPageIterator[T](first, l.sdk.GetAdapter(), factory)
	require.NoError(t, err)
	var items []T
	require.NoError(t, it.Iterate(ctx(t), func(item T) bool {
		items = append(items, item)
		return true
	}))
	return items
}

// allGroups lists every connector group through the SDK.
func allGroups(t *testing.T, l *lifecycle) []models.ConnectorGroupable {
	t.Helper()
	first, err := l.groups().Get(ctx(t), nil)
	require.NoError(t, err)
	return every[models.ConnectorGroupable](t, l, first, models.CreateConnectorGroupCollectionResponseFromDiscriminatorValue)
}

// groupMembers lists a group's members through the SDK, as ids.
func groupMembers(t *testing.T, l *lifecycle, groupID string) []string {
	t.Helper()
	first, err := l.groups().ByConnectorGroupId(groupID).Members().Get(ctx(t), nil)
	require.NoError(t, err)
	var ids []string
	for _, c := range every[models.Connectorable](t, l, first, models.CreateConnectorCollectionResponseFromDiscriminatorValue) {
		ids = append(ids, deref(c.GetId()))
	}
	sort.Strings(ids)
	return ids
}

// memberOf lists the groups a connector is in through the SDK, as ids.
func memberOf(t *testing.T, l *lifecycle, connectorID string) []string {
	t.Helper()
	first, err := l.connectors().ByConnectorId(connectorID).MemberOf().Get(ctx(t), nil)
	require.NoError(t, err)
	var ids []string
	for _, g := range every[models.ConnectorGroupable](t, l, first, models.CreateConnectorGroupCollectionResponseFromDiscriminatorValue) {
		ids = append(ids, deref(g.GetId()))
	}
	return ids
}

// requireGroupAsFake checks a group the SDK read against the fake's
// record of it, field by field.
func requireGroupAsFake(t *testing.T, want fakegraph.ConnectorGroup, got models.ConnectorGroupable) {
	t.Helper()
	require.NotNil(t, got)
	assert.Equal(t, want.ID, deref(got.GetId()), "id")
	assert.Equal(t, want.Name, deref(got.GetName()), "name")
	assert.Equal(t, want.IsDefault, deref(got.GetIsDefault()), "isDefault")
	assert.Equal(t, asSDKReadsIt(want.ConnectorGroupType, models.ParseConnectorGroupType), enumString(got.GetConnectorGroupType()), "connectorGroupType")
	assert.Equal(t, asSDKReadsIt(want.Region, models.ParseConnectorGroupRegion), enumString(got.GetRegion()), "region")
}

// asSDKReadsIt is an enum value as the SDK reads it off the wire: the SDK
// drops a value its enum does not list (a tenant's "japan" region, a
// "syncFabric" type), and reports none.
func asSDKReadsIt(value string, parse func(string) (any, error)) string {
	parsed, err := parse(value)
	if err != nil || parsed == nil {
		return ""
	}
	return value
}

// requireODataError checks that err is the SDK's ODataError with this
// status, code and message, and the fake's correlation ids.
func requireODataError(t *testing.T, err error, status int, code, message string) {
	t.Helper()
	require.Error(t, err)
	odata, ok := errors.AsType[*odataerrors.ODataError](err)
	require.True(t, ok, "the SDK's error is an *odataerrors.ODataError, not %T: %v", err, err)
	assert.Equal(t, status, odata.GetStatusCode())
	main := odata.GetErrorEscaped()
	require.NotNil(t, main, "the SDK read the error object")
	assert.Equal(t, code, deref(main.GetCode()))
	assert.Equal(t, message, deref(main.GetMessage()))
	inner := main.GetInnerError()
	require.NotNil(t, inner, "innerError")
	assert.NotEmpty(t, deref(inner.GetRequestId()), "innerError.request-id")
	assert.NotEmpty(t, deref(inner.GetClientRequestId()), "innerError.client-request-id: the SDK sends one")
	assert.NotNil(t, inner.GetDate(), "innerError.date, which the SDK parses")
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// enumString is an SDK enum as the wire spells it, "" for none.
func enumString[E interface{ String() string }](e *E) string {
	if e == nil {
		return ""
	}
	return (*e).String()
}
