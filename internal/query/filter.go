package query

import (
	"fmt"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// ParamFilter is the filter parameter's name.
const ParamFilter = "filter"

// knownOperators are the operators Klaviyo's filter language has; they
// parse, but each field allows only the one its endpoint declares.
var knownOperators = map[string]bool{
	"equals": true, "less-than": true, "less-or-equal": true, "greater-than": true,
	"greater-or-equal": true, "contains": true, "contains-any": true, "contains-all": true,
	"ends-with": true, "starts-with": true, "any": true, "has": true, "and": true,
	"or": true, "not": true,
}

// Term is one condition of a filter: a field the endpoint allows and its
// value (Str, Strs or Bool, as the field's value kind says).
type Term struct {
	Field *resource.FilterField
	Str   string
	Strs  []string
	Bool  bool
}

// ParseFilter parses a filter for the fields an endpoint allows:
// op(field,value) conditions joined by commas (an implicit and) or wrapped
// in and(...). Every condition must hold; or and not are refused.
func ParseFilter(s string, fields []resource.FilterField) ([]Term, *apierror.Error) {
	p := filterParser{s: s, fields: fields}
	terms, err := p.list(nil)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, p.fail("unexpected %q at position %d", p.s[p.i:], p.i)
	}
	return terms, nil
}

// StatusFilter returns the statuses a job must have to match terms parsed
// for a job list; an empty set matches nothing (for example
// equals(status,'queued'),equals(status,'complete')).
func StatusFilter(terms []Term) store.StatusSet {
	set := store.AllStatuses
	for _, t := range terms {
		if t.Field.Status {
			st, _ := store.ParseStatus(t.Str)
			set &= store.Only(st)
		}
	}
	return set
}

type filterParser struct {
	s      string
	i      int
	fields []resource.FilterField
}

func (p *filterParser) fail(format string, args ...any) *apierror.Error {
	return apierror.Invalid(ParamFilter, "Invalid filter provided: "+fmt.Sprintf(format, args...)+".")
}

func (p *filterParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// list parses expr (',' expr)*.
func (p *filterParser) list(terms []Term) ([]Term, *apierror.Error) {
	for {
		var err *apierror.Error
		if terms, err = p.expr(terms); err != nil {
			return nil, err
		}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		return terms, nil
	}
}

// expr reads one expression, op(field,value) or and(...), adding its
// conditions to terms.
func (p *filterParser) expr(terms []Term) ([]Term, *apierror.Error) {
	op, err := p.operator()
	if err != nil {
		return nil, err
	}
	if op == "and" {
		terms, err := p.list(terms)
		if err != nil {
			return nil, err
		}
		return terms, p.close(op)
	}
	f, err := p.condition(op)
	if err != nil {
		return nil, err
	}
	t, err := p.value(f)
	if err != nil {
		return nil, err
	}
	return append(terms, t), p.close(op)
}

// operator reads a known operator's name and its opening parenthesis.
func (p *filterParser) operator() (string, *apierror.Error) {
	p.space()
	start := p.i
	for p.i < len(p.s) && (isLower(p.s[p.i]) || p.s[p.i] == '-' || p.s[p.i] == '_' || isUpper(p.s[p.i]) || isDigit(p.s[p.i])) {
		p.i++
	}
	op := p.s[start:p.i]
	if op == "" {
		if p.i >= len(p.s) {
			return "", p.fail("expected an expression such as %s but the filter ended", p.example())
		}
		return "", p.fail("expected an operator such as equals at position %d, found %q", p.i, p.s[p.i:])
	}
	if !knownOperators[op] {
		return "", p.fail("%q is not a valid operator", op)
	}
	p.space()
	if p.i >= len(p.s) || p.s[p.i] != '(' {
		return "", p.fail("expected '(' after %q", op)
	}
	p.i++
	return op, nil
}

// condition reads the field a condition of op is on, up to its value: a
// field this endpoint filters on with op, and the comma after it.
func (p *filterParser) condition(op string) (*resource.FilterField, *apierror.Error) {
	p.space()
	fstart := p.i
	for p.i < len(p.s) && p.s[p.i] != ',' && p.s[p.i] != ')' && p.s[p.i] != ' ' {
		p.i++
	}
	name := p.s[fstart:p.i]
	if op == "or" || op == "not" {
		return nil, p.fail("operator %q is not supported by this endpoint; conditions combine with commas or and(...) only", op)
	}
	f := p.field(name)
	if f == nil {
		return nil, p.fail("%q is not a valid field for filtering this resource; %s", name, p.allowed())
	}
	if op != f.Op {
		return nil, p.fail("operator %q is not allowed for field %s; only %s is", op, f.Name, f.Op)
	}
	p.space()
	if p.i >= len(p.s) || p.s[p.i] != ',' {
		return nil, p.fail("expected ',' and a value after %q", name)
	}
	p.i++
	p.space()
	return f, nil
}

// value reads the value a condition on field f compares with.
func (p *filterParser) value(f *resource.FilterField) (Term, *apierror.Error) {
	t := Term{Field: f}
	var err *apierror.Error
	switch f.Value {
	case resource.ValBool:
		t.Bool, err = p.boolean(f)
	case resource.ValStringList:
		t.Strs, err = p.strList()
	default:
		if t.Str, err = p.str(); err == nil && f.Enum != nil && !contains(f.Enum, t.Str) {
			err = apierror.Invalidf(ParamFilter, "Invalid filter provided: '%s' is not a valid choice for '%s'; valid values are %s.",
				t.Str, f.Name, strings.Join(f.Enum, ", "))
		}
	}
	return t, err
}

func (p *filterParser) field(name string) *resource.FilterField {
	for i := range p.fields {
		if p.fields[i].Name == name {
			return &p.fields[i]
		}
	}
	return nil
}

// allowed describes the fields of the endpoint for an error detail.
func (p *filterParser) allowed() string {
	if len(p.fields) == 1 {
		return fmt.Sprintf("only %s (with %s) is", p.fields[0].Name, p.fields[0].Op)
	}
	parts := make([]string, len(p.fields))
	for i, f := range p.fields {
		parts[i] = fmt.Sprintf("%s (%s)", f.Name, f.Op)
	}
	return "valid fields are " + strings.Join(parts, ", ")
}

// example is a condition the endpoint accepts, for error details.
func (p *filterParser) example() string { return FilterExample(p.fields[0]) }

// FilterExample returns a condition on field f, for error details.
func FilterExample(f resource.FilterField) string {
	switch f.Value {
	case resource.ValStringList:
		return f.Op + "(" + f.Name + ",['a','b'])"
	case resource.ValBool:
		return f.Op + "(" + f.Name + ",true)"
	}
	v := "value"
	if len(f.Enum) > 0 {
		v = f.Enum[0]
	}
	return f.Op + "(" + f.Name + ",'" + v + "')"
}

func (p *filterParser) close(op string) *apierror.Error {
	p.space()
	if p.i >= len(p.s) || p.s[p.i] != ')' {
		return p.fail("expected ')' to close %s(", op)
	}
	p.i++
	return nil
}
