package fakegraph

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/gen/api"
)

func TestAddConnectorReturnsTheSeededConnector(t *testing.T) {
	s, srv := newServer(t, nil)
	ex := send(t, srv, docCall(emptyGroupID, docConnectorID))

	got := requireCreated(t, ex)
	var want SeedConnector
	for _, c := range DefaultSeed().Connectors {
		if c.ID == docConnectorID {
			want = c
		}
	}
	require.NotEmpty(t, want.ID)
	assert.Equal(t, want.ID, got.Id)
	assert.Equal(t, want.MachineName, got.MachineName)
	assert.Equal(t, want.ExternalIP, got.ExternalIp)
	assert.Equal(t, api.ConnectorStatus(want.Status), got.Status)
	require.NotNil(t, got.Version)
	assert.Equal(t, want.Version, *got.Version)
	assert.Equal(t, []string{docConnectorID}, memberIDs(t, s, emptyGroupID))
}

func TestEveryODataIDShapeIsAccepted(t *testing.T) {
	shapes := []string{
		"https://graph.microsoft.com/%s/connector/%s",
		"https://graph.microsoft.com/%s/connectors/%s",
		"https://graph.microsoft.com/%s/onPremisesPublishingProfiles/applicationProxy/connectors/%s",
	}
	for _, shape := range shapes {
		for _, ver := range []string{"beta", "v1.0"} {
			ref := fmt.Sprintf(shape, ver, inactiveConnID)
			t.Run(ref, func(t *testing.T) {
				s, srv := newServer(t, nil)
				c := docCall(emptyGroupID, "")
				c.body = refBody(ref)
				got := requireCreated(t, send(t, srv, c))
				assert.Equal(t, inactiveConnID, got.Id)
				assert.Equal(t, api.ConnectorStatusInactive, got.Status)
				assert.Equal(t, []string{inactiveConnID}, memberIDs(t, s, emptyGroupID))
			})
		}
	}
}

// Links built from the fake's own base URL work too: any host is accepted.
func TestODataIDOnAnyHost(t *testing.T) {
	_, srv := newServer(t, nil)
	c := docCall(emptyGroupID, "")
	c.body = refBody(srv.URL + "/beta/connectors/" + docConnectorID)
	assert.Equal(t, docConnectorID, requireCreated(t, send(t, srv, c)).Id)
}

func TestODataIDThatNamesNoConnectorIsInvalidURL(t *testing.T) {
	refs := map[string]string{
		"bare id":               docConnectorID,
		"relative URL":          "/beta/connector/" + docConnectorID,
		"no scheme":             "graph.microsoft.com/beta/connector/" + docConnectorID,
		"a user":                "https://graph.microsoft.com/beta/users/" + docConnectorID,
		"a connector group":     "https://graph.microsoft.com/beta/connectorGroups/" + emptyGroupID,
		"empty id":              "https://graph.microsoft.com/beta/connector/",
		"no id":                 "https://graph.microsoft.com/beta/connector",
		"no version":            "https://graph.microsoft.com/connector/" + docConnectorID,
		"unknown version":       "https://graph.microsoft.com/v2.0/connector/" + docConnectorID,
		"extra segment":         "https://graph.microsoft.com/beta/connector/" + docConnectorID + "/$ref",
		"doc's placeholders":    "https://graph.microsoft.com/{ver}/connector/{id}",
		"not http":              "ftp://graph.microsoft.com/beta/connector/" + docConnectorID,
		"a query":               docRef(docConnectorID) + "?x=1",
		"a fragment":            docRef(docConnectorID) + "#x",
		"empty string":          "",
		"applicationProxy only": "https://graph.microsoft.com/beta/applicationProxy/connectors/" + docConnectorID,
	}
	for name, ref := range refs {
		t.Run(name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			c := docCall(emptyGroupID, "")
			c.body = refBody(ref)
			requireGraphError(t, send(t, srv, c), http.StatusBadRequest, "BadRequest", "Invalid URL format specified in payload.")
			assert.Empty(t, memberIDs(t, s, emptyGroupID), "nothing was added")
		})
	}
	t.Run("not a string", func(t *testing.T) {
		_, srv := newServer(t, nil)
		c := docCall(emptyGroupID, "")
		c.body = `{"@odata.id": 42}`
		requireGraphError(t, send(t, srv, c), http.StatusBadRequest, "BadRequest", "Invalid URL format specified in payload.")
	})
}

