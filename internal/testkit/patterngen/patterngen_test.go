package patterngen

import (
	"errors"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

const draws = 1000

func newRand(t *testing.T) *rand.Rand {
	t.Helper()
	return rand.New(rand.NewPCG(1, 2))
}

// Every string drawn matches the pattern, wholly, and the draws vary as
// much as the pattern lets them.
func TestGenerateMatches(t *testing.T) {
	tests := []struct {
		name      string
		pattern   string
		maxRepeat int
		// minDistinct is how many different strings of the draws there
		// must be at least: a generator that always takes the same branch
		// or the first rune of a class fails it.
		minDistinct int
	}{
		{"connector link", graph.ConnectorLinkPattern, 8, draws * 9 / 10},
		// Half the draws take the empty alternative (no id), the rest vary.
		{"client-request-id", graph.ClientRequestIDPattern, 40, draws * 3 / 10},
		{"uuid v4", `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, 4, draws},
		{"unanchored alternation", `cat|dog|bird+`, 3, 5},
		{"case folding", `(?i)^connectors?$`, 1, 50},
		{"negated class", `\A[^a-z\n]{2,5}\z`, 0, draws * 9 / 10},
		{"any but newline", `^.+$`, 6, draws * 9 / 10},
		{"any, (?s)", `(?s)^.{3}$`, 0, draws * 9 / 10},
		{"counted repeats", `^x{3}y{0,2}z{2,}$`, 4, 12},
		{"unicode classes", `^\pL\d+[[:alpha:]_][[:word:]]*$`, 5, draws * 9 / 10},
		{"astral planes", `^[\x{10000}-\x{10FFFF}]+$`, 4, draws * 9 / 10},
		{"a class across the surrogates", `^[\x{D700}-\x{E100}]{4}$`, 0, draws * 9 / 10},
		{"multi-line anchors", "(?m)^ab?$\n^c$", 0, 2},
		{"nested captures and quest", `^((a|b)(c(d)?)?)+$`, 3, 30},
		{"escapes", `^\$ref/\(x\)\.\*\\$`, 0, 1},
		{"empty", ``, 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			re := regexp.MustCompile(tt.pattern)
			whole := regexp.MustCompile(`^(?:` + tt.pattern + `)$`)
			r := newRand(t)
			seen := map[string]bool{}
			for range draws {
				s, err := Generate(r, tt.pattern, tt.maxRepeat)
				if err != nil {
					t.Fatalf("Generate: %v", err)
				}
				if !re.MatchString(s) || !whole.MatchString(s) {
					t.Fatalf("Generate(%q) = %q, which it does not match", tt.pattern, s)
				}
				seen[s] = true
			}
			if len(seen) < tt.minDistinct {
				t.Errorf("%d distinct strings of %d, want at least %d", len(seen), draws, tt.minDistinct)
			}
		})
	}
}

// The link generator reaches every form the pattern allows, so that a
// property test drawing from it covers them.
func TestGenerateCoversTheConnectorLink(t *testing.T) {
	parts := map[string]*regexp.Regexp{
		"http":             regexp.MustCompile(`^http://`),
		"https":            regexp.MustCompile(`^https://`),
		"a port":           regexp.MustCompile(`^https?://[^/]*:[0-9]+/`),
		"beta":             regexp.MustCompile(`/beta/`),
		"v1.0":             regexp.MustCompile(`/v1\.0/`),
		"connector/":       regexp.MustCompile(`/(beta|v1\.0)/connector/`),
		"connectors/":      regexp.MustCompile(`/(beta|v1\.0)/connectors/`),
		"today's form":     regexp.MustCompile(`/onPremisesPublishingProfiles/applicationProxy/connectors/`),
		"a percent-escape": regexp.MustCompile(`%[0-9A-Fa-f]{2}`),
		"a sub-delimiter":  regexp.MustCompile(`/[^/]*[!$&'()*+,;=][^/]*$`),
	}
	r := newRand(t)
	got := map[string]int{}
	for range draws {
		s, err := Generate(r, graph.ConnectorLinkPattern, 8)
		if err != nil {
			t.Fatal(err)
		}
		for name, re := range parts {
			if re.MatchString(s) {
				got[name]++
			}
		}
	}
	for name := range parts {
		if got[name] == 0 {
			t.Errorf("no link of %d has %s", draws, name)
		}
	}
	t.Logf("links with each part, of %d: %v", draws, got)
}

func TestGenerateBoundsRepeats(t *testing.T) {
	r := newRand(t)
	lengths := map[int]int{}
	for range draws {
		s, err := Generate(r, `^a*$`, 3)
		if err != nil {
			t.Fatal(err)
		}
		lengths[len(s)]++
	}
	for n := range 4 {
		if lengths[n] == 0 {
			t.Errorf("a* with maxRepeat 3 never gave length %d: %v", n, lengths)
		}
	}
	if len(lengths) != 4 {
		t.Errorf("a* with maxRepeat 3 gave lengths %v, want only 0 to 3", lengths)
	}
	for _, tt := range []struct {
		pattern   string
		maxRepeat int
		want      string
	}{
		{`^a+$`, 0, "a"},
		{`^a*$`, 0, ""},
		{`^a{2,}$`, 0, "aa"},
		{`^(ab){3}$`, 0, "ababab"},
	} {
		for range 20 {
			if s, err := Generate(r, tt.pattern, tt.maxRepeat); err != nil || s != tt.want {
				t.Fatalf("Generate(%q, %d) = %q, %v; want %q", tt.pattern, tt.maxRepeat, s, err, tt.want)
			}
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	draw := func() []string {
		r := rand.New(rand.NewPCG(7, 7))
		out := make([]string, 50)
		for i := range out {
			s, err := Generate(r, graph.ConnectorLinkPattern, 8)
			if err != nil {
				t.Fatal(err)
			}
			out[i] = s
		}
		return out
	}
	a, b := draw(), draw()
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Error("the same seed gave different strings")
	}
}

func TestGenerateRefuses(t *testing.T) {
	tests := []struct {
		name, pattern string
		maxRepeat     int
		unsupported   bool // else any error will do (bad syntax, bad argument)
	}{
		{"word boundary", `\bfoo`, 1, true},
		{"not a word boundary", `a\Bb`, 1, true},
		{"matches nothing", `[^\x00-\x{10FFFF}]`, 1, true},
		{"begin after text", `a^b`, 1, true},
		{"\\A after text", `a\Ab`, 1, true},
		{"text after the end", `a$b`, 1, true},
		{"text after \\z", `a\zb`, 1, true},
		{"(?m)^ inside a line", `(?m)a^b`, 1, true},
		{"(?m)$ before other text", `(?m)a$b`, 1, true},
		{"bad syntax", `(`, 1, false},
		{"a negative bound", `a*`, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Generate(newRand(t), tt.pattern, tt.maxRepeat)
			if err == nil {
				t.Fatalf("Generate(%q) = %q, want an error", tt.pattern, s)
			}
			if got := errors.Is(err, ErrUnsupported); got != tt.unsupported {
				t.Errorf("Generate(%q): %v; errors.Is(ErrUnsupported) = %v, want %v", tt.pattern, err, got, tt.unsupported)
			}
		})
	}
	if _, err := Generate(nil, `a`, 1); err == nil {
		t.Error("Generate(nil rand) succeeded")
	}
}
