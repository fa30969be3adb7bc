package graph

import (
	"net/url"
	"strings"
)

// ServiceRoot is Microsoft Graph's public endpoint, without a version.
const ServiceRoot = "https://graph.microsoft.com"

// The Graph API versions. Connector groups exist in beta only: the v1.0
// CSDL has no connector, connectorGroup or onPremisesPublishingProfile
// types, so a v1.0 call gets the unknown-segment error [doc].
const (
	Beta = "beta"
	V1   = "v1.0"
)

// DefaultVersion is the version connector groups are served at.
const DefaultVersion = Beta

// IsVersion reports whether seg is a Graph API version segment (beta or
// v1.0), whether or not it serves connector groups.
func IsVersion(seg string) bool { return seg == Beta || seg == V1 }

// ServesConnectorGroups reports whether version has the connector-group
// API: beta only.
func ServesConnectorGroups(version string) bool { return version == Beta }

// VersionOfBaseURL is the Graph version a base URL names: its last path
// segment when that is beta or v1.0, else DefaultVersion. It is the one
// rule for it: the client's links, the contract suite's links and the
// fake all read a base URL the same way. A base URL such as
// http://host/v2 names no Graph version, so links built from it say beta.
func VersionOfBaseURL(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil {
		return DefaultVersion
	}
	path := strings.TrimRight(u.Path, "/")
	last := path[strings.LastIndex(path, "/")+1:]
	if IsVersion(last) {
		return last
	}
	return DefaultVersion
}
