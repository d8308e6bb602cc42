package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

// scaleRow is one scale row: a server started with args (and
// -scale-args), and what is timed on it.
type scaleRow struct {
	name string
	args []string
	run  func(s *scaleRun) error
}

// scaleRows are the rows of a retailer's catalog.
var scaleRows = []scaleRow{
	{name: "scale: 1M items, first page", args: []string{"--items", "1000000"}, run: millionItems},
	{name: "scale: 1M items and variants", args: []string{"--items", "1000000", "--variants", "1000000"}, run: millionVariants},
	{name: "scale: replace 65,000 members", args: []string{"--items", "80000"}, run: replaceMembers},
	{name: "scale: state file of 100 accounts", run: stateFile},
}

// scaleRun is one scale row's server and what it measured.
type scaleRun struct {
	o    options
	bin  string
	p    *proc.Process
	base string
	figs []figure
}

// figure is one measure of a scale row, beside the goal for it (0:
// none, the figure is for reference).
type figure struct {
	what       string
	got, goal  float64
	unit       string
	lowerIsBad bool // a goal to reach (MB/s), not to stay under
}

func (f figure) String() string {
	s := fmt.Sprintf("%-44s %10.1f %-4s", f.what, f.got, f.unit)
	switch {
	case f.goal == 0:
	case f.lowerIsBad:
		s += fmt.Sprintf("  goal >= %.0f %s: %.2fx of it", f.goal, f.unit, f.got/f.goal)
	default:
		s += fmt.Sprintf("  goal <= %.0f %s: %.2fx of it", f.goal, f.unit, f.got/f.goal)
	}
	return s
}

// add records a figure.
func (s *scaleRun) add(what string, got, goal float64, unit string) {
	s.figs = append(s.figs, figure{what: what, got: got, goal: goal, unit: unit})
}

// runScale runs the selected scale rows one after another, each on a
// server of its own, and prints each one's figures (or why it could not
// run: a server refusing its flags is reported with what it said).
func runScale(o options, bin string) error {
	for _, r := range scaleRows {
		if !o.selected(r.name) {
			continue
		}
		fmt.Printf("\n%s\n", r.name)
		s := &scaleRun{o: o, bin: bin}
		_, err := s.start("start to listening", r.args...)
		if err == nil {
			err = r.run(s)
		}
		s.stop()
		for _, f := range s.figs {
			fmt.Println("  " + f.String())
		}
		if err != nil {
			fmt.Printf("  not measured: %v\n", err)
		}
	}
	return nil
}

// start launches the row's server with args and -scale-args, and records
// its time to listen (as what), the CPU it used until then (less moved by
// other work on a shared machine than the time) and its resident memory.
func (s *scaleRun) start(what string, args ...string) (span, error) {
	t0 := time.Now()
	p, err := proc.Launch(s.bin, append(append([]string{"--rate-limits", "off"}, args...), s.o.scaleArgs...)...)
	if err != nil {
		return span{}, err
	}
	s.p = p
	srv, err := p.Listening(s.o.scaleTimeout)
	if err != nil {
		return span{}, fmt.Errorf("%w; it said: %s", err, lastLines(p.Log(), 3))
	}
	sp := span{wall: time.Since(t0), cpu: proc.CPU(p.Pid())}
	s.base = srv.Base
	s.add(what, ms(sp.wall), 0, "ms")
	s.add("  the server's CPU until then", ms(sp.cpu), 0, "ms")
	s.addRSS("RSS after start", 0)
	return sp, nil
}

// span is how long something took and the server CPU it used.
type span struct{ wall, cpu time.Duration }

// stop interrupts the server (it saves its state file, if any) and waits.
func (s *scaleRun) stop() {
	if s.p == nil {
		return
	}
	s.p.Cmd.Process.Signal(os.Interrupt)
	if _, ok := s.p.Wait(s.o.scaleTimeout); !ok {
		s.p.Kill()
	}
	s.p = nil
}

// addRSS records the server's resident memory now, against goal MB.
func (s *scaleRun) addRSS(what string, goal float64) {
	rss, _ := proc.RSS(s.p.Pid())
	s.add(what, float64(rss)/1e6, goal, "MB")
}

// timed sends one request as key and records how long it took against
// goal ms, and the server CPU it used; the answer must be a success.
func (s *scaleRun) timed(what, method, target string, body []byte, goal float64) (span, error) {
	t0, cpu0 := time.Now(), proc.CPU(s.p.Pid())
	b, status, err := send(s.base, key, method, "2026-07-15", target, body)
	sp := span{wall: time.Since(t0), cpu: proc.CPU(s.p.Pid()) - cpu0}
	if err != nil {
		return sp, fmt.Errorf("%s: %w", what, err)
	}
	if status/100 != 2 {
		return sp, fmt.Errorf("%s: %s %s answered %d: %.300s", what, method, target, status, b)
	}
	s.add(what, ms(sp.wall), goal, "ms")
	s.add("  the server's CPU for it", ms(sp.cpu), 0, "ms")
	return sp, nil
}

func millionItems(s *scaleRun) error {
	if _, err := s.timed("first GET /api/catalog-items", "GET", "/api/catalog-items", nil, 50); err != nil {
		return err
	}
	s.addRSS("RSS after it", 64)
	return nil
}

func millionVariants(s *scaleRun) error {
	if _, err := s.timed("first GET /api/catalog-items", "GET", "/api/catalog-items", nil, 50); err != nil {
		return err
	}
	s.addRSS("RSS after it", 96)
	if _, err := s.timed("then ?include=variants", "GET", "/api/catalog-items?include=variants", nil, 100); err != nil {
		return err
	}
	s.addRSS("RSS after it", 96)
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// lastLines is the end of a log, n lines at most, on one line.
func lastLines(log string, n int) string {
	lines := strings.Split(strings.TrimSpace(log), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	if len(lines) == 0 || lines[0] == "" {
		return "(nothing)"
	}
	return strings.Join(lines, " | ")
}

// errNoCategory is replaceMembers' error when the account has none.
var errNoCategory = errors.New("the account has no category")
