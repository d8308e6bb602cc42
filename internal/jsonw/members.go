package jsonw

// Member is a member of a JSON object, as Members reads it.
type Member struct {
	Key string
	// value is the member's value as Decode makes it, but a string's,
	// which is text (isText): a caller that hands it on at once keeps it
	// off the heap (see Value).
	value  any
	text   string
	isText bool
	// compact is an object's bytes, written as Encode writes it (see
	// compactEnd), not yet decoded.
	compact []byte
}

// Value returns the member's value as Decode makes it.
func (m *Member) Value() any {
	if m.isText {
		return m.text
	}
	if m.compact != nil {
		m.value, _ = decodeFast(m.compact)
		m.compact = nil
	}
	return m.value
}

// Compact returns the bytes of the member's value, valid until the next
// Decode, when it is an object written exactly as Encode writes the value
// Decode makes of it (compact, plain ASCII strings, no key twice), so a
// caller that keeps its encoding need not decode it.
func (m *Member) Compact() ([]byte, bool) {
	return m.compact, m.compact != nil
}

// indexFrom is how many members Members finds a repeated key among by
// looking at each; past it, it keeps an index.
const indexFrom = 16

// maxKept bounds the keys Members keeps to use again.
const maxKept = 256

// Members decodes JSON objects into their members, one object after
// another, without a map per object: for a caller that looks at each
// member in turn, such as a reader of many entity documents. It keeps its
// buffers and the keys it read (up to maxKept) for the next object. The
// zero value is ready.
type Members struct {
	list  []Member
	index map[string]int
	keys  map[string]string
	// dec is the decoder, kept with its stack of pending members and the
	// recent keys of nested objects.
	dec fastDecoder
}

// Decode decodes the JSON object b into its members, in document order,
// each key once (its first position, its last value) and each value as
// Decode makes it. It returns false for a document that is not an object
// or that Decode would refuse or read through encoding/json's tokens (see
// decodeFast): Decode then says what is wrong. The members are valid until
// the next call.
func (m *Members) Decode(b []byte) ([]Member, bool) {
	m.list = m.list[:0]
	clear(m.index)
	if m.keys == nil {
		m.keys = map[string]string{}
	}
	d := &m.dec
	d.b, d.i, d.keys = b, SkipSpace(b, 0), m.keys
	defer func() { d.b = nil }() // the decoder keeps no hold of the document; the members do, until the next Decode
	if d.i >= len(b) || b[d.i] != '{' {
		return nil, false
	}
	ok := d.members(m, 0)
	if !ok || SkipSpace(b, d.i) != len(b) {
		return nil, false
	}
	return m.list, true
}

// set sets member k to v: the value of a key read before is replaced.
func (m *Members) set(k string, v any) { m.put(Member{Key: k, value: v}) }

// setText sets member k to the string s.
func (m *Members) setText(k, s string) { m.put(Member{Key: k, text: s, isText: true}) }

// put sets member nm.Key to nm's value.
func (m *Members) put(nm Member) {
	k := nm.Key
	if len(m.list) >= indexFrom {
		if len(m.index) == 0 {
			if m.index == nil {
				m.index = make(map[string]int, 2*indexFrom)
			}
			for j := range m.list {
				m.index[m.list[j].Key] = j
			}
		}
		if j, dup := m.index[k]; dup {
			m.list[j] = nm
			return
		}
		m.index[k] = len(m.list)
	} else {
		for j := range m.list {
			if m.list[j].Key == k {
				m.list[j] = nm
				return
			}
		}
	}
	m.list = append(m.list, nm)
}

// MemberOf returns the member k with value v (as Decode makes values).
func MemberOf(k string, v any) Member { return Member{Key: k, value: v} }
