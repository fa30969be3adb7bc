package contract_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
)

func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// A gzip-compressed request body, as Microsoft's SDKs send every body, is
// validated as it inflates, and forwarded as it was sent.
func TestTransportValidatesGzipRequestBodies(t *testing.T) {
	const path = "/beta/connectorGroups/" + emptyGroup + "/members/$ref"
	corrupt := gzipBytes(t, []byte(docReferenceRaw))
	corrupt[len(corrupt)-8] ^= 0xff // the CRC-32
	tests := []struct {
		name       string
		encoding   string
		body       []byte
		wantFields []string
		wantReason string
		readable   string // the Exchange's RequestBody, when the body inflates
	}{
		{"a valid body", "gzip", gzipBytes(t, []byte(docReferenceRaw)), nil, "", docReferenceRaw},
		{"x-gzip", "x-gzip", gzipBytes(t, []byte(docReferenceRaw)), nil, "", docReferenceRaw},
		{"a body that breaks the schema once inflated", "gzip",
			gzipBytes(t, []byte(`{"odata.id":"https://graph.microsoft.com/beta/connector/c"}`)), []string{"body/@odata.id"}, "", `{"odata.id":"https://graph.microsoft.com/beta/connector/c"}`},
		{"plain JSON said to be gzip", "gzip", []byte(docReferenceRaw), []string{"body"}, "does not inflate", ""},
		{"a wrong checksum", "gzip", corrupt, []string{"body"}, "does not inflate", ""},
		{"a bomb", "gzip", gzipBytes(t, []byte(`{"@odata.id":"`+strings.Repeat("a", 5<<20)+`"}`)), []string{"body"}, "larger than 4194304 bytes", ""},
		{"another coding", "br", []byte(docReferenceRaw), []string{"header/Content-Encoding"}, `"br" is not supported`, ""},
		{"gzip twice", "gzip, gzip", gzipBytes(t, gzipBytes(t, []byte(docReferenceRaw))), []string{"header/Content-Encoding"}, "not supported", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, seen := stub(t, stubResponse{status: http.StatusCreated, body: connectorJSON})
			var exchanges []contract.Exchange
			tr := newTransport(t, nil, contract.WithOnExchange(func(ex contract.Exchange) { exchanges = append(exchanges, ex) }))
			req, err := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(tt.body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Content-Encoding", tt.encoding)
			req.Header.Set("Authorization", "Bearer "+devToken)
			resp, err := (&http.Client{Transport: tr}).Do(req)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())

			got := tr.Violations()
			assert.ElementsMatch(t, tt.wantFields, fields(got), "violations: %v", got)
			for _, v := range got {
				assert.Equal(t, contract.DirectionRequest, v.Direction)
				assert.Contains(t, v.Reason, tt.wantReason)
			}
			requests := seen()
			require.Len(t, requests, 1, "the request is sent whatever its body")
			assert.Equal(t, tt.body, requests[0].body, "sent byte for byte, compressed")
			assert.Equal(t, tt.encoding, requests[0].header.Get("Content-Encoding"))
			require.Len(t, exchanges, 1)
			if tt.readable != "" {
				assert.Equal(t, tt.readable, string(exchanges[0].RequestBody), "the exchange holds the body as the server reads it")
			}
		})
	}
}
