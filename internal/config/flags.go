package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// Parse reads args (without the program name) and the environment through
// getenv. It returns flag.ErrHelp after printing usage to out for -h.
func Parse(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	c := Default()
	fs := flag.NewFlagSet("mockserver", flag.ContinueOnError)
	// The flag package prints its error and the whole usage on any bad
	// flag: the usage is printed for -h only, and an error is one line.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	raw := c.define(fs)
	failed := checkAll(fs)

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(fs, out)
			return c, err
		}
		return c, parseError(err, failed)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	given, err := fillFromEnv(fs, getenv)
	if err != nil {
		return c, err
	}
	if err := raw.apply(&c, given, getenv); err != nil {
		return c, err
	}
	return c, c.validate()
}

// rawFlags are the flags read as text (or into a variable of their own)
// and made Config values after parsing.
type rawFlags struct {
	epoch, seed, clockStart, budget       string
	corsOrigins, adminOrigins, adminHosts string
	// counts are the seeded kinds' counts by plural.
	counts map[string]*int
}

// define defines every flag on fs, each defaulting to c's value; those that
// need converting go to the rawFlags returned.
func (c *Config) define(fs *flag.FlagSet) *rawFlags {
	raw := &rawFlags{corsOrigins: "*", counts: map[string]*int{}}
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on (host:port; port 0 picks a free one)")
	fs.StringVar(&c.HealthSocket, "health-socket", "", "also answer /__admin/health on this Unix socket (@name: abstract, no file), which the healthcheck subcommand probes first")
	fs.StringVar(&raw.seed, "seed", "1", "seed of all generated data, ids and simulated faults (non-zero)")
	fs.IntVar(&c.Jobs, "jobs", c.Jobs, "jobs of each of the nine kinds seeded per account (each kind is generated on first use)")
	for _, e := range schema.Default().Entities() {
		if help, _, ok := fixtures.Seeded(e.Type); ok && help != "" {
			n := c.Counts[e.Plural]
			raw.counts[e.Plural] = &n
			fs.IntVar(raw.counts[e.Plural], e.Plural, n, help)
		}
	}
	fs.StringVar(&raw.epoch, "epoch", c.Epoch.Format(time.RFC3339), "instant all seeded timestamps lie before (RFC 3339)")
	fs.StringVar(&c.PublicURL, "public-url", "", "scheme and host that links start with (default: the request's scheme and Host)")
	fs.BoolVar(&c.StrictKeys, "strict-keys", false, "refuse Klaviyo-API-Key values that are not pk_ + 34 lowercase hex characters")
	fs.IntVar(&c.MaxAccounts, "max-accounts", c.MaxAccounts, "accounts held in memory; unchanged ones are evicted past it (0: unbounded)")
	fs.BoolVar(&c.RetireRevisions, "retire-revisions", false, "retire revisions two years after release, by the server clock (fall-forward, opt-out header, 410)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn or error")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json")
	c.defineBehaviour(fs)
	c.defineLimits(fs, raw)
	fs.StringVar(&raw.clockStart, "clock", "", "start the server clock at this RFC 3339 time instead of now")
	fs.BoolVar(&c.FreezeClock, "freeze-clock", false, "start the server clock frozen (it then moves only through /__admin/clock)")
	return raw
}

// defineBehaviour defines the flags of rate limiting, faults, jobs, the
// state file and the journal.
func (c *Config) defineBehaviour(fs *flag.FlagSet) {
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
}

// defineLimits defines the flags of memory, connections, browser origins
// and request sizes.
func (c *Config) defineLimits(fs *flag.FlagSet, raw *rawFlags) {
	fs.StringVar(&raw.budget, "memory-budget", "512MiB", "memory the process stays within, whatever clients send: accounts, journal, bodies and connections each get a documented share (e.g. 1GiB)")
	fs.IntVar(&c.MaxConnections, "max-connections", c.MaxConnections, "open client connections, one kept for health probes; at the limit an idle one (100 ms or more) or one without a request head for 1 s is closed to admit a new one (default: 1024, or fewer when a quarter of --memory-budget cannot hold them)")
	fs.StringVar(&raw.corsOrigins, "cors-origins", raw.corsOrigins, "comma-separated browser origins allowed to call /api (* for any)")
	fs.StringVar(&raw.adminOrigins, "admin-origins", "", "comma-separated browser origins allowed to call /__admin (none by default)")
	fs.StringVar(&raw.adminHosts, "admin-hosts", "", "comma-separated Host names /__admin answers besides loopback, e.g. the compose service name (* for any; default: loopback and the --public-url host)")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", c.MaxBodyBytes, "largest request body accepted (413 above it, before the body is read when Content-Length says so)")
	fs.IntVar(&c.MaxHeaderBytes, "max-header-bytes", c.MaxHeaderBytes, "largest request line and headers accepted (431 above it)")
}

