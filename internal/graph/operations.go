package graph

import "net/url"

// The spec's operation ids (openapi/connectorgroups.yaml), one per
// operation. A test in internal/specvalidator keeps this list equal to the
// spec's.
const (
	// OpAddConnectorDoc is the doc page's operation, at the doc's path
	// /connectorGroups/{id}/members/$ref.
	OpAddConnectorDoc           = "addConnectorToConnectorGroup"
	OpListConnectorGroups       = "listConnectorGroups"
	OpCreateConnectorGroup      = "createConnectorGroup"
	OpGetConnectorGroup         = "getConnectorGroup"
	OpUpdateConnectorGroup      = "updateConnectorGroup"
	OpDeleteConnectorGroup      = "deleteConnectorGroup"
	OpListConnectorGroupMembers = "listConnectorGroupMembers"
	OpAddConnectorGroupMember   = "addConnectorGroupMember"
	OpListConnectors            = "listConnectors"
	OpGetConnector              = "getConnector"
	OpListConnectorMemberOf     = "listConnectorMemberOf"
	OpAddConnectorMemberOf      = "addConnectorMemberOf"

	// Applications and the one connector group each is in.
	OpListApplications                = "listApplications"
	OpGetApplication                  = "getApplication"
	OpListConnectorGroupApplications  = "listConnectorGroupApplications"
	OpAddConnectorGroupApplication    = "addConnectorGroupApplication"
	OpGetApplicationConnectorGroup    = "getApplicationConnectorGroup"
	OpSetApplicationConnectorGroup    = "setApplicationConnectorGroup"
	OpRemoveApplicationConnectorGroup = "removeApplicationConnectorGroup"
)

// Operations lists every operation id, the doc's first.
func Operations() []string {
	return []string{
		OpAddConnectorDoc,
		OpListConnectorGroups, OpCreateConnectorGroup, OpGetConnectorGroup, OpUpdateConnectorGroup, OpDeleteConnectorGroup,
		OpListConnectorGroupMembers, OpAddConnectorGroupMember,
		OpListConnectors, OpGetConnector, OpListConnectorMemberOf, OpAddConnectorMemberOf,
		OpListApplications, OpGetApplication, OpListConnectorGroupApplications, OpAddConnectorGroupApplication,
		OpGetApplicationConnectorGroup, OpSetApplicationConnectorGroup, OpRemoveApplicationConnectorGroup,
	}
}

// ApplicationProxyPath is where today's surface lives, under a version
// [doc: beta CSDL]. No connectorGroups or connectors set exists at the root.
const ApplicationProxyPath = "/onPremisesPublishingProfiles/applicationProxy"

// Paths of the operations, relative to a base URL that ends in the
// version (https://graph.microsoft.com/beta). Ids are path-escaped.
func DocMembersRefPath(groupID string) string {
	return "/connectorGroups/" + url.PathEscape(groupID) + "/members/$ref"
}

// ConnectorGroupsPath is the collection of connector groups.
func ConnectorGroupsPath() string { return ApplicationProxyPath + "/connectorGroups" }

// ConnectorGroupPath is one connector group.
func ConnectorGroupPath(groupID string) string {
	return ConnectorGroupsPath() + "/" + url.PathEscape(groupID)
}

// MembersPath is a group's member connectors.
func MembersPath(groupID string) string { return ConnectorGroupPath(groupID) + "/members" }

// MembersRefPath is where a link to a connector is posted to add (move) it.
func MembersRefPath(groupID string) string { return MembersPath(groupID) + "/$ref" }

// ConnectorsPath is the collection of connectors.
func ConnectorsPath() string { return ApplicationProxyPath + "/connectors" }

// ConnectorPath is one connector.
func ConnectorPath(connectorID string) string {
	return ConnectorsPath() + "/" + url.PathEscape(connectorID)
}

// MemberOfPath is the connector's groups: always exactly one.
func MemberOfPath(connectorID string) string { return ConnectorPath(connectorID) + "/memberOf" }

// MemberOfRefPath is where a link to a group is posted to move the
// connector into it.
func MemberOfRefPath(connectorID string) string { return MemberOfPath(connectorID) + "/$ref" }

// ApplicationsPath is the collection of applications, at the root of the
// version: Graph's directory set, not under applicationProxy.
func ApplicationsPath() string { return "/applications" }

// ApplicationPath is one application.
func ApplicationPath(applicationID string) string {
	return ApplicationsPath() + "/" + url.PathEscape(applicationID)
}

// GroupApplicationsPath is the applications assigned to a group.
func GroupApplicationsPath(groupID string) string {
	return ConnectorGroupPath(groupID) + "/applications"
}

// GroupApplicationsRefPath is where a link to an application is posted to
// assign it to the group.
func GroupApplicationsRefPath(groupID string) string { return GroupApplicationsPath(groupID) + "/$ref" }

// ApplicationConnectorGroupPath is the one group an application is in.
func ApplicationConnectorGroupPath(applicationID string) string {
	return ApplicationPath(applicationID) + "/connectorGroup"
}

// ApplicationConnectorGroupRefPath is the application's link to its group:
// PUT a link to a group there to assign or move it, DELETE it to remove the
// assignment.
func ApplicationConnectorGroupRefPath(applicationID string) string {
	return ApplicationConnectorGroupPath(applicationID) + "/$ref"
}
