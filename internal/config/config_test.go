package config_test

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/config"
)

// env returns a getenv over m.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// core is the part of Config the parsing tests compare;
// TestDefault_PinsEveryField pins the whole default configuration.
type core struct {
	Addr            string
	Seed            uint64
	Jobs            int
	Items           int
	Epoch           time.Time
	PublicURL       string
	StrictKeys      bool
	MaxAccounts     int
	RetireRevisions bool
	LogLevel        string
	LogFormat       string
}

func coreOf(c config.Config) core {
	return core{c.Addr, c.Seed, c.Jobs, c.Counts["items"], c.Epoch, c.PublicURL, c.StrictKeys,
		c.MaxAccounts, c.RetireRevisions, c.LogLevel, c.LogFormat}
}

func parse(t *testing.T, args []string, vars map[string]string) (config.Config, error, string) {
	t.Helper()
	var out bytes.Buffer
	c, err := config.Parse(args, env(vars), &out)
	return c, err, out.String()
}

func TestParse_Defaults(t *testing.T) {
	c, err, out := parse(t, nil, nil)
	if err != nil {
		t.Fatalf("Parse error: %v", err)
	}
	want := core{
		Addr:        "127.0.0.1:8080",
		Seed:        1,
		Jobs:        250,
		Items:       200,
		Epoch:       time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
		MaxAccounts: 1000,
		LogLevel:    "info",
		LogFormat:   "text",
	}
	if coreOf(c) != want {
		t.Errorf("Parse() = %+v\nwant %+v", coreOf(c), want)
	}
	if c.Epoch.Location() != time.UTC {
		t.Errorf("Epoch location = %v, want UTC", c.Epoch.Location())
	}
	if out != "" {
		t.Errorf("Parse() wrote %q, want nothing", out)
	}
	if d := coreOf(config.Default()); d != want {
		t.Errorf("Default() = %+v, want %+v", d, want)
	}
}

func TestEnvName(t *testing.T) {
	tests := map[string]string{
		"addr":             "MOCKSERVER_ADDR",
		"public-url":       "MOCKSERVER_PUBLIC_URL",
		"retire-revisions": "MOCKSERVER_RETIRE_REVISIONS",
		"max-accounts":     "MOCKSERVER_MAX_ACCOUNTS",
	}
	for flagName, want := range tests {
		if got := config.EnvName(flagName); got != want {
			t.Errorf("EnvName(%q) = %q, want %q", flagName, got, want)
		}
	}
}

func TestParse_FlagsAndEnvTwinsSetEveryField(t *testing.T) {
	epoch := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	want := core{
		Addr:            "0.0.0.0:0",
		Seed:            42,
		Jobs:            7,
		Items:           150,
		Epoch:           epoch,
		PublicURL:       "https://a.klaviyo.com",
		StrictKeys:      true,
		MaxAccounts:     0,
		RetireRevisions: true,
		LogLevel:        "debug",
		LogFormat:       "json",
	}
	args := []string{
		"--addr", "0.0.0.0:0", "--seed", "42", "--jobs=7", "-items", "150",
		"--epoch", "2025-01-02T03:04:05Z", "--public-url", "https://a.klaviyo.com",
		"--strict-keys", "--max-accounts", "0", "--retire-revisions",
		"--log-level", "debug", "--log-format", "json",
	}
	vars := map[string]string{
		"MOCKSERVER_ADDR":             "0.0.0.0:0",
		"MOCKSERVER_SEED":             "42",
		"MOCKSERVER_JOBS":             "7",
		"MOCKSERVER_ITEMS":            "150",
		"MOCKSERVER_EPOCH":            "2025-01-02T03:04:05Z",
		"MOCKSERVER_PUBLIC_URL":       "https://a.klaviyo.com",
		"MOCKSERVER_STRICT_KEYS":      "true",
		"MOCKSERVER_MAX_ACCOUNTS":     "0",
		"MOCKSERVER_RETIRE_REVISIONS": "1",
		"MOCKSERVER_LOG_LEVEL":        "debug",
		"MOCKSERVER_LOG_FORMAT":       "json",
	}
	t.Run("flags", func(t *testing.T) {
		c, err, _ := parse(t, args, nil)
		if err != nil {
			t.Fatalf("error: %v", err)
		}
		if coreOf(c) != want {
			t.Errorf("got  %+v\nwant %+v", coreOf(c), want)
		}
	})
	t.Run("env", func(t *testing.T) {
		c, err, _ := parse(t, nil, vars)
		if err != nil {
			t.Fatalf("error: %v", err)
		}
		if coreOf(c) != want {
			t.Errorf("got  %+v\nwant %+v", coreOf(c), want)
		}
	})
}

