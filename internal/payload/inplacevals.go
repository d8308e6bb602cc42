package payload

import (
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Read in place, each value of an element still cost allocations of its
// own: a string copied out of the body and a pointer to it for each text,
// the text, its box and a pointer for each number, and the id made from
// the external id: about 12 an item. The reader now notes an element's
// plain strings and numbers as it meets them and keeps them once its
// attributes are all read: the element's id and every text in one string,
// their pointers in one array, the numbers in another, each cut from it.
// The entity made of the element keeps what it is given, so what one
// string holds is one element's own values (an entity never keeps another
// element's bytes alive).

// Each element also held a value slot for every attribute of its kind (12
// for an item) though it sends a few: its slots now end at its last value
// (store.Entity reads a slot past the end as null): read in place into
// one array, then copied to their length into one array for the job.

// slotsUsed is how many of vals an element keeps: up to its last value.
func slotsUsed(vals []any) int {
	n := len(vals)
	for n > 0 && vals[n-1] == nil {
		n--
	}
	return n
}

// endSlots cuts vals after the last value, nil when it holds none.
func endSlots(vals []any) []any {
	if n := slotsUsed(vals); n > 0 {
		return vals[:n:n]
	}
	return nil
}

// keepSlots returns a copy of vals up to the last value (nil when it
// holds none), cut from one array for the elements left to read, each
// taken as long as this one: elements alike cost one array.
func (r *createReader) keepSlots(vals []any) []any {
	n := slotsUsed(vals)
	if n == 0 {
		return nil
	}
	if cap(r.kept)-len(r.kept) < n {
		left := cap(r.req.Elements) - len(r.req.Elements) + 1
		r.kept = make([]any, 0, n*left)
	}
	start := len(r.kept)
	r.kept = append(r.kept, vals[:n]...)
	return r.kept[start:len(r.kept):len(r.kept)]
}

// pendingValue is a plain string (its text, b[start:end] of the body) or
// a number (start < 0) of an element, noted until the element is kept.
type pendingValue struct {
	attr, start, end int
	num              float64
}

// isNum reports whether p is a number.
func (p pendingValue) isNum() bool { return p.start < 0 }

// keptValues counts the attributes of d whose values an element notes.
func keptValues(d *schema.Entity) int {
	n := 0
	for i := range d.Attrs {
		if keptAsText(&d.Attrs[i]) || keptAsNumber(&d.Attrs[i]) {
			n++
		}
	}
	return n
}

// keep stores the values noted for el (see pendingValue): its id and its
// texts in one string, the external id and the id first, then the
// pointers of its texts and of its numbers, each from one array.
func (r *createReader) keep(el *store.Element) {
	attrs := r.v.decl().Attrs
	size, texts, nums := 0, 0, 0
	for _, p := range r.pending {
		switch {
		case p.isNum():
			nums++
		case attrs[p.attr].Role == schema.ExternalID:
			size += len(store.IDPrefix) + p.end - p.start
		default:
			size += p.end - p.start
			texts++
		}
	}
	var sb strings.Builder
	sb.Grow(size)
	for _, p := range r.pending {
		if !p.isNum() && attrs[p.attr].Role == schema.ExternalID {
			sb.WriteString(store.IDPrefix)
			sb.Write(r.b[p.start:p.end])
		}
	}
	if n := sb.Len(); n > len(store.IDPrefix) {
		el.ID = sb.String()[:n]
		el.Values.ExternalID = el.ID[len(store.IDPrefix):]
	}
	r.keepValues(el, &sb, texts, nums)
}

// keepValues stores el's noted texts (written after its id in sb) and
// numbers behind pointers into one array of each.
func (r *createReader) keepValues(el *store.Element, sb *strings.Builder, texts, nums int) {
	var strs []string
	var floats []float64
	if texts > 0 {
		strs = make([]string, 0, texts)
	}
	if nums > 0 {
		floats = make([]float64, 0, nums)
	}
	attrs := r.v.decl().Attrs
	for _, p := range r.pending {
		switch {
		case p.isNum():
			floats = append(floats, p.num)
			el.Values.Set(p.attr, &floats[len(floats)-1])
		case attrs[p.attr].Role != schema.ExternalID:
			start := sb.Len()
			sb.Write(r.b[p.start:p.end])
			strs = append(strs, sb.String()[start:])
			el.Values.Set(p.attr, &strs[len(strs)-1])
		}
	}
}
