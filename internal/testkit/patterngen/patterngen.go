// Package patterngen makes random strings that match a regular expression,
// so that tests can draw schema-valid values from a spec's `pattern`
// instead of writing them by hand.
//
// It walks the tree that regexp/syntax parses (with the flags
// regexp.Compile uses, then Simplify'd) and emits, for each node, text that
// the node matches. It uses the standard library only.
package patterngen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrUnsupported is wrapped by Generate's error for a construct it cannot
// generate text for: word boundaries, a pattern that can match nothing, and
// an anchor that the text generated so far cannot satisfy.
var ErrUnsupported = errors.New("patterngen: unsupported construct")

// Generate returns a random string that regexp.MustCompile(pattern) matches
// wholly: the pattern is treated as if it were anchored, so a pattern
// written without ^ and $ yields strings it matches, not only contains.
//
// It supports literals (case folding included), character classes, the
// any-character classes, concatenation, alternation, captures, the
// repetitions *, +, ? and {n,m}, and the anchors ^, $, \A and \z, which
// emit nothing (in (?m) mode ^ and $ must sit at a line break of the text
// generated). An unbounded repetition emits at most maxRepeat copies of
// its operand (and at least its minimum): * gives 0 to maxRepeat, + gives 1
// to max(1, maxRepeat). {n,m} stays within n..m, with m capped at
// n+maxRepeat.
//
// Characters are drawn uniformly from a class's code points, surrogates
// excluded; a negated class or . therefore yields mostly non-ASCII text.
func Generate(r *rand.Rand, pattern string, maxRepeat int) (string, error) {
	if r == nil {
		return "", errors.New("patterngen: nil *rand.Rand")
	}
	if maxRepeat < 0 {
		return "", fmt.Errorf("patterngen: maxRepeat %d is negative", maxRepeat)
	}
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", fmt.Errorf("patterngen: %w", err)
	}
	g := &gen{r: r, maxRepeat: maxRepeat}
	if err := g.walk(re.Simplify()); err != nil {
		return "", fmt.Errorf("patterngen: %q: %w", pattern, err)
	}
	// A (?m)$ still waiting for its '\n' stands at the end of the text,
	// which it matches too.
	return g.b.String(), nil
}

type gen struct {
	r         *rand.Rand
	maxRepeat int
	b         strings.Builder

	// ended: an end-of-text anchor was passed, nothing may follow.
	ended bool
	// needLineEnd: a (?m)$ was passed, the next rune must be '\n'.
	needLineEnd bool
}

func (g *gen) walk(re *syntax.Regexp) error {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return nil
	case syntax.OpLiteral:
		for _, c := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 {
				c = g.fold(c)
			}
			if err := g.emit(c); err != nil {
				return err
			}
		}
		return nil
	case syntax.OpCharClass:
		c, err := g.pick(re.Rune)
		if err != nil {
			return err
		}
		return g.emit(c)
	case syntax.OpAnyCharNotNL:
		c, err := g.pick([]rune{0, '\n' - 1, '\n' + 1, unicode.MaxRune})
		if err != nil {
			return err
		}
		return g.emit(c)
	case syntax.OpAnyChar:
		c, err := g.pick([]rune{0, unicode.MaxRune})
		if err != nil {
			return err
		}
		return g.emit(c)
	case syntax.OpBeginText:
		if g.b.Len() > 0 {
			return fmt.Errorf("%w: %s after text", ErrUnsupported, anchorName(re))
		}
		return nil
	case syntax.OpEndText:
		g.ended = true
		return nil
	case syntax.OpBeginLine:
		if s := g.b.String(); s != "" && !strings.HasSuffix(s, "\n") {
			return fmt.Errorf("%w: (?m)^ in the middle of a line", ErrUnsupported)
		}
		return nil
	case syntax.OpEndLine:
		g.needLineEnd = true
		return nil
	case syntax.OpCapture:
		return g.walk(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if err := g.walk(sub); err != nil {
				return err
			}
		}
		return nil
	case syntax.OpAlternate:
		return g.walk(re.Sub[g.r.IntN(len(re.Sub))])
	case syntax.OpStar:
		return g.repeat(re.Sub[0], 0, g.maxRepeat)
	case syntax.OpPlus:
		return g.repeat(re.Sub[0], 1, max(1, g.maxRepeat))
	case syntax.OpQuest:
		return g.repeat(re.Sub[0], 0, 1)
	case syntax.OpRepeat:
		hi := re.Max
		if hi < 0 || hi > re.Min+g.maxRepeat {
			hi = re.Min + g.maxRepeat
		}
		return g.repeat(re.Sub[0], re.Min, hi)
	case syntax.OpWordBoundary:
		return fmt.Errorf("%w: \\b", ErrUnsupported)
	case syntax.OpNoWordBoundary:
		return fmt.Errorf("%w: \\B", ErrUnsupported)
	case syntax.OpNoMatch:
		return fmt.Errorf("%w: a pattern that matches nothing", ErrUnsupported)
	default:
		return fmt.Errorf("%w: %v", ErrUnsupported, re.Op)
	}
}

