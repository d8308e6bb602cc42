// Package jsonwtest is an oracle for tests of the number check of package
// jsonw: it lists a JSON document's numbers with their JSON pointers using
// only encoding/json's tokenizer, an implementation independent of jsonw's.
package jsonwtest

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// Number is one number literal of a document.
type Number struct {
	// Pointer is the JSON pointer (RFC 6901) of its member.
	Pointer string
	// Text is the literal as written.
	Text string
	// Start and End are its byte offsets in the document.
	Start, End int
	// Fits reports whether it reads as a finite float64.
	Fits bool
}

// frame is an open object (its current key) or array (its current index).
type frame struct {
	obj     bool
	key     string
	idx     int
	wantKey bool
}

// Numbers returns the numbers of doc in document order (a repeated key's
// every value included); ok is false when doc is not one well-formed JSON
// document.
func Numbers(doc []byte) (nums []Number, ok bool) {
	if !json.Valid(doc) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var stack []*frame
	// next moves past a value: to the next index of an array, or to the
	// next key of an object.
	next := func() {
		if n := len(stack); n > 0 {
			stack[n-1].wantKey = stack[n-1].obj
			stack[n-1].idx++
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return nums, true
		}
		top := len(stack) - 1
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				stack = append(stack, &frame{obj: v == '{', wantKey: v == '{'})
				continue
			}
			stack = stack[:top]
		case string:
			if top >= 0 && stack[top].wantKey {
				stack[top].key, stack[top].wantKey = v, false
				continue
			}
		case json.Number:
			end := int(dec.InputOffset())
			f, _ := strconv.ParseFloat(string(v), 64)
			nums = append(nums, Number{Pointer: pointer(stack), Text: string(v), Start: end - len(v), End: end, Fits: !math.IsInf(f, 0)})
		}
		next()
	}
}

// FirstMisfit returns the first number of doc that does not fit a
// float64, if any.
func FirstMisfit(doc []byte) (Number, bool) {
	nums, _ := Numbers(doc)
	for _, n := range nums {
		if !n.Fits {
			return n, true
		}
	}
	return Number{}, false
}

func pointer(stack []*frame) string {
	var b strings.Builder
	for _, f := range stack {
		b.WriteByte('/')
		if f.obj {
			b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(f.key))
		} else {
			b.WriteString(strconv.Itoa(f.idx))
		}
	}
	return b.String()
}
