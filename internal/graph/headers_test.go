package graph

import (
	"net/http"
	"testing"
)

func TestMediaType(t *testing.T) {
	tests := []struct {
		in        string
		json, bad bool
	}{
		{"application/json", true, false},
		{ContentTypeEntity, true, false},
		{"application/json; charset=utf-8", true, false},
		{"Application/JSON", true, false},
		{"application/merge-patch+json", true, false},
		{"text/plain", false, false},
		{`application/json; charset="`, false, true},
		{"", false, true},
		{"application/json;;", false, true},
	}
	for _, tt := range tests {
		_, isJSON, err := MediaType(tt.in)
		if isJSON != tt.json || (err != nil) != tt.bad {
			t.Errorf("MediaType(%q) = json %v, err %v; want json %v, malformed %v", tt.in, isJSON, err, tt.json, tt.bad)
		}
	}
}

func TestValidClientRequestID(t *testing.T) {
	tests := map[string]bool{
		"0f9a2b64-1c7e-4f0e-9d53-6c2a1e8b7d40": true,
		"":                                     true,
		"a b ~":                                true,
		" ab":                                  false,
		"ab ":                                  false,
		" ":                                    false,
		"!":                                    true,
		"a\tb":                                 false,
		"é":                                    false,
		"\x7f":                                 false,
	}
	for in, want := range tests {
		if got := ValidClientRequestID(in); got != want {
			t.Errorf("ValidClientRequestID(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestRedactHeaderValue(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Authorization", "Bearer eyJ0eXAi.secret.sig", "Bearer [REDACTED]"},
		{"authorization", "Basic dXNlcjpwYXNz", "Basic [REDACTED]"},
		{"Authorization", "Bearer ", "Bearer "},
		{"Authorization", "", ""},
		{"Authorization", "rawsecret", "[REDACTED]"},
		{"Proxy-Authorization", "Bearer x", "Bearer [REDACTED]"},
		{"Cookie", "a=b", "[REDACTED]"},
		{"Set-Cookie", "a=b", "[REDACTED]"},
		{"Content-Type", "application/json", "application/json"},
	}
	for _, tt := range tests {
		if got := RedactHeaderValue(tt.name, tt.in); got != tt.want {
			t.Errorf("RedactHeaderValue(%q, %q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
	h := http.Header{"Authorization": {"Bearer s3cret"}, "Accept": {"application/json"}}
	red := RedactHeader(h)
	if red.Get("Authorization") != "Bearer [REDACTED]" || red.Get("Accept") != "application/json" || h.Get("Authorization") != "Bearer s3cret" {
		t.Errorf("RedactHeader = %v (original now %v)", red, h)
	}
}

func TestOneLine(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"a\nb\t c\r\n", 100, "a b c"},
		{"ééééé", 3, "ééé…"},
		{"abc", 3, "abc"},
		{"a\xffb", 10, "a\uFFFDb"},
		{"  ", 5, ""},
	}
	for _, tt := range tests {
		if got := OneLine(tt.in, tt.limit); got != tt.want {
			t.Errorf("OneLine(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}
