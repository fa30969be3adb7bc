package graph

import (
	"errors"
	"net/http"
	"testing"
)

func TestMediaType(t *testing.T) {
	tests := []struct {
		in, want string
		bad      bool
	}{
		{"application/json", "application/json", false},
		{ContentTypeEntity, "application/json", false},
		{"application/json; charset=UTF-8", "application/json", false},
		{"Application/JSON", "application/json", false},
		{"text/plain", "text/plain", false},
		{`application/json; charset="`, "", true},
		{"", "", true},
		{"application/json;;", "", true},
		{"application/json; charset=latin1", "application/json", true},
		{"application/json; charset=utf-16", "application/json", true},
	}
	for _, tt := range tests {
		got, err := MediaType(tt.in)
		if got != tt.want || (err != nil) != tt.bad {
			t.Errorf("MediaType(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.bad)
		}
	}
	if _, err := MediaType("application/json; charset=latin1"); !errors.Is(err, ErrNotUTF8) {
		t.Errorf("charset=latin1: %v, want ErrNotUTF8", err)
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

func TestCredentialAndRedactSecret(t *testing.T) {
	for in, want := range map[string]string{
		"Bearer eyJ0eXAi.secret.sig": "eyJ0eXAi.secret.sig",
		" Bearer  tok ":              "tok",
		"Bearer":                     "",
		"Bearer ":                    "",
		"":                           "",
		"rawsecret":                  "rawsecret",
	} {
		if got := Credential(in); got != want {
			t.Errorf("Credential(%q) = %q, want %q", in, got, want)
		}
	}
	tests := []struct{ s, secret, want string }{
		{"echo: Bearer token-01; again token-01", "token-01", "echo: Bearer [REDACTED]; again [REDACTED]"},
		{"nothing here", "token-01", "nothing here"},
		{"no secret to hide", "", "no secret to hide"},
		{"a test token t, shorter than a secret", "t", "a test token t, shorter than a secret"},
		{"eight chars: 12345678", "12345678", "eight chars: [REDACTED]"},
	}
	for _, tt := range tests {
		if got := RedactSecret(tt.s, tt.secret); got != tt.want {
			t.Errorf("RedactSecret(%q, %q) = %q, want %q", tt.s, tt.secret, got, tt.want)
		}
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
