package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/resource"
)

// members and spread are the replace row's sizes: a category's members
// replaced by the first members items of the account, then by the last.
const members, spread = 65000, 80000

// replaceMembers writes a category's items with 65,000 ids at a time
// (memberWrites) while another connection reads an item of the same
// account in a loop, and records each write's time and the worst read.
func replaceMembers(s *scaleRun) error {
	ids, err := itemIDs(s.base, spread)
	if err != nil {
		return err
	}
	if len(ids) < spread {
		return fmt.Errorf("the account lists %d items, not %d", len(ids), spread)
	}
	cat, err := firstID(s.base, key, "/api/catalog-categories")
	if err != nil {
		return errNoCategory
	}
	stop := make(chan struct{})
	var worst time.Duration
	var reads int
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		worst, reads = readLoop(s.base, "/api/catalog-items/"+url.PathEscape(ids[0]), stop)
	}()
	for _, w := range memberWrites(cat, ids) {
		if _, err = s.timed(w.what, w.method, w.target, w.body, 100); err != nil {
			break
		}
	}
	close(stop)
	wg.Wait()
	s.add(fmt.Sprintf("worst GET of an item meanwhile (%d GETs)", reads), ms(worst), 50, "ms")
	return err
}

// memberWrite is one write of the replace row.
type memberWrite struct {
	what, method, target string
	body                 []byte
}

// memberWrites are the replace row's writes of category cat's items, in
// order: replaced by the first members ids, then by the last (15,000
// change each way), those removed, the first added again, then the same
// through the category itself (an update with the last in its
// relationships, a new category created with the first).
func memberWrites(cat string, ids []string) []memberWrite {
	first, last := ids[:members], ids[spread-members:]
	rel := "/api/catalog-categories/" + url.PathEscape(cat) + "/relationships/items"
	return []memberWrite{
		{"PATCH 65,000 members", "PATCH", rel, linkage(first)},
		{"PATCH 65,000 others (15,000 changed)", "PATCH", rel, linkage(last)},
		{"DELETE those 65,000", "DELETE", rel, linkage(last)},
		{"POST 65,000 members", "POST", rel, linkage(first)},
		{"PATCH the category, 65,000 others", "PATCH", "/api/catalog-categories/" + url.PathEscape(cat), categoryDoc(cat, last)},
		{"POST a category of 65,000 items", "POST", "/api/catalog-categories", categoryDoc("", first)},
	}
}

// categoryDoc is a category update (id) or create (id "") whose
// relationships.items are ids.
func categoryDoc(id string, ids []string) []byte {
	head := `{"data":{"type":"catalog-category","attributes":{"external_id":"SCALE-ROW","name":"Scale row"},`
	if id != "" {
		q, _ := json.Marshal(id)
		head = `{"data":{"type":"catalog-category","id":` + string(q) + `,"attributes":{"name":"Scale row"},`
	}
	return []byte(head + `"relationships":{"items":` + string(linkage(ids)) + `}}}`)
}

// readLoop GETs target until stop is closed and returns the longest wait
// and the number of reads.
func readLoop(base, target string, stop <-chan struct{}) (time.Duration, int) {
	var worst time.Duration
	for n := 0; ; n++ {
		select {
		case <-stop:
			return worst, n
		default:
		}
		t0 := time.Now()
		get(base, key, "2026-07-15", target)
		worst = max(worst, time.Since(t0))
	}
}

// itemIDs pages through the account's items, a hundred at a time, until
// it has n ids or the list ends.
func itemIDs(base string, n int) ([]string, error) {
	var ids []string
	target := "/api/catalog-items?page%5Bsize%5D=100&fields%5Bcatalog-item%5D=title"
	for len(ids) < n && target != "" {
		body, status, err := get(base, key, "2026-07-15", target)
		if err != nil || status != 200 {
			return nil, fmt.Errorf("GET %s: %d %v %.200s", target, status, err, body)
		}
		var doc struct {
			Data  []struct{ ID string }
			Links struct{ Next string }
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			return nil, err
		}
		for _, d := range doc.Data {
			ids = append(ids, d.ID)
		}
		target = ""
		if u, err := url.Parse(doc.Links.Next); err == nil && doc.Links.Next != "" {
			target = u.RequestURI()
		}
	}
	return ids[:min(n, len(ids))], nil
}

