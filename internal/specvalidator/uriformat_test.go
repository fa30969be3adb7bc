package specvalidator

import "testing"

func TestValidateURI(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"https://graph.microsoft.com/beta/connector/d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30", true},
		{"https://graph.microsoft.com/v1.0/directoryObjects/x?$select=id", true},
		{"urn:uuid:d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30", true},
		{"https://graph.microsoft.com/{ver}/connector/{id}", false}, // the doc's placeholders
		{"d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30", false},             // a bare id
		{"/beta/connector/x", false},                                // relative
		{"https://graph.microsoft.com/beta/connector/a b", false},   // space
		{"", false},
	}
	for _, tt := range tests {
		err := validateURI(tt.in)
		if got := err == nil; got != tt.want {
			t.Errorf("validateURI(%q) = %v, want valid=%v", tt.in, err, tt.want)
		}
	}
}
