package specvalidator

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/routers"
)

func TestRouteNormalisesBasePathAndEncodedRef(t *testing.T) {
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, target string
		wantErr        error
	}{
		{"POST", "/connectorGroups/g-1/members/$ref", nil},
		{"POST", "/beta/connectorGroups/g-1/members/$ref", nil},
		{"POST", "/v1.0/connectorGroups/g-1/members/$ref", nil},
		{"POST", "/mock/api/beta/connectorGroups/g-1/members/$ref", nil},
		{"POST", "/beta/connectorGroups/g-1/members/%24ref", nil},
		{"POST", "/beta/connectorGroups/g-1/members", routers.ErrPathNotFound},
		{"POST", "/beta/connectorGroup/g-1/members/$ref", routers.ErrPathNotFound},
		{"GET", "/beta/connectorGroups/g-1/members/$ref", routers.ErrMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "http://127.0.0.1:8080"+tt.target, http.NoBody)
			before := req.URL.String()
			route, params, err := v.Route(req)
			if after := req.URL.String(); after != before {
				t.Errorf("Route changed the caller's URL from %s to %s", before, after)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Route error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				return
			}
			if route.Operation.OperationID != "addConnectorToConnectorGroup" {
				t.Errorf("operation = %q", route.Operation.OperationID)
			}
			if params["id"] != "g-1" {
				t.Errorf("id = %q, want g-1", params["id"])
			}
		})
	}
}

func TestAllowedMethods(t *testing.T) {
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodDelete, "/beta/connectorGroups/g-1/members/$ref", http.NoBody)
	if got := v.AllowedMethods(req); len(got) != 1 || got[0] != http.MethodPost {
		t.Errorf("AllowedMethods = %v, want [POST]", got)
	}
	req = httptest.NewRequest(http.MethodPost, "/beta/nothing", http.NoBody)
	if got := v.AllowedMethods(req); len(got) != 0 {
		t.Errorf("AllowedMethods on an unknown path = %v, want none", got)
	}
}
