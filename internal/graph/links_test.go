package graph

import (
	"errors"
	"testing"
)

func TestParseConnectorLink(t *testing.T) {
	tests := []struct {
		ref, id string // id "" means refused
	}{
		{"https://graph.microsoft.com/beta/connector/d2b1f9a0", "d2b1f9a0"},
		{"https://graph.microsoft.com/v1.0/connector/d2b1f9a0", "d2b1f9a0"},
		{"https://graph.microsoft.com/beta/connectors/c-1", "c-1"},
		{"https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors/c-1", "c-1"},
		{"http://127.0.0.1:8080/beta/connector/c-1", "c-1"},
		{"http://[::1]:8080/beta/connector/c-1", ""}, // no IPv6 literals
		{"http://localhost:8080/beta/connector/c-1", "c-1"},
		{"https://graph.microsoft.com/beta/connector/a%20b", "a b"},
		{"https://graph.microsoft.com/beta/connector/a%2Fb", "a/b"},
		{"https://A.COM", ""},
		{"urn:example:1", ""},
		{"https://graph.microsoft.com/beta/users/c-1", ""},
		{"https://graph.microsoft.com/beta/directoryObjects/c-1", ""},
		{"https://graph.microsoft.com/beta/connector/c-1?x=1", ""},
		{"https://graph.microsoft.com/beta/connector/c-1#f", ""},
		{"https://user@graph.microsoft.com/beta/connector/c-1", ""},
		{"https://graph.microsoft.com/v2/connector/c-1", ""},
		{"https://graph.microsoft.com/beta/connector/", ""},
		{"https://graph.microsoft.com/beta/connector/a/b", ""},
		{"https://graph.microsoft.com/beta/connector/%zz", ""},
		{"https://graph.microsoft.com/{ver}/connector/{id}", ""},
		{"ftp://graph.microsoft.com/beta/connector/c-1", ""},
		{"https://graph.microsoft.com/BETA/Connector/c-1", ""},
		{"d2b1f9a0", ""},
		{"", ""},
	}
	for _, tt := range tests {
		id, err := ParseConnectorLink(tt.ref)
		if tt.id == "" {
			if !errors.Is(err, ErrNotAConnectorLink) {
				t.Errorf("ParseConnectorLink(%q) = %q, %v; want ErrNotAConnectorLink", tt.ref, id, err)
			}
			continue
		}
		if err != nil || id != tt.id {
			t.Errorf("ParseConnectorLink(%q) = %q, %v; want %q", tt.ref, id, err, tt.id)
		}
	}
}

func TestLinksParseBack(t *testing.T) {
	for _, id := range []string{"d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30", "a b", "x%y", "ü"} {
		for _, link := range []string{DocConnectorLink(Beta, id), ConnectorLink(Beta, id)} {
			got, err := ParseConnectorLink(link)
			if err != nil || got != id {
				t.Errorf("ParseConnectorLink(%q) = %q, %v; want %q", link, got, err, id)
			}
		}
	}
}

