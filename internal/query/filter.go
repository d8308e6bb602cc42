package query

import (
	"fmt"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// ParamFilter is the filter parameter's name.
const ParamFilter = "filter"

// knownOperators are the operators Klaviyo's filter language has; they parse
// but this resource only supports equals on status.
var knownOperators = map[string]bool{
	"equals": true, "less-than": true, "less-or-equal": true, "greater-than": true,
	"greater-or-equal": true, "contains": true, "contains-any": true, "contains-all": true,
	"ends-with": true, "starts-with": true, "any": true, "has": true, "and": true,
	"or": true, "not": true,
}

// ParseFilter parses this resource's filter: equals(status,'v') expressions,
// joined by commas (implicit and) or wrapped in and(...). It returns the set
// of statuses a job may have to match; an empty set matches nothing (for
// example equals(status,'queued'),equals(status,'complete')).
func ParseFilter(s string) (store.StatusSet, *apierror.Error) {
	p := filterParser{s: s}
	set, err := p.list(store.AllStatuses)
	if err != nil {
		return 0, err
	}
	p.space()
	if p.i != len(p.s) {
		return 0, p.fail("unexpected %q at position %d", p.s[p.i:], p.i)
	}
	return set, nil
}

type filterParser struct {
	s string
	i int
}

func (p *filterParser) fail(format string, args ...any) *apierror.Error {
	return apierror.Invalid(ParamFilter, "Invalid filter provided: "+fmt.Sprintf(format, args...)+".")
}

func (p *filterParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// list parses expr (',' expr)* and intersects their status sets.
func (p *filterParser) list(set store.StatusSet) (store.StatusSet, *apierror.Error) {
	for {
		s, err := p.expr()
		if err != nil {
			return 0, err
		}
		set &= s
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		return set, nil
	}
}

func (p *filterParser) expr() (store.StatusSet, *apierror.Error) {
	p.space()
	start := p.i
	for p.i < len(p.s) && (isLower(p.s[p.i]) || p.s[p.i] == '-' || p.s[p.i] == '_' || isUpper(p.s[p.i]) || isDigit(p.s[p.i])) {
		p.i++
	}
	op := p.s[start:p.i]
	if op == "" {
		if p.i >= len(p.s) {
			return 0, p.fail("expected an expression such as equals(status,'queued') but the filter ended")
		}
		return 0, p.fail("expected an operator such as equals at position %d, found %q", p.i, p.s[p.i:])
	}
	if !knownOperators[op] {
		return 0, p.fail("%q is not a valid operator", op)
	}
	p.space()
	if p.i >= len(p.s) || p.s[p.i] != '(' {
		return 0, p.fail("expected '(' after %q", op)
	}
	p.i++
	if op == "and" {
		set, err := p.list(store.AllStatuses)
		if err != nil {
			return 0, err
		}
		return set, p.close(op)
	}
	p.space()
	fstart := p.i
	for p.i < len(p.s) && p.s[p.i] != ',' && p.s[p.i] != ')' && p.s[p.i] != ' ' {
		p.i++
	}
	field := p.s[fstart:p.i]
	if op == "or" || op == "not" {
		return 0, p.fail("operator %q is not supported by this endpoint; only equals on status, combined with and, is", op)
	}
	if field != "status" {
		return 0, p.fail("%q is not a valid field for filtering this resource; only status (with equals) is", field)
	}
	if op != "equals" {
		return 0, p.fail("operator %q is not allowed for field status; only equals is", op)
	}
	p.space()
	if p.i >= len(p.s) || p.s[p.i] != ',' {
		return 0, p.fail("expected ',' and a value after %q", field)
	}
	p.i++
	p.space()
	val, err := p.str()
	if err != nil {
		return 0, err
	}
	st, ok := store.ParseStatus(val)
	if !ok {
		return 0, apierror.Invalidf(ParamFilter, "Invalid filter provided: '%s' is not a valid choice for 'status'; valid values are %s.",
			val, strings.Join(store.StatusNames(), ", "))
	}
	return store.Only(st), p.close(op)
}

func (p *filterParser) close(op string) *apierror.Error {
	p.space()
	if p.i >= len(p.s) || p.s[p.i] != ')' {
		return p.fail("expected ')' to close %s(", op)
	}
	p.i++
	return nil
}

// str parses a single- or double-quoted string; the quote character may be
// escaped inside with a backslash.
func (p *filterParser) str() (string, *apierror.Error) {
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		end := p.i
		for end < len(p.s) && p.s[end] != ')' && p.s[end] != ',' {
			end++
		}
		return "", p.fail("the value %q must be a quoted string, e.g. 'queued'", p.s[p.i:end])
	}
	q := p.s[p.i]
	p.i++
	start := p.i
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '\\' && p.i+1 < len(p.s) && p.s[p.i+1] == q:
			b.WriteByte(q)
			p.i += 2
		case c == q:
			p.i++
			return b.String(), nil
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", p.fail("unterminated string %c%s", q, p.s[start:])
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
