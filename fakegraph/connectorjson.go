package fakegraph

import "sync/atomic"

// A connector's properties never change: connectors are only moved, and
// the group a connector is in is no property of it. So its JSON, as
// appendConnector writes it in a page, is written once, on first use, and
// kept; a page of 100 connectors is then a copy of 100 runs of bytes
// (appending them was a third of a list's cost in a profile).
// Only connectors that have been listed are kept, so a seed of a million
// costs 8 bytes a connector until it is read.

// connectorJSONCache holds the JSON of each connector, by store index.
type connectorJSONCache []atomic.Pointer[[]byte]

func newConnectorJSONCache(n int) connectorJSONCache { return make(connectorJSONCache, n) }

// get is the JSON of c, the connector at index i. Two readers that race
// to write it write the same bytes.
func (c connectorJSONCache) get(i int, connector Connector) []byte {
	if b := c[i].Load(); b != nil {
		return *b
	}
	b := appendConnector(nil, connector, "")
	c[i].Store(&b)
	return b
}

// listedConnector is a connector as a page lists it: its id, for the
// page's skip token, and its JSON.
type listedConnector struct {
	id   string
	json []byte
}

func idOfListedConnector(c listedConnector) string { return c.id }

func appendListedConnector(b []byte, c listedConnector) []byte { return append(b, c.json...) }

// listedAt is the page item of the connector at index i; the caller holds
// the store's lock.
func (s *store) listedAt(i int) listedConnector {
	return listedConnector{id: s.connectorIDs[i], json: s.connectorJSON.get(i, s.connectorList[i])}
}