func TestGraphErrorsOfTheOperation(t *testing.T) {
	tests := []struct {
		name    string
		call    call
		status  int
		code    string
		message string
	}{
		{"unknown group", docCall("00000000-0000-4000-8000-000000000000", docConnectorID), http.StatusNotFound, "Request_ResourceNotFound",
			"Resource '00000000-0000-4000-8000-000000000000' does not exist or one of its queried reference-property objects are not present."},
		{"unknown connector", docCall(emptyGroupID, "11111111-1111-4111-8111-111111111111"), http.StatusNotFound, "Request_ResourceNotFound",
			"Resource '11111111-1111-4111-8111-111111111111' does not exist or one of its queried reference-property objects are not present."},
		{"already a member", docCall(europeGroupID, europeMember), http.StatusBadRequest, "Request_BadRequest",
			"One or more added object references already exist for the following modified properties: 'members'."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			before := s.store.Groups()
			requireGraphError(t, send(t, srv, tt.call), tt.status, tt.code, tt.message)
			assert.Equal(t, before, s.store.Groups(), "a failed add changes nothing")
		})
	}
}

func TestAddingTwiceGivesTheDuplicateError(t *testing.T) {
	s, srv := newServer(t, nil)
	requireCreated(t, send(t, srv, docCall(emptyGroupID, docConnectorID)))
	requireGraphError(t, send(t, srv, docCall(emptyGroupID, docConnectorID)), http.StatusBadRequest, "Request_BadRequest",
		"One or more added object references already exist for the following modified properties: 'members'.")
	assert.Equal(t, []string{docConnectorID}, memberIDs(t, s, emptyGroupID))
}

// unsignedJWT builds header.payload.signature with the given claims and a
// signature nobody checks.
func unsignedJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "RS256", "typ": "JWT"}) + "." + enc(claims) + ".c2lnbmF0dXJl"
}

func TestAuthentication(t *testing.T) {
	const (
		empty        = "Access token is empty."
		notJWT       = "CompactToken parsing failed with error code: 80049217"
		rejected     = "Access token validation failure. Invalid audience."
		insufficient = "Insufficient privileges to complete the operation."
	)
	writerJWT := unsignedJWT(t, map[string]any{"scp": "User.Read Directory.ReadWrite.All"})
	tests := []struct {
		name       string
		authHeader string // "" sends none
		trustJWT   bool
		status     int
		code       string
		message    string
	}{
		{"no header", "", false, 401, "InvalidAuthenticationToken", empty},
		{"Bearer without a token", "Bearer", false, 401, "InvalidAuthenticationToken", empty},
		{"Bearer with blanks", "Bearer    ", false, 401, "InvalidAuthenticationToken", empty},
		{"Basic scheme", "Basic ZGV2LXRva2VuOg==", false, 401, "InvalidAuthenticationToken", empty},
		{"a bare token", "dev-token", false, 401, "InvalidAuthenticationToken", empty},
		{"unknown opaque token", "Bearer not-a-token", false, 401, "InvalidAuthenticationToken", notJWT},
		{"a JWT with trust off", "Bearer " + writerJWT, false, 401, "InvalidAuthenticationToken", rejected},
		{"reader-token lacks the scope", "Bearer reader-token", false, 403, "Authorization_RequestDenied", insufficient},
		{"dev-token (ReadWrite.All)", "Bearer dev-token", false, 201, "", ""},
		{"admin-token (AccessAsUser.All)", "Bearer admin-token", false, 201, "", ""},
		{"scheme is case-insensitive", "bearer dev-token", false, 201, "", ""},
		{"JWT with scp", "Bearer " + writerJWT, true, 201, "", ""},
		{"JWT with AccessAsUser scp", "Bearer " + unsignedJWT(t, map[string]any{"scp": "Directory.AccessAsUser.All"}), true, 201, "", ""},
		{"JWT with roles", "Bearer " + unsignedJWT(t, map[string]any{"roles": []string{"Directory.ReadWrite.All"}}), true, 201, "", ""},
		{"JWT without the scope", "Bearer " + unsignedJWT(t, map[string]any{"scp": "User.Read Directory.Read.All", "roles": []string{"Group.Read.All"}}), true, 403, "Authorization_RequestDenied", insufficient},
		{"JWT whose payload is not base64url", "Bearer aGVhZGVy.!!!.c2ln", true, 401, "InvalidAuthenticationToken", rejected},
		{"JWT whose payload is not JSON", "Bearer aGVhZGVy.bm90IGpzb24.c2ln", true, 401, "InvalidAuthenticationToken", rejected},
		{"JWT whose scp is not a string", "Bearer " + unsignedJWT(t, map[string]any{"scp": []string{"Directory.ReadWrite.All"}}), true, 401, "InvalidAuthenticationToken", rejected},
		{"seed tokens still work with trust on", "Bearer dev-token", true, 201, "", ""},
		{"seed scopes win over trust", "Bearer reader-token", true, 403, "Authorization_RequestDenied", insufficient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []Option
			if tt.trustJWT {
				opts = append(opts, WithTrustUnsignedJWT())
			}
			s, srv := newServer(t, nil, opts...)
			c := docCall(emptyGroupID, docConnectorID)
			c.token, c.authHeader = "", tt.authHeader
			ex := send(t, srv, c)
			if tt.status == http.StatusCreated {
				requireCreated(t, ex)
				assert.Equal(t, []string{docConnectorID}, memberIDs(t, s, emptyGroupID))
				return
			}
			requireGraphError(t, ex, tt.status, tt.code, tt.message)
			assert.Empty(t, memberIDs(t, s, emptyGroupID))
		})
	}
}

