package graph

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// ConnectorLinkPattern is the whole rule for an @odata.id that names a
// connector, written once here and, verbatim, as the pattern of
// openapi/connectorgroups.yaml#/components/schemas/ReferenceCreate (a test
// keeps the two equal). A link is:
//
//   - http or https, any host name or IPv4 address and port: callers point
//     their client at the fake, and links built from its URL or from
//     Graph's must both work. IPv6 literals are left out: the spec's
//     format: uri parses them (url.Parse), which a pattern cannot match;
//   - a version segment, beta or v1.0: the doc page writes {ver};
//   - one of the paths that name a connector: the doc page's connector/{id},
//     the set connectors/{id}, or today's
//     onPremisesPublishingProfiles/applicationProxy/connectors/{id} [doc];
//   - an id of RFC 3986 path characters, percent-escapes included;
//   - nothing after it: no query, no fragment, no user info.
//
// Segment names match case-sensitively (inferred: Graph's link parsing is
// not documented). A string of another shape is refused with 400 "Invalid
// URL format specified in payload."; a link of this shape whose id names
// no connector is a 404.
const ConnectorLinkPattern = `^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/(beta|v1\.0)/(connector|connectors|onPremisesPublishingProfiles/applicationProxy/connectors)/(([A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})+)$`

// connectorLink is compiled on first use: a program that only builds links
// (the client) does not pay for it at start-up.
var connectorLink = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(ConnectorLinkPattern) })

// ErrNotAConnectorLink: the string is not a link to a connector in any of
// the forms of ConnectorLinkPattern.
var ErrNotAConnectorLink = errors.New("graph: not a link to a connector")

// ParseConnectorLink returns the connector id that an @odata.id names,
// percent-escapes decoded.
func ParseConnectorLink(ref string) (string, error) {
	if !connectorLink().MatchString(ref) {
		return "", ErrNotAConnectorLink
	}
	id, err := url.PathUnescape(lastSegment(ref))
	if err != nil || id == "" {
		return "", ErrNotAConnectorLink
	}
	return id, nil
}

// ConnectorGroupLinkPattern is the whole rule for an @odata.id that names a
// connector group, verbatim the pattern of
// openapi/connectorgroups.yaml#/components/schemas/ConnectorGroupReferenceCreate.
// It has the host, version and id rules of ConnectorLinkPattern, and one
// path: today's onPremisesPublishingProfiles/applicationProxy/connectorGroups/{id}
// (no connectorGroups set exists at the root today) [doc, beta CSDL].
const ConnectorGroupLinkPattern = `^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/(beta|v1\.0)/onPremisesPublishingProfiles/applicationProxy/connectorGroups/(([A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})+)$`

var connectorGroupLink = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(ConnectorGroupLinkPattern) })

// ErrNotAConnectorGroupLink: the string is not a link to a connector group.
var ErrNotAConnectorGroupLink = errors.New("graph: not a link to a connector group")

// ParseConnectorGroupLink returns the group id that an @odata.id names,
// percent-escapes decoded.
func ParseConnectorGroupLink(ref string) (string, error) {
	if !connectorGroupLink().MatchString(ref) {
		return "", ErrNotAConnectorGroupLink
	}
	id, err := url.PathUnescape(lastSegment(ref))
	if err != nil || id == "" {
		return "", ErrNotAConnectorGroupLink
	}
	return id, nil
}

// ApplicationLinkPattern is the whole rule for an @odata.id that names an
// application, verbatim the pattern of
// openapi/connectorgroups.yaml#/components/schemas/ApplicationReferenceCreate.
// It has the host, version and id rules of ConnectorLinkPattern, and two
// paths: the applications set, applications/{id}, the form the 2015 page
// "Create application" posts [doc: microsoft-graph-docs-contrib
// connectorgroup-post-applications.md, its first version], and
// directoryObjects/{id}, the form Graph's directory $ref adds take for any
// directory object [inferred for this relationship].
const ApplicationLinkPattern = `^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/(beta|v1\.0)/(applications|directoryObjects)/(([A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})+)$`

var applicationLink = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(ApplicationLinkPattern) })

// ErrNotAnApplicationLink: the string is not a link to an application.
var ErrNotAnApplicationLink = errors.New("graph: not a link to an application")

// ParseApplicationLink returns the application id that an @odata.id
// names, percent-escapes decoded.
func ParseApplicationLink(ref string) (string, error) {
	if !applicationLink().MatchString(ref) {
		return "", ErrNotAnApplicationLink
	}
	id, err := url.PathUnescape(lastSegment(ref))
	if err != nil || id == "" {
		return "", ErrNotAnApplicationLink
	}
	return id, nil
}

// lastSegment is what follows the last slash: in a link that matches
// either pattern, the id, whose characters never include a slash.
func lastSegment(ref string) string {
	return ref[strings.LastIndexByte(ref, '/')+1:]
}

