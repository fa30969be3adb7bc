package specvalidator

import (
	"errors"
	"net/url"

	"github.com/getkin/kin-openapi/openapi3"
)

// kin-openapi knows no "uri" format; without a validator `format: uri` is
// not checked at all. Registering it globally also covers the examples that
// (*openapi3.T).Validate checks.
func init() {
	openapi3.DefineStringFormatValidator("uri", openapi3.NewCallbackValidator(validateURI))
}

var (
	errURINotAbsolute = errors.New("not an absolute URI: it has no scheme")
	errURIBadChar     = errors.New("not a URI: it has a character RFC 3986 does not allow")
)

// validateURI accepts an absolute URI as RFC 3986 defines it: a scheme, then
// only unreserved, reserved and percent-encoded characters. Placeholders such
// as `{ver}` are therefore rejected.
func validateURI(s string) error {
	for i := 0; i < len(s); i++ {
		if !isURIChar(s[i]) {
			return errURIBadChar
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if !u.IsAbs() {
		return errURINotAbsolute
	}
	return nil
}

func isURIChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '-', '.', '_', '~', // unreserved
		':', '/', '?', '#', '[', ']', '@', // gen-delims
		'!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=', // sub-delims
		'%':
		return true
	}
	return false
}
