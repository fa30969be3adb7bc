package fakegraph

import (
	"errors"
	"net/url"
	"strings"
)

// errInvalidODataID: the body's @odata.id is not an absolute URL naming a
// connector. Graph calls this "Invalid URL format specified in payload."
var errInvalidODataID = errors.New("fakegraph: @odata.id is not a URL naming a connector")

// connectorPaths are the paths, after /{ver}, that name a connector:
// the doc page's form, the collection's form, today's service's form, and
// the generic directoryObjects form. Segment names match case-insensitively,
// as Graph's do.
var connectorPaths = [][]string{
	{"connector"},
	{"connectors"},
	{"onPremisesPublishingProfiles", "applicationProxy", "connectors"},
	{"directoryObjects"},
}

// connectorIDFromODataID returns the connector id that an @odata.id link
// names, e.g. https://graph.microsoft.com/beta/connector/{id}.
//
// Any host is accepted: callers point their client at the fake, and links
// built from either the fake's base URL or Graph's must both work. The
// scheme, the version segment and the path's shape are checked.
func connectorIDFromODataID(ref string) (string, error) {
	u, err := url.Parse(ref)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", errInvalidODataID
	}
	segs := strings.Split(strings.TrimPrefix(u.Path, "/"), "/")
	if len(segs) < 2 || !isGraphVersion(segs[0]) {
		return "", errInvalidODataID
	}
	segs = segs[1:]
	for _, prefix := range connectorPaths {
		if len(segs) == len(prefix)+1 && equalFoldAll(segs[:len(prefix)], prefix) && segs[len(prefix)] != "" {
			return segs[len(prefix)], nil
		}
	}
	return "", errInvalidODataID
}

// isGraphVersion reports whether seg is a Graph API version the fake serves.
func isGraphVersion(seg string) bool {
	return strings.EqualFold(seg, "beta") || strings.EqualFold(seg, "v1.0")
}

func equalFoldAll(a, b []string) bool {
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}
