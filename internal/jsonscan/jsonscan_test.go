package jsonscan

import (
	"math/rand/v2"
	"testing"
)

// The readers built on jsonscan are proved against encoding/json by their
// own differential tests (specvalidator, fastvalidator); these pin the
// token rules themselves.
func TestTokens(t *testing.T) {
	strings := []struct {
		in   string
		want string
		ok   bool
	}{
		{`"plain"`, "plain", true},
		{`"a\"b\\c\/d\b\f\n\r\t"`, "a\"b\\c/d\b\f\n\r\t", true},
		{`"\u00e9\u20ac"`, "é€", true},
		{`"\ud83d\ude00"`, "", false}, // surrogates: left to encoding/json
		{"\"\xff\"", "", false},       // invalid UTF-8: encoding/json replaces it
		{`"\q"`, "", false},
		{`"\u12g4"`, "", false},
		{"\"a\nb\"", "", false},
		{`"open`, "", false},
		{"\"caf\xc3\xa9\"", "café", true},
		{"\"\xc3\"", "", false}, // cut UTF-8 without a backslash: not ok either way
		{`"ends in \"`, "", false},
	}
	for _, tt := range strings {
		r := Reader{Data: []byte(tt.in)}
		raw, escaped, ok := r.String()
		got := ""
		if ok {
			got, ok = Unquote(raw, escaped)
		}
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("string %q: %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	numbers := []struct {
		in   string
		want string // "" when not a number
	}{
		{"0", "0"}, {"-0", "-0"}, {"12", "12"}, {"1.5", "1.5"}, {"-2e10", "-2e10"}, {"3E+2", "3E+2"}, {"4e-1", "4e-1"},
		{"01", "0"}, {"-", ""}, {"1.", ""}, {".5", ""}, {"1e", ""}, {"+1", ""},
	}
	for _, tt := range numbers {
		r := Reader{Data: []byte(tt.in)}
		got, ok := r.Number()
		if (tt.want == "") == ok || string(got) != tt.want {
			t.Errorf("number %q: %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

// plainText is the plain loop's answer, eight bytes at a time.
func TestPlainTextIsThePlainLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 50000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = byte(0x20 + rng.IntN(0x60)) // printable ASCII
			switch rng.IntN(80) {
			case 0:
				b[i] = byte(rng.IntN(0x20))
			case 1:
				b[i] = '\\'
			case 2, 3:
				b[i] = byte(0x80 + rng.IntN(0x80))
			}
		}
		plain, ascii := true, true
		for _, c := range b {
			plain = plain && c >= 0x20 && c != '\\'
			ascii = ascii && c < 0x80
		}
		gotPlain, gotASCII := plainText(b)
		if gotPlain != plain || (plain && gotASCII != ascii) {
			t.Fatalf("plainText(%q) = %v, %v; want %v, %v", b, gotPlain, gotASCII, plain, ascii)
		}
	}
}
