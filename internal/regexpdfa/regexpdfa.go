// Package regexpdfa answers regexp.MatchString for ASCII input with a DFA
// built once, at compile time, from the regexp's own program.
//
// Why: Go's regexp simulates its NFA (or backtracks) on every call, which
// made the spec's patterns (a link, an id, a client-request-id) a tenth
// of a write request's cost in the fake (issue 10's profile). A pattern
// checked on every request is worth turning into a table: one lookup per
// byte.
//
// The DFA is the subset construction over the compiled syntax.Prog, so it
// has Go's semantics by construction, and regexpdfa_test.go proves it
// against regexp.MatchString on generated, mutated and fuzzed input. Input
// with a byte outside ASCII, a program with an assertion other than ^ and
// $ (text begin and end), or one whose DFA would exceed maxStates, is
// answered by the regexp itself.
package regexpdfa

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
)

// maxStates bounds the table: 256 transitions of 4 bytes per state.
const maxStates = 2048

// Matcher is a regexp with a DFA for ASCII input. It is immutable after
// Compile and safe for concurrent use.
type Matcher struct {
	re *regexp.Regexp
	// dfa is nil when the regexp answers every input.
	dfa *dfa
}

type dfa struct {
	// next[s<<8|c] is the state after byte c in state s. A state where a
	// match has ended goes to itself on every byte (MatchString looks
	// for a match anywhere, so what follows cannot undo it), and every
	// byte outside ASCII goes to the state nonASCII, which stays.
	next []int32
	// matchedAtEnd[s]: the input matches if it ends in state s.
	matchedAtEnd []bool
	start        int32
	nonASCII     int32
}

// compiled keeps every Matcher made, by pattern: they are immutable, and
// a program that builds many validators (a test suite starting many fakes)
// builds each table once.
var compiled sync.Map // string → *Matcher

// Compile compiles pattern as regexp.Compile does, and its DFA.
func Compile(pattern string) (*Matcher, error) {
	if m, ok := compiled.Load(pattern); ok {
		return m.(*Matcher), nil
	}
	m, err := compile(pattern)
	if err != nil {
		return nil, err
	}
	actual, _ := compiled.LoadOrStore(pattern, m)
	return actual.(*Matcher), nil
}

func compile(pattern string) (*Matcher, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	m := &Matcher{re: re}
	if prog, err := program(pattern); err == nil {
		m.dfa = build(prog)
	}
	return m, nil
}

// MustCompile is Compile that panics, for patterns known at build time.
func MustCompile(pattern string) *Matcher {
	m, err := Compile(pattern)
	if err != nil {
		panic("regexpdfa: " + err.Error())
	}
	return m
}

// String is the pattern.
func (m *Matcher) String() string { return m.re.String() }

// HasDFA reports whether ASCII input is answered by the table.
func (m *Matcher) HasDFA() bool { return m.dfa != nil }

// MatchString reports whether s contains a match, as regexp.MatchString.
func (m *Matcher) MatchString(s string) bool {
	if m.dfa == nil || s == "" {
		// The empty text is the one position where ^ and $ both hold,
		// which the table does not track.
		return m.re.MatchString(s)
	}
	if st := walk(m.dfa, s); st != m.dfa.nonASCII {
		return m.dfa.matchedAtEnd[st]
	}
	return m.re.MatchString(s)
}

// Match reports whether b contains a match, as regexp.Match.
func (m *Matcher) Match(b []byte) bool {
	if m.dfa == nil || len(b) == 0 {
		return m.re.Match(b)
	}
	if st := walk(m.dfa, b); st != m.dfa.nonASCII {
		return m.dfa.matchedAtEnd[st]
	}
	return m.re.Match(b)
}

// walk is the state the table ends in after the bytes of s.
func walk[T string | []byte](d *dfa, s T) int32 {
	st := d.start
	for i := 0; i < len(s); i++ {
		st = d.next[int(st)<<8|int(s[i])]
	}
	return st
}

// program is regexp.Compile's program for pattern: parsed as Perl, as
// regexp.Compile parses it, and simplified.
func program(pattern string) (*syntax.Prog, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, err
	}
	return syntax.Compile(re.Simplify())
}

// builder runs the subset construction: a state is the set of the
// program's instructions that consume a rune, match, or assert the end of
// the text, reached from the threads alive at one position.
type builder struct {
	prog *syntax.Prog
	ids  map[string]int32
	sets [][]uint32
	// matched[s]: a match has ended in state s.
	matched []bool
	d       *dfa
	// scratch, reused by every closure and state lookup
	stack []uint32
	seen  []uint32
	stamp uint32
	key   []byte
}