func TestParse_FlagBeatsEnv(t *testing.T) {
	vars := map[string]string{
		"MOCKSERVER_SEED":        "7",
		"MOCKSERVER_JOBS":        "3",
		"MOCKSERVER_ADDR":        "127.0.0.1:9000",
		"MOCKSERVER_STRICT_KEYS": "true",
		"MOCKSERVER_LOG_LEVEL":   "warn",
	}
	c, err, _ := parse(t, []string{"--seed", "9", "--addr", ":7000", "--strict-keys=false"}, vars)
	if err != nil {
		t.Fatalf("error: %v", err)
	}
	if c.Seed != 9 || c.Addr != ":7000" || c.StrictKeys {
		t.Errorf("flags lost to env: seed %d addr %q strict %v; want 9 :7000 false", c.Seed, c.Addr, c.StrictKeys)
	}
	if c.Jobs != 3 || c.LogLevel != "warn" {
		t.Errorf("env twins not applied where no flag: jobs %d log-level %q; want 3 warn", c.Jobs, c.LogLevel)
	}
}

func TestParse_EmptyEnvIsIgnored(t *testing.T) {
	c, err, _ := parse(t, nil, map[string]string{"MOCKSERVER_SEED": "", "MOCKSERVER_ADDR": ""})
	if err != nil || c.Seed != 1 || c.Addr != "127.0.0.1:8080" {
		t.Errorf("got %+v, %v; want defaults", c, err)
	}
}

func TestParse_EpochIsConvertedToUTC(t *testing.T) {
	c, err, _ := parse(t, []string{"--epoch", "2026-01-01T05:30:00+05:30"}, nil)
	if err != nil {
		t.Fatalf("error: %v", err)
	}
	want := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if !c.Epoch.Equal(want) || c.Epoch.Location() != time.UTC {
		t.Errorf("Epoch = %v, want %v", c.Epoch, want)
	}
}

func TestParse_PublicURLTrailingSlashTrimmed(t *testing.T) {
	tests := map[string]string{
		"https://a.klaviyo.com/": "https://a.klaviyo.com",
		"https://a.klaviyo.com":  "https://a.klaviyo.com",
		"http://localhost:8080/": "http://localhost:8080",
		"http://127.0.0.1:1234":  "http://127.0.0.1:1234",
		"http://[::1]:8080/":     "http://[::1]:8080",
	}
	for in, want := range tests {
		c, err, _ := parse(t, []string{"--public-url", in}, nil)
		if err != nil {
			t.Errorf("--public-url %q: %v", in, err)
			continue
		}
		if c.PublicURL != want {
			t.Errorf("--public-url %q = %q, want %q", in, c.PublicURL, want)
		}
	}
	c, err, _ := parse(t, nil, map[string]string{"MOCKSERVER_PUBLIC_URL": "https://mock.test/"})
	if err != nil || c.PublicURL != "https://mock.test" {
		t.Errorf("env public url = %q, %v; want https://mock.test", c.PublicURL, err)
	}
}

