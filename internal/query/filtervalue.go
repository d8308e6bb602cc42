package query

import (
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/resource"
)

// boolean parses true or false (unquoted).
func (p *filterParser) boolean(f *resource.FilterField) (bool, *apierror.Error) {
	for _, w := range []string{"true", "false"} {
		if strings.HasPrefix(p.s[p.i:], w) {
			p.i += len(w)
			return w == "true", nil
		}
	}
	end := p.i
	for end < len(p.s) && p.s[end] != ')' && p.s[end] != ',' {
		end++
	}
	return false, p.fail("the value %q of %s must be true or false", p.s[p.i:end], f.Name)
}

// strList parses ['a',"b",…] (possibly empty).
func (p *filterParser) strList() ([]string, *apierror.Error) {
	if p.i >= len(p.s) || p.s[p.i] != '[' {
		end := p.i
		for end < len(p.s) && p.s[end] != ')' {
			end++
		}
		return nil, p.fail("the value %q must be a list of quoted strings, e.g. ['a','b']", p.s[p.i:end])
	}
	p.i++
	out := []string{}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return out, nil
	}
	for {
		p.space()
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return out, nil
		}
		return nil, p.fail("expected ',' or ']' in a list at position %d", p.i)
	}
}

// str parses a single- or double-quoted string; the quote character may be
// escaped inside with a backslash.
func (p *filterParser) str() (string, *apierror.Error) {
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		end := p.i
		for end < len(p.s) && p.s[end] != ')' && p.s[end] != ',' {
			end++
		}
		return "", p.fail("the value %q must be a quoted string, e.g. 'text'", p.s[p.i:end])
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
