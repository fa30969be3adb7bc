package fakegraph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// SeedApplication is an application (Graph's application resource, beta,
// the part Application Proxy needs). OnPremisesPublishing is its
// onPremisesPublishing object; absent or null means on-premises
// publishing is off, and such an application has no connector group.
// ConnectorGroup is the id of the group it is assigned to; absent or ""
// leaves it unassigned, and one with publishing on then reports the
// default group, as the live service's applications do once their
// assignment is removed (see store_applications.go).
type SeedApplication struct {
	ID                   string          `json:"id"`
	AppID                string          `json:"appId"`
	DisplayName          string          `json:"displayName"`
	OnPremisesPublishing json.RawMessage `json:"onPremisesPublishing,omitempty"`
	ConnectorGroup       string          `json:"connectorGroup,omitempty"`
}

// publishing is the onPremisesPublishing object as compact JSON, or nil
// when publishing is off (absent or null). The seed is valid.
func (a SeedApplication) publishing() json.RawMessage {
	raw := bytes.TrimSpace(a.OnPremisesPublishing)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return nil
	}
	return b.Bytes()
}

// compactApplications writes each application's onPremisesPublishing as
// the fake serves it, compact, and null as absent, as both decoders read
// a seed: a seed read from a file that -state-out indented equals the
// state it was written from. A value that is not an object stays one, for
// Validate to refuse.
func (s *Seed) compactApplications() {
	for i := range s.Applications {
		s.Applications[i].OnPremisesPublishing = s.Applications[i].publishing()
	}
}

// Published reports whether the application's on-premises publishing is
// on: whether it has a connector group.
func (a SeedApplication) Published() bool { return a.publishing() != nil }

// ApplicationGroup is the id of the group the seed's application reports:
// the one it is assigned to, else the default group; "" when its
// publishing is off. The seed must be valid.
func (s *Seed) ApplicationGroup(a SeedApplication) string {
	switch {
	case !a.Published():
		return ""
	case a.ConnectorGroup != "":
		return a.ConnectorGroup
	}
	for _, g := range s.ConnectorGroups {
		if g.IsDefault {
			return g.ID
		}
	}
	return ""
}

// publishingTypes are the JSON types of onPremisesPublishing's properties
// that the spec declares (openapi/connectorgroups.yaml#/components/schemas/OnPremisesPublishing);
// a seed may give others, which the fake serves as they are.
var publishingTypes = map[string]string{
	"externalUrl":                "a string",
	"internalUrl":                "a string",
	"externalAuthenticationType": "a string",
	"isOnPremPublishingEnabled":  "a boolean",
}

// validateApplications reports every problem of the seed's applications,
// each naming the offending item: empty or duplicate ids and appIds, a
// display name the spec would not hold, an onPremisesPublishing that is
// not an object (or null) or gives a declared property the wrong type, an
// assignment to a group the seed lacks, and one of an application whose
// publishing is off, which Graph refuses.
func (s *Seed) validateApplications(groupIDs map[string]bool) []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("fakegraph: seed: "+format, args...))
	}
	ids := make(map[string]bool, len(s.Applications))
	appIDs := make(map[string]bool, len(s.Applications))
	for i, a := range s.Applications {
		at := itemAt("applications", i, a.ID)
		if msg := checkID(a.ID); msg != "" {
			bad("%s: id %s", at, msg)
		} else if ids[a.ID] {
			bad("%s: duplicate application id", at)
		}
		ids[a.ID] = true
		if msg := checkID(a.AppID); msg != "" {
			bad("%s: appId %s", at, msg)
		} else if appIDs[a.AppID] {
			bad("%s: appId %q is another application's too: Graph's appIds are unique", at, a.AppID)
		}
		appIDs[a.AppID] = true
		if msg := checkName(a.DisplayName); msg != "" {
			bad("%s: displayName %s", at, msg)
		}
		if msg := checkPublishing(a.OnPremisesPublishing); msg != "" {
			bad("%s: onPremisesPublishing %s", at, msg)
			continue
		}
		switch {
		case a.ConnectorGroup == "":
		case !groupIDs[a.ConnectorGroup]:
			bad("%s: connectorGroup %q is not a connectorGroup id", at, a.ConnectorGroup)
		case !a.Published():
			bad("%s: connectorGroup %q: an application whose onPremisesPublishing is null cannot be assigned to a group (Graph answers Application_NotFound \"OnPremisesPublishing is not enabled\")", at, a.ConnectorGroup)
		}
	}
	return errs
}

// checkPublishing returns why raw cannot be an onPremisesPublishing, or "":
// it must be an object or null, and the properties the spec declares must
// have their types, so that the fake never answers off the spec.
func checkPublishing(raw json.RawMessage) string {
	if t := bytes.TrimSpace(raw); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return ""
	}
	var obj map[string]json.RawMessage
	if kind := jsonKind(raw); kind != "an object" || json.Unmarshal(raw, &obj) != nil {
		return fmt.Sprintf("is %s; it must be an object, or null when on-premises publishing is off", kind)
	}
	names := make([]string, 0, len(publishingTypes))
	for name := range publishingTypes {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		v, ok := obj[name]
		if !ok {
			continue
		}
		got := jsonKind(v)
		if got != publishingTypes[name] {
			return fmt.Sprintf("%s is %s; it must be %s", name, got, publishingTypes[name])
		}
	}
	return ""
}
