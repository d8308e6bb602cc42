package jsonw

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// Reencode appends the JSON value in raw re-encoded compactly the way
// Klaviyo writes it: object members in their original order, strings
// escaped as String does (so "\u003c" sent by a client comes back as "<"),
// numbers as sent. raw must hold exactly one value.
func Reencode(b []byte, raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	b, err := reencodeValue(b, dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("jsonw: data after the JSON value")
	}
	return b, nil
}

func reencodeValue(b []byte, dec *json.Decoder) ([]byte, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			b = append(b, '{')
			for first := true; dec.More(); first = false {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				b = Key(b, k.(string), first)
				if b, err = reencodeValue(b, dec); err != nil {
					return nil, err
				}
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return append(b, '}'), nil
		case '[':
			b = append(b, '[')
			for first := true; dec.More(); first = false {
				if !first {
					b = append(b, ',')
				}
				if b, err = reencodeValue(b, dec); err != nil {
					return nil, err
				}
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return append(b, ']'), nil
		}
	case string:
		return String(b, t), nil
	case json.Number:
		return append(b, t...), nil
	case bool:
		return Bool(b, t), nil
	case nil:
		return Null(b), nil
	}
	return nil, errors.New("jsonw: unexpected token")
}
