package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// validate returns the first value out of its range, checking in the order
// of the groups below.
func (c *Config) validate() error {
	for _, check := range []func() error{c.validateServing, c.validateRates, c.validateJobs, c.validateMemory,
		c.validateOrigins, c.validateLog} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// validateServing checks the address, the seeded sizes, the accounts held
// and the public URL (which it normalizes).
func (c *Config) validateServing() error {
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		return fmt.Errorf("--addr: must be host:port, got %q", c.Addr)
	}
	if c.Jobs < 0 || c.Jobs > fixtures.MaxJobs {
		return fmt.Errorf("--jobs: must be between 0 and %d, got %d", fixtures.MaxJobs, c.Jobs)
	}
	for _, e := range schema.Default().Entities() {
		help, most, ok := fixtures.Seeded(e.Type)
		if n := c.Counts[e.Plural]; ok && help != "" && (n < 0 || n > most) {
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
	return nil
}

// validateRates checks rate limiting and simulated throttling.
func (c *Config) validateRates() error {
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
	return nil
}

// validateJobs checks how created jobs progress.
func (c *Config) validateJobs() error {
	if _, ok := store.ParseMode(c.JobTransition); !ok {
		return fmt.Errorf("--job-transition: must be immediate, duration or polls, got %q", c.JobTransition)
	}
	if c.JobDuration <= 0 || c.JobDuration > 24*time.Hour {
		return fmt.Errorf("--job-duration: must be more than 0 and at most 24h, got %v", c.JobDuration)
	}
	if c.JobPolls < 1 || c.JobPolls > 1000 {
		return fmt.Errorf("--job-polls: must be between 1 and 1000, got %d", c.JobPolls)
	}
	return nil
}

// validateMemory checks the memory budget and what takes a share of it:
// connections, the journal, bodies and headers.
func (c *Config) validateMemory() error {
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
	return nil
}

// validateOrigins checks the browser origins and the control API's hosts.
func (c *Config) validateOrigins() error {
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
	return nil
}

// validateLog checks the log's level and format.
func (c *Config) validateLog() error {
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