func TestParse_InvalidValuesNameTheFlag(t *testing.T) {
	tests := []struct {
		name string
		args []string
		vars map[string]string
		want string // substring of the error naming the flag or variable
	}{
		{"seed zero", []string{"--seed", "0"}, nil, "--seed"},
		{"seed negative", []string{"--seed", "-1"}, nil, "--seed"},
		{"seed word", []string{"--seed=abc"}, nil, "--seed"},
		{"seed overflow", []string{"--seed", "18446744073709551616"}, nil, "--seed"},
		{"seed zero from env", nil, map[string]string{"MOCKSERVER_SEED": "0"}, "seed"},
		{"jobs negative", []string{"--jobs", "-1"}, nil, "--jobs"},
		{"jobs too many", []string{"--jobs", "10000001"}, nil, "--jobs"},
		{"jobs negative from env", nil, map[string]string{"MOCKSERVER_JOBS": "-1"}, "jobs"},
		{"jobs not a number from env", nil, map[string]string{"MOCKSERVER_JOBS": "many"}, "MOCKSERVER_JOBS"},
		{"jobs not a number", []string{"--jobs", "many"}, nil, "jobs"},
		{"items negative", []string{"--items", "-5"}, nil, "--items"},
		{"items too many", []string{"--items", "1000001"}, nil, "--items"},
		{"max-accounts negative", []string{"--max-accounts", "-1"}, nil, "--max-accounts"},
		{"addr without port", []string{"--addr", "localhost"}, nil, "--addr"},
		{"addr empty port", []string{"--addr", "localhost:"}, nil, "--addr"},
		{"addr url", []string{"--addr", "http://localhost:8080"}, nil, "--addr"},
		{"addr from env", nil, map[string]string{"MOCKSERVER_ADDR": "nope"}, "addr"},
		{"public-url ftp", []string{"--public-url", "ftp://x"}, nil, "--public-url"},
		{"public-url with path", []string{"--public-url", "http://h/path"}, nil, "--public-url"},
		{"public-url with double slash path", []string{"--public-url", "http://h//"}, nil, "--public-url"},
		{"public-url without scheme", []string{"--public-url", "a.klaviyo.com"}, nil, "--public-url"},
		{"public-url without host", []string{"--public-url", "https://"}, nil, "--public-url"},
		{"public-url with query", []string{"--public-url", "https://h?x=1"}, nil, "--public-url"},
		{"public-url with fragment", []string{"--public-url", "https://h#x"}, nil, "--public-url"},
		{"public-url from env", nil, map[string]string{"MOCKSERVER_PUBLIC_URL": "ftp://x"}, "public-url"},
		{"log-level unknown", []string{"--log-level", "verbose"}, nil, "--log-level"},
		{"log-level capitalised", []string{"--log-level", "DEBUG"}, nil, "--log-level"},
		{"log-level from env", nil, map[string]string{"MOCKSERVER_LOG_LEVEL": "trace"}, "log-level"},
		{"log-format unknown", []string{"--log-format", "xml"}, nil, "--log-format"},
		{"epoch not RFC 3339", []string{"--epoch", "2026-10-01"}, nil, "--epoch"},
		{"strict-keys not a bool from env", nil, map[string]string{"MOCKSERVER_STRICT_KEYS": "yes"}, "MOCKSERVER_STRICT_KEYS"},
		{"unknown flag", []string{"--nope"}, nil, "nope"},
		{"positional argument", []string{"serve"}, nil, `"serve"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err, _ := parse(t, tt.args, tt.vars)
			if err == nil {
				t.Fatalf("Parse(%q, %v) succeeded, want an error", tt.args, tt.vars)
			}
			if config.IsHelp(err) {
				t.Fatalf("Parse(%q, %v) = help, want a failure", tt.args, tt.vars)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name %q", err, tt.want)
			}
		})
	}
}

func TestParse_ValidationErrorsQuoteTheValue(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--seed", "0"}, `--seed: must be a non-zero unsigned integer, got "0"`},
		{[]string{"--jobs", "-1"}, "--jobs: must be between 0 and 10000000, got -1"},
		{[]string{"--addr", "localhost"}, `--addr: must be host:port, got "localhost"`},
		{[]string{"--public-url", "ftp://x"}, `--public-url: must be an http(s) scheme and host such as https://a.klaviyo.com, got "ftp://x"`},
		{[]string{"--log-level", "verbose"}, `--log-level: must be debug, info, warn or error, got "verbose"`},
	}
	for _, tt := range tests {
		_, err, _ := parse(t, tt.args, nil)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q) error = %v, want %q", tt.args, err, tt.want)
		}
	}
}

