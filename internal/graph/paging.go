package graph

// Graph's paging [doc: "Paging Microsoft Graph data in your app"]: a
// client asks for at most $top items; a page that is not the last carries
// @odata.nextLink, an absolute URL the client GETs as it is, until a page
// comes without one. $skiptoken inside it is opaque to the client.
const (
	QueryTop       = "$top"
	QuerySkipToken = "$skiptoken"
	// DefaultPageSize is the page size of directory lists when $top is
	// absent [doc: directory resources default to 100].
	DefaultPageSize = 100
	// MaxPageSize is the largest $top directory lists take [doc].
	MaxPageSize = 999
)
