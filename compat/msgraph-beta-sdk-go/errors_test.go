package compat_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
	"github.com/stretchr/testify/assert"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

func errorSteps() []step {
	return []step{
		{"a group that does not exist: 404 as ODataError", func(t *testing.T, l *lifecycle) {
			const missing = "00000000-0000-4000-8000-000000000404"
			_, err := l.groups().ByConnectorGroupId(missing).Get(ctx(t), nil)
			requireODataError(t, err, http.StatusNotFound, graph.CodeResourceNotFound, fmt.Sprintf(graph.MsgResourceNotFound, missing))
		}},
		{"deleting a group that holds connectors: 400 as ODataError", func(t *testing.T, l *lifecycle) {
			id := l.requireCreated(t)
			err := l.groups().ByConnectorGroupId(id).Delete(ctx(t), nil)
			requireODataError(t, err, http.StatusBadRequest, graph.CodeRequestBadRequest, fmt.Sprintf(graph.MsgGroupNotEmpty, id))
			_, err = l.fake.Group(id)
			assert.NoError(t, err, "the group is still there")
		}},
		{"a token that may only read: 403 as ODataError", func(t *testing.T, l *lifecycle) {
			before := len(l.fake.Groups())
			body := models.NewConnectorGroup()
			body.SetName(ptr("Never made"))
			_, err := l.profile(l.reader).ConnectorGroups().Post(ctx(t), body, nil)
			requireODataError(t, err, http.StatusForbidden, graph.CodeAuthorizationRequestDenied, graph.MsgInsufficientPrivileges)
			assert.Len(t, l.fake.Groups(), before, "nothing was made")
		}},
	}
}
