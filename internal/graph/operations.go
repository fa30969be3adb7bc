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
)

// Operations lists every operation id, the doc's first.
func Operations() []string {
	return []string{
		OpAddConnectorDoc,
		OpListConnectorGroups, OpCreateConnectorGroup, OpGetConnectorGroup, OpUpdateConnectorGroup, OpDeleteConnectorGroup,
		OpListConnectorGroupMembers, OpAddConnectorGroupMember,
		OpListConnectors, OpGetConnector, OpListConnectorMemberOf, OpAddConnectorMemberOf,
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
