package specvalidator

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// assertSameReading fails when the fast path answers data with anything
// but what the token reader reads; it reports whether the fast path took
// data at all.
func assertSameReading(t testing.TB, data []byte) bool {
	t.Helper()
	fast, ok := decodeCommon(data)
	if !ok {
		return false
	}
	want, err := decodeTokens(data)
	if err != nil {
		t.Fatalf("decodeCommon(%q) = %#v, but the token reader refuses it: %v", data, fast, err)
	}
	if !reflect.DeepEqual(fast, want) {
		t.Fatalf("decodeCommon(%q) = %#v, the token reader reads %#v", data, fast, want)
	}
	return true
}

func TestDecodeCommonReadsWhatTheTokenReaderReads(t *testing.T) {
	tests := []struct {
		name string
		in   string
		fast bool // the fast path must take it
	}{
		{"reference", `{"@odata.id":"https://graph.microsoft.com/beta/connectors/d2b1f9a0-4c1e-4a9b-9f64-3b7e2c8d1a01"}`, true},
		{"create", `{"name":"Europe","region":"eur","@odata.type":"#microsoft.graph.connectorGroup"}`, true},
		{"a page", `{"@odata.context":"x","value":[{"id":"a","isDefault":false,"region":null},{"id":"b"}],"@odata.nextLink":"y"}`, true},
		{"white space everywhere", " \t\r\n{ \"a\" : [ 1 , -0.5e+3 , true , false , null ] , \"b\" : { } , \"c\" : [ ] } \n", true},
		{"numbers", `[0,-0,1,12,1.5,1e5,1E-5,-12.25e+10]`, true},
		{"short escapes", `"a\"b\\c\/d\be\ff\ng\rh\ti"`, true},
		{"unicode escapes", `"\u00e9\u20AC\u0000\u2028"`, true},
		{"utf-8", `{"name":"Ümlaut – ✓ 日本"}`, true},
		{"scalar", `"x"`, true},
		{"keys differing in case", `{"a":1,"A":2}`, true},
		{"depth 64", strings.Repeat("[", 64) + "1" + strings.Repeat("]", 64), true},

		{"depth 65", strings.Repeat("[", 65) + "1" + strings.Repeat("]", 65), false},
		{"duplicate key", `{"a":1,"a":2}`, false},
		{"duplicate key once unescaped", `{"a":1,"\u0061":2}`, false},
		{"invalid utf-8", "\"a\xffb\"", false},
		{"invalid utf-8 after an escape", "\"\\n\xff\"", false},
		{"surrogate pair", `"\ud83d\ude00"`, false},
		{"lone surrogate", `"\ud800"`, false},
		{"control character", "\"a\tb\"", false},
		{"bad escape", `"\x"`, false},
		{"short \\u", `"\u12"`, false},
		{"leading zero", `01`, false},
		{"trailing comma", `[1,]`, false},
		{"trailing comma in object", `{"a":1,}`, false},
		{"no colon", `{"a" 1}`, false},
		{"key not a string", `{1:2}`, false},
		{"two values", `{} {}`, false},
		{"trailing garbage", `{"a":1} x`, false},
		{"truncated", `{"a":`, false},
		{"empty", ``, false},
		{"bare minus", `-`, false},
		{"dot without digits", `1.`, false},
		{"exponent without digits", `1e`, false},
		{"misspelt literal", `nul`, false},
		{"capital literal", `True`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			took := assertSameReading(t, []byte(tt.in))
			if took != tt.fast {
				t.Errorf("decodeCommon(%q) took it: %v, want %v", tt.in, took, tt.fast)
			}
			// DecodeJSON answers what the token reader answers, either way,
			// once CheckJSONText has passed the text.
			got, err := DecodeJSON([]byte(tt.in))
			want, wantErr := decodeTokens([]byte(tt.in))
			if textErr := CheckJSONText([]byte(tt.in)); textErr != nil {
				want, wantErr = nil, textErr
			}
			if fmt.Sprint(err) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
				t.Errorf("DecodeJSON(%q) = %#v, %v; the token reader: %#v, %v", tt.in, got, err, want, wantErr)
			}
		})
	}
}

