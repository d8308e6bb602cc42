// Package config reads the server's configuration from flags, each with a
// MOCKSERVER_* environment twin (the flag wins), and validates it.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
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
		if _, _, ok := fixtures.Seeded(e.Type); ok {
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

// Parse reads args (without the program name) and the environment through
// getenv. It returns flag.ErrHelp after printing usage to out for -h.
func Parse(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	c := Default()
	fs := flag.NewFlagSet("mockserver", flag.ContinueOnError)
	fs.SetOutput(out)
	var epoch, seed, clockStart, budget string
	corsOrigins, adminOrigins, adminHosts := "*", "", ""
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on (host:port; port 0 picks a free one)")
	fs.StringVar(&c.HealthSocket, "health-socket", "", "also answer /__admin/health on this Unix socket (@name: abstract, no file), which the healthcheck subcommand probes first")
	fs.StringVar(&seed, "seed", "1", "seed of all generated data, ids and simulated faults (non-zero)")
	fs.IntVar(&c.Jobs, "jobs", c.Jobs, "jobs of each of the nine kinds seeded per account (each kind is generated on first use)")
	counts := map[string]*int{}
	for _, e := range schema.Default().Entities() {
		if help, _, ok := fixtures.Seeded(e.Type); ok {
			n := c.Counts[e.Plural]
			counts[e.Plural] = &n
			fs.IntVar(counts[e.Plural], e.Plural, n, help)
		}
	}
	fs.StringVar(&epoch, "epoch", c.Epoch.Format(time.RFC3339), "instant all seeded timestamps lie before (RFC 3339)")
	fs.StringVar(&c.PublicURL, "public-url", "", "scheme and host that links start with (default: the request's scheme and Host)")
	fs.BoolVar(&c.StrictKeys, "strict-keys", false, "refuse Klaviyo-API-Key values that are not pk_ + 34 lowercase hex characters")
	fs.IntVar(&c.MaxAccounts, "max-accounts", c.MaxAccounts, "accounts held in memory; unchanged ones are evicted past it (0: unbounded)")
	fs.BoolVar(&c.RetireRevisions, "retire-revisions", false, "retire revisions two years after release, by the server clock (fall-forward, opt-out header, 410)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn or error")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json")
	fs.StringVar(&c.RateLimits, "rate-limits", c.RateLimits, "rate limiting: klaviyo (emulate Klaviyo's burst and steady windows) or off")
	fs.Float64Var(&c.RateLimitScale, "rate-limit-scale", c.RateLimitScale, "multiply every rate limit (rounded up, at least 1), e.g. 0.01 to reach limits with a handful of requests")
	fs.IntVar(&c.RateLimitBurst, "rate-limit-burst", 0, "replace every operation's burst (per second) limit before scaling (0: Klaviyo's per revision)")
	fs.IntVar(&c.RateLimitSteady, "rate-limit-steady", 0, "replace every operation's steady (per minute) limit before scaling (0: Klaviyo's per revision)")
	fs.Float64Var(&c.ThrottleProbability, "throttle-probability", 0, "probability that any API request gets a simulated 429 (deterministic under --seed)")
	fs.StringVar(&c.JobTransition, "job-transition", c.JobTransition, "how created jobs progress: immediate (complete at the next read), duration (over --job-duration of server-clock time) or polls (complete at the --job-polls-th GET of the job)")
	fs.DurationVar(&c.JobDuration, "job-duration", c.JobDuration, "time a created job takes in duration mode (queued for the first fifth)")
	fs.IntVar(&c.JobPolls, "job-polls", c.JobPolls, "GETs of a created job until it is complete, in polls mode")
	fs.StringVar(&c.StateFile, "state-file", "", "load state from this file at start, save it on shutdown and on POST /__admin/snapshot (atomically)")
	fs.IntVar(&c.JournalSize, "journal-size", c.JournalSize, "API requests kept in the request journal (0: off)")
	fs.BoolVar(&c.JournalCredentials, "journal-credentials", false, "keep headers whose names suggest a secret (Authorization, Cookie, X-Api-Key, …) and whole account keys in the journal as sent (by default headers are redacted and keys shown as pk_…ef01)")
	fs.StringVar(&budget, "memory-budget", "512MiB", "memory the process stays within, whatever clients send: accounts, journal, bodies and connections each get a documented share (e.g. 1GiB)")
	fs.IntVar(&c.MaxConnections, "max-connections", c.MaxConnections, "open client connections, one kept for health probes; at the limit an idle one (100 ms or more) or one without a request head for 1 s is closed to admit a new one (default: 1024, or fewer when a quarter of --memory-budget cannot hold them)")
	fs.StringVar(&corsOrigins, "cors-origins", corsOrigins, "comma-separated browser origins allowed to call /api (* for any)")
	fs.StringVar(&adminOrigins, "admin-origins", "", "comma-separated browser origins allowed to call /__admin (none by default)")
	fs.StringVar(&adminHosts, "admin-hosts", "", "comma-separated Host names /__admin answers besides loopback, e.g. the compose service name (* for any; default: loopback and the --public-url host)")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", c.MaxBodyBytes, "largest request body accepted (413 above it, before the body is read when Content-Length says so)")
	fs.IntVar(&c.MaxHeaderBytes, "max-header-bytes", c.MaxHeaderBytes, "largest request line and headers accepted (431 above it)")
	fs.StringVar(&clockStart, "clock", "", "start the server clock at this RFC 3339 time instead of now")
	fs.BoolVar(&c.FreezeClock, "freeze-clock", false, "start the server clock frozen (it then moves only through /__admin/clock)")
	fs.Usage = func() { usage(fs, out) }

	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	// Environment twins fill in the flags the command line did not set.
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		if v := getenv(EnvName(f.Name)); v != "" && !given[f.Name] && envErr == nil {
			if err := fs.Set(f.Name, v); err != nil {
				envErr = fmt.Errorf("%s: invalid value %q: %v", EnvName(f.Name), v, err)
			}
		}
	})
	if envErr != nil {
		return c, envErr
	}
	var err error
	if c.Seed, err = strconv.ParseUint(seed, 10, 64); err != nil || c.Seed == 0 {
		return c, fmt.Errorf("--seed: must be a non-zero unsigned integer, got %q", seed)
	}
	if c.Epoch, err = time.Parse(time.RFC3339, epoch); err != nil {
		return c, fmt.Errorf("--epoch: must be an RFC 3339 time such as 2026-10-01T00:00:00Z, got %q", epoch)
	}
	c.Epoch = c.Epoch.UTC()
	if c.MemoryBudget, err = parseBytes(budget); err != nil {
		return c, fmt.Errorf("--memory-budget: %v", err)
	}
	if !given["max-connections"] && getenv(EnvName("max-connections")) == "" {
		// As many as a quarter of the budget holds, up to the default.
		c.MaxConnections = int(min(int64(c.MaxConnections), c.MemoryBudget/4/int64(c.MaxHeaderBytes+ConnectionOverhead)))
	}
	if clockStart != "" {
		if c.ClockStart, err = time.Parse(time.RFC3339, clockStart); err != nil || !clock.InRange(c.ClockStart) {
			return c, fmt.Errorf("--clock: must be an RFC 3339 time between 1970 and 9000 such as 2026-10-15T12:00:00Z, got %q", clockStart)
		}
	}
	c.Counts = fixtures.Counts{}
	for plural, n := range counts {
		c.Counts[plural] = *n
	}
	c.CORSOrigins = splitList(corsOrigins)
	c.AdminOrigins = splitList(adminOrigins)
	c.AdminHosts = splitList(adminHosts)
	return c, c.validate()
}