// Graph checks the token before it reads the payload.
func TestAuthenticationComesBeforeValidation(t *testing.T) {
	_, srv := newServer(t, nil)
	c := call{method: http.MethodPost, path: membersPath("/beta", emptyGroupID), contentType: "text/plain", body: "not json"}
	requireGraphError(t, send(t, srv, c), http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
	c.token = "reader-token"
	requireGraphError(t, send(t, srv, c), http.StatusForbidden, "Authorization_RequestDenied", "")
}

func TestBodyValidation(t *testing.T) {
	const unreadable = "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."
	valid := refBody(docRef(docConnectorID))
	tests := []struct {
		name        string
		contentType string
		body        string
		status      int
		code        string
		message     string // "" with a non-empty contains checks only the code
		contains    string
	}{
		{"malformed JSON", "application/json", `{"@odata.id":`, 400, "BadRequest", unreadable, ""},
		{"trailing data", "application/json", valid + ` {}`, 400, "BadRequest", unreadable, ""},
		{"empty body", "application/json", "", 400, "BadRequest", "Empty Payload. JSON content expected.", ""},
		{"empty object", "application/json", `{}`, 400, "BadRequest", "", `"@odata.id" is missing`},
		{"other property only", "application/json", `{"id":"` + docConnectorID + `"}`, 400, "BadRequest", "", `"@odata.id" is missing`},
		{"an array", "application/json", `[]`, 400, "BadRequest", "", "object"},
		{"null", "application/json", `null`, 400, "BadRequest", "", "The request is not valid"},
		{"text/plain", "text/plain", valid, 415, "UnsupportedMediaType", "The content type 'text/plain' is not supported; send application/json.", ""},
		{"form", "application/x-www-form-urlencoded", valid, 415, "UnsupportedMediaType", "", "application/x-www-form-urlencoded"},
		{"no content type", "", valid, 415, "UnsupportedMediaType", "The request has no Content-Type; send application/json.", ""},
		{"JSON with charset", "application/json; charset=utf-8", valid, 201, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			c := docCall(emptyGroupID, docConnectorID)
			c.contentType, c.body = tt.contentType, tt.body
			ex := send(t, srv, c)
			if tt.status == http.StatusCreated {
				requireCreated(t, ex)
				return
			}
			odata := requireGraphError(t, ex, tt.status, tt.code, tt.message)
			assert.Contains(t, odata.Error.Message, tt.contains)
			assert.NotContains(t, odata.Error.Message, "\n", "one line")
			assert.Empty(t, memberIDs(t, s, emptyGroupID))
		})
	}
}

func TestBodyLimit(t *testing.T) {
	valid := refBody(docRef(docConnectorID))
	// Whitespace is valid JSON, so these bodies differ only in size.
	atLimit := valid + strings.Repeat(" ", MaxBodyBytes-len(valid))
	overLimit := atLimit + " "

	t.Run("at the limit", func(t *testing.T) {
		_, srv := newServer(t, nil)
		c := docCall(emptyGroupID, docConnectorID)
		c.body = atLimit
		requireCreated(t, send(t, srv, c))
	})
	t.Run("one byte over, with Content-Length", func(t *testing.T) {
		s, srv := newServer(t, nil)
		c := docCall(emptyGroupID, docConnectorID)
		c.body = overLimit
		requireGraphError(t, send(t, srv, c), http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			"The request body is larger than the limit of 1048576 bytes.")
		assert.Empty(t, memberIDs(t, s, emptyGroupID))
	})
	t.Run("over, chunked", func(t *testing.T) {
		_, srv := newServer(t, nil)
		resp := rawRequest(t, srv.URL, "POST", membersPath("/beta", emptyGroupID),
			"Authorization: Bearer dev-token\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
			fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(overLimit), overLimit))
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
		assert.Contains(t, resp.body, `"code":"RequestEntityTooLarge"`)
		requireRawSpecValid(t, "POST", membersPath("/beta", emptyGroupID), resp)
	})
}

