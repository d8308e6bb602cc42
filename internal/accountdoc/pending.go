package accountdoc

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// PendingState is a created job's remaining work (store.Work).
type PendingState struct {
	Start     time.Time      `json:"start"`
	Elements  []ElementState `json:"elements,omitempty"`
	Pointer   string         `json:"pointer,omitempty"`
	Processed int            `json:"processed"`
	Polls     int            `json:"polls"`
	LastPoll  time.Time      `json:"last_poll,omitzero"`
	// Updates and ItemPointer are the names of Elements and Pointer in
	// state files of version 1 (update jobs only).
	Updates     []ElementState `json:"updates,omitempty"`
	ItemPointer string         `json:"item_pointer,omitempty"`
}

// ElementState is one element of a pending job: the attributes named in
// Set take their values from Values (an entity document); Related, when
// HasRelated, is the relationship it sets.
type ElementState struct {
	ID         string          `json:"id"`
	Set        []string        `json:"set"`
	Values     json.RawMessage `json:"values,omitempty"`
	Related    []string        `json:"related,omitempty"`
	HasRelated bool            `json:"has_related,omitempty"`
	ParentAt   string          `json:"parent_at,omitempty"`
}

// pendingStateOf returns the remaining work w of a job of kind as a
// document holds it.
func pendingStateOf(kind store.JobKind, w *store.Work) *PendingState {
	p := &PendingState{Start: w.Start, Pointer: w.Pointer, Processed: w.Processed, Polls: w.Polls, LastPoll: w.LastPoll}
	ek := kind.Entity()
	for i := range w.Elements {
		el := &w.Elements[i]
		es := ElementState{ID: el.ID, Related: el.Related, HasRelated: el.HasRelated, ParentAt: el.ParentAt}
		if el.Set != 0 { // a delete, or an update of nothing, has no values
			es.Values = AppendEntityState(nil, &el.Values, el.Set)
		}
		for k, a := range ek.Attrs() {
			if el.Set.Has(k) {
				es.Set = append(es.Set, a.Name)
			}
		}
		p.Elements = append(p.Elements, es)
	}
	return p
}

// pendingWork converts a pending job's state (s, whose ids are ids), or
// returns its problems, at pointers relative to the job. A pending job must
// be one that POST and its progress could have made: its times read from
// the server's clock, its counts those of the elements processed, and each
// element the job's operation at its position, setting only what a job of
// its kind may set, with values as the API accepts them. So whatever is
// loaded can be saved again, and read back.
func pendingWork(kind store.JobKind, s *JobState, ids []string) (*store.Work, []Problem) {
	p := s.Pending
	var probs []Problem
	fail := func(member, format string, args ...any) {
		probs = append(probs, Problem{member, fmt.Sprintf(format, args...)})
	}
	elems, pointer, key := p.Elements, p.Pointer, "/pending/elements"
	if elems == nil {
		elems, pointer, key = p.Updates, p.ItemPointer, "/pending/updates" // version 1
	}
	for _, t := range []struct {
		member string
		at     time.Time
	}{{"/created_at", s.CreatedAt}, {"/pending/start", p.Start}, {"/pending/last_poll", p.LastPoll}} {
		if !clock.InRange(t.at) && !(t.member == "/pending/last_poll" && t.at.IsZero()) {
			fail(t.member, "A pending job's %s is a reading of the server's clock, between 1970-01-01 and 9000-01-01; got %s.",
				t.member[1:], t.at.UTC().Format(time.RFC3339Nano))
		}
	}
	if p.Polls < 0 {
		fail("/pending/polls", "polls must be 0 or more.")
	}
	if done := s.CompletedCount + s.FailedCount; p.Processed != done {
		fail("/pending/processed", "processed must be the elements done, completed_count + failed_count (%d); got %d.", done, p.Processed)
	}
	if len(elems) != s.TotalCount {
		fail(key, "A pending job has one element per operation: %d elements for total_count %d.", len(elems), s.TotalCount)
	}
	w := &store.Work{Start: p.Start.UTC(), Pointer: pointer, Processed: p.Processed, Polls: p.Polls, LastPoll: p.LastPoll.UTC()}
	for i := range elems {
		el, ep := pendingElement(kind, &elems[i], fmt.Sprintf("%s/%d", key, i))
		if i < len(ids) && elems[i].ID != ids[i] {
			ep = append(ep, Problem{fmt.Sprintf("%s/%d/id", key, i), fmt.Sprintf("Element %d is the job's operation %d, %s.", i, i, ids[i])})
		}
		probs = append(probs, ep...)
		w.Elements = append(w.Elements, el)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return w, nil
}

// pendingElement converts one element of a pending job (at pointer,
// relative to the job), or returns its problems.
func pendingElement(kind store.JobKind, es *ElementState, pointer string) (store.Element, []Problem) {
	var probs []Problem
	fail := func(member, format string, args ...any) {
		probs = append(probs, Problem{pointer + member, fmt.Sprintf(format, args...)})
	}
	ek := kind.Entity()
	el := store.Element{ID: es.ID, Related: es.Related, HasRelated: es.HasRelated, ParentAt: es.ParentAt}
	if len(es.Set) > 0 && len(es.Values) > 0 && string(es.Values) != "null" { // nothing set: values are not read (older files wrote an empty entity)
		e, _, _, vp := EntityFromState(ek, es.Values, pointer+"/values", Part)
		if len(vp) > 0 {
			return el, vp
		}
		el.Values = *e
	}
	for k, name := range es.Set {
		i, a, ok := ek.Attr(name)
		switch {
		case !ok:
			fail(fmt.Sprintf("/set/%d", k), "'%s' is not an attribute of a %s.", name, ek.Type())
		case a.Role == schema.Created || a.Role == schema.Updated:
			fail(fmt.Sprintf("/set/%d", k), "'%s' is set by the server, not by a job.", name)
		case a.Role == schema.ExternalID && kind.Action() != store.Create:
			fail(fmt.Sprintf("/set/%d", k), "Only a create sets external_id; a %s job cannot.", kind)
		default:
			el.Set = el.Set.With(i)
		}
	}
	for k, id := range es.Related {
		if !store.ValidEntityID(id) {
			fail(fmt.Sprintf("/related/%d", k), "'%s' is not a catalog id ('%s<external_id>').", id, store.IDPrefix)
		}
	}
	if kind.Action() == store.Create {
		switch ext, x := el.Values.ExternalID, externalIDIndex(ek); {
		case x < 0 || !el.Set.Has(x) || ext == "":
			fail("/set", "A create sets a non-empty external_id.")
		case es.ID != store.EntityID(ext):
			fail("/id", "The id of external_id %q must be %q.", ext, store.EntityID(ext))
		}
	}
	return el, probs
}

// externalIDIndex is the index of external_id among the kind's attributes.
func externalIDIndex(k store.EntityKind) int {
	for i, a := range k.Attrs() {
		if a.Role == schema.ExternalID {
			return i
		}
	}
	return -1
}
