package store

import (
	"fmt"
	"sort"
)

// keptHistories makes the seeded histories in keeps, from the seed as
// generating them would, checked against what in says of them, with the
// indexes of their hidden jobs and what they take; each by job kind (nil:
// none kept; the indexes nil too while no history hides a job).
func (a *Account) keptHistories(in *Contents) ([]History, [][]int, int64, []Conflict) {
	if len(in.Seeded) == 0 {
		return nil, nil, 0, nil
	}
	hists := make([]History, numJobKinds())
	var hidden [][]int
	var size int64
	for _, k := range JobKinds() { // in order, so the same contents get the same answer
		kh, ok := in.Seeded[k]
		if !ok {
			continue
		}
		c := JobCollection(k)
		if _, ok := in.Jobs[k]; !ok {
			return nil, nil, 0, []Conflict{{Collection: c, Hidden: -1, Detail: "The collection is not in the document."}}
		}
		h, detail := a.seededHistory(in, k, kh)
		if detail != "" {
			return nil, nil, 0, []Conflict{{Collection: c, Hidden: -1, Detail: detail}}
		}
		var idx []int
		for i, id := range kh.Hidden {
			x := sort.Search(h.Len(), func(x int) bool { return h.ID(x) >= id })
			if x == h.Len() || h.ID(x) != id {
				return nil, nil, 0, []Conflict{{Collection: c, Hidden: i, Detail: fmt.Sprintf("The seeded history has no job %s.", id)}}
			}
			idx = append(idx, x)
		}
		if idx != nil {
			if hidden == nil {
				hidden = make([][]int, numJobKinds())
			}
			hidden[k] = idx
		}
		hists[k] = h
		size += historyBytes + h.Bytes() + int64(len(idx))*hiddenBytes
	}
	return hists, hidden, size, nil
}

// seededHistory makes the seeded history of kind k (or takes the one
// prepared in in), or says why it is not the one kh describes.
func (a *Account) seededHistory(in *Contents, k JobKind, kh KeptHistory) (History, string) {
	h, ok := a.preparedHistory(in, k)
	if !ok && a.seeder != nil {
		h = a.seeder(a.key, JobCollection(k)).History
	}
	if h == nil || h.Len() == 0 || h.Len() != kh.Count || h.ID(0) != kh.First || len(kh.Hidden) > h.Len() {
		n, first := 0, ""
		if h != nil && h.Len() > 0 {
			n, first = h.Len(), h.ID(0)
		}
		return nil, fmt.Sprintf("The seeded history was %d jobs from %q; this server seeds %d from %q "+
			"(it was started with other --seed, --jobs, --epoch, --items, --variants or --categories).", kh.Count, kh.First, n, first)
	}
	return h, ""
}