// Connector groups exist in beta only. v1.0 answers as Graph does for a
// segment its metadata lacks, and a path without a version as Graph does
// for https://graph.microsoft.com/me.
func TestServedAtBetaOnly(t *testing.T) {
	tests := []struct {
		prefix, message string
	}{
		{"/v1.0", "Resource not found for the segment 'connectorGroups'."},
		{"", "Invalid version."},
		{"/v2", "Invalid version."},
		{"/mock/beta", "Invalid version."},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			s, srv := newServer(t, nil)
			c := docCall(emptyGroupID, docConnectorID)
			c.path = membersPath(tt.prefix, emptyGroupID)
			requireGraphError(t, send(t, srv, c), http.StatusBadRequest, "BadRequest", tt.message)
			assert.Empty(t, memberIDs(t, s, emptyGroupID), "nothing was added")
		})
	}
	s, srv := newServer(t, nil)
	assert.Equal(t, docConnectorID, requireCreated(t, send(t, srv, docCall(emptyGroupID, docConnectorID))).Id)
	assert.Equal(t, []string{docConnectorID}, memberIDs(t, s, emptyGroupID))
}

func TestUnknownPathsAndMethods(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		path    string
		status  int
		message string
	}{
		{"unknown segment", "POST", "/beta/users/x/memberOf/$ref", 400, "Resource not found for the segment 'users'."},
		{"unknown version", "POST", "/v2.0/connectorGroups/" + emptyGroupID + "/members/$ref", 400, "Invalid version."},
		{"sibling navigation", "POST", "/beta/connectorGroups/" + emptyGroupID + "/applications/$ref", 400, "Resource not found for the segment 'applications'."},
		{"members without $ref", "POST", "/beta/connectorGroups/" + emptyGroupID + "/members", 400, "Resource not found for the segment 'members'."},
		{"trailing slash", "POST", membersPath("/beta", emptyGroupID) + "/", 400, "Resource not found for the segment ''."},
		{"empty group id", "POST", "/beta/connectorGroups//members/$ref", 400, "Resource not found for the segment ''."},
		{"dot segments", "POST", "/beta/x/../connectorGroups/" + emptyGroupID + "/members/$ref", 400, "Resource not found for the segment 'x'."},
		{"a dot segment as the group id", "POST", "/beta/connectorGroups/./members/$ref", 400, "Resource not found for the segment '.'."},
		{"two dots as the group id", "POST", "/beta/connectorGroups/../members/$ref", 400, "Resource not found for the segment '..'."},
		{"the version alone", "POST", "/beta", 400, "Resource not found for the segment 'beta'."},
		{"root", "GET", "/", 400, "Invalid version."},
		{"GET on the operation", "GET", membersPath("/beta", emptyGroupID), 405, "Specified HTTP method is not allowed for the request target."},
		{"DELETE on the operation", "DELETE", membersPath("/beta", emptyGroupID), 405, ""},
		{"GET on an id the spec cannot route", "GET", "/beta/connectorGroups/a%2Fb/members/$ref", 405, ""},
		{"DELETE on the operation at the root", "DELETE", membersPath("", emptyGroupID), 400, "Invalid version."},
		{"PUT on the operation under v1.0", "PUT", membersPath("/v1.0", emptyGroupID), 400, "Resource not found for the segment 'connectorGroups'."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			c := docCall(emptyGroupID, docConnectorID)
			c.method, c.path = tt.method, tt.path
			code := "BadRequest"
			if tt.status == http.StatusMethodNotAllowed {
				code = "Request_BadRequest"
			}
			ex := send(t, srv, c)
			requireGraphError(t, ex, tt.status, code, tt.message)
			if tt.status == http.StatusMethodNotAllowed {
				assert.Equal(t, "POST", ex.header.Get("Allow"))
			}
			assert.Empty(t, memberIDs(t, s, emptyGroupID))
		})
	}
}

// rawResponse is a response read off a raw connection.
type rawResponse struct {
	*http.Response
	body string
}

// rawRequest writes a request line and headers byte for byte, so that the
// path reaches the server exactly as written (e.g. %24ref), and reads the
// response.
func rawRequest(t *testing.T, baseURL, method, target, headers, body string) rawResponse {
	t.Helper()
	addr := strings.TrimPrefix(baseURL, "http://")
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	if !strings.Contains(headers, "Transfer-Encoding") {
		headers += fmt.Sprintf("Content-Length: %d\r\n", len(body))
	}
	_, err = fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n%s\r\n%s", method, target, addr, headers, body)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	var sb strings.Builder
	_, err = bufio.NewReader(resp.Body).WriteTo(&sb)
	require.NoError(t, err)
	return rawResponse{Response: resp, body: sb.String()}
}

// requireRawSpecValid checks a response read off a raw connection against
// the spec.
func requireRawSpecValid(t *testing.T, method, target string, resp rawResponse) {
	t.Helper()
	req, err := http.NewRequest(method, "http://fake"+target, nil)
	require.NoError(t, err)
	requireSpecValid(t, exchange{req: req, status: resp.StatusCode, header: resp.Header, body: []byte(resp.body)})
}

