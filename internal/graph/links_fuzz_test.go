package graph

import (
	"regexp"
	"testing"
)

// linkRootForm is the root (scheme, host, port, version) the link
// patterns accept; a base URL whose LinkRoot has another shape (an IPv6
// host, say) builds links the parsers rightly refuse.
var linkRootForm = regexp.MustCompile(`^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/(beta|v1\.0)$`)

// FuzzLinkParsers feeds any string to the three @odata.id parsers, and
// builds links in every form from it. Invariants: no panic; a parser
// accepts exactly what its pattern matches, and never with an empty id; no
// string is the link of two kinds (connector, group, application); and a
// link built by a builder,
// for any id, parses back to that id. Its corpus under testdata/fuzz
// replays in every go test.
func FuzzLinkParsers(f *testing.F) {
	for _, seed := range [][2]string{
		{"https://graph.microsoft.com/beta/connector/d2b1f9a0", ServiceRoot + "/beta"},
		{"https://graph.microsoft.com/v1.0/connectors/c-1", "http://127.0.0.1:8080/beta"},
		{"https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors/a%20b", "https://graph.microsoft.us/v1.0"},
		{"http://127.0.0.1:8080/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/4a1f0d12", "http://[::1]:8080/beta"},
		{"https://graph.microsoft.com/beta/connector/a%2Fb", "http://host/v2"},
		{"https://graph.microsoft.com/beta/connector/%zz", ""},
		{"https://user@graph.microsoft.com/beta/connector/c-1", "::"},
		{"https://graph.microsoft.com/{ver}/connector/{id}", "https://graph.microsoft.com"},
		{"é/..//?#%00", "http://a_b/beta"},
		{"https://graph.microsoft.com/beta/applications/5f0e2a71", "http://127.0.0.1:8080/beta"},
		{"https://graph.microsoft.com/v1.0/directoryObjects/a%2Fb", "https://graph.microsoft.com/beta"},
	} {
		f.Add(seed[0], seed[1])
	}
	connectorForm := regexp.MustCompile(ConnectorLinkPattern)
	groupForm := regexp.MustCompile(ConnectorGroupLinkPattern)
	applicationForm := regexp.MustCompile(ApplicationLinkPattern)
	f.Fuzz(func(t *testing.T, ref, baseURL string) {
		cid, cerr := ParseConnectorLink(ref)
		gid, gerr := ParseConnectorGroupLink(ref)
		aid, aerr := ParseApplicationLink(ref)
		if (aerr == nil) != applicationForm.MatchString(ref) {
			t.Fatalf("ParseApplicationLink(%q) = %q, %v; the pattern matches: %v", ref, aid, aerr, applicationForm.MatchString(ref))
		}
		if aerr == nil && (cerr == nil || gerr == nil || aid == "") {
			t.Fatalf("%q is an application's link (%q) and also a connector's (%v) or a group's (%v), or has an empty id", ref, aid, cerr == nil, gerr == nil)
		}
		if (cerr == nil) != connectorForm.MatchString(ref) {
			t.Fatalf("ParseConnectorLink(%q) = %q, %v; the pattern matches: %v", ref, cid, cerr, connectorForm.MatchString(ref))
		}
		if (gerr == nil) != groupForm.MatchString(ref) {
			t.Fatalf("ParseConnectorGroupLink(%q) = %q, %v; the pattern matches: %v", ref, gid, gerr, groupForm.MatchString(ref))
		}
		if cerr == nil && gerr == nil {
			t.Fatalf("%q is both a connector's link (%q) and a group's (%q)", ref, cid, gid)
		}
		if (cerr == nil && cid == "") || (gerr == nil && gid == "") {
			t.Fatalf("%q accepted with an empty id", ref)
		}
		// Every id a parser returned, and the input itself taken as an
		// id, goes through every builder and comes back unchanged.
		for _, id := range []string{cid, gid, aid, ref} {
			if id == "" {
				continue
			}
			requireConnectorRoundTrip(t, id, baseURL)
			requireGroupRoundTrip(t, id, baseURL)
			requireApplicationRoundTrip(t, id, baseURL)
		}
	})
}

// requireConnectorRoundTrip builds id's connector link in each form and
// parses it back: always for Graph's own root, and for baseURL when its
// LinkRoot is a root the pattern takes.
func requireConnectorRoundTrip(t *testing.T, id, baseURL string) {
	t.Helper()
	links := []string{ConnectorLink(Beta, id), DocConnectorLink(Beta, id), ConnectorLink("v1.0", id)}
	if linkRootForm.MatchString(LinkRoot(baseURL)) {
		links = append(links, ConnectorLinkAt(baseURL, id), DocConnectorLinkAt(baseURL, id))
	}
	for _, link := range links {
		got, err := ParseConnectorLink(link)
		if err != nil || got != id {
			t.Fatalf("ParseConnectorLink(%q) = %q, %v; built for id %q", link, got, err, id)
		}
		if _, err := ParseConnectorGroupLink(link); err == nil {
			t.Fatalf("the connector link %q parses as a group's", link)
		}
	}
}

// requireGroupRoundTrip is requireConnectorRoundTrip for a group's link.
func requireGroupRoundTrip(t *testing.T, id, baseURL string) {
	t.Helper()
	links := []string{ConnectorGroupLinkAt(ServiceRoot+"/"+Beta, id)}
	if linkRootForm.MatchString(LinkRoot(baseURL)) {
		links = append(links, ConnectorGroupLinkAt(baseURL, id))
	}
	for _, link := range links {
		got, err := ParseConnectorGroupLink(link)
		if err != nil || got != id {
			t.Fatalf("ParseConnectorGroupLink(%q) = %q, %v; built for id %q", link, got, err, id)
		}
		if _, err := ParseConnectorLink(link); err == nil {
			t.Fatalf("the group link %q parses as a connector's", link)
		}
	}
}

// requireApplicationRoundTrip is requireConnectorRoundTrip for an
// application's link.
func requireApplicationRoundTrip(t *testing.T, id, baseURL string) {
	t.Helper()
	links := []string{ApplicationLinkAt(ServiceRoot+"/"+Beta, id)}
	if linkRootForm.MatchString(LinkRoot(baseURL)) {
		links = append(links, ApplicationLinkAt(baseURL, id))
	}
	for _, link := range links {
		got, err := ParseApplicationLink(link)
		if err != nil || got != id {
			t.Fatalf("ParseApplicationLink(%q) = %q, %v; built for id %q", link, got, err, id)
		}
		if _, err := ParseConnectorLink(link); err == nil {
			t.Fatalf("the application link %q parses as a connector's", link)
		}
		if _, err := ParseConnectorGroupLink(link); err == nil {
			t.Fatalf("the application link %q parses as a group's", link)
		}
	}
}
