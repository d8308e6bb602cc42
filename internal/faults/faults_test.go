package faults

import (
	"encoding/json"
	"testing"
	"time"
)

var req = Request{Method: "GET", Path: "/api/catalog-item-bulk-update-jobs", Account: "pk_a", Revision: "2026-07-15"}

func TestDecide_CountRuleHitsExactlyNTimesThenGoes(t *testing.T) {
	s := New(1, 0)
	r, err := s.Add(Rule{Match: Match{Account: "pk_a"}, Effect: Effect{Status: 429}, Count: 3})
	if err != nil {
		t.Fatal(err)
	}
	hits := 0
	for i := 0; i < 10; i++ {
		if eff, id, ok := s.Decide(req); ok {
			if eff.Status != 429 || id != r.ID {
				t.Fatalf("effect %+v from %s", eff, id)
			}
			hits++
		}
	}
	if hits != 3 || len(s.List()) != 0 {
		t.Fatalf("hit %d times, %d rules left; want 3 and 0", hits, len(s.List()))
	}
}

func TestDecide_MatchesEveryField(t *testing.T) {
	cases := []struct {
		m    Match
		want bool
	}{
		{Match{}, true},
		{Match{Method: "get"}, true},
		{Match{Method: "POST"}, false},
		{Match{Path: "/api/catalog-item-bulk-update-jobs"}, true},
		{Match{Path: "/api/catalog-items"}, false},
		{Match{Account: "pk_b"}, false},
		{Match{Revision: "2026-07-15"}, true},
		{Match{Revision: "2024-10-15"}, false},
	}
	for _, c := range cases {
		s := New(1, 0)
		s.Add(Rule{Match: c.m, Effect: Effect{Status: 500}})
		if _, _, ok := s.Decide(req); ok != c.want {
			t.Errorf("%+v matched %v, want %v", c.m, ok, c.want)
		}
	}
}

func TestDecide_ProbabilityIsReproducibleWithTheSeed(t *testing.T) {
	run := func(seed uint64) []bool {
		s := New(seed, 0)
		s.Add(Rule{Effect: Effect{Status: 503}, Probability: 0.3})
		out := make([]bool, 200)
		for i := range out {
			_, _, out[i] = s.Decide(req)
		}
		return out
	}
	a, b, c := run(7), run(7), run(8)
	hits, same := 0, true
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("decision %d differs between two runs with the same seed", i)
		}
		if a[i] {
			hits++
		}
		same = same && a[i] == c[i]
	}
	if hits < 40 || hits > 80 {
		t.Fatalf("%d hits of 200 at p=0.3", hits)
	}
	if same {
		t.Fatal("another seed gave the same sequence")
	}
}

func TestDecide_ThrottleProbabilityIsA429(t *testing.T) {
	s := New(1, 1)
	eff, id, ok := s.Decide(req)
	if !ok || eff.Status != 429 || eff.RetryAfter != 1 || id != "throttle-probability" {
		t.Fatalf("%+v %s %v", eff, id, ok)
	}
	s.Clear()
	if _, _, ok := s.Decide(req); !ok {
		t.Fatal("Clear removed the server-wide throttle")
	}
}

func TestValidate_RefusesRulesThatCannotWork(t *testing.T) {
	bad := []Rule{
		{},
		{Effect: Effect{Status: 404}},
		{Effect: Effect{Status: 500, Drop: true}},
		{Effect: Effect{Status: 500, RetryAfter: 3}},
		{Effect: Effect{Status: 429}, Probability: 1.5},
		{Effect: Effect{Status: 429}, Count: -1},
		{Effect: Effect{Latency: Duration(time.Hour)}},
	}
	for _, r := range bad {
		if _, err := New(1, 0).Add(r); err == nil {
			t.Errorf("%+v accepted", r)
		}
	}
}

func TestParsePrefer(t *testing.T) {
	cases := []struct {
		in   string
		code int
		err  bool
	}{
		{"code=429", 429, false},
		{"Code=503", 503, false},
		{`return=minimal, code="500"`, 500, false},
		{"code=500; dynamic=true", 500, false},
		{"return=representation", 0, false},
		{"code=404", 0, true},
		{"code=abc", 0, true},
	}
	for _, c := range cases {
		code, err := ParsePrefer(c.in)
		if code != c.code || (err != nil) != c.err {
			t.Errorf("ParsePrefer(%q) = %d, %v", c.in, code, err)
		}
	}
}

func TestDuration_JSON(t *testing.T) {
	var e Effect
	if err := json.Unmarshal([]byte(`{"latency":"250ms"}`), &e); err != nil || time.Duration(e.Latency) != 250*time.Millisecond {
		t.Fatalf("%v %v", e.Latency, err)
	}
	if err := json.Unmarshal([]byte(`{"latency":1500}`), &e); err != nil || time.Duration(e.Latency) != 1500*time.Millisecond {
		t.Fatalf("%v %v", e.Latency, err)
	}
	if err := json.Unmarshal([]byte(`{"latency":"soon"}`), &e); err == nil {
		t.Fatal("bad duration accepted")
	}
	b, _ := json.Marshal(Effect{Latency: Duration(2 * time.Second)})
	if string(b) != `{"latency":"2s"}` {
		t.Fatalf("%s", b)
	}
}