func TestPercentEncodedRefIsTheSameOperation(t *testing.T) {
	s, srv := newServer(t, nil)
	target := "/beta/connectorGroups/" + emptyGroupID + "/members/%24ref"
	resp := rawRequest(t, srv.URL, "POST", target,
		"Authorization: Bearer dev-token\r\nContent-Type: application/json\r\nclient-request-id: raw-1\r\n",
		refBody(docRef(docConnectorID)))
	require.Equal(t, http.StatusCreated, resp.StatusCode, resp.body)
	requireRawSpecValid(t, "POST", target, resp)
	assert.Equal(t, "raw-1", resp.Header.Get("client-request-id"))
	assert.Contains(t, resp.body, `"id":"`+docConnectorID+`"`)
	assert.Equal(t, []string{docConnectorID}, memberIDs(t, s, emptyGroupID))

	// GET on the encoded form is the same resource: 405, not 404.
	resp = rawRequest(t, srv.URL, "GET", target, "", "")
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, resp.body)
}

func TestCorrelationIDs(t *testing.T) {
	_, srv := newServer(t, nil)

	t.Run("echoed on success", func(t *testing.T) {
		c := docCall(emptyGroupID, docConnectorID)
		c.header = map[string]string{"client-request-id": "0f9a2b64-1c7e-4f0e-9d53-6c2a1e8b7d40"}
		ex := send(t, srv, c)
		requireCreated(t, ex)
		assert.Equal(t, "0f9a2b64-1c7e-4f0e-9d53-6c2a1e8b7d40", ex.header.Get("client-request-id"))
	})
	t.Run("echoed in innerError", func(t *testing.T) {
		c := docCall(emptyGroupID, docConnectorID) // now a duplicate
		c.header = map[string]string{"client-request-id": "any caller text, unchanged"}
		odata := requireGraphError(t, send(t, srv, c), 400, "Request_BadRequest", "")
		assert.Equal(t, "any caller text, unchanged", *odata.Error.InnerError.ClientRequestId)
	})
	t.Run("echoed on 404 and 405", func(t *testing.T) {
		for _, c := range []call{
			{method: "GET", path: "/nowhere", header: map[string]string{"client-request-id": "c-404"}},
			{method: "GET", path: membersPath("/beta", emptyGroupID), header: map[string]string{"client-request-id": "c-405"}},
		} {
			ex := send(t, srv, c)
			assert.Equal(t, c.header["client-request-id"], ex.header.Get("client-request-id"))
			requireRequestIDs(t, ex)
		}
	})
	t.Run("request-id is fresh each time", func(t *testing.T) {
		seen := map[string]bool{}
		for range 20 {
			ex := send(t, srv, call{method: "GET", path: "/"})
			id := ex.header.Get("request-id")
			assert.Regexp(t, uuidPattern, id)
			assert.False(t, seen[id], "request-id %s repeated", id)
			seen[id] = true
		}
	})
}

// Graph's client-request-ids are GUIDs. A value that is not printable
// ASCII could not come back unchanged in both the header and innerError, so
// it is a 400 that echoes the request-id instead, before anything else.
func TestClientRequestIDMustBePrintableASCII(t *testing.T) {
	tests := []struct {
		name, path, clientID string
		ok                   bool
	}{
		{"a GUID", membersPath("/beta", emptyGroupID), "0f9a2b64-1c7e-4f0e-9d53-6c2a1e8b7d40", true},
		{"any printable ASCII", membersPath("/beta", emptyGroupID), `a b,c;d="e"~!`, true},
		{"a Latin-1 byte", membersPath("/beta", emptyGroupID), "caf\xe9", false},
		{"bytes that are not UTF-8", membersPath("/beta", emptyGroupID), "\xff\xfe", false},
		{"valid UTF-8 that is not ASCII", membersPath("/beta", emptyGroupID), "ünïcode", false},
		{"a tab inside", membersPath("/beta", emptyGroupID), "a\tb", false},
		{"on an unknown path", "/beta/nowhere", "caf\xe9", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			c := docCall(emptyGroupID, docConnectorID)
			c.path = tt.path
			c.header = map[string]string{"client-request-id": tt.clientID}
			ex := send(t, srv, c)
			if tt.ok {
				requireCreated(t, ex)
				return
			}
			require.Equal(t, http.StatusBadRequest, ex.status, "body: %s", ex.body)
			var odata api.ODataError
			require.NoError(t, json.Unmarshal(ex.body, &odata), "body: %s", ex.body)
			assert.Equal(t, "BadRequest", odata.Error.Code)
			assert.Equal(t, "The client-request-id header must be printable ASCII, such as a GUID.", odata.Error.Message)
			requestID := ex.header.Get("request-id")
			assert.Regexp(t, uuidPattern, requestID)
			assert.Equal(t, requestID, ex.header.Get("client-request-id"), "the bad value is not echoed; the request-id stands in")
			require.NotNil(t, odata.Error.InnerError)
			require.NotNil(t, odata.Error.InnerError.ClientRequestId)
			assert.Equal(t, requestID, *odata.Error.InnerError.ClientRequestId, "header and innerError agree")
			assert.Empty(t, memberIDs(t, s, emptyGroupID))
		})
	}
}

