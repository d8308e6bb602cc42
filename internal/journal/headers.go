package journal

import "slices"

// kept is a header map as an entry keeps it, capped and redacted: a list
// taken in one pass over the request's (or response's) map, which costs
// one allocation where a map of its own cost a map build per request. The
// map a reader sees is built from it once, when the entry is first read
// (shown), as most entries are never read.
type kept struct {
	list  []header
	bytes int  // what the headers cost in the entry's size estimate
	set   bool // the map was not nil (a nil map is shown as nil)
}

// header is one kept header: its name and its values (the map's own
// slice, or a shared redacted one, when nothing in it changes).
type header struct {
	name   string
	values []string
}

// headerCost is what a header costs in an entry's size estimate, besides
// its name and values.
const headerCost = 16

// add appends a header and counts its cost.
func (k *kept) add(name string, vs []string) {
	k.list = append(k.list, header{name, vs})
	k.bytes += len(name) + headerCost
	for _, v := range vs {
		k.bytes += len(v) + headerCost
	}
}

// toMap returns the headers as a map (nil when the map was nil).
func (k *kept) toMap() map[string][]string {
	if !k.set {
		return nil
	}
	m := make(map[string][]string, len(k.list))
	for _, h := range k.list {
		m[h.name] = h.values
	}
	k.list = nil // the map holds them now
	return m
}

// shown builds the maps of e's headers for a reader, once (the journal's
// lock is held).
func (e *Entry) shown() {
	if e.reqHeaders.set && e.Headers == nil {
		e.Headers = e.reqHeaders.toMap()
	}
	if e.respHeaders.set && e.ResponseHeaders == nil {
		e.ResponseHeaders = e.respHeaders.toMap()
	}
}

// keep caps and redacts the headers hd and reports whether some were left
// out; into is an emptied list to fill, when large enough; see, when not
// nil, is told each header of hd once. Nothing of hd is changed; a
// header's slice is kept as hd's own (or a shared redacted one) when
// nothing in it changes. When every header fits whole (the usual request:
// values within MaxHeaderValue and all within MaxHeaders once redacted),
// one pass over hd takes them all; otherwise keepCapped decides what
// stays.
func (j *Journal) keep(hd map[string][]string, into []header, see HeaderSeer) (kept, bool) {
	if hd == nil {
		return kept{}, false
	}
	if cap(into) < len(hd) {
		into = make([]header, 0, len(hd))
	}
	k := kept{list: into, set: true}
	room, whole := MaxHeaders, true
	for name, vs := range hd {
		if see != nil {
			see.SeeHeader(name, vs)
		}
		if !whole {
			continue // walked on only for see
		}
		if !j.opts.KeepCredentials && secretHeader(name) {
			vs = j.redact(name, vs)
		}
		for _, v := range vs {
			room -= len(name) + len(v)
			if len(v) > MaxHeaderValue || room < 0 {
				whole = false
				break
			}
		}
		if !whole && see == nil {
			break
		}
		if whole {
			k.add(name, vs)
		}
	}
	if !whole {
		return j.keepCapped(hd)
	}
	clear(k.list[len(k.list):cap(k.list)]) // what a reused list held before
	return k, false
}

// keepCapped is keep when some header does not fit whole: values are cut
// to MaxHeaderValue and headers past MaxHeaders are left out. Headers are
// walked in sorted order when some must be left out, so which ones stay
// does not depend on map order.
func (j *Journal) keepCapped(hd map[string][]string) (kept, bool) {
	total := 0
	for k, vs := range hd {
		for _, v := range vs {
			total += len(k) + min(len(v), MaxHeaderValue)
		}
	}
	out := kept{list: make([]header, 0, len(hd)), set: true}
	truncated := false
	room := MaxHeaders
	keep := func(k string, vs []string) {
		if !j.opts.KeepCredentials && secretHeader(k) {
			vs = redacted(k, vs)
		}
		need, fits := 0, true
		for _, v := range vs {
			need += len(k) + len(v)
			fits = fits && len(v) <= MaxHeaderValue
		}
		if fits && need <= room { // nothing in it changes
			room -= need
			out.add(k, vs)
			return
		}
		var cut []string
		for _, v := range vs {
			v = capString(v, MaxHeaderValue)
			if len(k)+len(v) > room {
				truncated = true
				continue
			}
			room -= len(k) + len(v)
			cut = append(cut, v)
		}
		if cut != nil {
			out.add(k, cut)
		}
	}
	if total <= MaxHeaders {
		for k, vs := range hd {
			keep(k, vs)
		}
	} else {
		for _, k := range sortedKeys(hd) {
			keep(k, hd[k])
		}
	}
	return out, truncated
}

func sortedKeys(h map[string][]string) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