func TestParse_AcceptsBoundaryValues(t *testing.T) {
	tests := [][]string{
		{"--jobs", "0"},
		{"--jobs", "10000000"},
		{"--items", "0"},
		{"--items", "1000000"},
		{"--seed", "18446744073709551615"},
		{"--addr", ":0"},
		{"--addr", "[::1]:8080"},
		{"--log-level", "error"},
		{"--log-level", "warn"},
	}
	for _, args := range tests {
		if _, err, _ := parse(t, args, nil); err != nil {
			t.Errorf("Parse(%q) error: %v", args, err)
		}
	}
}

func TestParse_HelpListsEveryFlagWithItsEnvName(t *testing.T) {
	for _, arg := range []string{"-h", "--help", "-help"} {
		t.Run(arg, func(t *testing.T) {
			_, err, out := parse(t, []string{arg}, nil)
			if !config.IsHelp(err) {
				t.Fatalf("Parse(%s) error = %v, want help", arg, err)
			}
			if !errors.Is(err, config.ErrHelp) || !errors.Is(err, flag.ErrHelp) {
				t.Errorf("error %v is not ErrHelp", err)
			}
			for _, name := range []string{
				"addr", "seed", "jobs", "items", "epoch", "public-url", "strict-keys",
				"max-accounts", "retire-revisions", "log-level", "log-format",
			} {
				if !strings.Contains(out, "  --"+name+"\n") {
					t.Errorf("help does not list --%s", name)
				}
				if !strings.Contains(out, "env "+config.EnvName(name)+"\n") {
					t.Errorf("help does not list %s", config.EnvName(name))
				}
			}
			// Every flag the help lists (including ones added later) is
			// followed by its usage line and its env twin.
			lines := strings.Split(out, "\n")
			listed := 0
			for i, l := range lines {
				name, ok := strings.CutPrefix(l, "  --")
				if !ok {
					continue
				}
				listed++
				if i+2 >= len(lines) || lines[i+2] != "\tenv "+config.EnvName(name) {
					t.Errorf("--%s is not followed by its env line %q", name, "\tenv "+config.EnvName(name))
				}
			}
			if listed < 11 {
				t.Errorf("help lists %d flags, want at least 11", listed)
			}
			if !strings.HasPrefix(out, "Usage: mockserver") {
				t.Errorf("help starts %q, want Usage: mockserver", out[:min(len(out), 40)])
			}
			if !strings.Contains(out, "(default 127.0.0.1:8080)") || !strings.Contains(out, "(default 250)") {
				t.Errorf("help does not show defaults:\n%s", out)
			}
		})
	}
}

func TestIsHelp_FalseForOtherErrors(t *testing.T) {
	if config.IsHelp(nil) || config.IsHelp(errors.New("--seed: bad")) {
		t.Error("IsHelp true for a non-help error")
	}
}

func TestParse_FlagWinsOverAnInvalidEnvTwin(t *testing.T) {
	env := func(k string) string {
		if k == "MOCKSERVER_JOBS" {
			return "many"
		}
		return ""
	}
	c, err := config.Parse([]string{"--jobs", "5"}, env, io.Discard)
	if err != nil || c.Jobs != 5 {
		t.Fatalf("got %d, %v; the flag should win without reading the env value", c.Jobs, err)
	}
	if _, err := config.Parse(nil, env, io.Discard); err == nil || !strings.Contains(err.Error(), "MOCKSERVER_JOBS") {
		t.Fatalf("invalid env twin without a flag: %v", err)
	}
}

