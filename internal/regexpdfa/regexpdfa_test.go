package regexpdfa_test

import (
	"math/rand/v2"
	"regexp"
	"sync"
	"testing"

	"github.com/connectorgroups/connectorgroups/internal/graph"
	"github.com/connectorgroups/connectorgroups/internal/patterngen"
	"github.com/connectorgroups/connectorgroups/internal/regexpdfa"
)

// specPatterns are the patterns the fake checks on every request: the
// link forms, the id path parameter's and client-request-id's (the spec's
// own, verbatim; TestSpecPatternsAreGraphs ties the first three to it).
var specPatterns = []string{
	graph.ConnectorLinkPattern,
	graph.ConnectorGroupLinkPattern,
	graph.ClientRequestIDPattern,
	`^([^.]|[^.][\s\S]|[\s\S][^.]|[\s\S]{3,})$`,
}

// otherPatterns cover the program shapes the construction must get
// right: no anchors, one anchor, $ in the middle, case folding, any
// character with and without newlines, empty alternatives, counted
// repeats, and patterns the table must decline (\b, a class of
// non-ASCII runes is fine: only the input is ASCII-only).
var otherPatterns = []string{
	`ab+c`, `^ab`, `ab$`, `a$b`, `^$`, `(?i)odata`, `a.c`, `(?s)a.c`, `x*`, `(a|)b`,
	`^[0-9]{1,5}$`, `(ab|a)(bc|c)$`, `[^a-z]+`, `é|e`, `\bword\b`, `^(?m)a$`, `[\x00-\x1f]`,
}

var references sync.Map // pattern → *regexp.Regexp

// reference is the regexp of pattern, compiled once.
func reference(pattern string) *regexp.Regexp {
	if re, ok := references.Load(pattern); ok {
		return re.(*regexp.Regexp)
	}
	re := regexp.MustCompile(pattern)
	references.Store(pattern, re)
	return re
}

// assertSame fails when m answers s otherwise than its regexp does.
func assertSame(t testing.TB, m *regexpdfa.Matcher, s string) {
	t.Helper()
	want := reference(m.String()).MatchString(s)
	if got := m.MatchString(s); got != want {
		t.Fatalf("%s: MatchString(%q) = %v, regexp says %v", m, s, got, want)
	}
	if got := m.Match([]byte(s)); got != want {
		t.Fatalf("%s: Match(%q) = %v, regexp says %v", m, s, got, want)
	}
}

func TestSpecPatternsHaveATable(t *testing.T) {
	for _, p := range specPatterns {
		if !regexpdfa.MustCompile(p).HasDFA() {
			t.Errorf("%s: no DFA; every request would pay for the regexp", p)
		}
	}
	for p, want := range map[string]bool{`\bword\b`: false, `^(?m)a$`: false, `ab$`: true} {
		if got := regexpdfa.MustCompile(p).HasDFA(); got != want {
			t.Errorf("%s: HasDFA = %v, want %v", p, got, want)
		}
	}
}

func TestMatchStringExamples(t *testing.T) {
	tests := []struct {
		pattern, in string
		want        bool
	}{
		{graph.ConnectorLinkPattern, "https://graph.microsoft.com/beta/connectors/abc", true},
		{graph.ConnectorLinkPattern, "https://graph.microsoft.com/beta/connectors/abc/", false},
		{graph.ConnectorLinkPattern, "https://graph.microsoft.com:443/v1.0/onPremisesPublishingProfiles/applicationProxy/connectors/a%2Fb", true},
		{graph.ConnectorLinkPattern, "https://graph.microsoft.com/beta/connectors/ab%2", false},
		{graph.ConnectorLinkPattern, "xhttps://graph.microsoft.com/beta/connectors/abc", false},
		{graph.ConnectorLinkPattern, "https://graph.microsoft.com/beta/connectors/é", false},
		{`^([^.]|[^.][\s\S]|[\s\S][^.]|[\s\S]{3,})$`, ".", false},
		{`^([^.]|[^.][\s\S]|[\s\S][^.]|[\s\S]{3,})$`, "..", false},
		{`^([^.]|[^.][\s\S]|[\s\S][^.]|[\s\S]{3,})$`, "...", true},
		{`^([^.]|[^.][\s\S]|[\s\S][^.]|[\s\S]{3,})$`, ".a", true},
		{`^([^.]|[^.][\s\S]|[\s\S][^.]|[\s\S]{3,})$`, "", false},
		{`ab$`, "xxab", true},
		{`ab$`, "abx", false},
		{`a$b`, "ab", false},
		{`^$`, "", true},
		{`^$`, "a", false},
		{`(?i)odata`, "@ODATA.id", true},
		{`x*`, "", true},
		{`a.c`, "a\nc", false},
		{`(?s)a.c`, "a\nc", true},
	}
	for _, tt := range tests {
		m := regexpdfa.MustCompile(tt.pattern)
		if got := m.MatchString(tt.in); got != tt.want {
			t.Errorf("%s: MatchString(%q) = %v, want %v", tt.pattern, tt.in, got, tt.want)
		}
		assertSame(t, m, tt.in)
	}
}

