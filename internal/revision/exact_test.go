package revision

import (
	"testing"
	"time"
)

// afterByDate is the rule Resolve's exact path followed before a profile
// kept its release instant: the date YYYY-MM-DD is after today's date
// (UTC). It is the oracle releasedAfter is checked against.
func afterByDate(date string, today time.Time) bool {
	y, m, d := today.UTC().Date()
	n := 0
	for _, c := range date {
		if c != '-' {
			n = n*10 + int(c-'0')
		}
	}
	return n > y*10000+int(m)*100+d
}

// TestReleasedAfter_IsTheDateComparison checks a profile's "released after
// today" against the comparison of its date with today's UTC date, at
// instants around each revision's midnight (UTC and other zones, with
// nanoseconds), and far from it.
func TestReleasedAfter_IsTheDateComparison(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("east", 14*3600), time.FixedZone("west", -12*3600)}
	offsets := []time.Duration{-48 * time.Hour, -24 * time.Hour, -time.Second, -time.Nanosecond, 0, time.Nanosecond,
		time.Second, 12 * time.Hour, 24*time.Hour - time.Nanosecond, 24 * time.Hour, 40 * 24 * time.Hour}
	for _, p := range Default().All() {
		midnight, err := time.Parse(time.DateOnly, p.Date)
		if err != nil {
			t.Fatal(err)
		}
		for _, off := range offsets {
			for _, z := range zones {
				today := midnight.Add(off).In(z)
				if got, want := p.releasedAfter(today), afterByDate(p.Date, today); got != want {
					t.Errorf("%s released after %v = %v, want %v", p.Date, today, got, want)
				}
			}
		}
		for _, today := range []time.Time{{}, time.Unix(0, 0), time.Date(1960, 1, 1, 0, 0, 0, 1, time.UTC), time.Now()} {
			if got, want := p.releasedAfter(today), afterByDate(p.Date, today); got != want {
				t.Errorf("%s released after %v = %v, want %v", p.Date, today, got, want)
			}
		}
	}
}

// TestTable_ExactFindsEveryProfileByItsDate checks the look-up by date
// against a scan of the table, for every date and for values that name
// none.
func TestTable_ExactFindsEveryProfileByItsDate(t *testing.T) {
	tab := Default()
	scan := func(date string) (*Profile, bool) {
		for _, p := range tab.All() {
			if p.Date == date {
				return p, true
			}
		}
		return nil, false
	}
	newest := tab.Newest().Date
	after := mustDate(newest).AddDate(0, 0, 1).Format(time.DateOnly) // names no revision
	values := []string{"", newest + " ", after, newest + ".pre", "latest"}
	for _, p := range tab.All() {
		values = append(values, p.Date)
	}
	for _, v := range values {
		got, ok := tab.Exact(v)
		want, wok := scan(v)
		if got != want || ok != wok {
			t.Errorf("Exact(%q) = %v, %v; want %v, %v", v, got, ok, want, wok)
		}
	}
}

// BenchmarkResolve_Exact resolves a revision named exactly, as most
// requests do: the newest, and the oldest (scripts/bench's 2022-10-17
// rows).
func BenchmarkResolve_Exact(b *testing.B) {
	tab := Default()
	o := ResolveOptions{Today: time.Now()}
	for _, v := range []string{tab.Newest().Date, tab.Oldest().Date} {
		b.Run(v, func(b *testing.B) {
			for b.Loop() {
				if _, err := tab.Resolve(v, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
