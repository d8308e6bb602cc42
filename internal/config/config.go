// Package config reads the server's configuration from flags, each with a
// MOCKSERVER_* environment twin (the flag wins), and validates it.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Config is the whole server configuration.
type Config struct {
	Addr string
	// HealthSocket, when set, is a Unix socket ("@name": an abstract one,
	// needing no writable filesystem) on which the server also answers
	// /__admin/health, for the healthcheck subcommand.
	HealthSocket string
	Seed         uint64
	Jobs         int
	// Counts are the catalog's seeded sizes by entity plural (--items,
	// --variants, --categories: one flag per seeded kind).
	Counts          fixtures.Counts
	Epoch           time.Time
	PublicURL       string
	StrictKeys      bool
	MaxAccounts     int
	RetireRevisions bool
	LogLevel        string
	LogFormat       string
	// RateLimits is "klaviyo" (emulate) or "off".
	RateLimits          string
	RateLimitScale      float64
	RateLimitBurst      int
	RateLimitSteady     int
	ThrottleProbability float64
	// JobTransition is immediate, duration or polls.
	JobTransition string
	JobDuration   time.Duration
	JobPolls      int
	// StateFile, when set, is loaded at start and saved on shutdown and on
	// POST /__admin/snapshot.
	StateFile string
	// StateLockWait is how long a server waits at start for another one
	// that owns StateFile to give it up; 0 is persist.DefaultLockWait (15
	// s). It is no flag: tests set it.
	StateLockWait time.Duration
	JournalSize   int
	// JournalCredentials keeps headers whose names suggest a secret
	// (Authorization, Cookie, X-Api-Key, …) in the journal as sent, and its
	// entries' whole account keys (by default the headers are redacted and
	// accounts shown by their fingerprint).
	JournalCredentials bool
	// MemoryBudget is the memory the process stays within (see Shares).
	MemoryBudget int64
	// MaxConnections bounds the open client connections.
	MaxConnections int
	CORSOrigins    []string
	AdminOrigins   []string
	AdminHosts     []string
	MaxBodyBytes   int64
	MaxHeaderBytes int
	// ClockStart, when set, is where the server clock starts; FreezeClock
	// starts it frozen.
	ClockStart  time.Time
	FreezeClock bool
	// Timing is how long a client may take over each part of a request.
	Timing Timing
}

// Timing is how long a client may take over each part of a request, so that
// a slow or silent client cannot hold a connection or body memory others
// need. It has no flags; tests shorten it.
type Timing struct {
	// Head is the time a connection has to send a complete request line
	// and headers: from its accept, or on a kept-alive connection from the
	// first byte of its next request.
	Head time.Duration
	// Idle is how long a kept-alive connection may wait for its next
	// request while the server has room.
	Idle time.Duration
	// Grace is how long a connection may go without a complete request
	// head after its accept before, at the connection limit with no idle
	// connection to close, it may be closed to admit a new one.
	Grace time.Duration
	// IdleGrace is how long a connection must have been idle before, at
	// the connection limit, it may be closed to admit a new one: so a
	// client sending its next request at once is not cut off as it sends.
	IdleGrace time.Duration
	// BodyGrace is how long a request body may arrive at any pace; after
	// it the body must have arrived at BodyRate bytes a second on average
	// (time spent waiting for the body allowance does not count).
	BodyGrace time.Duration
	BodyRate  int64
}

// DefaultTiming is the Timing of Default.
func DefaultTiming() Timing {
	return Timing{Head: 5 * time.Second, Idle: 120 * time.Second, Grace: time.Second, IdleGrace: 100 * time.Millisecond,
		BodyGrace: 2 * time.Second, BodyRate: 64 << 10}
}

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		Addr:           "127.0.0.1:8080",
		Seed:           1,
		Jobs:           fixtures.DefaultJobs,
		Counts:         seededCounts(),
		Epoch:          fixtures.DefaultEpoch(),
		MaxAccounts:    1000,
		LogLevel:       "info",
		LogFormat:      "text",
		RateLimits:     "klaviyo",
		RateLimitScale: 1,
		JobTransition:  "duration",
		JobDuration:    store.DefaultJobDuration,
		JobPolls:       store.DefaultJobPolls,
		JournalSize:    journal.DefaultCap,
		MemoryBudget:   DefaultMemoryBudget,
		MaxConnections: 1024,
		CORSOrigins:    []string{"*"},
		MaxBodyBytes:   16 << 20,
		MaxHeaderBytes: 64 << 10,
		Timing:         DefaultTiming(),
	}
}

// seededCounts are the declared default counts of the seeded kinds.
func seededCounts() fixtures.Counts {
	out := fixtures.Counts{}
	for _, e := range schema.Default().Entities() {
		if help, _, ok := fixtures.Seeded(e.Type); ok && help != "" {
			out[e.Plural] = e.Seeded
		}
	}
	return out
}

// EnvPrefix starts every environment twin's name.
const EnvPrefix = "MOCKSERVER_"

// EnvName returns the environment twin of a flag: MOCKSERVER_ + upper snake.
func EnvName(flagName string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func splitList(s string) []string {
	out := []string{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func validOrigin(o string) bool {
	u, err := url.Parse(o)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Path == "" && u.RawQuery == ""
}

func usage(fs *flag.FlagSet, out io.Writer) {
	fmt.Fprintf(out, "Usage: mockserver [flags]\n       mockserver healthcheck [--addr host:port]\n\n"+
		"A local emulator of Klaviyo's Catalogs API: items, variants, categories and their bulk jobs.\n"+
		"Every flag can also be set by its environment variable (the flag wins).\n\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		def := ""
		if f.DefValue != "" && f.DefValue != "false" {
			def = fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(out, "  --%s\n\t%s%s\n\tenv %s\n", f.Name, f.Usage, def, EnvName(f.Name))
	})
}

// ErrHelp is returned by Parse when -h or --help was given.
var ErrHelp = flag.ErrHelp

// IsHelp reports whether err asks for help rather than failing.
func IsHelp(err error) bool { return errors.Is(err, flag.ErrHelp) }