// A header parameter the generated router cannot bind is a Graph 400 too.
func TestRepeatedClientRequestIDIsGraph400(t *testing.T) {
	s, srv := newServer(t, nil)
	target := membersPath("/beta", emptyGroupID)
	resp := rawRequest(t, srv.URL, "POST", target,
		"Authorization: Bearer dev-token\r\nContent-Type: application/json\r\nclient-request-id: one\r\nclient-request-id: two\r\n",
		refBody(docRef(docConnectorID)))
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Contains(t, resp.body, `"code":"BadRequest"`)
	assert.Equal(t, "one", resp.Header.Get("client-request-id"))
	requireRawSpecValid(t, "POST", target, resp)
	assert.Empty(t, memberIDs(t, s, emptyGroupID))
}

func TestWithLoggerLogsEachRequest(t *testing.T) {
	var buf safeBuffer
	_, srv := newServer(t, nil, WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	c := docCall(emptyGroupID, docConnectorID)
	c.header = map[string]string{"client-request-id": "log-1"}
	ex := send(t, srv, c)
	requireCreated(t, ex)
	send(t, srv, call{method: "GET", path: "/nowhere"})

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], "method=POST")
	assert.Contains(t, lines[0], "status=201")
	assert.Contains(t, lines[0], "request-id="+ex.header.Get("request-id"))
	assert.Contains(t, lines[0], "client-request-id=log-1")
	assert.Contains(t, lines[1], "status=400")
}

// safeBuffer is a bytes.Buffer the server's goroutines may write.
type safeBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *safeBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *safeBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestPanicGivesGraph500AndLeavesStateUnchanged(t *testing.T) {
	s, srv := newServer(t, nil)
	var panicked atomic.Bool
	// Set before any request, so the server goroutines see it.
	s.store.testHookBeforeInsert = func() {
		if panicked.CompareAndSwap(false, true) {
			panic("injected by the test")
		}
	}
	before := s.store.Groups()

	c := docCall(emptyGroupID, docConnectorID)
	c.header = map[string]string{"client-request-id": "panic-1"}
	ex := send(t, srv, c)
	requireGraphError(t, ex, http.StatusInternalServerError, "InternalServerError", "")
	assert.True(t, panicked.Load())
	assert.Equal(t, before, s.store.Groups(), "the panic struck before the insert; nothing changed")

	// The lock was released: the same add now goes through, once.
	requireCreated(t, send(t, srv, docCall(emptyGroupID, docConnectorID)))
	assert.Equal(t, []string{docConnectorID}, memberIDs(t, s, emptyGroupID))
}

func TestFaults(t *testing.T) {
	t.Run("429 with Retry-After in whole seconds", func(t *testing.T) {
		s, srv := newServer(t, nil, WithFaults(Faults{Rate: 0.5, Status: 429, RetryAfter: 1500 * time.Millisecond, Rand: func() float64 { return 0.49 }}))
		ex := send(t, srv, docCall(emptyGroupID, docConnectorID))
		requireGraphError(t, ex, http.StatusTooManyRequests, "TooManyRequests", "")
		assert.Equal(t, "2", ex.header.Get("Retry-After"))
		assert.Empty(t, memberIDs(t, s, emptyGroupID))
	})
	t.Run("503 serviceNotAvailable", func(t *testing.T) {
		_, srv := newServer(t, nil, WithFaults(Faults{Rate: 1, Status: 503, RetryAfter: 3 * time.Second}))
		ex := send(t, srv, docCall(emptyGroupID, docConnectorID))
		requireGraphError(t, ex, http.StatusServiceUnavailable, "serviceNotAvailable", "The service is temporarily unavailable. Please retry later.")
		assert.Equal(t, "3", ex.header.Get("Retry-After"))
	})
	t.Run("the rate decides", func(t *testing.T) {
		rolls := []float64{0.05, 0.95, 0.1, 0.09}
		var next atomic.Int64
		roll := func() float64 { return rolls[int(next.Add(1)-1)%len(rolls)] }
		s, srv := newServer(t, nil, WithFaults(Faults{Rate: 0.1, Rand: roll}))
		var statuses []int
		for _, id := range []string{docConnectorID, docConnectorID, inactiveConnID, inactiveConnID} {
			statuses = append(statuses, send(t, srv, docCall(emptyGroupID, id)).status)
		}
		assert.Equal(t, []int{429, 201, 201, 429}, statuses, "429 is the default status; Rand() < Rate fails")
		assert.ElementsMatch(t, []string{docConnectorID, inactiveConnID}, memberIDs(t, s, emptyGroupID))
	})
	t.Run("invalid settings", func(t *testing.T) {
		for _, f := range []Faults{
			{Rate: 1.5}, {Rate: -0.1}, {Rate: 0.5, Status: 500}, {Rate: 0.5, RetryAfter: -time.Second},
			// Wrong even while no fault is injected.
			{Status: 500}, {Status: 200}, {RetryAfter: -time.Second},
		} {
			_, err := New(nil, WithFaults(f))
			assert.Error(t, err, "%+v", f)
		}
	})
	t.Run("valid settings without a rate", func(t *testing.T) {
		for _, f := range []Faults{{}, {Status: 503, RetryAfter: time.Second}} {
			_, srv := newServer(t, nil, WithFaults(f))
			requireCreated(t, send(t, srv, docCall(emptyGroupID, docConnectorID)))
		}
	})
	t.Run("RetryAfterSeconds is what is sent", func(t *testing.T) {
		for d, want := range map[time.Duration]int{0: 1, time.Nanosecond: 1, time.Second: 1, 1500 * time.Millisecond: 2, 3 * time.Second: 3} {
			assert.Equal(t, want, Faults{RetryAfter: d}.RetryAfterSeconds(), "%v", d)
		}
	})
}

