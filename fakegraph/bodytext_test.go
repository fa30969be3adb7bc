package fakegraph

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// badTexts are bytes a JSON string may not hold, each of which
// encoding/json would read as U+FFFD: invalid UTF-8 of every kind, and
// escapes of half a surrogate pair.
var badTexts = map[string]string{
	"a byte that starts nothing":       "\xff",
	"a truncated sequence":             "\xe6\x97",
	"a surrogate encoded as UTF-8":     "\xed\xa0\x80",
	"an overlong encoding":             "\xc0\xaf",
	"a high surrogate alone":           `\ud800`,
	"a high surrogate before a letter": `\udbff\u0041`,
	"two high surrogates":              `\ud800\ud800`,
	"a low surrogate alone":            `\udc00`,
	"a low surrogate before a high":    `\udfff\ud800`,
}

// goodText is text the same places take: a character outside the BMP, as
// a surrogate pair, and one in UTF-8.
const goodText = `\ud83d\ude00é`

// Every operation with a body refuses text it could only store as U+FFFD
// with Graph's 400 for a body it cannot read, and
// stores nothing. The same body with good text in the same place
// succeeds, so the text is what is refused.
func TestBodyTextThatIsNotUnicodeIsRefused(t *testing.T) {
	// Each body has "%s" where the text goes: in a declared string, or in
	// a property the schema leaves open (references take any other).
	ops := []struct {
		name   string
		call   func(body string) call
		body   string
		status int // with good text
	}{
		{"doc's add, another property", func(b string) call { c := docCall(emptyGroupID, ""); c.body = b; return c },
			`{"@odata.id":"` + docRef(inactiveConnID) + `","note":"%s"}`, http.StatusCreated},
		{"create, name", func(b string) call { return apiCall(http.MethodPost, groupsPath, b) },
			`{"name":"group %s"}`, http.StatusOK},
		{"update, name", func(b string) call { return apiCall(http.MethodPatch, groupPath(emptyGroupID), b) },
			`{"name":"group %s","region":"eur"}`, http.StatusNoContent},
		{"members/$ref, another property", func(b string) call { return apiCall(http.MethodPost, membersOf(emptyGroupID)+"/$ref", b) },
			`{"note":"%s","@odata.id":"` + todayRef(inactiveConnID) + `"}`, http.StatusNoContent},
		{"memberOf/$ref, another property", func(b string) call {
			return apiCall(http.MethodPost, memberOfPath(inactiveConnID)+"/$ref", b)
		}, `{"@odata.id":"` + groupRef(emptyGroupID) + `","x":{"note":"%s"}}`, http.StatusNoContent},
	}
	s, srv := newServer(t, nil)
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			s.Reset()
			before := s.Snapshot()
			ex := send(t, srv, op.call(strings.Replace(op.body, "%s", goodText, 1)))
			requireSuccess(t, ex, op.status)
			assert.NotEqual(t, before, s.Snapshot(), "the good body changed the state")

			for kind, text := range badTexts {
				s.Reset()
				ex := send(t, srv, op.call(strings.Replace(op.body, "%s", text, 1)))
				requireGraphError(t, ex, http.StatusBadRequest, "BadRequest", msgUnreadableJSON)
				assert.Equal(t, before, s.Snapshot(), "%s: nothing is stored", kind)
			}
		})
	}
	// In a key, or in the value of a property the type lacks, the
	// text is refused before the property is: the body is not
	// read at all.
	for kind, text := range badTexts {
		s.Reset()
		before := s.Snapshot()
		for _, body := range []string{`{"name":"x","` + text + `":1}`, `{"` + text + `":"x"}`, `{"name":"x","other":"` + text + `"}`, `["` + text + `"]`} {
			ex := send(t, srv, apiCall(http.MethodPost, groupsPath, body))
			requireGraphError(t, ex, http.StatusBadRequest, "BadRequest", msgUnreadableJSON)
		}
		assert.Equal(t, before, s.Snapshot(), "%s: nothing is stored", kind)
	}
}
