package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Reading the model back: the stateful checks judge what the server did by
// what its lists and entities say afterwards. Every read goes through
// session.send, so the traffic judges see it too.

// maxPages bounds a walk over @odata.nextLink, so that a server whose
// nextLink never ends cannot keep a run going.
const maxPages = 100

// maxListingBytes bounds the pages of one walk together, as the Transport
// bounds each (graph.MaxResponseBytes): a walk holds its items until it
// ends. A tenant would need tens of thousands of groups to reach it.
const maxListingBytes = 4 * graph.MaxResponseBytes

// listedPage is one page of a collection as it came back.
type listedPage struct {
	ex    Exchange
	items []json.RawMessage
	next  string
}

// listing is a collection walked page by page. fail says why the walk
// stopped before a page without @odata.nextLink; nil when it got there.
type listing struct {
	pages []listedPage
	fail  *Evidence
	// failed is the exchange the walk stopped at, when fail is set.
	failed Exchange
}

// ids are the items' ids, in the order the pages gave them.
func (l listing) ids() []string {
	var out []string
	for _, p := range l.pages {
		for _, raw := range p.items {
			e, _ := decodeEntity(raw)
			out = append(out, e.ID)
		}
	}
	return out
}

// entities are the items, decoded tolerantly.
func (l listing) entities() []entity {
	var out []entity
	for _, p := range l.pages {
		for _, raw := range p.items {
			e, _ := decodeEntity(raw)
			out = append(out, e)
		}
	}
	return out
}

// evidence is one piece per page, for a pass.
func (l listing) evidence(note string) []Evidence {
	var out []Evidence
	for i, p := range l.pages {
		n := note
		if len(l.pages) > 1 {
			n = fmt.Sprintf("%s, page %d", note, i+1)
		}
		out = append(out, evidenceOf(p.ex, n, "200", nil))
	}
	return out
}

// list GETs path (with $top when top > 0) and follows @odata.nextLink to
// the last page. A nextLink is followed only when it is absolute and on
// the target's own scheme and host: the token must go nowhere else.
func (s *session) list(ctx context.Context, note, path string, top int) listing {
	next := s.url(path)
	if top > 0 {
		next += "?" + url.Values{graph.QueryTop: {strconv.Itoa(top)}}.Encode()
	}
	var l listing
	seen := map[string]bool{next: true}
	held := 0
	for {
		pageNote := note
		if len(l.pages) > 0 {
			pageNote = fmt.Sprintf("%s, page %d", note, len(l.pages)+1)
		}
		p := s.call(pageNote, http.MethodGet, "", nil)
		p.url = next
		ex := s.send(ctx, p)
		if ex.Err != nil || ex.Status != http.StatusOK {
			e := refusal(evidenceOf(ex, pageNote, "200", nil), ex)
			l.fail, l.failed = &e, ex
			return l
		}
		items, link, err := decodePage(ex.ResponseBody)
		if err != nil {
			e := evidenceOf(ex, pageNote+"; "+err.Error(), "a collection with value", ex.ResponseViolations())
			l.fail, l.failed = &e, ex
			return l
		}
		held += len(ex.ResponseBody)
		ex.ResponseBody = nil // the items are what is kept
		l.pages = append(l.pages, listedPage{ex: ex, items: items, next: link})
		if link == "" {
			return l
		}
		problem := ""
		switch {
		case held > maxListingBytes:
			problem = fmt.Sprintf("the pages so far hold %d bytes, more than the %d this program reads of one list, and there are more", held, maxListingBytes)
		case !s.sameOrigin(link):
			problem = fmt.Sprintf("@odata.nextLink %q is not an absolute URL on the target's scheme and host, so it is not followed", graph.OneLine(link, 200))
		case seen[link]:
			problem = "@odata.nextLink names a page already read: the walk would never end"
		case len(l.pages) >= maxPages:
			problem = fmt.Sprintf("still an @odata.nextLink after %d pages", maxPages)
		}
		if problem != "" {
			e := evidenceOf(ex, pageNote+"; "+problem, "200 with a usable @odata.nextLink, or none", nil)
			l.fail, l.failed = &e, ex
			return l
		}
		seen[link] = true
		next = link
	}
}

