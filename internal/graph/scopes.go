package graph

import "slices"

// The permissions this project's operations name.
const (
	ScopeDirectoryReadWriteAll    = "Directory.ReadWrite.All"
	ScopeDirectoryAccessAsUserAll = "Directory.AccessAsUser.All"
	ScopeDirectoryReadAll         = "Directory.Read.All"
)

// AddMemberScopes are the scopes the seed operation accepts, either one
// sufficing: the doc page's Prerequisites list both
// (openapi/connectorgroups.yaml#/paths/~1connectorGroups~1{id}~1members~1$ref/post).
func AddMemberScopes() []string {
	return []string{ScopeDirectoryReadWriteAll, ScopeDirectoryAccessAsUserAll}
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