func TestVersionOfBaseURL(t *testing.T) {
	tests := map[string]string{
		"https://graph.microsoft.com/beta":  "beta",
		"https://graph.microsoft.com/v1.0/": "v1.0",
		"http://127.0.0.1:8080/mock/beta":   "beta",
		"http://127.0.0.1:8080":             "beta",
		"http://h/v2":                       "beta",
		"http://h/beta/x":                   "beta",
		"::not a url":                       "beta",
	}
	for in, want := range tests {
		if got := VersionOfBaseURL(in); got != want {
			t.Errorf("VersionOfBaseURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseConnectorGroupLink(t *testing.T) {
	tests := []struct {
		ref, id string // id "" means refused
	}{
		{"https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/g-1", "g-1"},
		{"http://127.0.0.1:8080/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/a%20b", "a b"},
		{"https://graph.microsoft.com/v1.0/onPremisesPublishingProfiles/applicationProxy/connectorGroups/g-1", "g-1"},
		{"https://graph.microsoft.com/beta/connectorGroups/g-1", ""},
		{"https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors/g-1", ""},
		{"https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/", ""},
		{"https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/g/members", ""},
		{"https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/%zz", ""},
		{"https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/g?x=1", ""},
		{"g-1", ""},
	}
	for _, tt := range tests {
		id, err := ParseConnectorGroupLink(tt.ref)
		if tt.id == "" {
			if !errors.Is(err, ErrNotAConnectorGroupLink) {
				t.Errorf("ParseConnectorGroupLink(%q) = %q, %v; want ErrNotAConnectorGroupLink", tt.ref, id, err)
			}
			continue
		}
		if err != nil || id != tt.id {
			t.Errorf("ParseConnectorGroupLink(%q) = %q, %v; want %q", tt.ref, id, err, tt.id)
		}
	}
}

func TestParseApplicationLink(t *testing.T) {
	tests := []struct {
		ref, id string // id "" means refused
	}{
		{"https://graph.microsoft.com/beta/applications/a-1", "a-1"},
		{"https://graph.microsoft.com/v1.0/applications/a-1", "a-1"},
		{"https://graph.microsoft.com/beta/directoryObjects/a-1", "a-1"},
		{"http://127.0.0.1:8080/beta/applications/a%20b", "a b"},
		{"https://graph.microsoft.com/beta/applications/", ""},
		{"https://graph.microsoft.com/beta/applications/a/connectorGroup", ""},
		{"https://graph.microsoft.com/beta/applications/a?$select=id", ""},
		{"https://graph.microsoft.com/beta/Applications/a-1", ""},
		{"https://graph.microsoft.com/beta/servicePrincipals/a-1", ""},
		{"https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/a-1", ""},
		{"https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors/a-1", ""},
		{"https://graph.microsoft.com/{ver}/applications/{id}", ""},
		{"https://graph.microsoft.com/beta/applications/%zz", ""},
		{"a-1", ""},
	}
	for _, tt := range tests {
		id, err := ParseApplicationLink(tt.ref)
		if tt.id == "" {
			if !errors.Is(err, ErrNotAnApplicationLink) {
				t.Errorf("ParseApplicationLink(%q) = %q, %v; want ErrNotAnApplicationLink", tt.ref, id, err)
			}
			continue
		}
		if err != nil || id != tt.id {
			t.Errorf("ParseApplicationLink(%q) = %q, %v; want %q", tt.ref, id, err, tt.id)
		}
	}
	link := ApplicationLinkAt("http://127.0.0.1:8080/beta", "a/1 ü")
	if link != "http://127.0.0.1:8080/beta/applications/a%2F1%20%C3%BC" {
		t.Errorf("ApplicationLinkAt = %s", link)
	}
	if id, err := ParseApplicationLink(link); err != nil || id != "a/1 ü" {
		t.Errorf("round trip: %q, %v", id, err)
	}
}

// Links built under a base URL name that service, and parse back.
func TestLinksAtBaseURL(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{ConnectorLinkAt("http://127.0.0.1:8080/beta/", "a b"), "http://127.0.0.1:8080/beta/onPremisesPublishingProfiles/applicationProxy/connectors/a%20b"},
		{ConnectorLinkAt("https://graph.microsoft.us/beta", "c"), "https://graph.microsoft.us/beta/onPremisesPublishingProfiles/applicationProxy/connectors/c"},
		{ConnectorLinkAt("http://h/v2", "c"), "http://h/beta/onPremisesPublishingProfiles/applicationProxy/connectors/c"},
		{ConnectorLinkAt("http://h:8/proxy/v1.0", "c"), "http://h:8/v1.0/onPremisesPublishingProfiles/applicationProxy/connectors/c"},
		{ConnectorLinkAt("::", "c"), "https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors/c"},
		{DocConnectorLinkAt("http://h:1/beta", "c"), "http://h:1/beta/connector/c"},
		{ConnectorGroupLinkAt("http://h:1/beta", "g/1"), "http://h:1/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/g%2F1"},
		{ConnectorLink(Beta, "c"), "https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors/c"},
		{DocConnectorLink(Beta, "c"), "https://graph.microsoft.com/beta/connector/c"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %s, want %s", tt.got, tt.want)
		}
	}
	if id, err := ParseConnectorLink(ConnectorLinkAt("http://127.0.0.1:8080/beta", "a b")); err != nil || id != "a b" {
		t.Errorf("round trip: %q, %v", id, err)
	}
	if id, err := ParseConnectorGroupLink(ConnectorGroupLinkAt("http://127.0.0.1:8080/beta", "g/1")); err != nil || id != "g/1" {
		t.Errorf("round trip: %q, %v", id, err)
	}
}
