package graph

import "slices"

// The permissions this project's operations name.
const (
	ScopeDirectoryReadWriteAll    = "Directory.ReadWrite.All"
	ScopeDirectoryAccessAsUserAll = "Directory.AccessAsUser.All"
	ScopeDirectoryReadAll         = "Directory.Read.All"

	ScopeApplicationReadAll          = "Application.Read.All"
	ScopeApplicationReadWriteAll     = "Application.ReadWrite.All"
	ScopeApplicationReadWriteOwnedBy = "Application.ReadWrite.OwnedBy"
)

// AddMemberScopes are the scopes the seed operation accepts, either one
// sufficing: the doc page's Prerequisites list both
// (openapi/connectorgroups.yaml#/paths/~1connectorGroups~1{id}~1members~1$ref/post).
func AddMemberScopes() []string {
	return []string{ScopeDirectoryReadWriteAll, ScopeDirectoryAccessAsUserAll}
}

// Permissions is what an operation accepts: delegated scopes (a JWT's
// scp, or a token the fake's seed lists) and application permissions (a
// JWT's roles). Any one suffices.
type Permissions struct {
	Delegated   []string
	Application []string
}

// OperationPermissions is what operationID accepts. Today's pages list
// delegated Directory.ReadWrite.All, and only it, for every operation,
// reads included ("Not available" for higher or lower ones); application
// permissions are "Not supported", except for create, which lists
// application Directory.ReadWrite.All [doc: connectorgroup-list,
// connectorgroup-post]. Directory.Read.All is not enough for the reads,
// as the pages say (Microsoft365DSC claims otherwise, unverified). The
// doc's operation keeps the doc's two scopes, of either kind: the 2015
// page does not say which. The applications are the directory's, read
// with the directory's permissions (applicationPermissions). An unknown
// operation accepts nothing.
func OperationPermissions(operationID string) Permissions {
	if p, ok := applicationPermissions(operationID); ok {
		return p
	}
	switch {
	case operationID == OpAddConnectorDoc:
		return Permissions{Delegated: AddMemberScopes(), Application: AddMemberScopes()}
	case operationID == OpCreateConnectorGroup:
		return Permissions{Delegated: []string{ScopeDirectoryReadWriteAll}, Application: []string{ScopeDirectoryReadWriteAll}}
	case slices.Contains(Operations(), operationID):
		return Permissions{Delegated: []string{ScopeDirectoryReadWriteAll}}
	}
	return Permissions{}
}

// Scopes lists every scope that p accepts, of either kind, once each, in
// the order the spec declares them.
func (p Permissions) Scopes() []string {
	out := slices.Clone(p.Delegated)
	for _, s := range p.Application {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Allows reports whether a token with these delegated scopes and
// application roles may call the operation.
func (p Permissions) Allows(delegated, application []string) bool {
	return GrantsAny(delegated, p.Delegated) || GrantsAny(application, p.Application)
}

// GrantsAny reports whether granted holds at least one of wanted.
func GrantsAny(granted, wanted []string) bool {
	for _, w := range wanted {
		if slices.Contains(granted, w) {
			return true
		}
	}
	return false
}

// applicationPermissions is what the application operations accept.
//
//   - Reading applications (list, get) takes any of the directory's
//     application permissions, delegated or application [doc:
//     application-list, application-get, beta]; application-list leaves
//     out Directory.ReadWrite.All as an application permission, which
//     msgraph-metadata's permissions/beta/Directory.json grants for GET
//     /applications, so it is taken here too [inferred].
//   - A group's applications, and assigning one with PUT
//     applications/{id}/connectorGroup/$ref, take delegated
//     Directory.ReadWrite.All alone; application permissions are "Not
//     supported" [doc: connectorgroup-list-applications,
//     connectorgroup-post-applications, beta; msgraph-metadata
//     permissions/beta/Directory.json lists the same two paths].
//   - No page covers POST connectorGroups/{id}/applications/$ref (today's
//     post-applications page documents the PUT), GET
//     applications/{id}/connectorGroup or DELETE …/connectorGroup/$ref:
//     they take what the rest of the relationship takes, delegated
//     Directory.ReadWrite.All [inferred].
func applicationPermissions(operationID string) (Permissions, bool) {
	switch operationID {
	case OpListApplications:
		return Permissions{
			Delegated:   []string{ScopeApplicationReadAll, ScopeApplicationReadWriteAll, ScopeDirectoryReadWriteAll, ScopeDirectoryReadAll},
			Application: []string{ScopeApplicationReadAll, ScopeApplicationReadWriteOwnedBy, ScopeApplicationReadWriteAll, ScopeDirectoryReadAll, ScopeDirectoryReadWriteAll},
		}, true
	case OpGetApplication:
		return Permissions{
			Delegated:   []string{ScopeApplicationReadAll, ScopeDirectoryReadAll, ScopeApplicationReadWriteAll, ScopeDirectoryReadWriteAll},
			Application: []string{ScopeApplicationReadAll, ScopeDirectoryReadAll, ScopeApplicationReadWriteOwnedBy, ScopeApplicationReadWriteAll, ScopeDirectoryReadWriteAll},
		}, true
	case OpListConnectorGroupApplications, OpAddConnectorGroupApplication, OpGetApplicationConnectorGroup,
		OpSetApplicationConnectorGroup, OpRemoveApplicationConnectorGroup:
		return Permissions{Delegated: []string{ScopeDirectoryReadWriteAll}}, true
	}
	return Permissions{}, false
}
