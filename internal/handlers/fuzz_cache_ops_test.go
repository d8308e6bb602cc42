package handlers

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// cacheProgram runs a fuzz input as operations on a handlerTwin.
type cacheProgram struct {
	t    *testing.T
	tw   *handlerTwin
	reg  *resource.Registry
	in   []byte
	revs []*revision.Profile
	ops  int
	n    int // a counter that makes values and external ids unique
	// seen are the entity ids the last successful read showed, by type;
	// recent are the last reads (path and revision), links next links.
	seen   map[string][]string
	recent [][2]string
	links  []string
}

// Operations, by the value of an opcode byte modulo numOps.
const (
	opRead = iota
	opReadMore
	opReread
	opJob
	opClock
	opCreate
	opPatch
	opDelete
	opRelationship
	opPut
	opReset
	numOps
)

// next consumes one byte of the program (0 once it is used up).
func (cp *cacheProgram) next() byte {
	if len(cp.in) == 0 {
		return 0
	}
	b := cp.in[0]
	cp.in = cp.in[1:]
	return b
}

// choose returns the index of an element of a list of n (n > 0) chosen by the next byte.
func (cp *cacheProgram) choose(n int) int { return int(cp.next()) % n }

// step runs one operation. Its encoding: an opcode byte, then the bytes
// the operation reads (each a choice from a list, or flags):
//   - read: resource, revision, shape (list, GET-one, related list,
//     relationship ids; bit 2 escapes the id), query flags (1 include,
//     2 fields, 4 filter, 8 sort, 16 page[size], 32 include spelled
//     includ%65, 64 the included type's fields, 128 follow a next link
//     instead), then the id and each parameter's choices;
//   - reread: which of the last reads;
//   - job: job resource, revision, element count, then each element's id;
//   - clock: 40 ms steps (255: two days);
//   - create: entity resource, revision (and a variant's item id);
//   - patch, delete: a byte whose bit 7 picks among the entities the last
//     read showed (the byte then chooses the type, the next the id), else
//     entity resource and id; an id byte with bit 7 set also picks among
//     those shown;
//   - relationship: owner resource, method, owner id, related id;
//   - put: collection, edit (drop the last, change the first, as is);
//   - reset: forget the account or reset the store.
func (cp *cacheProgram) step() {
	cp.ops++
	switch op := cp.next() % numOps; op {
	case opRead, opReadMore:
		cp.read()
	case opReread:
		if len(cp.recent) > 0 {
			r := cp.recent[cp.choose(len(cp.recent))]
			cp.get(r[0], r[1])
		}
	case opJob:
		cp.job()
	case opClock:
		d := time.Duration(cp.next()) * 40 * time.Millisecond
		if d == 255*40*time.Millisecond {
			d = 48 * time.Hour
		}
		cp.tw.advance(d)
	case opCreate:
		ent := cp.entity()
		rev := cp.revAt(resource.Endpoint{Res: ent, Op: resource.OpCreate})
		body, _ := json.Marshal(map[string]any{"data": cp.newElement(ent, ent, rev)})
		cp.tw.do(cp.t, "POST", ent.Path(), rev, body)
	case opPatch:
		ent, id := cp.shown()
		cp.n++
		cp.tw.do(cp.t, "PATCH", ent.Path()+"/"+url.PathEscape(id), newest, patchBody(ent, id, stringAttr(cp.t, ent), fmt.Sprint("p ", cp.n)))
	case opDelete:
		ent, id := cp.shown()
		cp.tw.do(cp.t, "DELETE", ent.Path()+"/"+url.PathEscape(id), newest, nil)
	case opRelationship:
		cp.relationship()
	case opPut:
		cp.put()
	case opReset:
		if cp.next()%2 == 0 {
			cp.tw.do(cp.t, "DELETE", "/__admin/accounts/"+testKey, "", nil)
			return
		}
		for _, e := range []*handlerEnv{cp.tw.cached, cp.tw.direct} {
			e.store.Reset(0, nil, nil)
		}
	}
}

// newest is the revision writes are sent at.
const newest = "2026-07-15"

