package journal

// HeaderSeer is told each header of a request as Begin walks them, so a
// caller that reads some of them walks the header map once.
type HeaderSeer interface {
	// SeeHeader is called once for each header, with its values as the
	// map holds them (to read, never to modify).
	SeeHeader(name string, values []string)
}

// Begin starts the entry of a request whose headers are hd, to be filled
// in place rather than built and copied: room for it (an entry dropped
// after its answer was added, or a new one) holding hd's headers as Record
// keeps them, capped and redacted; see, when not nil, is told each header
// of hd on the way. The caller sets the entry's other request fields (not
// Headers, nor the answer's, which Complete adds) and hands it to Add. It
// returns nil, without walking hd, when the journal is off.
func (j *Journal) Begin(hd map[string][]string, see HeaderSeer) *Entry {
	if len(j.entries) == 0 {
		return nil
	}
	p := j.spare.Swap(nil)
	var into []header
	if p != nil {
		into = reuse(p.reqHeaders.list)
		*p = Entry{respList: reuse(p.respHeaders.list)}
	} else {
		p = new(Entry)
	}
	p.reqHeaders, p.HeadersTruncated = j.keep(hd, into, see)
	return p
}