// Many clients adding the same and different connectors at once: each
// connector is moved in exactly once, every other attempt is the duplicate
// 400.
func TestConcurrentAddsAreAtomic(t *testing.T) {
	const connectors, attempts = 8, 64
	seed := &Seed{
		ConnectorGroups: []SeedConnectorGroup{
			{ID: "g-0", Name: "Default", ConnectorGroupType: "applicationProxy", IsDefault: true}, // holds every connector at first
			{ID: "g-1", Name: "Busy", ConnectorGroupType: "applicationProxy", Region: "eur"},
		},
		Tokens: map[string][]string{"dev-token": {"Directory.ReadWrite.All"}},
	}
	for i := range connectors {
		seed.Connectors = append(seed.Connectors, SeedConnector{ID: fmt.Sprintf("c-%d", i), MachineName: "m", ExternalIP: "192.0.2.1", Status: "active"})
	}
	s, srv := newServer(t, seed)

	results := make([]exchange, attempts)
	errs := make([]error, attempts)
	var wg sync.WaitGroup
	for i := range attempts {
		wg.Go(func() {
			results[i], errs[i] = roundTrip(srv, docCall("g-1", fmt.Sprintf("c-%d", i%connectors)))
		})
	}
	wg.Wait()

	created := map[string]int{}
	for i, ex := range results {
		require.NoError(t, errs[i], "attempt %d", i)
		requireSpecValid(t, ex)
		id := fmt.Sprintf("c-%d", i%connectors)
		switch ex.status {
		case http.StatusCreated:
			created[id]++
		default:
			requireGraphError(t, ex, http.StatusBadRequest, "Request_BadRequest",
				"One or more added object references already exist for the following modified properties: 'members'.")
		}
	}
	want := map[string]int{}
	var wantMembers []string
	for i := range connectors {
		want[fmt.Sprintf("c-%d", i)] = 1
		wantMembers = append(wantMembers, fmt.Sprintf("c-%d", i))
	}
	assert.Equal(t, want, created, "exactly one 201 per connector")
	assert.Equal(t, wantMembers, memberIDs(t, s, "g-1"), "each connector a member exactly once")
	assert.Empty(t, memberIDs(t, s, "g-0"), "every connector moved out of the default group")
}

// The mux matches the operation on decoded segments, so a%2Fb is one id
// there; the spec's router sees a/b and no operation. Such an id is a group
// that does not exist, like any other, never a validator message.
func TestIDTheSpecCannotRouteIsResourceNotFound(t *testing.T) {
	const notFound = "Resource '%s' does not exist or one of its queried reference-property objects are not present."
	tests := []struct {
		name, path, token string
		status            int
		code, message     string
	}{
		{"encoded slash", "/beta/connectorGroups/a%2Fb/members/$ref", "dev-token",
			404, "Request_ResourceNotFound", fmt.Sprintf(notFound, "a/b")},
		{"encoded slash after a real id", "/beta/connectorGroups/" + emptyGroupID + "%2Fx/members/$ref", "dev-token",
			404, "Request_ResourceNotFound", fmt.Sprintf(notFound, emptyGroupID+"/x")},
		{"encoded slash and %24ref", "/beta/connectorGroups/a%2Fb/members/%24ref", "dev-token",
			404, "Request_ResourceNotFound", fmt.Sprintf(notFound, "a/b")},
		{"a version as the id", "/beta/connectorGroups/beta/members/$ref", "dev-token",
			404, "Request_ResourceNotFound", fmt.Sprintf(notFound, "beta")},
		{"encoded slash, no token: 401 first, like any id", "/beta/connectorGroups/a%2Fb/members/$ref", "",
			401, "InvalidAuthenticationToken", "Access token is empty."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			before := s.store.Groups()
			c := docCall(emptyGroupID, docConnectorID)
			c.path, c.token = tt.path, tt.token
			ex, err := roundTrip(srv, c)
			require.NoError(t, err)
			requireSpecValidAs(t, ex, membersPath("/beta", "stand-in"))
			requireGraphError(t, ex, tt.status, tt.code, tt.message)
			assert.NotContains(t, string(ex.body), "not valid", "no validator wording")
			assert.Equal(t, before, s.store.Groups())
		})
	}
}