func anchorName(re *syntax.Regexp) string {
	if re.Op == syntax.OpEndText && re.Flags&syntax.WasDollar != 0 {
		return "$"
	}
	switch re.Op {
	case syntax.OpBeginText:
		return `^ or \A`
	default:
		return `\z`
	}
}

// repeat emits sub between lo and hi times.
func (g *gen) repeat(sub *syntax.Regexp, lo, hi int) error {
	n := lo
	if hi > lo {
		n += g.r.IntN(hi - lo + 1)
	}
	for range n {
		if err := g.walk(sub); err != nil {
			return err
		}
	}
	return nil
}

// emit appends c, unless an anchor passed earlier forbids it.
func (g *gen) emit(c rune) error {
	if g.ended {
		return fmt.Errorf("%w: text after an end-of-text anchor", ErrUnsupported)
	}
	if g.needLineEnd {
		if c != '\n' {
			return fmt.Errorf("%w: (?m)$ before %q", ErrUnsupported, c)
		}
		g.needLineEnd = false
	}
	g.b.WriteRune(c)
	return nil
}

// fold returns c or, at random, another rune of its case-folding orbit.
func (g *gen) fold(c rune) rune {
	orbit := []rune{c}
	for f := unicode.SimpleFold(c); f != c; f = unicode.SimpleFold(f) {
		orbit = append(orbit, f)
	}
	return orbit[g.r.IntN(len(orbit))]
}

// Surrogates are code points but not runes a string can hold: written to a
// string they become U+FFFD.
const surrogateMin, surrogateMax = 0xD800, 0xDFFF

// pick draws one rune uniformly from the ranges of a class, given as
// regexp/syntax writes them: pairs lo, hi, inclusive.
func (g *gen) pick(ranges []rune) (rune, error) {
	ranges = withoutSurrogates(ranges)
	total := 0
	for i := 0; i+1 < len(ranges); i += 2 {
		total += int(ranges[i+1]-ranges[i]) + 1
	}
	if total == 0 {
		return 0, fmt.Errorf("%w: an empty character class", ErrUnsupported)
	}
	n := g.r.IntN(total)
	for i := 0; i+1 < len(ranges); i += 2 {
		size := int(ranges[i+1]-ranges[i]) + 1
		if n < size {
			c := ranges[i] + rune(n)
			if !utf8.ValidRune(c) { // cannot happen once surrogates are gone
				return 0, fmt.Errorf("patterngen: drew the invalid rune %U", c)
			}
			return c, nil
		}
		n -= size
	}
	return 0, fmt.Errorf("patterngen: drew past the end of the class") // n < total: cannot happen
}

func withoutSurrogates(ranges []rune) []rune {
	out := make([]rune, 0, len(ranges)+2)
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if hi < surrogateMin || lo > surrogateMax {
			out = append(out, lo, hi)
			continue
		}
		if lo < surrogateMin {
			out = append(out, lo, surrogateMin-1)
		}
		if hi > surrogateMax {
			out = append(out, surrogateMax+1, hi)
		}
	}
	return out
}