// randomJSON writes a random value in JSON, with random white space and
// escapes, as a client might send it.
func randomJSON(rng *rand.Rand, b *strings.Builder, depth int) {
	ws := func() {
		if rng.IntN(4) == 0 {
			b.WriteString([]string{" ", "\n", "\t", "\r\n  "}[rng.IntN(4)])
		}
	}
	ws()
	kind := rng.IntN(8)
	if depth > 4 && kind < 2 {
		kind = 2 + rng.IntN(6)
	}
	switch kind {
	case 0:
		b.WriteByte('{')
		for i := range rng.IntN(4) {
			if i > 0 {
				b.WriteByte(',')
			}
			ws()
			randomString(rng, b)
			ws()
			b.WriteByte(':')
			randomJSON(rng, b, depth+1)
		}
		ws()
		b.WriteByte('}')
	case 1:
		b.WriteByte('[')
		for i := range rng.IntN(4) {
			if i > 0 {
				b.WriteByte(',')
			}
			randomJSON(rng, b, depth+1)
		}
		ws()
		b.WriteByte(']')
	case 2, 3:
		randomString(rng, b)
	case 4:
		b.WriteString([]string{"0", "-0", "7", "123", "-4.25", "1e9", "2.5E-3", "6e+2"}[rng.IntN(8)])
	default:
		b.WriteString([]string{"true", "false", "null"}[rng.IntN(3)])
	}
	ws()
}

func randomString(rng *rand.Rand, b *strings.Builder) {
	parts := []string{"a", "id", "@odata.id", "https://graph.microsoft.com/beta/connectors/x", "é", "日本", `\n`, `\"`, `\\`, `\/`, `\u00e9`, `\u0041`, `\ud83d\ude00`, " ", "%2F"}
	b.WriteByte('"')
	for range rng.IntN(5) {
		b.WriteString(parts[rng.IntN(len(parts))])
	}
	b.WriteByte('"')
}

// mutate changes data a little: a byte dropped, doubled, replaced or cut
// off, as a broken client would.
func mutate(rng *rand.Rand, data []byte) []byte {
	if len(data) == 0 {
		return data
	}
	out := append([]byte(nil), data...)
	i := rng.IntN(len(out))
	switch rng.IntN(4) {
	case 0:
		return append(out[:i], out[i+1:]...)
	case 1:
		return append(out[:i+1], out[i:]...)
	case 2:
		const bytes = "{}[]\",:\\ 0-e.\xff\x01atn"
		out[i] = bytes[rng.IntN(len(bytes))]
		return out
	default:
		return out[:i]
	}
}

// TestDecodeCommonAgreesOnGeneratedInput: on 20,000 generated bodies and
// as many mutated ones, whatever the fast path takes it reads as the
// token reader does, and it takes most valid bodies (else it would pass
// by never answering).
func TestDecodeCommonAgreesOnGeneratedInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 20))
	valid, took := 0, 0
	for range 20000 {
		var b strings.Builder
		randomJSON(rng, &b, 0)
		data := []byte(b.String())
		if _, err := decodeTokens(data); err == nil {
			valid++
			if assertSameReading(t, data) {
				took++
			}
		}
		assertSameReading(t, mutate(rng, data))
	}
	t.Logf("%d generated bodies valid, %d of them read by the fast path", valid, took)
	if valid < 15000 || float64(took) < 0.5*float64(valid) {
		t.Fatalf("the fast path read %d of %d valid bodies", took, valid)
	}
}

// FuzzDecodeCommonAgreesWithTokens: whatever the fast path reads, the
// token reader reads the same. The corpus under testdata/fuzz replays in
// every go test.
func FuzzDecodeCommonAgreesWithTokens(f *testing.F) {
	for _, s := range []string{
		`{"@odata.id":"https://graph.microsoft.com/beta/connectors/x"}`,
		`{"name":"a","region":null}`, `[1,-2.5e3,true,false,null,"\u00e9\n"]`,
		`{"a":{"b":[{}]}}`, "\"\xff\"", `{"a":1,"a":2}`, `"\ud800"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		assertSameReading(t, data)
	})
}
