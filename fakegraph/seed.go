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
	"unicode/utf8"

	"github.com/connectorgroups/connectorgroups/gen/api"
	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/specvalidator"
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
	// Applications are optional: a seed without them has none
	// (seed_applications.go).
	Applications []SeedApplication `json:"applications,omitempty"`
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
//
// ConnectorGroupType and Region take the published values (applicationProxy;
// nam, eur, aus, asia, ind, unknownFutureValue) and any other an enum
// member could have, such as the syncFabric and japan that real tenants
// answer: the fake serves them as they are.
type SeedConnectorGroup struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	ConnectorGroupType string   `json:"connectorGroupType"` // applicationProxy, syncFabric, …
	IsDefault          bool     `json:"isDefault"`
	Region             string   `json:"region"` // nam, eur, …, japan, …; "" or null for none
	Members            []string `json:"members"`
}

// notEnumMember says what a seed's connectorGroupType or region must be.
// The service sends values its published enums lack (japan, syncFabric),
// and may send more, so a seed may hold any name an enum member can have
// (graph.IsEnumMemberName), and the fake serves it unchanged: a client is
// tested against what real tenants hold. The bound keeps every value one
// that a service could send.
const notEnumMember = "is not the name of an enum member (a letter or underscore, then letters, digits and underscores, at most 128 characters)"

// regions lists the published regions, for messages.
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
	// Read whole, at its size: a big seed is read once, without the
	// copies of a growing buffer.
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fakegraph: seed: %w", err)
	}
	s, err := loadSeedBytes(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// LoadSeed decodes a seed strictly, so that a misspelt field is an error
// rather than a silently empty value, and then validates it. The top level
// must be an object: `null` would otherwise decode as an empty seed.
//
// A seed of a million connectors is 175 MB of JSON, which encoding/json
// alone took seconds to decode. So a seed is first read by the fast path
// (loadSeedFast), which reads the connectors itself when every one is in
// the plain form generated seeds have; anything else, and every error,
// is the strict path's, which decides what any input means and says
// what is wrong with it.
func LoadSeed(r io.Reader) (*Seed, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("fakegraph: seed: reading: %w", err)
	}
	return loadSeedBytes(data)
}