// get reads target at rev on both twins and remembers what it showed.
func (cp *cacheProgram) get(target, rev string) {
	status, body := cp.tw.do(cp.t, "GET", target, rev, nil)
	if status != 200 {
		return
	}
	cp.seen = idsByType(body)
	cp.recent = append(cp.recent, [2]string{target, rev})
	if len(cp.recent) > 8 {
		cp.recent = cp.recent[1:]
	}
	var doc struct {
		Links struct {
			Next string `json:"next"`
		} `json:"links"`
	}
	if json.Unmarshal(body, &doc) == nil && strings.HasPrefix(doc.Links.Next, fuzzBase) {
		cp.links = append(cp.links, strings.TrimPrefix(doc.Links.Next, fuzzBase))
	}
}

// read builds and sends one read.
func (cp *cacheProgram) read() {
	var all []*resource.Resource // the resources that can be read
	for _, r := range cp.reg.All() {
		if (resource.Endpoint{Res: r, Op: resource.OpList}).Declared() {
			all = append(all, r)
		}
	}
	res := all[cp.choose(len(all))]
	p := cp.revs[cp.choose(len(cp.revs))]
	shape, flags := cp.next(), cp.next()
	if flags&128 != 0 && len(cp.links) > 0 {
		cp.get(cp.links[cp.choose(len(cp.links))], p.Date)
		return
	}
	ep := resource.Endpoint{Res: res, Op: resource.OpList}
	path := res.Path()
	if shape%4 != 0 {
		id := cp.id(res)
		if shape&4 != 0 {
			id = strings.NewReplacer("$", "%24", ":", "%3A").Replace(id)
		}
		path += "/" + id
		ep.Op = resource.OpGet
		if shape%4 >= 2 && len(res.Relations) > 0 {
			ep.Rel = res.Relations[cp.choose(len(res.Relations))]
			ep.Op, path = resource.OpRelated, path+"/"+ep.Rel.Name
			if shape%4 == 3 {
				ep.Op, path = resource.OpRelIDs, strings.TrimSuffix(path, ep.Rel.Name)+"relationships/"+ep.Rel.Name
			}
		}
	}
	cp.get(at(p.Date, path)+cp.query(ep.Query(p), flags), p.Date)
}

// query builds a query string from flags (see step), every parameter one
// the endpoint may take at the revision (its values chosen by the program).
func (cp *cacheProgram) query(q resource.Query, flags byte) string {
	var ps []string
	if flags&1 != 0 {
		key, val := "include", q.Include
		if flags&32 != 0 {
			key = "includ%65"
		}
		if val == "" {
			val = "variants"
		}
		ps = append(ps, key+"="+val)
	}
	fields := func(r *resource.Resource) {
		if r == nil {
			return
		}
		mask := cp.next()
		var names []string
		for i, name := range r.Names() {
			if mask&(1<<(i%8)) != 0 {
				names = append(names, name)
			}
		}
		ps = append(ps, "fields%5B"+r.Type+"%5D="+strings.Join(names, ","))
	}
	if flags&2 != 0 {
		fields(q.Fields)
	}
	if flags&64 != 0 {
		fields(q.Included)
	}
	if flags&4 != 0 && len(q.Filters) > 0 {
		ff := q.Filters[cp.choose(len(q.Filters))]
		ps = append(ps, "filter="+url.QueryEscape(ff.Op+"("+ff.Name+","+cp.filterValue(ff)+")"))
	}
	if flags&8 != 0 && len(q.Sorts) > 0 {
		ps = append(ps, "sort="+q.Sorts[cp.choose(len(q.Sorts))])
	}
	if flags&16 != 0 {
		ps = append(ps, "page%5Bsize%5D="+strconv.Itoa(cp.choose(110)))
	}
	if len(ps) == 0 {
		return ""
	}
	return "?" + strings.Join(ps, "&")
}

// filterValue is a value of the filter field's type, from the catalog.
func (cp *cacheProgram) filterValue(ff resource.FilterField) string {
	quote := func(s string) string { return "'" + s + "'" }
	switch {
	case ff.Value == resource.ValBool:
		return []string{"true", "false"}[cp.choose(2)]
	case ff.Value == resource.ValStringList:
		kinds := map[byte]store.EntityKind{0: itemKind, 1: variantKind, 2: categoryKind}
		k := kinds[cp.next()%3]
		return "[" + quote(cp.entityID(k)) + "," + quote(cp.entityID(k)) + "]"
	case len(ff.Enum) > 0:
		return quote(ff.Enum[cp.choose(len(ff.Enum))])
	case ff.Kind == schema.FilterRelated:
		return quote(cp.entityID(store.MustKind(ff.Rel.Target)))
	}
	return quote([]string{"p", "S", "a", "e"}[cp.choose(4)])
}
