package main

import (
	"net/url"
	"strings"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// betaHint returns a hint for a base URL that does not end with Graph's
// beta version, where connector groups are served, or "" for one that
// does. A call to such a base URL fails with an answer that does not say
// why (Graph's "Invalid version." or "Resource not found for the segment
// ..."), so the command says what the user most likely meant. The URL is
// shown without its user info, which may hold a password.
func betaHint(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return ""
	}
	path := strings.TrimRight(u.Path, "/")
	last := path[strings.LastIndex(path, "/")+1:]
	if graph.ServesConnectorGroups(last) {
		return ""
	}
	if graph.IsVersion(last) {
		path = strings.TrimSuffix(path, last) + graph.Beta
	} else {
		path += "/" + graph.Beta
	}
	suggestion := url.URL{Scheme: u.Scheme, Host: u.Host, Path: path}
	return "connector groups are served under /" + graph.Beta + ": did you mean " + suggestion.String() + "?"
}