func (c *Config) validate() error {
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		return fmt.Errorf("--addr: must be host:port, got %q", c.Addr)
	}
	if c.Jobs < 0 || c.Jobs > fixtures.MaxJobs {
		return fmt.Errorf("--jobs: must be between 0 and %d, got %d", fixtures.MaxJobs, c.Jobs)
	}
	for _, e := range schema.Default().Entities() {
		_, most, ok := fixtures.Seeded(e.Type)
		if n := c.Counts[e.Plural]; ok && (n < 0 || n > most) {
			return fmt.Errorf("--%s: must be between 0 and %d, got %d", e.Plural, most, n)
		}
	}
	if c.MaxAccounts < 0 {
		return fmt.Errorf("--max-accounts: must be 0 (unbounded) or more, got %d", c.MaxAccounts)
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("--public-url: must be an http(s) scheme and host such as https://a.klaviyo.com, got %q", c.PublicURL)
		}
		c.PublicURL = strings.TrimSuffix(c.PublicURL, "/")
	}
	if c.RateLimits != "klaviyo" && c.RateLimits != "off" {
		return fmt.Errorf("--rate-limits: must be klaviyo or off, got %q", c.RateLimits)
	}
	if !(c.RateLimitScale > 0) || c.RateLimitScale > 1000 {
		return fmt.Errorf("--rate-limit-scale: must be more than 0 and at most 1000, got %v", c.RateLimitScale)
	}
	if c.RateLimitBurst < 0 || c.RateLimitSteady < 0 {
		return fmt.Errorf("--rate-limit-burst/--rate-limit-steady: must be 0 or more, got %d/%d", c.RateLimitBurst, c.RateLimitSteady)
	}
	if !(c.ThrottleProbability >= 0 && c.ThrottleProbability <= 1) {
		return fmt.Errorf("--throttle-probability: must be between 0 and 1, got %v", c.ThrottleProbability)
	}
	if _, ok := store.ParseMode(c.JobTransition); !ok {
		return fmt.Errorf("--job-transition: must be immediate, duration or polls, got %q", c.JobTransition)
	}
	if c.JobDuration <= 0 || c.JobDuration > 24*time.Hour {
		return fmt.Errorf("--job-duration: must be more than 0 and at most 24h, got %v", c.JobDuration)
	}
	if c.JobPolls < 1 || c.JobPolls > 1000 {
		return fmt.Errorf("--job-polls: must be between 1 and 1000, got %d", c.JobPolls)
	}
	if c.MemoryBudget < MinMemoryBudget {
		return fmt.Errorf("--memory-budget: must be at least 64MiB, got %d bytes", c.MemoryBudget)
	}
	if c.MaxConnections < 1 || c.MaxConnections > 100_000 {
		return fmt.Errorf("--max-connections: must be between 1 and 100000, got %d", c.MaxConnections)
	}
	if conns := c.Shares().Connections; conns > c.MemoryBudget/4 {
		return fmt.Errorf("--max-connections: %d connections of up to %d header bytes need %d MiB, over a quarter of --memory-budget (%d MiB); lower one or raise the budget",
			c.MaxConnections, c.MaxHeaderBytes, conns>>20, c.MemoryBudget>>20)
	}
	if c.JournalSize < 0 || c.JournalSize > 1_000_000 {
		return fmt.Errorf("--journal-size: must be between 0 and 1000000, got %d", c.JournalSize)
	}
	if c.MaxBodyBytes < 6<<20 {
		return fmt.Errorf("--max-body-bytes: must be at least 6291456 (above the create endpoint's 5 MB cap), got %d", c.MaxBodyBytes)
	}
	if c.MaxHeaderBytes < 4<<10 || c.MaxHeaderBytes > 1<<20 {
		return fmt.Errorf("--max-header-bytes: must be between 4096 and 1048576, got %d", c.MaxHeaderBytes)
	}
	for _, o := range c.CORSOrigins {
		if o != "*" && !validOrigin(o) {
			return fmt.Errorf("--cors-origins: %q is not an origin such as http://localhost:5173", o)
		}
	}
	for _, h := range c.AdminHosts {
		if h != "*" && (strings.ContainsAny(h, ":/[]@ ") || h == "") {
			return fmt.Errorf("--admin-hosts: %q is not a host name such as klaviyo or mock.internal (no scheme or port)", h)
		}
	}
	for _, o := range c.AdminOrigins {
		if !validOrigin(o) {
			return fmt.Errorf("--admin-origins: %q is not an origin such as http://localhost:5173", o)
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("--log-level: must be debug, info, warn or error, got %q", c.LogLevel)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("--log-format: must be text or json, got %q", c.LogFormat)
	}
	return nil
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
