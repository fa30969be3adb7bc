package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/connectorgroups/connectorgroups/internal/graph"
)

// defaultMaxPages bounds one list's walk: a service that never stops
// sending @odata.nextLink ends the call with an error, not a hang. At
// Graph's default page size it is a million items. Tests lower
// Client.maxPages.
const defaultMaxPages = 10000

// DefaultMaxListBytes bounds the bytes one list call reads, all its pages
// together; WithMaxListBytes changes it. Each page is bounded on its own
// (graph.MaxResponseBytes), but without a total a service could send
// thousands of full pages, all held until the list is whole. 64 MiB, 16
// full pages, is about 300,000 connectors or groups as Graph writes them
// (around 200 bytes each), far more than a tenant has; the items decoded
// from it stay within a few hundred MB of memory.
const DefaultMaxListBytes = 16 * graph.MaxResponseBytes

// WithMaxListBytes sets the most bytes one list call (ListConnectorGroups,
// ListConnectors, ListMembers, GetConnectorGroupOf, ListApplications,
// ListGroupApplications) reads over all its pages, DefaultMaxListBytes unless set. A list past it ends in an error
// that wraps a *TooLargeError, and none of it is returned.
func WithMaxListBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("client: WithMaxListBytes: %d is not a positive number of bytes", n)
		}
		c.maxListBytes = n
		return nil
	}
}

// page is one page of a collection
// (openapi/connectorgroups.yaml#/components/schemas/ConnectorGroupCollection
// and ConnectorCollection). Value is nil when the page has none, or null.
type page[W any] struct {
	NextLink string `json:"@odata.nextLink"`
	Value    []W    `json:"value"`
}

// listAll walks a list from its first page along @odata.nextLink, Graph's
// paging: each page is a GET through send (its own client-request-id,
// retried as a read), and the walk returns every item of every page, or an
// error, never a part of the list. Before a nextLink is followed it must
// name the base URL's scheme and host, so that the token goes nowhere
// else; a nextLink to a page asked for before in the walk (a loop), a
// walk longer than Client.maxPages, pages that hold more than
// Client.maxListBytes together and a page without a value array end the
// walk with an error. what names the items in errors.
func listAll[W, T any](ctx context.Context, c *Client, what string, first builder, convert func(W) T) ([]T, error) {
	var items []T
	next := first
	// seen holds the URL of every page asked for, the first one included,
	// so that a nextLink back to any of them is a loop.
	seen := map[string]bool{}
	var read int64 // the bytes of the pages so far
	for n := 1; ; n++ {
		build := next
		resp, body, err := c.send(ctx, replayAndFlag, func() (*http.Request, error) {
			req, err := build()
			if err == nil {
				seen[req.URL.String()] = true
			}
			return req, err
		})
		if err != nil {
			if n > 1 {
				return nil, fmt.Errorf("client: listing %s, page %d: %w", what, n, err)
			}
			return nil, err
		}
		if read += int64(len(body)); read > c.maxListBytes {
			// Checked before the page is decoded, so that its items are
			// never made.
			tooLarge := &graph.TooLargeError{What: fmt.Sprintf("the list of %s, %d bytes in its first %d pages,", what, read, n), Limit: c.maxListBytes}
			return nil, fmt.Errorf("client: %w; the list is not returned in part (WithMaxListBytes sets the bound)", tooLarge)
		}
		var p page[W]
		if err := decode(resp, body, "a page of "+what, "", &p); err != nil {
			return nil, fmt.Errorf("client: listing %s, page %d: %w", what, n, err)
		}
		if p.Value == nil {
			return nil, fmt.Errorf("client: listing %s, page %d: the page has no \"value\" array", what, n)
		}
		for _, w := range p.Value {
			items = append(items, convert(w))
		}
		if p.NextLink == "" {
			if items == nil {
				items = []T{}
			}
			return items, nil
		}
		if n >= c.maxPages {
			return nil, fmt.Errorf("client: listing %s: gave up after %d pages, the most one list may have", what, c.maxPages)
		}
		token := sentToken(resp)
		link, err := c.checkNextLink(p.NextLink, token)
		if err != nil {
			return nil, fmt.Errorf("client: listing %s, after page %d: %w", what, n, err)
		}
		if seen[link.String()] {
			return nil, fmt.Errorf("client: listing %s, after page %d: @odata.nextLink %s names a page this list has asked for already; the service is going round in a loop", what, n, quoteLink(link, token))
		}
		next = func() (*http.Request, error) { return http.NewRequest(http.MethodGet, link.String(), nil) }
	}
}

// checkNextLink parses an @odata.nextLink and refuses one the client must
// not send the token to: anything but an absolute URL on the base URL's
// scheme and host (port included), or one carrying user info. Graph's
// nextLinks name the service that sent them. Its errors quote the link
// as quoteLink does; token is the one the page was asked for with.
func (c *Client) checkNextLink(raw, token string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("@odata.nextLink does not parse as a URL")
	}
	switch {
	case !u.IsAbs() || u.Host == "":
		return nil, fmt.Errorf("@odata.nextLink %q is not an absolute URL", quoteLink(u, token))
	case u.User != nil:
		return nil, fmt.Errorf("@odata.nextLink %s carries user info; not followed", quoteLink(u, token))
	case !strings.EqualFold(u.Scheme, c.base.Scheme) || !strings.EqualFold(u.Host, c.base.Host):
		return nil, fmt.Errorf("@odata.nextLink %s is not on %s://%s, the base URL's scheme and host; not followed, so that the token goes nowhere else",
			quoteLink(u, token), c.base.Scheme, c.base.Host)
	}
	return u, nil
}

// quoteLink is a server's link as errors quote it: its password hidden,
// the client's token too (a link may echo it), on one line.
func quoteLink(u *url.URL, token string) string {
	return graph.OneLine(graph.RedactSecret(u.Redacted(), token), maxMessage)
}
