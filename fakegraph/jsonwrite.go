package fakegraph

import (
	"strconv"
	"unicode/utf8"
)

// The fake's success bodies are written by appending, not by
// encoding/json's reflection: a page of 100 connectors spent most of its
// time there in a profile. The bytes are exactly what
// encoding/json writes for the same values with HTML escaping off, which
// jsonwrite_test.go proves against encoding/json itself.

// appendJSONString appends s as encoding/json writes a string with
// SetEscapeHTML(false): quotes and backslashes escaped, \b \f \n \r \t
// short, other control characters as \u00XX, invalid UTF-8 as \ufffd, and
// U+2028 and U+2029 escaped for JavaScript.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// openEntity opens an entity's object, with its @odata.context first
// when it has one (a single entity; items of a collection have none).
func openEntity(b []byte, odataContext string) []byte {
	b = append(b, '{')
	if odataContext != "" {
		b = append(b, `"@odata.context":`...)
		b = appendJSONString(b, odataContext)
		b = append(b, ',')
	}
	return b
}

// appendConnector appends c as encoding/json writes api.Connector: the
// generated struct's field order, @odata.context and version left out
// when empty.
func appendConnector(b []byte, c Connector, odataContext string) []byte {
	b = openEntity(b, odataContext)
	b = append(b, `"externalIp":`...)
	b = appendJSONString(b, c.ExternalIP)
	b = append(b, `,"id":`...)
	b = appendJSONString(b, c.ID)
	b = append(b, `,"machineName":`...)
	b = appendJSONString(b, c.MachineName)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, c.Status)
	if c.Version != "" {
		b = append(b, `,"version":`...)
		b = appendJSONString(b, c.Version)
	}
	return append(b, '}')
}

// appendGroup appends g as encoding/json writes groupBody: "region": null
// for a group without one, as Graph sends a nullable property.
func appendGroup(b []byte, g ConnectorGroup, odataContext string) []byte {
	b = openEntity(b, odataContext)
	b = append(b, `"id":`...)
	b = appendJSONString(b, g.ID)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, g.Name)
	b = append(b, `,"connectorGroupType":`...)
	b = appendJSONString(b, g.ConnectorGroupType)
	b = append(b, `,"isDefault":`...)
	b = strconv.AppendBool(b, g.IsDefault)
	b = append(b, `,"region":`...)
	if g.Region == "" {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(b, g.Region)
	}
	return append(b, '}')
}

// appendCollection appends one page as encoding/json writes collection:
// @odata.context, value, and @odata.nextLink when there is one.
func appendCollection[T any](b []byte, odataContext string, items []T, item func([]byte, T) []byte, nextLink string) []byte {
	b = append(b, `{"@odata.context":`...)
	b = appendJSONString(b, odataContext)
	b = append(b, `,"value":[`...)
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = item(b, it)
	}
	b = append(b, ']')
	if nextLink != "" {
		b = append(b, `,"@odata.nextLink":`...)
		b = appendJSONString(b, nextLink)
	}
	return append(b, '}')
}

func appendConnectorItem(b []byte, c Connector) []byte  { return appendConnector(b, c, "") }
func appendGroupItem(b []byte, g ConnectorGroup) []byte { return appendGroup(b, g, "") }
