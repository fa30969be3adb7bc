package graph

import (
	"fmt"
	"io"
)

// The bounds this project's readers apply to what a server sends. They are
// this project's choices, not Graph's: Graph documents no response size.
// They live here so that the client, the contract suite and the CLI agree.
const (
	// MaxResponseBytes bounds one response body, after any decompression.
	// The largest answer a Graph-like service gives here is one page of
	// MaxPageSize groups with names of MaxNameLength characters, up to
	// 4 bytes each in UTF-8: about 1.2 MB. Four times that leaves room for
	// properties a future service adds, and no more.
	MaxResponseBytes = 4 << 20
	// MaxNameLength bounds a connector group's name, in characters
	// (Unicode code points, as JSON Schema's maxLength counts them).
	// [inferred] Graph documents no limit for connectorGroup.name; 256 is
	// the limit Graph documents for directory objects' displayName.
	MaxNameLength = 256
)

// TooLargeError says that a body went past its bound; the reader stopped
// there, so nothing past it was held in memory.
type TooLargeError struct {
	What  string // what was being read: "the response to GET …", "the HAR file"
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %d bytes, the most this program reads", e.What, e.Limit)
}

// ReadAtMost reads r to its end, holding at most limit bytes: past that it
// stops and returns a *TooLargeError naming what. Give it the decompressed
// stream, so that the bound is on what is held, not on what was sent.
func ReadAtMost(r io.Reader, limit int64, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{What: what, Limit: limit}
	}
	return data, nil
}
