package fakegraph

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Seed is the fake's starting state: connectors, connector groups with their
// members, and the bearer tokens it accepts with their scopes. Its JSON form
// is what `connectorgroups serve -seed FILE` reads.
type Seed struct {
	Connectors      []SeedConnector      `json:"connectors"`
	ConnectorGroups []SeedConnectorGroup `json:"connectorGroups"`
	// Tokens maps an opaque bearer token to the scopes it grants, e.g.
	// "dev-token": ["Directory.ReadWrite.All"].
	Tokens map[string][]string `json:"tokens"`
}

// SeedConnector is a connector (Graph's connector resource, beta).
type SeedConnector struct {
	ID          string `json:"id"`
	MachineName string `json:"machineName"`
	ExternalIP  string `json:"externalIp"`
	Status      string `json:"status"` // active or inactive
	Version     string `json:"version,omitempty"`
}

// SeedConnectorGroup is a connector group (Graph's connectorGroup resource,
// beta) with the ids of its member connectors. Exactly one group of a seed
// is the default (isDefault), and a connector is in at most one group's
// Members: one that no group lists starts in the default group, as Graph's
// connectors do.
type SeedConnectorGroup struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	ConnectorGroupType string   `json:"connectorGroupType"` // applicationProxy, the only type today
	IsDefault          bool     `json:"isDefault"`
	Region             string   `json:"region"` // nam, eur, aus, asia, ind, unknownFutureValue; "" or null for none
	Members            []string `json:"members"`
}

// regions lists the spec's regions, for messages.
var regions = []string{
	string(api.ConnectorGroupRegionNam), string(api.ConnectorGroupRegionEur), string(api.ConnectorGroupRegionAus),
	string(api.ConnectorGroupRegionAsia), string(api.ConnectorGroupRegionInd), string(api.ConnectorGroupRegionUnknownFutureValue),
}

//go:embed defaultseed.json
var defaultSeedJSON []byte

// DefaultSeed returns a fresh copy of the embedded default seed, so callers
// may change it freely. Its ids are relied on by other packages' tests.
func DefaultSeed() *Seed {
	s, err := LoadSeed(bytes.NewReader(defaultSeedJSON))
	if err != nil {
		panic("fakegraph: the embedded default seed is invalid: " + err.Error())
	}
	return s
}

