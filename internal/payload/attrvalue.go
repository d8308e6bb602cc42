package payload

import (
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// The two in-place readers (a single entity's update, entityinplace.go; a
// bulk create's elements, inplace.go) read an attribute's value alike:
// attrValueAt is that reading, once. What each does with a text or a
// number it keeps differs (an update keeps each at once, a create notes
// them until its element is read, see inplacevals.go), so the value comes
// back tagged, and each reader stores it its own way.

// valueForm is how an attribute's value read in place is to be stored.
type valueForm uint8

const (
	// decoded: the value for codec.SetAttr to check and store.
	decoded valueForm = iota
	// keptText: a plain string the reader stores as it stands.
	keptText
	// keptNumber: a number the reader stores as a float.
	keptNumber
)

// attrValue is an attribute's value read in place: num for keptNumber,
// val for decoded; a keptText is the body's own bytes between the quotes,
// b[at+1:end-1] of the value at b[at] that ends at end.
type attrValue struct {
	form valueForm
	num  float64
	val  any
}

// attrValueAt reads the value of the attribute a at b[at] (depth its
// nesting). A plain string is keptText when text says the reader keeps a's
// strings itself, a number keptNumber when codec keeps a's as a float
// (keptAsNumber); any other value is decoded. False for a null (the tree
// tells where one is allowed), a string with escapes or any value not
// valid where it stands.
func attrValueAt(b []byte, at, depth int, a *schema.Attr, text bool) (attrValue, int, bool) {
	if at >= len(b) {
		return attrValue{}, 0, false
	}
	switch b[at] {
	case '"':
		t, end, ok := jsonw.TextBytesAt(b, at)
		if !ok {
			return attrValue{}, 0, false
		}
		if text {
			return attrValue{form: keptText}, end, true
		}
		return attrValue{val: string(t)}, end, true
	case 'n':
		return attrValue{}, 0, false
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if keptAsNumber(a) {
			f, end, ok := jsonw.FloatAt(b, at)
			return attrValue{form: keptNumber, num: f}, end, ok
		}
		n, end, ok := jsonw.NumberAt(b, at)
		return attrValue{val: n}, end, ok
	}
	v, end, ok := jsonw.DecodeAt(b, at, depth)
	return attrValue{val: v}, end, ok
}

// keptAsText reports whether a string value for a is one codec.SetAttr
// keeps as a string, itself (the external id) or behind a pointer. The
// bulk-create reader stores each such value without codec (the external
// id as the element's id and its ExternalID, see keep); the update reader
// all but the external id, which it leaves to codec (see
// updateReader.attributes).
func keptAsText(a *schema.Attr) bool {
	return a.Type == schema.String && (a.Role == schema.Plain || a.Role == schema.ExternalID)
}

// keptAsNumber reports whether a number value for a is stored by the
// in-place readers without codec: what codec.SetAttr keeps as a float.
func keptAsNumber(a *schema.Attr) bool {
	return a.Type == schema.Number && a.Role == schema.Plain
}
