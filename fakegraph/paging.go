package fakegraph

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strconv"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// Graph's paging, keyset style: every list is sorted by id, and a page
// starts strictly after the last id of the page before. $skiptoken carries
// that id, sealed, so that a walk never repeats an item and never skips one
// that was there throughout, however the list changes meanwhile.
// openapi/connectorgroups.yaml#/components/parameters/skipToken

// pager cuts lists into pages and seals their skip tokens.
type pager struct {
	// key seals tokens (HMAC-SHA256): a token this server did not issue,
	// or issued for another list, is refused. It is random per server.
	key []byte
	// maxPageSize caps every page (WithPageSize); 0 means no cap.
	maxPageSize int
}

func newPager(maxPageSize int) pager {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand.Read never fails (Go 1.24+)
	return pager{key: key, maxPageSize: maxPageSize}
}

// skipTokenMACBytes is how much of the HMAC a token carries.
const skipTokenMACBytes = 16

// pageSize is the effective size of a page: $top when sent, else Graph's
// default, and never more than the server's cap.
func (p pager) pageSize(top *int) int {
	n := graph.DefaultPageSize
	if top != nil {
		n = *top
	}
	if p.maxPageSize > 0 {
		n = min(n, p.maxPageSize)
	}
	return n
}

// token is the $skiptoken of the page after lastID in list (an operation
// and its parent's id, see listKey).
func (p pager) token(list, lastID string) string {
	return base64.RawURLEncoding.EncodeToString(append(p.seal(list, lastID), lastID...))
}

// after opens a $skiptoken: the id the next page of list starts after, or
// false when the token is malformed, forged, or another list's.
func (p pager) after(list, token string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) <= skipTokenMACBytes {
		return "", false
	}
	id := string(raw[skipTokenMACBytes:])
	if !hmac.Equal(raw[:skipTokenMACBytes], p.seal(list, id)) {
		return "", false
	}
	return id, true
}

func (p pager) seal(list, id string) []byte {
	mac := hmac.New(sha256.New, p.key)
	mac.Write([]byte(list))
	mac.Write([]byte{0})
	mac.Write([]byte(id))
	return mac.Sum(nil)[:skipTokenMACBytes]
}

// listKey names one list for its tokens: a group's members are another
// list than another group's.
func listKey(operationID, parentID string) string { return operationID + "\x00" + parentID }

// pageAfter is the page of the sorted ids that starts strictly after
// after ("" for the first page) and holds at most limit ids, and whether
// more follow it.
func pageAfter(ids []string, after string, limit int) ([]string, bool) {
	start, end, more := pageBounds(ids, after, limit)
	return ids[start:end], more
}

// pageBounds is pageAfter's page as the bounds [start, end) in ids.
func pageBounds(ids []string, after string, limit int) (start, end int, more bool) {
	if after != "" {
		i, found := slices.BinarySearch(ids, after)
		if found {
			i++
		}
		start = i
	}
	end = start + min(limit, len(ids)-start)
	return start, end, end < len(ids)
}

// nextLink is the absolute @odata.nextLink for the page after token: the
// request's scheme, host and path, its $top if it sent one, and the token.
func (l linkBase) nextLink(top *int, token string) string {
	query := "?"
	if top != nil {
		query += graph.QueryTop + "=" + strconv.Itoa(*top) + "&"
	}
	return l.scheme + "://" + l.host + l.path + query + graph.QuerySkipToken + "=" + token
}

// The store's pages: each read under one lock, so that a page is one
// moment's state.

// GroupsPage is a page of every group.
func (s *store) GroupsPage(after string, limit int) ([]ConnectorGroup, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids, more := pageAfter(s.groupIDs, after, limit)
	return s.groupsOf(ids), more
}

// ConnectorsPage is a page of every connector.
func (s *store) ConnectorsPage(after string, limit int) ([]listedConnector, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	start, end, more := pageBounds(s.connectorIDs, after, limit)
	out := make([]listedConnector, 0, end-start)
	for i := start; i < end; i++ {
		out = append(out, s.listedAt(i))
	}
	return out, more
}

// MembersPage is a page of the group's connectors.
func (s *store) MembersPage(groupID, after string, limit int) ([]listedConnector, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, ok := s.groups[groupID]
	if !ok {
		return nil, false, ErrGroupNotFound
	}
	idx, more := s.memberIndexesAfter(g, after, limit)
	out := make([]listedConnector, len(idx))
	for k, i := range idx {
		out[k] = s.listedAt(i)
	}
	return out, more, nil
}

// MemberOfPage is a page of the connector's groups: the one it is in.
func (s *store) MemberOfPage(connectorID, after string, limit int) ([]ConnectorGroup, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	groupID, ok := s.groupIDOf(connectorID)
	if !ok {
		return nil, false, ErrConnectorNotFound
	}
	ids, more := pageAfter([]string{groupID}, after, limit)
	return s.groupsOf(ids), more, nil
}
