// Package har holds the HTTP Archive 1.2 format
// (http://www.softwareishard.com/blog/har-12-spec/) as this project reads
// and writes it: what browsers' devtools export, what Microsoft's Dev
// Proxy records, and what client.Recorder writes. Fields the spec marks
// optional are omitted when empty; vendor fields ("_initiator", ...) are
// ignored on reading. It uses the standard library and internal/graph
// (for the bound it reads with) only, so that the client can write HAR
// without the validator's dependencies.
package har

// File is a HAR document: one object with a log.
type File struct {
	Log Log `json:"log"`
}

// Log is the archive's root.
type Log struct {
	Version string   `json:"version"` // "1.2"
	Creator Creator  `json:"creator"`
	Browser *Creator `json:"browser,omitempty"`
	Pages   []Page   `json:"pages,omitempty"`
	Entries []Entry  `json:"entries"`
	Comment string   `json:"comment,omitempty"`
}

// Creator names the program that wrote the archive.
type Creator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Comment string `json:"comment,omitempty"`
}

// Page is a browser page entries may refer to; this project never writes one.
type Page struct {
	StartedDateTime string `json:"startedDateTime"`
	ID              string `json:"id"`
	Title           string `json:"title"`
}

// Entry is one exchange.
type Entry struct {
	Pageref         string   `json:"pageref,omitempty"`
	StartedDateTime string   `json:"startedDateTime"` // RFC 3339 with fractional seconds
	Time            float64  `json:"time"`            // milliseconds, the sum of the timings
	Request         Request  `json:"request"`
	Response        Response `json:"response"`
	Cache           Cache    `json:"cache"`
	Timings         Timings  `json:"timings"`
	ServerIPAddress string   `json:"serverIPAddress,omitempty"`
	Connection      string   `json:"connection,omitempty"`
	Comment         string   `json:"comment,omitempty"`
}

// Request is an entry's request.
type Request struct {
	Method      string      `json:"method"`
	URL         string      `json:"url"` // absolute, fragments removed
	HTTPVersion string      `json:"httpVersion"`
	Cookies     []Cookie    `json:"cookies"`
	Headers     []NameValue `json:"headers"`
	QueryString []NameValue `json:"queryString"`
	PostData    *PostData   `json:"postData,omitempty"`
	HeadersSize int64       `json:"headersSize"` // -1 when unknown
	BodySize    int64       `json:"bodySize"`    // -1 when unknown
	Comment     string      `json:"comment,omitempty"`
}

// Response is an entry's response. A Status of 0 means none was received
// (devtools write it for a request that failed or was blocked).
type Response struct {
	Status      int         `json:"status"`
	StatusText  string      `json:"statusText"`
	HTTPVersion string      `json:"httpVersion"`
	Cookies     []Cookie    `json:"cookies"`
	Headers     []NameValue `json:"headers"`
	Content     Content     `json:"content"`
	RedirectURL string      `json:"redirectURL"`
	HeadersSize int64       `json:"headersSize"`
	BodySize    int64       `json:"bodySize"`
	Comment     string      `json:"comment,omitempty"`
}

// NameValue is a header or a query parameter.
type NameValue struct {
	Name    string `json:"name"`
	Value   string `json:"value"`
	Comment string `json:"comment,omitempty"`
}

// Cookie is a request or response cookie.
type Cookie struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	Path     string `json:"path,omitempty"`
	Domain   string `json:"domain,omitempty"`
	Expires  string `json:"expires,omitempty"`
	HTTPOnly bool   `json:"httpOnly,omitempty"`
	Secure   bool   `json:"secure,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

// PostData is a request body.
type PostData struct {
	MimeType string  `json:"mimeType"`
	Params   []Param `json:"params,omitempty"`
	Text     string  `json:"text"`
	Comment  string  `json:"comment,omitempty"`
}

// Param is a posted form parameter.
type Param struct {
	Name        string `json:"name"`
	Value       string `json:"value,omitempty"`
	FileName    string `json:"fileName,omitempty"`
	ContentType string `json:"contentType,omitempty"`
}

// Content is a response body. Text is the body, decoded from any
// Content-Encoding; Encoding "base64" means Text is base64 of it (devtools
// write binary bodies so).
type Content struct {
	Size        int64  `json:"size"`
	Compression *int64 `json:"compression,omitempty"`
	MimeType    string `json:"mimeType"`
	Text        string `json:"text,omitempty"`
	Encoding    string `json:"encoding,omitempty"`
	Comment     string `json:"comment,omitempty"`

	// TextRecorded, set by Read, says the file had a text member: without
	// one the recorder kept no body (devtools' export without content, Dev
	// Proxy without includeResponse), which an empty Text cannot tell.
	TextRecorded bool `json:"-"`
}

// Cache is what the browser's cache held; this project never writes any.
type Cache struct {
	Comment string `json:"comment,omitempty"`
}

// Timings are an exchange's phases in milliseconds; -1 means not
// applicable. Send, wait and receive are required.
type Timings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
	SSL     float64 `json:"ssl"`
	Comment string  `json:"comment,omitempty"`
}