// LinkRoot is the service root with its version that links built for
// baseURL start with: the base URL's scheme and host (a national cloud's,
// a fake's), then the version VersionOfBaseURL reads from it. A link names
// the service the caller talks to, in the one shape the link patterns
// take: a base URL such as http://host/v2 names no Graph version, so its
// links say beta, as everything else that reads it does.
func LinkRoot(baseURL string) string {
	version := VersionOfBaseURL(baseURL)
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ServiceRoot + "/" + version
	}
	return u.Scheme + "://" + u.Host + "/" + version
}

// ConnectorLinkAt is the @odata.id of a connector in today's form for
// baseURL (see LinkRoot).
func ConnectorLinkAt(baseURL, connectorID string) string {
	return LinkRoot(baseURL) + ConnectorPath(connectorID)
}

// DocConnectorLinkAt is the doc page's form of the link for baseURL:
// {root}/{ver}/connector/{id}.
func DocConnectorLinkAt(baseURL, connectorID string) string {
	return LinkRoot(baseURL) + "/connector/" + url.PathEscape(connectorID)
}

// ConnectorGroupLinkAt is the @odata.id of a connector group for baseURL.
func ConnectorGroupLinkAt(baseURL, groupID string) string {
	return LinkRoot(baseURL) + ConnectorGroupPath(groupID)
}

// ApplicationLinkAt is the @odata.id of an application for baseURL:
// {root}/{ver}/applications/{id}.
func ApplicationLinkAt(baseURL, applicationID string) string {
	return LinkRoot(baseURL) + ApplicationPath(applicationID)
}

// DocConnectorLink is the @odata.id of a connector in the doc page's form,
// https://graph.microsoft.com/{ver}/connector/{id}, with the id
// path-escaped. The seed operation sends exactly this.
func DocConnectorLink(version, connectorID string) string {
	return DocConnectorLinkAt(ServiceRoot+"/"+version, connectorID)
}

// ConnectorLink is the @odata.id of a connector in today's form,
// https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors/{id}
// [doc: microsoft-graph-docs-contrib connectorgroup-post-members.md].
func ConnectorLink(version, connectorID string) string {
	return ConnectorLinkAt(ServiceRoot+"/"+version, connectorID)
}

// ConnectorEntityContext is the @odata.context of a single connector in a
// response body. Graph puts one on every entity body; the exact fragment
// for this navigation is inferred from the OData URL conventions.
func ConnectorEntityContext(version string) string {
	return metadata(version) + "connectors/$entity"
}

// The @odata.context of today's bodies, in the form Graph writes for a
// singleton's navigation (inferred from the OData URL conventions; Graph's
// pages do not show them).

// ConnectorGroupEntityContext is the context of one connector group.
func ConnectorGroupEntityContext(version string) string {
	return metadata(version) + "onPremisesPublishingProfiles('applicationProxy')/connectorGroups/$entity"
}

// ApplicationProxyConnectorEntityContext is the context of one connector
// read at today's path, connectors/{id}.
func ApplicationProxyConnectorEntityContext(version string) string {
	return metadata(version) + "onPremisesPublishingProfiles('applicationProxy')/connectors/$entity"
}

// ConnectorGroupsContext is the context of a page of connector groups.
func ConnectorGroupsContext(version string) string {
	return metadata(version) + "onPremisesPublishingProfiles('applicationProxy')/connectorGroups"
}

// ConnectorsContext is the context of a page of connectors.
func ConnectorsContext(version string) string {
	return metadata(version) + "onPremisesPublishingProfiles('applicationProxy')/connectors"
}

// MembersContext is the context of a page of a group's members.
func MembersContext(version, groupID string) string {
	return metadata(version) + "onPremisesPublishingProfiles('applicationProxy')/connectorGroups('" + url.PathEscape(groupID) + "')/members"
}

// MemberOfContext is the context of a connector's memberOf page.
func MemberOfContext(version, connectorID string) string {
	return metadata(version) + "onPremisesPublishingProfiles('applicationProxy')/connectors('" + url.PathEscape(connectorID) + "')/memberOf"
}

func metadata(version string) string { return ServiceRoot + "/" + version + "/$metadata#" }

// The @odata.context of the applications' bodies, in the form Graph writes
// for its directory's applications set (inferred from the OData URL
// conventions).

// ApplicationEntityContext is the context of one application.
func ApplicationEntityContext(version string) string {
	return metadata(version) + "applications/$entity"
}

// ApplicationsContext is the context of a page of applications.
func ApplicationsContext(version string) string { return metadata(version) + "applications" }

// GroupApplicationsContext is the context of a page of a group's
// applications.
func GroupApplicationsContext(version, groupID string) string {
	return metadata(version) + "onPremisesPublishingProfiles('applicationProxy')/connectorGroups('" + url.PathEscape(groupID) + "')/applications"
}

// ApplicationConnectorGroupContext is the context of an application's one
// connector group.
func ApplicationConnectorGroupContext(version, applicationID string) string {
	return metadata(version) + "applications('" + url.PathEscape(applicationID) + "')/connectorGroup/$entity"
}
