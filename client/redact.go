package client

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// sentToken is the bearer token of the request a response answers: the
// one secret the client knows it must never print.
func sentToken(resp *http.Response) string {
	if resp == nil || resp.Request == nil {
		return ""
	}
	return graph.Credential(resp.Request.Header.Get("Authorization"))
}

// redactBody takes token out of a response body: as sent, and in any JSON
// string that spells it with escapes ("\/", "\u0041"), which the raw bytes
// would not show. A body that spelled it so is written again, compacted,
// for it is kept for debugging only.
func redactBody(body []byte, token string) []byte {
	if len(token) < graph.MinRedactedSecret {
		return body // as graph.RedactSecret: too short to tell from ordinary text
	}
	body = bytes.ReplaceAll(body, []byte(token), []byte(graph.Redacted))
	if bytes.IndexByte(body, '\\') < 0 {
		return body // no escape, so no spelling the replacement missed
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return body
	}
	v, changed := redactJSON(v, token)
	if !changed {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return []byte(graph.Redacted)
	}
	return out
}

// redactJSON replaces token in every string of v, object keys included.
func redactJSON(v any, token string) (any, bool) {
	switch v := v.(type) {
	case string:
		if strings.Contains(v, token) {
			return graph.RedactSecret(v, token), true
		}
		return v, false
	case []any:
		changed := false
		for i, item := range v {
			var c bool
			v[i], c = redactJSON(item, token)
			changed = changed || c
		}
		return v, changed
	case map[string]any:
		changed := false
		out := make(map[string]any, len(v))
		for key, item := range v {
			item, c := redactJSON(item, token)
			k := graph.RedactSecret(key, token)
			out[k] = item
			changed = changed || c || k != key
		}
		return out, changed
	}
	return v, false
}
