package specvalidator

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

const addPath = "/beta/connectorGroups/g-1/members/$ref"

func newAdd(t *testing.T, contentType, body string, header ...string) *http.Request {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, addPath, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer t")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

const docBody = `{"@odata.id":"https://graph.microsoft.com/beta/connector/d2b1f9a0-3c5e-4a7b-8f61-2e9c4d7a5b30"}`

// validateRouted routes req and validates it as a server does
// (ValidateRoutedRequest), and returns the value its body carries then.
func validateRouted(t *testing.T, v *Validator, req *http.Request) (any, error) {
	t.Helper()
	route, params, err := v.Route(req)
	if err != nil {
		t.Fatalf("Route: %v", err)
	}
	if err := v.ValidateRoutedRequest(t.Context(), req, route, params, Options{}); err != nil {
		return nil, err
	}
	kept, ok := req.Body.(interface{ ValidatedValue() any })
	if !ok {
		t.Fatalf("the body of a valid request is a %T, with no ValidatedValue", req.Body)
	}
	return kept.ValidatedValue(), nil
}

func TestValidateRequest(t *testing.T) {
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		contentType string
		body        string
		header      []string
		wantField   string // "" for valid
		want415     bool
	}{
		{"the doc's request", "application/json", docBody, nil, "", false},
		{"media type parameters", "application/json; charset=utf-8", docBody, nil, "", false},
		{"Graph's own media type", graph.ContentTypeEntity, docBody, nil, "", false},
		{"today's link form", "application/json", `{"@odata.id":"https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors/c-1"}`, nil, "", false},
		{"a percent-escaped id", "application/json", `{"@odata.id":"https://graph.microsoft.com/beta/connector/a%20b"}`, nil, "", false},
		{"a URI that names no connector", "application/json", `{"@odata.id":"https://A.COM"}`, nil, "body/@odata.id", false},
		{"a URN", "application/json", `{"@odata.id":"urn:example:1"}`, nil, "body/@odata.id", false},
		{"a users URL", "application/json", `{"@odata.id":"https://graph.microsoft.com/beta/users/u-1"}`, nil, "body/@odata.id", false},
		{"a URL with a query", "application/json", `{"@odata.id":"https://graph.microsoft.com/beta/connector/c-1?x=1"}`, nil, "body/@odata.id", false},
		{"a duplicate key", "application/json", `{"@odata.id":"https://graph.microsoft.com/beta/connector/c-1","@odata.id":"https://graph.microsoft.com/beta/connector/c-2"}`, nil, "body", false},
		{"trailing garbage", "application/json", docBody + " garbage", nil, "body", false},
		{"a malformed media type", `application/json; charset="`, docBody + " garbage", nil, "body", true},
		{"text/plain", "text/plain", docBody, nil, "body", true},
		{"JSON in latin1", "application/json; charset=latin1", docBody, nil, "body", true},
		{"a client-request-id with a tab", "application/json", docBody, []string{"client-request-id", "a\tb"}, "header/client-request-id", false},
		{"a printable client-request-id", "application/json", docBody, []string{"client-request-id", "any printable ~ id"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Both ways of validating give one verdict.
			err := v.ValidateRequest(t.Context(), newAdd(t, tt.contentType, tt.body, tt.header...), Options{})
			value, routedErr := validateRouted(t, v, newAdd(t, tt.contentType, tt.body, tt.header...))
			vs := Violations("op", DirectionRequest, err)
			if got := Violations("op", DirectionRequest, routedErr); !slices.Equal(got, vs) {
				t.Errorf("ValidateRoutedRequest: %v; ValidateRequest: %v", got, vs)
			}
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", vs)
				}
				if _, ok := value.(map[string]any)["@odata.id"]; !ok {
					t.Errorf("the validated body %#v lacks @odata.id", value)
				}
				return
			}
			if len(vs) == 0 || vs[0].Field != tt.wantField {
				t.Fatalf("violations %v, want the first on %s", vs, tt.wantField)
			}
			if got := IsUnsupportedMediaType(err); got != tt.want415 {
				t.Errorf("IsUnsupportedMediaType = %v, want %v (%v)", got, tt.want415, vs)
			}
		})
	}
}

