package contract_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectorgroups/connectorgroups/contract"
	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// graphLike makes the reference server answer the way the live service's
// answers have been seen to differ from the docs (testdata/graph-responses):
//   - a reference that names nothing but has a link's shape, such as the
//     doc's own https://graph.microsoft.com/{ver}/connector/{id}, is
//     resolved leniently and answered 404, with the app-proxy back end's
//     empty code (microsoft-graph-docs #8929);
//   - every error's innerError is the back end's: its own code, message
//     and status, a nested innerError, and no client-request-id;
//   - dates without a zone and Graph's media types, as the fake sends.
func graphLike(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqBody, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
		var ref struct {
			ID string `json:"@odata.id"`
		}
		if json.Unmarshal(reqBody, &ref) == nil && strings.Contains(ref.ID, "{") && r.Header.Get("Authorization") == "Bearer "+devToken {
			id := ref.ID[strings.LastIndex(ref.ID, "/")+1:]
			writeBackEndError(w, r, http.StatusNotFound, "", fmt.Sprintf(graph.MsgResourceNotFound, id))
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if rec.Code < 400 {
			copyRecorded(w, rec)
			return
		}
		e, ok := graph.DecodeError(rec.Body.Bytes())
		require.True(nil, ok)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		writeBackEndError(w, r, rec.Code, e.Code, e.Message)
	})
}

// writeBackEndError writes an error the way Graph relays one from the
// service behind it.
func writeBackEndError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	requestID := "3b8e6c14-5f29-4d70-9e0a-7c1d4b2f8e65"
	body, _ := json.Marshal(map[string]any{"error": map[string]any{
		"code":    code,
		"message": message,
		"innerError": map[string]any{
			"code":       "backEnd_" + code,
			"message":    "from the service behind Graph",
			"status":     status,
			"date":       "2026-11-26T10:15:30",
			"request-id": requestID,
			"innerError": map[string]any{"code": "deeper", "date": "2026-11-26T10:15:30"},
		},
	}})
	h := w.Header()
	h.Del("Content-Length")
	h.Set("Content-Type", graph.ContentTypeError)
	if h.Get("request-id") == "" {
		h.Set("request-id", requestID)
		client := r.Header.Get("client-request-id")
		if client == "" {
			client = requestID
		}
		h.Set("client-request-id", client)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func copyRecorded(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// A server that answers exactly like Graph passes verify: the checks judge
// what the live service does, not only what its docs say.
func TestVerifyPassesAGraphLikeServer(t *testing.T) {
	srv := startFake(t, graphLike)
	rep := runChecks(t, fakeTarget(srv))
	var text bytes.Buffer
	require.NoError(t, rep.WriteText(&text, true))
	assert.True(t, rep.OK(), "report:\n%s", text.String())
	assert.Equal(t, len(contract.Checks()), rep.Passed, "report:\n%s", text.String())

	neg, _ := rep.Result(contract.CheckNegativeData)
	assert.Contains(t, neg.Detail, "404 ×5", "the lenient 404 was seen and accepted, once per $ref operation (three for a connector, two for an application)")
	assert.Contains(t, neg.Detail, "400 or 404 for a URL-shaped reference that names nothing", "the report says which statuses were accepted")
}

// A rejected token is one clear line, not a failure per negative case.
func TestVerifyWithARejectedTokenSaysSoOnce(t *testing.T) {
	srv := startFake(t, nil)
	target := fakeTarget(srv)
	target.Token = "not-a-seeded-token"
	rep := runChecks(t, target, contract.CheckNegativeData, contract.CheckPositiveData)

	neg, _ := rep.Result(contract.CheckNegativeData)
	assert.Equal(t, contract.StatusFail, neg.Status)
	assert.Contains(t, neg.Detail, "the token was rejected: the list of the groups, read before the first write, got 401 InvalidAuthenticationToken")
	assert.Regexp(t, `so none of the \d+ bodies was sent; pass a valid token`, neg.Detail)
	assert.Len(t, neg.Evidence, 1, "one piece of evidence, not one per case")

	pos, _ := rep.Result(contract.CheckPositiveData)
	assert.Equal(t, contract.StatusFail, pos.Status)
	require.Len(t, pos.Evidence, 1)
	assert.Contains(t, pos.Evidence[0].Note, "the token was rejected")

	var text bytes.Buffer
	require.NoError(t, rep.WriteText(&text, true))
	assert.Equal(t, 1, strings.Count(text.String(), "the token was rejected: the list"), "report:\n%s", text.String())
	assert.NotContains(t, text.String(), target.Token, "the token never reaches a report")
}

// japanRegion answers like the tenant in terraform-provider-microsoft365
// PR #3213: the Europe group's region is "japan", a value the published
// enum does not have, wherever the group is sent.
func japanRegion(next http.Handler) http.Handler {
	return rewrite(func(_ *http.Request, _ []byte, rec *httptest.ResponseRecorder) {
		if rec.Code != http.StatusOK {
			return
		}
		editJSON(func(m map[string]any) {
			japan := func(g map[string]any) {
				if g["id"] == europeGroup {
					g["region"] = "japan"
				}
			}
			japan(m)
			if value, ok := m["value"].([]any); ok {
				for _, item := range value {
					if g, ok := item.(map[string]any); ok {
						japan(g)
					}
				}
			}
		})(rec)
	})(next)
}