func TestParse_RateLimitAndLifecycleFlags(t *testing.T) {
	c, err := config.Parse([]string{"--rate-limits=off", "--rate-limit-scale=0.01", "--throttle-probability=0.5",
		"--job-transition=polls", "--job-polls=4", "--job-duration=2s"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.RateLimits != "off" || c.RateLimitScale != 0.01 || c.ThrottleProbability != 0.5 ||
		c.JobTransition != "polls" || c.JobPolls != 4 || c.JobDuration.String() != "2s" {
		t.Fatalf("%+v", c)
	}
	for _, bad := range [][]string{
		{"--rate-limits=on"}, {"--rate-limit-scale=0"}, {"--throttle-probability=2"},
		{"--job-transition=later"}, {"--job-polls=0"}, {"--job-duration=0s"},
	} {
		name := strings.SplitN(strings.TrimPrefix(bad[0], "--"), "=", 2)[0]
		if _, err := config.Parse(bad, func(string) string { return "" }, io.Discard); err == nil || !strings.Contains(err.Error(), "--"+name) {
			t.Errorf("%v: %v", bad, err)
		}
	}
}

func TestDefault_PinsEveryField(t *testing.T) {
	want := config.Config{
		Addr:           "127.0.0.1:8080",
		Seed:           1,
		Jobs:           250,
		Counts:         map[string]int{"items": 200, "variants": 300, "categories": 20},
		Epoch:          time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
		MaxAccounts:    1000,
		LogLevel:       "info",
		LogFormat:      "text",
		RateLimits:     "klaviyo",
		RateLimitScale: 1,
		JobTransition:  "duration",
		JobDuration:    5 * time.Second,
		JobPolls:       3,
		JournalSize:    1000,
		MemoryBudget:   512 << 20,
		MaxConnections: 1024,
		CORSOrigins:    []string{"*"},
		AdminOrigins:   []string{},
		AdminHosts:     []string{},
		MaxBodyBytes:   16 << 20,
		MaxHeaderBytes: 64 << 10,
		Timing: config.Timing{Head: 5 * time.Second, Idle: 120 * time.Second, Grace: time.Second, IdleGrace: 100 * time.Millisecond,
			BodyGrace: 2 * time.Second, BodyRate: 64 << 10},
	}
	c, err, _ := parse(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Parse(nil) =\n%+v\nwant\n%+v", c, want)
	}
}

func TestParse_AdminHosts(t *testing.T) {
	c, err := config.Parse([]string{"--admin-hosts=klaviyo, mock.internal"}, func(string) string { return "" }, io.Discard)
	if err != nil || !reflect.DeepEqual(c.AdminHosts, []string{"klaviyo", "mock.internal"}) {
		t.Fatalf("%v %v", c.AdminHosts, err)
	}
	for _, bad := range []string{"http://klaviyo", "klaviyo:8080", "a b"} {
		if _, err := config.Parse([]string{"--admin-hosts=" + bad}, func(string) string { return "" }, io.Discard); err == nil ||
			!strings.Contains(err.Error(), "--admin-hosts") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestParse_MemoryBudgetAndItsShares(t *testing.T) {
	for in, want := range map[string]int64{"512MiB": 512 << 20, "1GiB": 1 << 30, "1G": 1 << 30, "268435456": 256 << 20, "300MB": 300 << 20} {
		c, err := config.Parse([]string{"--memory-budget=" + in}, func(string) string { return "" }, io.Discard)
		if err != nil || c.MemoryBudget != want {
			t.Errorf("%s: %d %v, want %d", in, c.MemoryBudget, err, want)
		}
	}
	for _, bad := range []string{"lots", "-1", "32MiB", "1.5GiB"} {
		if _, err := config.Parse([]string{"--memory-budget=" + bad}, func(string) string { return "" }, io.Discard); err == nil ||
			!strings.Contains(err.Error(), "--memory-budget") {
			t.Errorf("%s: %v", bad, err)
		}
	}
	c, _ := config.Parse(nil, func(string) string { return "" }, io.Discard)
	sh := c.Shares()
	if sh.Accounts != 256<<20 || sh.Journal != 32<<20 || sh.Bodies != 64<<20 || sh.Caches != 16<<20 || sh.Connections != 1024*(80<<10) {
		t.Fatalf("default shares %+v", sh)
	}
	if total := sh.Accounts + sh.Journal + sh.Bodies + sh.Caches + sh.Connections; total > c.MemoryBudget*7/8 {
		t.Fatalf("the shares add up to %d of %d: no headroom left", total, c.MemoryBudget)
	}
	small, _ := config.Parse([]string{"--memory-budget=64MiB"}, func(string) string { return "" }, io.Discard)
	if small.MaxConnections >= 1024 || small.Shares().Connections > small.MemoryBudget/4 {
		t.Fatalf("64 MiB budget: %d connections (%d bytes)", small.MaxConnections, small.Shares().Connections)
	}
	if _, err := config.Parse([]string{"--memory-budget=64MiB", "--max-connections=5000"}, func(string) string { return "" }, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "--max-connections") {
		t.Fatalf("too many connections for the budget: %v", err)
	}
}

// TestParse_ZeroItemsLeaveNoVariantsToSeed: a variant belongs to an item, so
// with --items 0 the variants' default is 0 too, and variants asked for
// (by flag or environment) are refused with the reason, not seeded as
// something else.
func TestParse_ZeroItemsLeaveNoVariantsToSeed(t *testing.T) {
	c, err, _ := parse(t, []string{"--items", "0"}, nil)
	if err != nil || c.Counts["items"] != 0 || c.Counts["variants"] != 0 {
		t.Fatalf("--items 0: counts %v, error %v; want no items and no variants", c.Counts, err)
	}
	for _, tt := range []struct {
		args []string
		vars map[string]string
	}{
		{[]string{"--items", "0", "--variants", "5"}, nil},
		{nil, map[string]string{"MOCKSERVER_ITEMS": "0", "MOCKSERVER_VARIANTS": "5"}},
	} {
		_, err, _ := parse(t, tt.args, tt.vars)
		if err == nil || !strings.Contains(err.Error(), "--variants") || !strings.Contains(err.Error(), "--items") {
			t.Errorf("Parse(%q, %v) error = %v; want a refusal naming --variants and --items", tt.args, tt.vars, err)
		}
	}
	if c, err, _ := parse(t, []string{"--items", "0", "--variants", "0", "--categories", "0", "--jobs", "0"}, nil); err != nil ||
		c.Counts["categories"] != 0 || c.Jobs != 0 {
		t.Errorf("all counts 0: %v, jobs %d, error %v", c.Counts, c.Jobs, err)
	}
}

// TestParse_BadFlagValueIsOneLineNamingTheFlagAndTheForm: a value that does
// not parse is refused in one line naming the flag (or its variable), the
// value and the form expected, and the usage is not printed.
func TestParse_BadFlagValueIsOneLineNamingTheFlagAndTheForm(t *testing.T) {
	tests := []struct {
		args []string
		vars map[string]string
		want string
	}{
		{[]string{"--job-duration", "2"}, nil, `--job-duration: "2" is not a duration; use a Go duration such as 2s or 500ms`},
		{[]string{"-job-duration=2"}, nil, `--job-duration: "2" is not a duration; use a Go duration such as 2s or 500ms`},
		{nil, map[string]string{"MOCKSERVER_JOB_DURATION": "2"}, `MOCKSERVER_JOB_DURATION: "2" is not a duration; use a Go duration such as 2s or 500ms`},
		{[]string{"--items", "x"}, nil, `--items: "x" is not a whole number; use one such as 200`},
		{[]string{"--rate-limit-scale", "half"}, nil, `--rate-limit-scale: "half" is not a number; use one such as 1 or 0.5`},
		{[]string{"--strict-keys=yes"}, nil, `--strict-keys: "yes" is not a boolean; use true or false`},
		{nil, map[string]string{"MOCKSERVER_STRICT_KEYS": "yes"}, `MOCKSERVER_STRICT_KEYS: "yes" is not a boolean; use true or false`},
		{[]string{"--nope"}, nil, `--nope: no such flag`},
		{[]string{"--addr"}, nil, `--addr: needs a value`},
	}
	for _, tt := range tests {
		_, err, out := parse(t, tt.args, tt.vars)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q, %v) error = %v, want %q", tt.args, tt.vars, err, tt.want)
		}
		if out != "" {
			t.Errorf("Parse(%q, %v) printed %d bytes (the usage?), want nothing", tt.args, tt.vars, len(out))
		}
	}
}