// fillFromEnv sets the flags the command line did not set from their
// environment twins, and returns the names of the flags the command line
// set.
func fillFromEnv(fs *flag.FlagSet, getenv func(string) string) (map[string]bool, error) {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		if v := getenv(EnvName(f.Name)); v != "" && !given[f.Name] && envErr == nil {
			if err := fs.Set(f.Name, v); err != nil {
				envErr = fmt.Errorf("%s: %w", EnvName(f.Name), err)
			}
		}
	})
	return given, envErr
}

// apply makes the flags read as text c's values.
func (raw *rawFlags) apply(c *Config, given map[string]bool, getenv func(string) string) error {
	var err error
	if c.Seed, err = strconv.ParseUint(raw.seed, 10, 64); err != nil || c.Seed == 0 {
		return fmt.Errorf("--seed: must be a non-zero unsigned integer, got %q", raw.seed)
	}
	if c.Epoch, err = time.Parse(time.RFC3339, raw.epoch); err != nil {
		return fmt.Errorf("--epoch: must be an RFC 3339 time such as 2026-10-01T00:00:00Z, got %q", raw.epoch)
	}
	c.Epoch = c.Epoch.UTC()
	if c.MemoryBudget, err = parseBytes(raw.budget); err != nil {
		return fmt.Errorf("--memory-budget: %v", err)
	}
	if !given["max-connections"] && getenv(EnvName("max-connections")) == "" {
		// As many as a quarter of the budget holds, up to the default.
		c.MaxConnections = int(min(int64(c.MaxConnections), c.MemoryBudget/4/int64(c.MaxHeaderBytes+ConnectionOverhead)))
	}
	if raw.clockStart != "" {
		if c.ClockStart, err = time.Parse(time.RFC3339, raw.clockStart); err != nil || !clock.InRange(c.ClockStart) {
			return fmt.Errorf("--clock: must be an RFC 3339 time between 1970 and 9000 such as 2026-10-15T12:00:00Z, got %q", raw.clockStart)
		}
	}
	c.Counts = fixtures.Counts{}
	for plural, n := range raw.counts {
		c.Counts[plural] = *n
	}
	if err := orphanCounts(c.Counts, func(name string) bool { return given[name] || getenv(EnvName(name)) != "" }); err != nil {
		return err
	}
	c.CORSOrigins = splitList(raw.corsOrigins)
	c.AdminOrigins = splitList(raw.adminOrigins)
	c.AdminHosts = splitList(raw.adminHosts)
	return nil
}

// orphanCounts settles the counts of kinds that belong to a parent (a
// variant to its item) when no parent is seeded: a default count becomes 0,
// and one that was set (set reports it) is refused with the reason, since
// it cannot be seeded as asked.
func orphanCounts(counts fixtures.Counts, set func(flag string) bool) error {
	cat := schema.Default()
	for _, e := range cat.Entities() {
		rel, ok := e.Parent()
		if !ok {
			continue
		}
		parent, ok := cat.OfType(rel.Target)
		if n := counts[e.Plural]; !ok || n == 0 || counts[parent.Plural] != 0 {
			continue
		}
		if set(e.Plural) {
			return fmt.Errorf("--%s: %d %s cannot be seeded without %s (each belongs to one); give --%s 1 or more, or --%s 0",
				e.Plural, counts[e.Plural], e.Plural, parent.Plural, parent.Plural, e.Plural)
		}
		counts[e.Plural] = 0
	}
	return nil
}
