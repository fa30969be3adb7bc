package graph

// A connectorGroup's connectorGroupType and region are OData enum members
// on the wire, and the service sends members its published enums lack:
// "syncFabric" (microsoft-graph-docs-contrib PR #9265) and "japan"
// (terraform-provider-microsoft365 PR #3213). So what may be held and
// served is not the published list but the shape of any member's name.

// GroupTypeApplicationProxy is the connectorGroupType the service gives
// every group it creates [doc: connectorGroup resource, beta].
const GroupTypeApplicationProxy = "applicationProxy"

// MaxEnumMemberLength bounds an enum member's name: a CSDL
// SimpleIdentifier has at most 128 characters (OData CSDL XML 4.01,
// section 17.2).
const MaxEnumMemberLength = 128

// IsEnumMemberName reports whether s can name an enum member: a CSDL
// SimpleIdentifier, a letter or underscore and then letters, digits and
// underscores, MaxEnumMemberLength at most. CSDL allows other Unicode
// letters too; this takes ASCII only, as every member of Graph's enums
// is [inferred].
func IsEnumMemberName(s string) bool {
	if s == "" || len(s) > MaxEnumMemberLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