// build returns the program's DFA over ASCII, or nil when the program
// asserts anything but text begin and end or the table grows too big.
func build(prog *syntax.Prog) *dfa {
	for _, in := range prog.Inst {
		if in.Op == syntax.InstEmptyWidth && syntax.EmptyOp(in.Arg)&^(syntax.EmptyBeginText|syntax.EmptyEndText) != 0 {
			return nil
		}
	}
	b := &builder{prog: prog, ids: map[string]int32{}, d: &dfa{}}
	start, ok := b.state(b.closure(nil, []uint32{uint32(prog.Start)}, syntax.EmptyBeginText))
	if !ok {
		return nil
	}
	b.d.start = start
	for s := 0; s < len(b.sets); s++ {
		if b.matched[s] {
			for c := range 256 {
				b.d.next[s<<8|c] = int32(s)
			}
			continue
		}
		for c := range rune(utf8.RuneSelf) {
			var moved []uint32
			for _, pc := range b.sets[s] {
				in := &prog.Inst[pc]
				if consumes(in, c) {
					moved = append(moved, in.Out)
				}
			}
			// MatchString finds a match anywhere: a new thread starts
			// at every position.
			moved = append(moved, uint32(prog.Start))
			id, ok := b.state(b.closure(nil, moved, 0))
			if !ok {
				return nil
			}
			b.d.next[s<<8|int(c)] = id
		}
	}
	// The last state stands for "a byte outside ASCII was read".
	b.d.nonASCII = int32(len(b.sets))
	b.d.matchedAtEnd = append(b.d.matchedAtEnd, false)
	b.d.next = append(b.d.next, make([]int32, 256)...)
	for c := range 256 {
		b.d.next[int(b.d.nonASCII)<<8|c] = b.d.nonASCII
	}
	for s := range b.sets {
		if b.matched[s] {
			continue
		}
		for c := utf8.RuneSelf; c < 256; c++ {
			b.d.next[s<<8|c] = b.d.nonASCII
		}
	}
	return b.d
}

// consumes reports whether the instruction consumes rune c.
func consumes(in *syntax.Inst, c rune) bool {
	switch in.Op {
	case syntax.InstRune, syntax.InstRune1:
		return in.MatchRune(c)
	case syntax.InstRuneAny:
		return true
	case syntax.InstRuneAnyNotNL:
		return c != '\n'
	}
	return false
}

// closure follows the instructions from pcs that consume nothing, where
// the assertions that hold at this position (at) let them, and returns the
// set they reach, sorted.
func (b *builder) closure(out, pcs []uint32, at syntax.EmptyOp) []uint32 {
	// seen[pc] == stamp: pc was visited by this call.
	if b.seen == nil {
		b.seen = make([]uint32, len(b.prog.Inst))
	}
	b.stamp++
	b.stack = append(b.stack[:0], pcs...)
	for len(b.stack) > 0 {
		pc := b.stack[len(b.stack)-1]
		b.stack = b.stack[:len(b.stack)-1]
		if b.seen[pc] == b.stamp {
			continue
		}
		b.seen[pc] = b.stamp
		in := &b.prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			b.stack = append(b.stack, in.Out, in.Arg)
		case syntax.InstCapture, syntax.InstNop:
			b.stack = append(b.stack, in.Out)
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(in.Arg)&^at == 0 {
				b.stack = append(b.stack, in.Out)
			} else if syntax.EmptyOp(in.Arg)&syntax.EmptyBeginText == 0 {
				out = append(out, pc) // $: may hold at the end
			}
		case syntax.InstFail:
		default: // runes and Match
			out = append(out, pc)
		}
	}
	slices.Sort(out)
	return out
}

// state returns the id of the state set, adding it when new.
func (b *builder) state(set []uint32) (int32, bool) {
	b.key = b.key[:0]
	for _, pc := range set {
		b.key = strconv.AppendUint(b.key, uint64(pc), 36)
		b.key = append(b.key, ',')
	}
	if id, ok := b.ids[string(b.key)]; ok {
		return id, true
	}
	if len(b.sets) == maxStates {
		return 0, false
	}
	id := int32(len(b.sets))
	b.ids[string(b.key)] = id
	b.sets = append(b.sets, set)
	matched, atEnd := false, false
	for _, pc := range set {
		switch in := &b.prog.Inst[pc]; in.Op {
		case syntax.InstMatch:
			matched = true
		case syntax.InstEmptyWidth:
			// Only end-of-text assertions stay in a set; at the end
			// they hold, and what follows them may match.
			for _, after := range b.closure(nil, []uint32{in.Out}, syntax.EmptyEndText) {
				if b.prog.Inst[after].Op == syntax.InstMatch {
					atEnd = true
				}
			}
		}
	}
	b.matched = append(b.matched, matched)
	b.d.matchedAtEnd = append(b.d.matchedAtEnd, matched || atEnd)
	b.d.next = append(b.d.next, make([]int32, 256)...)
	return id, true
}
