package contract

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// maxPagedRequests bounds the pages one walk of paging_consistency asks
// for: a long list is walked with a $top large enough to stay under it,
// so that a big tenant is not sent hundreds of requests.
const maxPagedRequests = 25

// pagedList is one list paging_consistency walks.
type pagedList struct{ what, path string }

// checkPaging walks each list twice: once in pages as large as Graph
// serves ($top=999), the reference, and once with $top=1 (or larger, see
// maxPagedRequests) through every @odata.nextLink. The small pages must
// hold the reference's items, each exactly once; each page at most $top
// items; and the walk must end, on a page without nextLink.
func checkPaging(ctx context.Context, s *session) Result {
	var t trail
	lists := []pagedList{
		{"the groups", graph.ConnectorGroupsPath()},
		{"the connectors", graph.ConnectorsPath()},
		{"the connector's memberOf", graph.MemberOfPath(s.target.Connector)},
		{"the applications", graph.ApplicationsPath()},
		{"Group's applications", graph.GroupApplicationsPath(s.target.Group)},
	}
	if home, fail := s.home(ctx); fail == nil {
		lists = append(lists, pagedList{"the members of the connector's group", graph.MembersPath(home)})
	} else {
		t.failEvidence(fail)
	}
	var walked []string
	for _, pl := range lists {
		if d := s.walk(ctx, &t, pl); d != "" {
			walked = append(walked, d)
		}
	}
	return t.result("each item once, nextLink absolute and absent on the last page: " + strings.Join(walked, "; "))
}

// walk compares one list's small pages with its reference listing and
// says what it walked.
func (s *session) walk(ctx context.Context, t *trail, pl pagedList) string {
	ref := s.list(ctx, pl.what+" in one page", pl.path, graph.MaxPageSize)
	if ref.fail != nil {
		t.failEvidence(ref.fail)
		return ""
	}
	t.saw(ref.evidence(pl.what + " in one page")...)
	want := ref.ids()
	top := max(1, (len(want)+maxPagedRequests-1)/maxPagedRequests)
	note := fmt.Sprintf("%s with $top=%d", pl.what, top)
	small := s.list(ctx, note, pl.path, top)
	if small.fail != nil {
		t.failEvidence(small.fail)
		return ""
	}
	t.saw(small.evidence(note)...)

	failed := len(t.failures)
	where := map[string]int{} // id → the page it was first on
	for i, p := range small.pages {
		if len(p.items) > top {
			t.fail(evidenceOf(p.ex, fmt.Sprintf("%s, page %d", note, i+1), fmt.Sprintf("at most %d items", top), nil),
				fmt.Sprintf("the page holds %d items", len(p.items)))
		}
		for _, raw := range p.items {
			e, _ := decodeEntity(raw)
			if first, seen := where[e.ID]; seen {
				t.fail(evidenceOf(p.ex, fmt.Sprintf("%s, page %d", note, i+1), "each item once", nil),
					fmt.Sprintf("item %q repeats, first on page %d", e.ID, first))
				continue
			}
			where[e.ID] = i + 1
		}
	}
	last := small.pages[len(small.pages)-1].ex
	for _, id := range want {
		if _, ok := where[id]; !ok {
			t.fail(evidenceOf(last, note, "every item of the one-page listing", nil), fmt.Sprintf("item %q of the one-page listing is on no page", id))
		}
	}
	for _, id := range small.ids() {
		if _, first := where[id]; first && !slices.Contains(want, id) {
			delete(where, id) // reported once
			t.fail(evidenceOf(last, note, "only the items of the one-page listing", nil), fmt.Sprintf("item %q is not in the one-page listing", id))
		}
	}
	if len(t.failures) > failed {
		return ""
	}
	return fmt.Sprintf("%s: %s in %s of $top=%d", pl.what, count(len(want), "item"), count(len(small.pages), "page"), top)
}

// count is "1 item", "3 items".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