// linkage is a relationship body of catalog items.
func linkage(ids []string) []byte {
	var b strings.Builder
	b.WriteString(`{"data":[`)
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		q, _ := json.Marshal(id)
		b.WriteString(`{"type":"catalog-item","id":`)
		b.Write(q)
		b.WriteByte('}')
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// stateAccounts is how many changed accounts the state file row saves.
const stateAccounts = 100

// stateFile restarts the row's server on a state file, changes 100
// accounts (every collection read, an item patched), saves them through
// the control API and starts a server on the file: the save's time
// against the start's.
func stateFile(s *scaleRun) error {
	dir, err := os.MkdirTemp("", "bench-state-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "state.json")
	s.stop()
	empty, err := s.start("start, no state file yet", "--state-file", path)
	if err != nil {
		return err
	}
	for i := range stateAccounts {
		if err := changeAccount(s.base, fmt.Sprintf("pk_%034x", 0x100+i)); err != nil {
			return err
		}
	}
	save, err := s.timed("save: POST /__admin/snapshot", "POST", "/__admin/snapshot", []byte("{}"), 0)
	if err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	mb := float64(fi.Size()) / 1e6
	s.add("state file", mb, 0, "MB")
	s.stop()
	load, err := s.start("load: start on the file to listening", "--state-file", path)
	if err != nil {
		return err
	}
	s.add("load / save, time", float64(load.wall)/float64(save.wall), 2, "x")
	s.add("load / save, server CPU", float64(load.cpu)/float64(max(save.cpu, time.Millisecond)), 2, "x")
	s.figs = append(s.figs, figure{what: "load rate", got: mb / load.wall.Seconds(), goal: 100, unit: "MB/s", lowerIsBad: true})
	addLoadBeyond(s, load, empty, save, mb)
	return nil
}

// addLoadBeyond records what reading the file adds to a start: the load
// less the start without a file (a process, its listener and handlers),
// against the save, and the rate at which it reads the file.
func addLoadBeyond(s *scaleRun, load, empty, save span, mb float64) {
	wall, cpu := max(load.wall-empty.wall, time.Microsecond), max(load.cpu-empty.cpu, 0)
	s.add("load less the start without a file", ms(wall), 0, "ms")
	s.add("  the server's CPU for it", ms(cpu), 0, "ms")
	s.add("(load - start without a file) / save, time", float64(wall)/float64(save.wall), 2, "x")
	s.add("(load - start without a file) / save, CPU", float64(cpu)/float64(max(save.cpu, time.Millisecond)), 2, "x")
	s.figs = append(s.figs, figure{what: "load rate, less the start without a file", got: mb / wall.Seconds(), goal: 100, unit: "MB/s", lowerIsBad: true})
}

// changeAccount reads every list the API has as account (so each
// collection is generated and held) and patches its first item's title.
func changeAccount(base, account string) error {
	for _, r := range resource.Default().All() {
		if _, _, err := get(base, account, "2026-07-15", r.Path()); err != nil {
			return err
		}
	}
	item, err := firstID(base, account, "/api/catalog-items")
	if err != nil {
		return err
	}
	body := fmt.Sprintf(`{"data":{"type":"catalog-item","id":%q,"attributes":{"title":"changed by bench"}}}`, item)
	b, status, err := send(base, account, "PATCH", "2026-07-15", "/api/catalog-items/"+url.PathEscape(item), []byte(body))
	if err != nil || status != 200 {
		return fmt.Errorf("PATCH item as %s: %d %v %.200s", account, status, err, b)
	}
	return nil
}