// mutate changes s a little: a byte dropped, doubled, replaced, or the
// string cut, so that near misses of a pattern are tried.
func mutate(rng *rand.Rand, s string) string {
	if s == "" {
		return string(rune(rng.IntN(128)))
	}
	b := []byte(s)
	i := rng.IntN(len(b))
	switch rng.IntN(4) {
	case 0:
		return string(append(b[:i:i], b[i+1:]...))
	case 1:
		return string(append(b[:i+1:i+1], b[i:]...))
	case 2:
		b[i] = byte(rng.IntN(128))
		return string(b)
	default:
		return string(b[:i])
	}
}

// TestMatchStringAgreesWithRegexp: for every pattern, on strings the
// pattern generates, their mutations and random ASCII, the table answers
// as the regexp does; and the generated strings do match (else the
// agreement would be over misses only).
func TestMatchStringAgreesWithRegexp(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, p := range append(append([]string(nil), specPatterns...), otherPatterns...) {
		m := regexpdfa.MustCompile(p)
		matched, generated := 0, 0
		for range 3000 {
			s, err := patterngen.Generate(rng, p, 8)
			if err != nil {
				s = randomASCII(rng)
			} else {
				generated++
			}
			if m.MatchString(s) {
				matched++
			}
			assertSame(t, m, s)
			for range 3 {
				s = mutate(rng, s)
				assertSame(t, m, s)
			}
			assertSame(t, m, randomASCII(rng))
		}
		if generated > 0 && p != `a$b` && matched < 1000 { // a$b matches nothing
			t.Errorf("%s: only %d of 3000 generated strings matched", p, matched)
		}
	}
}

func randomASCII(rng *rand.Rand) string {
	b := make([]byte, rng.IntN(12))
	for i := range b {
		b[i] = "ab.c/:%0F \n\x00é"[rng.IntN(14)]
	}
	return string(b)
}

// FuzzMatchStringAgreesWithRegexp: any string, any of the patterns.
func FuzzMatchStringAgreesWithRegexp(f *testing.F) {
	all := append(append([]string(nil), specPatterns...), otherPatterns...)
	matchers := make([]*regexpdfa.Matcher, len(all))
	for i, p := range all {
		matchers[i] = regexpdfa.MustCompile(p)
	}
	f.Add(uint8(0), "https://graph.microsoft.com/beta/connectors/abc")
	f.Add(uint8(1), "https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/x")
	f.Add(uint8(2), " a b ")
	f.Add(uint8(3), "..")
	f.Add(uint8(7), "a$b")
	f.Fuzz(func(t *testing.T, which uint8, s string) {
		assertSame(t, matchers[int(which)%len(matchers)], s)
	})
}

// The pattern the fake checks on every add, by the table and by regexp.
func BenchmarkConnectorLink(b *testing.B) {
	link := "https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors/d2b1f9a0-4c1e-4a9b-9f64-3b7e2c8d1a01"
	m := regexpdfa.MustCompile(graph.ConnectorLinkPattern)
	b.Run("dfa", func(b *testing.B) {
		for b.Loop() {
			m.MatchString(link)
		}
	})
	re := regexp.MustCompile(graph.ConnectorLinkPattern)
	b.Run("regexp", func(b *testing.B) {
		for b.Loop() {
			re.MatchString(link)
		}
	})
}
