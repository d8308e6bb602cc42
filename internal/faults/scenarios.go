package faults

import "time"

// Scenario is a named set of ordinary fault rules that shows an app one of
// its error states in one step: the web page's presets, and one control API
// call for tests.
type Scenario struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Rules       []Rule `json:"rules"`
}

// Scenarios returns the presets, in the order a page lists them. Their rules
// match every API request (of one account when one is given).
func Scenarios() []Scenario {
	return []Scenario{
		{"rate-limited", "Every API call is answered with Klaviyo's 429 and Retry-After: 10.",
			[]Rule{{Effect: Effect{Status: 429, RetryAfter: 10}}}},
		{"slow", "Every API call waits 2 seconds before it is served.",
			[]Rule{{Effect: Effect{Latency: Duration(2 * time.Second)}}}},
		{"flaky", "One API call in five is answered 503, and one in ten loses its connection.",
			[]Rule{{Effect: Effect{Status: 503}, Probability: 0.2}, {Effect: Effect{Drop: true}, Probability: 0.1}}},
		{"down", "Every API call is answered 503 Service Unavailable.",
			[]Rule{{Effect: Effect{Status: 503}}}},
	}
}

// ScenarioNamed returns the preset named name.
func ScenarioNamed(name string) (Scenario, bool) {
	for _, s := range Scenarios() {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}

// AddScenario adds the rules of the preset named name, for account only
// when it is not "", labelled with the scenario (a scenario already on is
// replaced, so adding one twice doubles nothing). It returns the rules
// added.
func (s *Set) AddScenario(name, account string) ([]Rule, bool) {
	sc, ok := ScenarioNamed(name)
	if !ok {
		return nil, false
	}
	s.RemoveScenario(name)
	out := make([]Rule, 0, len(sc.Rules))
	for _, r := range sc.Rules {
		r.Scenario, r.Match.Account = name, account
		added, err := s.Add(r)
		if err != nil {
			panic("faults: preset " + name + ": " + err.Error()) // presets are code
		}
		out = append(out, added)
	}
	return out, true
}

// RemoveScenario removes the rules of the scenario named name, reporting how
// many there were.
func (s *Set) RemoveScenario(name string) int {
	n := 0
	for _, r := range s.List() {
		if r.Scenario == name && s.Delete(r.ID) {
			n++
		}
	}
	return n
}
