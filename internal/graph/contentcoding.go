package graph

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Request bodies may come compressed. Microsoft's Graph SDKs gzip every
// request body by default (kiota-http-go's CompressionHandler sends
// Content-Encoding: gzip) and send the body again uncompressed only when
// the service answers 415 [seen, kiota-http-go v1.5.6,
// compression_handler.go]. So a Graph-like service takes gzip, and answers
// 415 to any coding it cannot undo.
const (
	HeaderContentEncoding = "Content-Encoding"
	// HeaderAcceptEncoding goes on that 415: RFC 9110, section 15.5.16,
	// says it ought to name the codings that would have been accepted.
	HeaderAcceptEncoding = "Accept-Encoding"
	// CodingGzip is the one content coding a request body may carry.
	CodingGzip = "gzip"
)

// UnsupportedCodingError is a Content-Encoding that names a coding other
// than gzip, or more than one coding.
type UnsupportedCodingError struct {
	Coding string // the header's values, joined with ", " as sent
}

func (e *UnsupportedCodingError) Error() string {
	return fmt.Sprintf("the content encoding %q is not supported; send the body uncompressed or gzip-compressed", e.Coding)
}

// RequestGzipped reads a request's Content-Encoding (all its lines, as one
// comma-separated list, RFC 9110 section 5.3): whether the body is
// gzip-compressed, or an *UnsupportedCodingError. Codings are
// case-insensitive (section 8.4.1); "identity" and empty list elements
// name no coding; "x-gzip" is gzip, as section 8.4.1.3 says a recipient
// should read it [inferred: Graph's answer to x-gzip is not known]. Any
// other coding, deflate, br, compress and zstd included, is refused, and
// so is gzip applied twice ("gzip, gzip") [inferred]: no client sends it,
// and every layer multiplies what a small body can inflate to.
func RequestGzipped(h http.Header) (bool, error) {
	values := h.Values(HeaderContentEncoding)
	gzipped := false
	for _, v := range values {
		for _, coding := range strings.Split(v, ",") {
			switch strings.ToLower(strings.Trim(coding, " \t")) {
			case "", "identity":
			case CodingGzip, "x-gzip":
				if gzipped {
					return false, &UnsupportedCodingError{Coding: strings.Join(values, ", ")}
				}
				gzipped = true
			default:
				return false, &UnsupportedCodingError{Coding: strings.Join(values, ", ")}
			}
		}
	}
	return gzipped, nil
}

// Gunzip reads the gzip stream r as its uncompressed bytes. The stream is
// opened at the first Read, so every error, a malformed header included,
// comes from Read, where the caller's other read errors come from; an
// empty stream reads as an empty body. Concatenated gzip members read as
// one body (RFC 1952, section 2.2). Bound what is read from it: its output
// is what a bound must count.
func Gunzip(r io.Reader) io.Reader {
	return &gunzipReader{src: r}
}

type gunzipReader struct {
	src io.Reader
	zr  *gzip.Reader
	err error
}

func (g *gunzipReader) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if g.zr == nil {
		zr, err := gzip.NewReader(g.src)
		if err != nil {
			// io.EOF here is a stream with no bytes at all: an empty body.
			g.err = err
			return 0, err
		}
		g.zr = zr
	}
	return g.zr.Read(p)
}