// loadSeedBytes is LoadSeed of the whole input.
func loadSeedBytes(data []byte) (*Seed, error) {
	s, ok := loadSeedFast(data)
	if !ok {
		var err error
		if s, err = loadSeedStrict(data); err != nil {
			return nil, err
		}
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// loadSeedStrict is LoadSeed with encoding/json alone: it says what is
// wrong with any input, and decides what every input means.
//
// Text that is not UTF-8, or that escapes a lone surrogate, is refused as
// a request body is (specvalidator.CheckJSONText): encoding/json would
// read it as U+FFFD, and the fake would serve names other than the seed's.
func loadSeedStrict(data []byte) (*Seed, error) {
	if err := specvalidator.CheckJSONText(data); err != nil {
		return nil, fmt.Errorf("fakegraph: seed: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
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
	s.compactApplications()
	return &s, nil
}

// loadSeedFast decodes an object as loadSeedStrict does, but reads the
// connectors with plainConnectors; false when it cannot, or for any
// error, which loadSeedStrict then reports.
func loadSeedFast(data []byte) (*Seed, bool) {
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '{' || specvalidator.CheckJSONText(data) != nil {
		return nil, false
	}
	var fast struct {
		Connectors      plainConnectors      `json:"connectors"`
		ConnectorGroups []SeedConnectorGroup `json:"connectorGroups"`
		Tokens          map[string][]string  `json:"tokens"`
		Applications    []SeedApplication    `json:"applications"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fast); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, false
	}
	s := &Seed{Connectors: fast.Connectors, ConnectorGroups: fast.ConnectorGroups, Tokens: fast.Tokens, Applications: fast.Applications}
	s.compactApplications()
	return s, true
}

// plainConnectors is a seed's connectors as generated seeds write them: an
// array of objects of SeedConnector's keys, spelt as its tags spell them,
// each value a string of printable ASCII without escapes. Its
// UnmarshalJSON refuses anything else, for loadSeedStrict to decode.
type plainConnectors []SeedConnector

var errNotPlain = errors.New("fakegraph: seed: not in the plain form")

func (p *plainConnectors) UnmarshalJSON(data []byte) error {
	i := skipBlanks(data, 0)
	if i == len(data) || data[i] != '[' {
		return errNotPlain // null, or another type
	}
	// Each element is an object, so has a '{': a capacity never too
	// small, and too big only by braces within strings.
	out := make([]SeedConnector, 0, bytes.Count(data, []byte{'{'}))
	i = skipBlanks(data, i+1)
	if i < len(data) && data[i] == ']' {
		*p = out
		return nil
	}
	for {
		c, next, ok := plainConnector(data, i)
		if !ok {
			return errNotPlain
		}
		out = append(out, c)
		i = skipBlanks(data, next)
		switch {
		case i < len(data) && data[i] == ',':
			i = skipBlanks(data, i+1)
		case i < len(data) && data[i] == ']':
			*p = out
			return nil
		default:
			return errNotPlain
		}
	}
}

// plainConnector reads one plain connector object at data[i:] and
// returns the index after it.
func plainConnector(data []byte, i int) (SeedConnector, int, bool) {
	var c SeedConnector
	if i >= len(data) || data[i] != '{' {
		return c, 0, false
	}
	i = skipBlanks(data, i+1)
	if i < len(data) && data[i] == '}' {
		return c, i + 1, true
	}
	for {
		key, next, ok := plainString(data, i)
		if !ok {
			return c, 0, false
		}
		i = skipBlanks(data, next)
		if i == len(data) || data[i] != ':' {
			return c, 0, false
		}
		value, next, ok := plainString(data, skipBlanks(data, i+1))
		if !ok {
			return c, 0, false
		}
		switch key {
		case "id":
			c.ID = value
		case "machineName":
			c.MachineName = value
		case "externalIp":
			c.ExternalIP = value
		case "status":
			c.Status = value
		case "version":
			c.Version = value
		default: // another case, or unknown: the strict path decides
			return c, 0, false
		}
		i = skipBlanks(data, next)
		switch {
		case i < len(data) && data[i] == ',':
			i = skipBlanks(data, i+1)
		case i < len(data) && data[i] == '}':
			return c, i + 1, true
		default:
			return c, 0, false
		}
	}
}

// plainString reads the JSON string at data[i:] if it holds printable
// ASCII only and no escape, and returns it and the index after it.
func plainString(data []byte, i int) (string, int, bool) {
	if i >= len(data) || data[i] != '"' {
		return "", 0, false
	}
	for j := i + 1; j < len(data); j++ {
		switch b := data[j]; {
		case b == '"':
			return string(data[i+1 : j]), j + 1, true
		case b == '\\' || b < 0x20 || b >= 0x7f:
			return "", 0, false
		}
	}
	return "", 0, false
}

func skipBlanks(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
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
// offending item: empty or duplicate ids, a group name the spec would
// refuse (empty, over graph.MaxNameLength characters, not UTF-8), members
// that are not connectors, applications the model cannot hold
// (validateApplications),
// a connector placed in two groups, no default group or more than one,
// a status outside its enumeration, a connectorGroupType or region that no
// enum member could be (a seed must not make the fake answer off-spec),
// unusable tokens. A seed without connectors or without
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

	// One map for a million connectors, not three: where[id] is 0 for a
	// connector no group lists yet, and 1+i once connectorGroups[i] lists
	// it (the last group that did). Messages are made only for problems:
	// a fmt.Sprintf per item was most of the time of a big seed.
	where := make(map[string]int, len(s.Connectors))
	for i, c := range s.Connectors {
		at := func() string { return itemAt("connectors", i, c.ID) }
		_, dup := where[c.ID]
		if msg := checkID(c.ID); msg != "" {
			bad("%s: id %s", at(), msg)
		} else if dup {
			bad("%s: duplicate connector id", at())
		}
		where[c.ID] = 0
		if !api.ConnectorStatus(c.Status).Valid() {
			bad("%s: status %q is not one of %s, %s", at(), c.Status, api.ConnectorStatusActive, api.ConnectorStatusInactive)
		}
	}

	groupIDs := make(map[string]bool, len(s.ConnectorGroups))
	// multi holds the groups listing each connector that more than one
	// group lists, in group order; nil in a valid seed.
	var multi map[string][]int
	var defaults []string
	for i, g := range s.ConnectorGroups {
		at := func() string { return itemAt("connectorGroups", i, g.ID) }
		if msg := checkID(g.ID); msg != "" {
			bad("%s: id %s", at(), msg)
		} else if groupIDs[g.ID] {
			bad("%s: duplicate connectorGroup id", at())
		}
		groupIDs[g.ID] = true
		if msg := checkName(g.Name); msg != "" {
			bad("%s: name %s", at(), msg)
		}
		if !graph.IsEnumMemberName(g.ConnectorGroupType) {
			bad("%s: connectorGroupType %q %s, such as %s or syncFabric", at(), g.ConnectorGroupType, notEnumMember, graph.GroupTypeApplicationProxy)
		}
		if g.Region != "" && !graph.IsEnumMemberName(g.Region) {
			bad("%s: region %q %s, such as %s or japan (or null)", at(), g.Region, notEnumMember, strings.Join(regions, ", "))
		}
		if g.IsDefault {
			defaults = append(defaults, fmt.Sprintf("%q", g.ID))
		}
		for _, m := range g.Members {
			last, isConnector := where[m]
			switch {
			case !isConnector || m == "":
				bad("%s: member %q is not a connector id", at(), m)
			case last == i+1:
				bad("%s: member %q is listed twice", at(), m)
			case last != 0:
				if multi == nil {
					multi = make(map[string][]int)
				}
				if multi[m] == nil {
					multi[m] = []int{last - 1}
				}
				multi[m] = append(multi[m], i)
				where[m] = i + 1
			default:
				where[m] = i + 1
			}
		}
	}
	errs = append(errs, s.validateApplications(groupIDs)...)
	if multi != nil {
		for _, c := range s.Connectors {
			if in := multi[c.ID]; len(in) > 1 {
				names := make([]string, len(in))
				for k, gi := range in {
					names[k] = fmt.Sprintf("%q", s.ConnectorGroups[gi].ID)
				}
				bad("connector %q is a member of connectorGroups %s: a connector is in exactly one group", c.ID, strings.Join(names, " and "))
				multi[c.ID] = nil // a duplicate connector id is reported once
			}
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

// itemAt names the i-th item of a seed's list for a message, with its id
// when it has one: connectors[3] (id "c-1").
func itemAt(list string, i int, id string) string {
	if id == "" {
		return fmt.Sprintf("%s[%d]", list, i)
	}
	return fmt.Sprintf("%s[%d] (id %q)", list, i, id)
}

// checkName returns why a group may not have name, or "": the rules the
// spec gives a name on create and update (ConnectorGroupCreate), so that a
// seed never holds a group the fake would refuse to create, and every
// name it serves is one it would take back.
func checkName(name string) string {
	switch n := utf8.RuneCountInString(name); {
	case strings.TrimSpace(name) == "":
		return "is empty"
	case !utf8.ValidString(name):
		return "is not valid UTF-8"
	case n > graph.MaxNameLength:
		return fmt.Sprintf("is %d characters long; at most %d are allowed", n, graph.MaxNameLength)
	}
	return ""
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
