package specvalidator

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    any
		wantErr string // a part of the error; "" for success
	}{
		{"object", `{"@odata.id":"x","n":1.5,"b":true,"z":null,"a":[1,{"k":"v"}]}`,
			map[string]any{"@odata.id": "x", "n": json.Number("1.5"), "b": true, "z": nil, "a": []any{json.Number("1"), map[string]any{"k": "v"}}}, ""},
		{"keys differing in case are two keys", `{"@odata.id":"a","@ODATA.ID":"b"}`, map[string]any{"@odata.id": "a", "@ODATA.ID": "b"}, ""},
		{"trailing white space", "{}\n\t ", map[string]any{}, ""},
		{"duplicate key", `{"@odata.id":"a","@odata.id":"b"}`, nil, `"@odata.id" appears more than once`},
		{"duplicate key nested", `{"x":{"k":1,"k":2}}`, nil, `"k" appears more than once`},
		{"trailing garbage", `{"a":1} garbage`, nil, "not a single JSON value"},
		{"two values", `{} {}`, nil, "not a single JSON value"},
		{"truncated", `{"a":`, nil, "unexpected EOF"},
		{"empty", ``, nil, "unexpected EOF"},
		{"too deep", strings.Repeat("[", 100) + strings.Repeat("]", 100), nil, "nests more than"},
		{"not JSON", `<xml/>`, nil, "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeJSON([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("DecodeJSON(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeJSON(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DecodeJSON(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
	_, err := DecodeJSON([]byte(`{"a":1,"a":2}`))
	var dup *DuplicateKeyError
	if !errors.As(err, &dup) || dup.Key != "a" {
		t.Errorf("errors.As(%v, *DuplicateKeyError) failed", err)
	}
}
