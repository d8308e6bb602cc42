// Command bench measures the emulator against the physical limit of its
// workload: a server that writes the very same response bytes from memory.
// It builds cmd/mockserver, starts it with default flags (access log and
// journal as shipped; rate limits off so the load is not throttled),
// records each request's exact answer once, starts a static-bytes server
// (this same program, in -static mode, on the same net/http server with the
// emulator's settings) serving those answers, and drives both with the
// same keep-alive load generator, A/B interleaved, for several rounds. It
// prints, per row, the median ratios of throughput, p99 latency and server
// CPU per request, and the emulator's resident memory.
//
// Load rows are single requests repeated (every list and get-one of the
// issue) and two flows: "changing" (each connection alternates a PATCH of
// an item on the first page and the list it is on, so every read follows
// a change) and "creating" (a bulk-create job of 10 items, then GETs of it
// with include=items until it is complete). Scale rows each start a server
// of their own with the flags they need and time one thing: a million
// items, a million variants, a category's 65,000 members replaced while
// another request waits, a state file of 100 changed accounts saved and
// loaded.
//
//	go run ./internal/tools/bench               (scripts/bench wraps it)
//	go run ./internal/tools/bench -only 'items' -duration 3s -rounds 5
//	go run ./internal/tools/bench -quick -only 'changing|creating|state'
//	go run ./internal/tools/bench -no-load -scale-args '--memory-budget 6GiB'
//
// A scale row whose server refuses its flags (a million items over the
// default memory budget) prints what the server said and the run goes on.
package main

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

// key is the account the read rows read; writerKey the one the changing
// and creating flows write to, so what the read rows recorded stays true.
const (
	key       = "pk_0123456789abcdef0123456789abcdef01"
	writerKey = "pk_0123456789abcdef0123456789abcdef02"
)

// options are the command's flags.
type options struct {
	duration      time.Duration
	rounds, conns int
	bin           string
	only          *regexp.Regexp
	extra         []string
	scaleArgs     []string
	scaleTimeout  time.Duration
	noLoad, noScl bool
}

func main() {
	static := flag.String("static", "", "internal: serve the answers in this file")
	var o options
	flag.DurationVar(&o.duration, "duration", 2*time.Second, "load per server per row per round")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds; each runs every load row against both servers, in alternating order")
	flag.IntVar(&o.conns, "conns", 64, "keep-alive connections of the load generator")
	flag.StringVar(&o.bin, "bin", "", "mockserver binary (default: build ./cmd/mockserver)")
	only := flag.String("only", "", "run only the rows whose name matches this regular expression")
	extra := flag.String("args", "", "extra flags for the emulator of the load rows, space-separated")
	scaleArgs := flag.String("scale-args", "", "extra flags for every scale row's server, e.g. --memory-budget 6GiB")
	flag.DurationVar(&o.scaleTimeout, "scale-timeout", 5*time.Minute, "the longest any one wait of a scale row may take")
	flag.BoolVar(&o.noLoad, "no-load", false, "skip the load rows")
	flag.BoolVar(&o.noScl, "no-scale", false, "skip the scale rows")
	quick := flag.Bool("quick", false, "a quick look: one round of 500ms per server and row, 16 connections (overrides -duration, -rounds, -conns)")
	flag.Parse()
	if *quick {
		o.duration, o.rounds, o.conns = 500*time.Millisecond, 1, 16
	}
	o.extra, o.scaleArgs = strings.Fields(*extra), strings.Fields(*scaleArgs)
	var err error
	if *only != "" {
		o.only, err = regexp.Compile(*only)
	}
	switch {
	case err != nil:
	case *static != "":
		err = serveStatic(*static)
	default:
		err = run(o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// selected reports whether the row named name is to run.
func (o options) selected(name string) bool { return o.only == nil || o.only.MatchString(name) }

func run(o options) error {
	bin, cleanup, err := proc.Binary(o.bin)
	if err != nil {
		return err
	}
	defer cleanup()
	if !o.noLoad {
		if err := runLoad(o, bin); err != nil {
			return err
		}
	}
	if !o.noScl {
		return runScale(o, bin)
	}
	return nil
}