// sameOrigin reports whether link is an absolute http(s) URL with the
// base URL's scheme and host.
func (s *session) sameOrigin(link string) bool {
	u, err := url.Parse(link)
	return err == nil && u.IsAbs() && u.Scheme == s.origin.Scheme && u.Host == s.origin.Host && u.User == nil
}

// decodePage reads one page of a collection: its items and nextLink.
func decodePage(body []byte) ([]json.RawMessage, string, error) {
	var p struct {
		Value    *[]json.RawMessage `json:"value"`
		NextLink *string            `json:"@odata.nextLink"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, "", fmt.Errorf("the body is not a JSON collection: %v", err)
	}
	if p.Value == nil {
		return nil, "", fmt.Errorf("the body has no value array")
	}
	next := ""
	if p.NextLink != nil {
		next = *p.NextLink
		if next == "" {
			return nil, "", fmt.Errorf("@odata.nextLink is empty; the last page has none")
		}
	}
	return *p.Value, next, nil
}

// entity is what the checks read of a connector or a connector group.
type entity struct {
	ID   string  `json:"id"`
	Name *string `json:"name"`
	// DisplayName is an application's name.
	DisplayName *string `json:"displayName"`
	IsDefault   *bool   `json:"isDefault"`
	Region      *string `json:"region"`
	Type        *string `json:"connectorGroupType"`
}

func decodeEntity(raw []byte) (entity, bool) {
	var e entity
	if err := json.Unmarshal(raw, &e); err != nil || e.ID == "" {
		return entity{}, false
	}
	return e, true
}

func (e entity) name() string {
	switch {
	case e.Name != nil:
		return *e.Name
	case e.DisplayName != nil:
		return *e.DisplayName
	}
	return ""
}

// isDefault reports whether the entity says it is the default group.
func (e entity) isDefault() bool { return e.IsDefault != nil && *e.IsDefault }

// groupType is the group's connectorGroupType, "" when it has none.
func (e entity) groupType() string {
	if e.Type == nil {
		return ""
	}
	return *e.Type
}

func (e entity) region() string {
	if e.Region == nil {
		return "null"
	}
	return *e.Region
}

// get GETs one entity and decodes it; ok is false, with the evidence,
// when the answer is not 200 with an entity.
func (s *session) get(ctx context.Context, note, path string) (entity, Evidence, bool) {
	ex := s.send(ctx, s.call(note, http.MethodGet, path, nil))
	e := evidenceOf(ex, note, "200", nil)
	if ex.Err != nil || ex.Status != http.StatusOK {
		return entity{}, refusal(e, ex), false
	}
	got, ok := decodeEntity(ex.ResponseBody)
	if !ok {
		e.Note += "; the body is not an entity with an id"
		e.Violations = ex.ResponseViolations()
		return entity{}, e, false
	}
	return got, e, true
}

// groupOf reads the connector's memberOf, all pages: the ids of its
// groups, which must be exactly one.
func (s *session) groupOf(ctx context.Context, note, connector string) (string, listing, *Evidence) {
	l := s.list(ctx, note, graph.MemberOfPath(connector), 0)
	if l.fail != nil {
		return "", l, l.fail
	}
	ids := l.ids()
	if len(ids) != 1 {
		last := l.pages[len(l.pages)-1]
		e := evidenceOf(last.ex, fmt.Sprintf("%s; memberOf names %d groups %q", note, len(ids), ids), "exactly one group", nil)
		return "", l, &e
	}
	return ids[0], l, nil
}

// hasMember reads the group's members, all pages, and reports whether
// they list the connector.
func (s *session) hasMember(ctx context.Context, note, group, connector string) (bool, listing) {
	l := s.list(ctx, note, graph.MembersPath(group), 0)
	return slices.Contains(l.ids(), connector), l
}
