package config

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultMemoryBudget is the memory the process stays within by default.
const DefaultMemoryBudget = 512 << 20

// MinMemoryBudget is the smallest budget accepted.
const MinMemoryBudget = 64 << 20

// Shares split the memory budget between the parts of the server that hold
// memory a client can make grow. What is left (about a quarter) is the Go
// runtime's and the garbage collector's headroom; the process sets its Go
// memory limit to 85% of the budget (GoMemoryLimit).
type Shares struct {
	// Accounts bounds the estimated size of every account held (seeded data
	// and what requests added); unchanged accounts are evicted past it and
	// changes that would not fit are refused.
	Accounts int64
	// Journal bounds the request journal.
	Journal int64
	// Bodies bounds the request bodies being read and decoded at once.
	Bodies int64
	// Caches bounds the rendered documents and objects kept for reuse
	// (3/8 each) and seeded jobs once made (1/4); a value is dropped, never
	// refused, past it.
	Caches int64
	// Connections bounds the headers being read: --max-connections times
	// (--max-header-bytes + a per-connection overhead).
	Connections int64
}

// ConnectionOverhead is what one open connection costs besides its headers
// (goroutine stack, read and write buffers).
const ConnectionOverhead = 16 << 10

// Shares returns how c's memory budget is split.
func (c Config) Shares() Shares {
	b := c.MemoryBudget
	return Shares{
		Accounts:    b / 2,
		Journal:     b / 16,
		Bodies:      b / 8,
		Caches:      b / 32,
		Connections: int64(c.MaxConnections) * int64(c.MaxHeaderBytes+ConnectionOverhead),
	}
}

// GoMemoryLimit is the Go runtime's memory limit for c's budget: 85% of it.
func (c Config) GoMemoryLimit() int64 { return c.MemoryBudget / 20 * 17 }

// parseBytes reads a size such as 536870912, 512MiB, 512MB or 1GiB (units
// are powers of 1024 either way).
func parseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"GB", 1 << 30}, {"G", 1 << 30}, {"MiB", 1 << 20}, {"MB", 1 << 20}, {"M", 1 << 20},
		{"KiB", 1 << 10}, {"KB", 1 << 10}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<50)/mult {
		return 0, fmt.Errorf("%q is not a size such as 512MiB or 1GiB", s)
	}
	return n * mult, nil
}
