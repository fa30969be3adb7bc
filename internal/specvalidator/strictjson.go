package specvalidator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// DecodeJSON is the one reading of a JSON request body, shared by the
// validator and the fake's handler so that both see the same value:
//
//   - exactly one JSON value, with nothing but white space after it;
//   - object keys compared byte for byte: "@ODATA.ID" is not "@odata.id"
//     (encoding/json's struct decoding would match it case-insensitively);
//   - a key repeated in one object is an error, since readers disagree on
//     which one wins;
//   - numbers kept as json.Number, as openapi3filter's own decoder does;
//   - text that is not UTF-8, or a string escaping a lone surrogate, is an
//     error (CheckJSONText), where encoding/json would read U+FFFD: what
//     is read is always what was sent.
func DecodeJSON(data []byte) (any, error) {
	if err := CheckJSONText(data); err != nil {
		return nil, err
	}
	return decodeTokens(data)
}

// decodeTokens reads data token by token with encoding/json.
func decodeTokens(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errNotOneJSONValue
	}
	return v, nil
}

// maxJSONDepth bounds nesting, so that a body of a million '[' is refused
// rather than recursed into.
const maxJSONDepth = 64

var (
	errNotOneJSONValue = errors.New("the body is not a single JSON value")
	errTooDeep         = fmt.Errorf("the body nests more than %d levels deep", maxJSONDepth)
)

// DuplicateKeyError names a key that appears twice in one object.
type DuplicateKeyError struct{ Key string }

func (e *DuplicateKeyError) Error() string {
	return fmt.Sprintf("the key %q appears more than once in one object", e.Key)
}

func decodeValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, errTooDeep
	}
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := map[string]any{}
			for dec.More() {
				keyTok, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := keyTok.(string)
				if !ok {
					return nil, fmt.Errorf("an object key is not a string")
				}
				if _, dup := obj[key]; dup {
					return nil, &DuplicateKeyError{Key: key}
				}
				v, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				obj[key] = v
			}
			if _, err := dec.Token(); err != nil { // '}'
				return nil, err
			}
			return obj, nil
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil { // ']'
				return nil, err
			}
			return arr, nil
		}
		return nil, fmt.Errorf("unexpected %q", t)
	default: // string, json.Number, bool, nil
		return t, nil
	}
}
