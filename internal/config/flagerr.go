package config

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"
)

// checked wraps a flag's value so that a value that does not parse is
// refused with the form the flag expects ("2" is not a duration; use a Go
// duration such as 2s or 500ms), and remembers the first refusal, which
// Parse reports instead of the flag package's "parse error".
type checked struct {
	flag.Value
	name   string
	def    string
	failed *flagFailure
}

// flagFailure is the first value a checked flag refused.
type flagFailure struct {
	name string
	err  error
}

// IsBoolFlag keeps a boolean flag usable without a value (--strict-keys).
func (v *checked) IsBoolFlag() bool {
	b, ok := v.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// Set sets the value, or refuses s saying what the flag expects.
func (v *checked) Set(s string) error {
	if v.Value.Set(s) == nil {
		return nil
	}
	err := fmt.Errorf("%q is not %s", s, v.expected())
	if v.failed.err == nil {
		*v.failed = flagFailure{v.name, err}
	}
	return err
}

// expected describes the form of the flag's values.
func (v *checked) expected() string {
	g, _ := v.Value.(flag.Getter)
	switch g.Get().(type) {
	case time.Duration:
		return "a duration; use a Go duration such as 2s or 500ms"
	case bool:
		return "a boolean; use true or false"
	case int, int64, uint, uint64:
		return "a whole number; use one such as " + v.def
	case float64:
		return "a number; use one such as " + v.def + " or 0.5"
	}
	return "a valid value"
}

// checkAll wraps every flag of fs in checked, sharing one failure record.
func checkAll(fs *flag.FlagSet) *flagFailure {
	failed := &flagFailure{}
	fs.VisitAll(func(f *flag.Flag) {
		f.Value = &checked{Value: f.Value, name: f.Name, def: f.DefValue, failed: failed}
	})
	return failed
}

// parseError rewrites an error of fs.Parse as one line naming the flag:
// the refusal a checked value recorded, or the flag package's own reason.
func parseError(err error, failed *flagFailure) error {
	if failed.err != nil {
		return fmt.Errorf("--%s: %w", failed.name, failed.err)
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return fmt.Errorf("--%s: no such flag", strings.TrimPrefix(name, "-"))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return fmt.Errorf("--%s: needs a value", strings.TrimPrefix(name, "-"))
	}
	return errors.New(msg)
}
