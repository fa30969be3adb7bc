package specvalidator

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
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
		{"POST", "/v1.0/connectorGroups/g-1/members/$ref", routers.ErrPathNotFound}, // beta only
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

func TestValidateResponseReportsEveryViolation(t *testing.T) {
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/beta/connectorGroups/g-1/members/$ref", http.NoBody)
	header := http.Header{"Content-Type": {"application/json"}}                  // no request-id, no client-request-id
	body := []byte(`{"id":"c-1","externalIp":"203.0.113.10","status":"active"}`) // no machineName
	got := map[string]bool{}
	for _, violation := range Violations("op", DirectionResponse, v.ValidateResponse(t.Context(), req, http.StatusCreated, header, body)) {
		got[violation.Field] = true
	}
	for _, want := range []string{"header/request-id", "header/client-request-id", "body/machineName"} {
		if !got[want] {
			t.Errorf("violation on %s not reported; got %v", want, got)
		}
	}
}

func TestValidateRequestRejectsTrailingJSON(t *testing.T) {
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{
		`{"@odata.id":"https://graph.microsoft.com/beta/connector/c-1"} {}`,
		`{"@odata.id":"https://graph.microsoft.com/beta/connector/c-1"} garbage`,
	} {
		req := httptest.NewRequest(http.MethodPost, "/beta/connectorGroups/g-1/members/$ref", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer t")
		vs := Violations("op", DirectionRequest, v.ValidateRequest(t.Context(), req, Options{}))
		if len(vs) != 1 || vs[0].Field != "body" {
			t.Errorf("body %q: violations %v, want one on body", body, vs)
		}
	}
}

// A path that ends where a parameter would begin names the collection,
// not the member with an empty id: a PATCH of the collection is no
// update, but a method the collection does not allow.
func TestRouteNeverMatchesAnEmptyID(t *testing.T) {
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	base := "https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy"
	for _, tt := range []struct {
		method, path, wantOp string
		wantErr              error
	}{
		{http.MethodPatch, "/connectorGroups", "", routers.ErrMethodNotAllowed},
		{http.MethodDelete, "/connectorGroups", "", routers.ErrMethodNotAllowed},
		{http.MethodGet, "/connectorGroups", "listConnectorGroups", nil},
		{http.MethodPatch, "/connectorGroups/g-1", "updateConnectorGroup", nil},
		{http.MethodGet, "/connectors", "listConnectors", nil},
	} {
		req, _ := http.NewRequest(tt.method, base+tt.path, nil)
		route, _, err := v.Route(req)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("%s %s: route %v, err %v; want %v", tt.method, tt.path, route, err, tt.wantErr)
			}
			continue
		}
		if err != nil || route.Operation.OperationID != tt.wantOp {
			t.Errorf("%s %s: err %v, route %v; want %s", tt.method, tt.path, err, route, tt.wantOp)
		}
	}
}

// OperationRoute gives each operation the route Route finds for a request
// to it, and nothing for an id the spec does not have.
func TestOperationRouteIsRoutes(t *testing.T) {
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, item := range v.Doc().Paths.Map() {
		for method, op := range item.Operations() {
			n++
			got := v.OperationRoute(op.OperationID)
			if got == nil {
				t.Fatalf("no route for %s", op.OperationID)
			}
			req := httptest.NewRequest(method, "/beta"+strings.ReplaceAll(path, "{id}", "x-1"), http.NoBody)
			want, _, err := v.Route(req)
			if err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			if got.Operation != want.Operation || got.Method != method || got.Path != path || got.PathItem != item {
				t.Errorf("%s: OperationRoute is %s %s, Route finds %s %s", op.OperationID, got.Method, got.Path, want.Method, want.Path)
			}
		}
	}
	if n == 0 {
		t.Fatal("the spec has no operations")
	}
	if got := v.OperationRoute("noSuchOperation"); got != nil {
		t.Errorf("OperationRoute(noSuchOperation) = %v, want nil", got)
	}
}