// The handler gets exactly the value the schema was checked on: keys are
// compared byte for byte, so "@ODATA.ID" is another, unchecked, key.
func TestValidateRoutedRequestKeepsTheValidatedReading(t *testing.T) {
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	body := `{"@odata.id":"https://graph.microsoft.com/beta/connector/no-such","@ODATA.ID":"https://graph.microsoft.com/beta/connector/other"}`
	value, err := validateRouted(t, v, newAdd(t, "application/json", body))
	if err != nil {
		t.Fatal(err)
	}
	got := value.(map[string]any)
	if got["@odata.id"] != "https://graph.microsoft.com/beta/connector/no-such" {
		t.Errorf("@odata.id = %v", got["@odata.id"])
	}
}

func TestValidateResponseAcceptsGraphsMediaType(t *testing.T) {
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, addPath, http.NoBody)
	header := http.Header{"Content-Type": {graph.ContentTypeEntity}, "Request-Id": {"r"}, "Client-Request-Id": {"c"}, "Odata-Version": {"4.0"}}
	body := []byte(`{"@odata.context":"https://graph.microsoft.com/beta/$metadata#connectors/$entity","id":"c-1","machineName":"m","externalIp":"203.0.113.1","status":"active"}`)
	if vs := Violations("op", DirectionResponse, v.ValidateResponse(t.Context(), req, http.StatusCreated, header, body)); len(vs) > 0 {
		t.Errorf("violations: %v", vs)
	}
	errHeader := http.Header{"Content-Type": {graph.ContentTypeError}, "Request-Id": {"r"}, "Client-Request-Id": {"c"}}
	zoneless := []byte(`{"error":{"code":"","message":"m","innerError":{"date":"2023-07-07T11:13:19","request-id":"r","innerError":{"code":"x","message":"y"}}}}`)
	if vs := Violations("op", DirectionResponse, v.ValidateResponse(t.Context(), req, http.StatusNotFound, errHeader, zoneless)); len(vs) > 0 {
		t.Errorf("a zone-less date, a nested innerError and an empty code are Graph's own: %v", vs)
	}
}

// The spec's patterns are the rules internal/graph applies, verbatim.
func TestSpecPatternsAreGraphs(t *testing.T) {
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	ref := v.Doc().Components.Schemas["ReferenceCreate"].Value.Properties["@odata.id"].Value
	if ref.Pattern != graph.ConnectorLinkPattern {
		t.Errorf("ReferenceCreate @odata.id pattern\n  spec:  %s\n  graph: %s", ref.Pattern, graph.ConnectorLinkPattern)
	}
	group := v.Doc().Components.Schemas["ConnectorGroupReferenceCreate"].Value.Properties["@odata.id"].Value
	if group.Pattern != graph.ConnectorGroupLinkPattern {
		t.Errorf("ConnectorGroupReferenceCreate @odata.id pattern\n  spec:  %s\n  graph: %s", group.Pattern, graph.ConnectorGroupLinkPattern)
	}
	app := v.Doc().Components.Schemas["ApplicationReferenceCreate"].Value.Properties["@odata.id"].Value
	if app.Pattern != graph.ApplicationLinkPattern {
		t.Errorf("ApplicationReferenceCreate @odata.id pattern\n  spec:  %s\n  graph: %s", app.Pattern, graph.ApplicationLinkPattern)
	}
	crid := v.Doc().Components.Parameters["clientRequestId"].Value.Schema.Value
	if crid.Pattern != graph.ClientRequestIDPattern {
		t.Errorf("clientRequestId pattern: spec %q, graph %q", crid.Pattern, graph.ClientRequestIDPattern)
	}
}

// The scopes the fake accepts for each operation are the ones the spec
// declares for it, each as a security requirement of its own (either
// suffices), verbatim; and the spec's operations are internal/graph's.
func TestSpecScopesAreGraphs(t *testing.T) {
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, path := range v.Doc().Paths.InMatchingOrder() {
		for _, op := range v.Doc().Paths.Value(path).Operations() {
			ops = append(ops, op.OperationID)
			var declared []string
			for _, req := range *op.Security {
				if len(req) != 1 {
					t.Fatalf("%s: requirement %v names more than one scheme", op.OperationID, req)
				}
				for _, scopes := range req {
					if len(scopes) != 1 {
						t.Fatalf("%s: requirement %v is not one scope", op.OperationID, req)
					}
					declared = append(declared, scopes[0])
				}
			}
			if want := graph.OperationPermissions(op.OperationID).Scopes(); !slices.Equal(declared, want) {
				t.Errorf("%s: spec scopes %v, internal/graph's %v", op.OperationID, declared, want)
			}
		}
	}
	slices.Sort(ops)
	want := slices.Sorted(slices.Values(graph.Operations()))
	if !slices.Equal(ops, want) {
		t.Errorf("spec operations %v, internal/graph's %v", ops, want)
	}
}
