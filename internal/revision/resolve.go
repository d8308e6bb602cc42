package revision

import (
	"fmt"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
)

// Header is the request header that carries the revision.
const Header = "revision"

// OptOutHeader, set to "1", makes a retired revision answer 410 instead of
// falling forward.
const OptOutHeader = "X-Klaviyo-Revision-Fall-Forward-Opt-Out"

// ResolveOptions are the server-side inputs of revision resolution.
type ResolveOptions struct {
	// Today is the server clock's current time; later dates are "future".
	Today time.Time
	// Retire enables Klaviyo's retirement of revisions two years old.
	Retire bool
	// OptOut is the fall-forward opt-out header's value.
	OptOut string
}

// Resolve maps a revision header value to the profile that serves it:
// the newest revision on or before the requested date. It returns the
// Klaviyo-shaped error for a missing, malformed, future, too-old, beta or
// retired revision.
func (t *Table) Resolve(value string, o ResolveOptions) (*Profile, *apierror.Error) {
	if value == "" {
		return nil, apierror.Invalid(Header, apierror.DetailMissingRevision)
	}
	// The usual request names a revision exactly: no parsing then.
	if p, ok := t.Exact(value); ok && !o.Retire && !p.releasedAfter(o.Today) {
		return p, nil
	}
	date, suffix, hasSuffix := strings.Cut(value, ".")
	d, err := time.Parse(time.DateOnly, date)
	if err != nil || len(date) != len(time.DateOnly) || (hasSuffix && !validSuffix(suffix)) {
		return nil, apierror.Invalid(Header, fmt.Sprintf(apierror.DetailMalformedRevision, value))
	}
	today := o.Today.UTC().Format(time.DateOnly)
	if date > today { // the rule releasedAfter applies to an exact revision, in text
		return nil, apierror.Invalid(Header, fmt.Sprintf(apierror.DetailFutureRevision, value, today))
	}
	if hasSuffix {
		// This resource was never a beta resource: no .pre revision has it.
		return nil, apierror.NoValidRevision()
	}
	p, ok := t.AtOrBefore(d.Format(time.DateOnly))
	if !ok {
		return nil, apierror.NoValidRevision()
	}
	if !o.Retire || o.Today.Before(p.Retires()) {
		return p, nil
	}
	if o.OptOut == "1" {
		return nil, apierror.Gone(fmt.Sprintf(
			"Revision %s was retired on %s and %s is set; use revision %s or later.",
			p.Date, p.Retires().Format(time.DateOnly), OptOutHeader, t.oldestLive(o.Today).Date))
	}
	return t.oldestLive(o.Today), nil
}

// oldestLive is the oldest revision not retired at today (the newest one
// when every revision is retired).
func (t *Table) oldestLive(today time.Time) *Profile {
	for _, p := range t.profiles {
		if today.Before(p.Retires()) {
			return p
		}
	}
	return t.Newest()
}

func validSuffix(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