// Two Authorization headers are ambiguous credentials: 401 whatever their
// order, never "the first one wins".
func TestRepeatedAuthorizationIs401(t *testing.T) {
	tests := map[string][]string{
		"writer then reader": {"Bearer dev-token", "Bearer reader-token"},
		"reader then writer": {"Bearer reader-token", "Bearer dev-token"},
		"the same twice":     {"Bearer dev-token", "Bearer dev-token"},
	}
	for name, values := range tests {
		t.Run(name, func(t *testing.T) {
			s, srv := newServer(t, nil)
			c := docCall(emptyGroupID, docConnectorID)
			c.authHeaders = values
			requireGraphError(t, send(t, srv, c), http.StatusUnauthorized, "InvalidAuthenticationToken",
				"More than one Authorization header was sent; send exactly one Bearer token.")
			assert.Empty(t, memberIDs(t, s, emptyGroupID))
		})
	}
}

// New copies the seed deeply: changing it afterwards, scopes included,
// changes neither the state nor what a token may do.
func TestNewCopiesTheSeed(t *testing.T) {
	seed := DefaultSeed()
	s, srv := newServer(t, seed)
	before := s.store.Groups()

	seed.Tokens["dev-token"][0] = "Directory.Read.All"
	seed.Tokens["reader-token"][0] = "Directory.ReadWrite.All"
	delete(seed.Tokens, "admin-token")
	seed.Connectors[0].MachineName = "changed"
	seed.ConnectorGroups[0].Members = append(seed.ConnectorGroups[0].Members, docConnectorID)
	seed.ConnectorGroups[2].Members[0] = inactiveConnID

	assert.Equal(t, before, s.store.Groups())
	got := requireCreated(t, send(t, srv, docCall(emptyGroupID, docConnectorID)))
	assert.Equal(t, "CONNECTOR-01.contoso.com", got.MachineName)
	c := docCall(emptyGroupID, inactiveConnID)
	c.token = "reader-token"
	requireGraphError(t, send(t, srv, c), http.StatusForbidden, "Authorization_RequestDenied", "")
	c.token = "admin-token"
	requireCreated(t, send(t, srv, c))
}

// Only seeded tokens are accepted, so a seed without any is useless unless
// unsigned JWTs are trusted.
func TestNewNeedsATokenUnlessJWTsAreTrusted(t *testing.T) {
	seed := DefaultSeed()
	seed.Tokens = nil
	_, err := New(seed)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tokens is empty: every request would be 401")

	_, srv := newServer(t, seed, WithTrustUnsignedJWT())
	c := docCall(emptyGroupID, docConnectorID)
	c.token = unsignedJWT(t, map[string]any{"scp": "Directory.ReadWrite.All"})
	requireCreated(t, send(t, srv, c))
}

func TestNewRejectsABadSeed(t *testing.T) {
	seed := DefaultSeed()
	seed.Connectors[0].Status = "broken"
	_, err := New(seed)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `status "broken"`)
}

// fatalRecorder stands in for a test whose Fatalf must be observed.
type fatalRecorder struct {
	testing.TB
	fatal string
}

func (f *fatalRecorder) Helper()                        {}
func (f *fatalRecorder) Fatalf(format string, a ...any) { f.fatal = fmt.Sprintf(format, a...) }

func TestNewTestServer(t *testing.T) {
	t.Run("serves the default seed", func(t *testing.T) {
		srv := NewTestServer(t, nil)
		requireCreated(t, send(t, srv.Server, docCall(emptyGroupID, docConnectorID)))
	})
	t.Run("fails the test on a bad seed", func(t *testing.T) {
		rec := &fatalRecorder{TB: t}
		seed := DefaultSeed()
		seed.ConnectorGroups[1].Members = []string{"nobody"}
		assert.Nil(t, NewTestServer(rec, seed))
		assert.Contains(t, rec.fatal, `member "nobody" is not a connector id`)
	})
}

func TestNewHTTPServerHasLimits(t *testing.T) {
	hs := NewHTTPServer("127.0.0.1:0", http.NotFoundHandler())
	assert.Positive(t, hs.ReadHeaderTimeout)
	assert.Positive(t, hs.ReadTimeout)
	assert.Positive(t, hs.WriteTimeout)
	assert.Positive(t, hs.IdleTimeout)
	assert.Positive(t, hs.MaxHeaderBytes)
	assert.Equal(t, "127.0.0.1:0", hs.Addr)
}