// LoadSeedFile reads and validates a seed from a JSON file.
func LoadSeedFile(path string) (*Seed, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("fakegraph: seed: %w", err)
	}
	defer f.Close()
	s, err := LoadSeed(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// LoadSeed decodes a seed strictly, so that a misspelt field is an error
// rather than a silently empty value, and then validates it. The top level
// must be an object: `null` would otherwise decode as an empty seed.
func LoadSeed(r io.Reader) (*Seed, error) {
	dec := json.NewDecoder(r)
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("fakegraph: seed: decoding JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("fakegraph: seed: decoding JSON: unexpected data after the top-level object")
	}
	if kind := jsonKind(raw); kind != "an object" {
		return nil, fmt.Errorf("fakegraph: seed: the top level is %s; it must be an object with connectors, connectorGroups and tokens", kind)
	}
	strict := json.NewDecoder(bytes.NewReader(raw))
	strict.DisallowUnknownFields()
	var s Seed
	if err := strict.Decode(&s); err != nil {
		return nil, fmt.Errorf("fakegraph: seed: decoding JSON: %w", err)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// jsonKind names the kind of a valid JSON value by its first byte.
func jsonKind(raw json.RawMessage) string {
	switch t := bytes.TrimSpace(raw); {
	case len(t) == 0:
		return "empty"
	case t[0] == '{':
		return "an object"
	case t[0] == '[':
		return "an array"
	case t[0] == '"':
		return "a string"
	case t[0] == 'n':
		return "null"
	case t[0] == 't' || t[0] == 'f':
		return "a boolean"
	default:
		return "a number"
	}
}

// Validate reports every problem of the seed at once, each naming the
// offending item: empty or duplicate ids, members that are not connectors,
// a connector placed in two groups, no default group or more than one,
// values outside the spec's enumerations (a seed must not make the fake
// answer off-spec), unusable tokens. A seed without connectors or without
// groups is rejected too: no add could succeed on it, so it is almost
// surely a mistake. (New also rejects one without tokens, unless unsigned
// JWTs are trusted.)
func (s *Seed) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("fakegraph: seed: "+format, args...))
	}
	// No connectors is a tenant that installed none yet: groups can still
	// be listed, created, renamed and deleted. No groups is no tenant: it
	// always has its default group.
	if len(s.ConnectorGroups) == 0 {
		bad("connectorGroups is empty: a tenant always has its default group (isDefault true)")
	}

	connectorIDs := make(map[string]bool, len(s.Connectors))
	for i, c := range s.Connectors {
		where := fmt.Sprintf("connectors[%d]", i)
		if c.ID != "" {
			where += fmt.Sprintf(" (id %q)", c.ID)
		}
		if msg := checkID(c.ID); msg != "" {
			bad("%s: id %s", where, msg)
		} else if connectorIDs[c.ID] {
			bad("%s: duplicate connector id", where)
		}
		connectorIDs[c.ID] = true
		if !api.ConnectorStatus(c.Status).Valid() {
			bad("%s: status %q is not one of %s, %s", where, c.Status, api.ConnectorStatusActive, api.ConnectorStatusInactive)
		}
	}

	groupIDs := make(map[string]bool, len(s.ConnectorGroups))
	placed := make(map[string][]string, len(s.Connectors)) // connector → the groups listing it
	var defaults []string
	for i, g := range s.ConnectorGroups {
		where := fmt.Sprintf("connectorGroups[%d]", i)
		if g.ID != "" {
			where += fmt.Sprintf(" (id %q)", g.ID)
		}
		if msg := checkID(g.ID); msg != "" {
			bad("%s: id %s", where, msg)
		} else if groupIDs[g.ID] {
			bad("%s: duplicate connectorGroup id", where)
		}
		groupIDs[g.ID] = true
		if strings.TrimSpace(g.Name) == "" {
			bad("%s: name is empty", where)
		}
		if !api.ConnectorGroupType(g.ConnectorGroupType).Valid() {
			bad("%s: connectorGroupType %q is not %s, the only type the spec declares", where, g.ConnectorGroupType, api.ConnectorGroupTypeApplicationProxy)
		}
		if g.Region != "" && !api.ConnectorGroupRegion(g.Region).Valid() {
			bad("%s: region %q is not one of %s (or null)", where, g.Region, strings.Join(regions, ", "))
		}
		if g.IsDefault {
			defaults = append(defaults, fmt.Sprintf("%q", g.ID))
		}
		seen := make(map[string]bool, len(g.Members))
		for _, m := range g.Members {
			switch {
			case !connectorIDs[m] || m == "":
				bad("%s: member %q is not a connector id", where, m)
			case seen[m]:
				bad("%s: member %q is listed twice", where, m)
			default:
				placed[m] = append(placed[m], fmt.Sprintf("%q", g.ID))
			}
			seen[m] = true
		}
	}
	for _, c := range s.Connectors {
		if in := placed[c.ID]; len(in) > 1 {
			bad("connector %q is a member of connectorGroups %s: a connector is in exactly one group", c.ID, strings.Join(in, " and "))
			placed[c.ID] = nil // a duplicate connector id is reported once
		}
	}
	switch {
	case len(s.ConnectorGroups) > 0 && len(defaults) == 0:
		bad("no connectorGroup is the default: exactly one must have isDefault true (it holds every connector no group lists)")
	case len(defaults) > 1:
		bad("connectorGroups %s all have isDefault true: exactly one group is the default", strings.Join(defaults, ", "))
	}

	tokens := make([]string, 0, len(s.Tokens))
	for t := range s.Tokens {
		tokens = append(tokens, t)
	}
	slices.Sort(tokens) // a stable order of messages
	for _, t := range tokens {
		switch {
		case t == "":
			bad("tokens: a token is empty")
		case graph.HasSpaceOrControl(t):
			bad("tokens: token %q has whitespace or control characters, so it cannot be sent as a Bearer token", t)
		}
		for _, scope := range s.Tokens[t] {
			if scope == "" || graph.HasSpaceOrControl(scope) {
				bad("tokens: token %q: scope %q is empty or has whitespace", t, scope)
			}
		}
	}
	return errors.Join(errs...)
}

// Placed returns the seed's groups, in the seed's order, with every
// connector placed as New places it: a group's members as listed, and the
// default group's followed by every connector that no group lists, in the
// seed's order. It is the one home of that rule (Graph's: "If you don't
// create connector groups, all your connectors will be part of the default
// group"). The seed must be valid; Placed copies, and changes nothing.
func (s *Seed) Placed() []SeedConnectorGroup {
	listed := make(map[string]bool, len(s.Connectors))
	out := make([]SeedConnectorGroup, len(s.ConnectorGroups))
	def := -1
	for i, g := range s.ConnectorGroups {
		g.Members = slices.Clone(g.Members)
		for _, m := range g.Members {
			listed[m] = true
		}
		if g.IsDefault && def < 0 {
			def = i
		}
		out[i] = g
	}
	if def < 0 {
		return out
	}
	for _, c := range s.Connectors {
		if !listed[c.ID] {
			out[def].Members = append(out[def].Members, c.ID)
			listed[c.ID] = true
		}
	}
	return out
}

// checkID returns why id cannot be used in a URL path segment, or "".
func checkID(id string) string {
	switch {
	case id == "":
		return "is empty"
	case strings.Contains(id, "/"):
		return fmt.Sprintf("%q contains '/'", id)
	case graph.HasSpaceOrControl(id):
		return fmt.Sprintf("%q contains whitespace or control characters", id)
	}
	return ""
}
