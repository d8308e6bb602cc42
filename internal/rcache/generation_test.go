package rcache

import "testing"

// A new generation's map is made at the size of the one it follows (a
// cache in steady use fills each generation with about as many entries),
// not grown from empty table by table as it fills: filling the second
// generation allocates its map once, where growing it allocated a table
// of every size on the way (and moved every entry at each).
func TestCache_ANewGenerationIsMadeAtThePreviousOnesSize(t *testing.T) {
	const n = 400 // entries a generation holds
	val := make([]byte, 8)
	cost := func(uint64, []byte) int64 { return 100 }
	c := NewOf(2*n*100, 1, cost, nil) // a generation holds n; nil keep: Put itself allocates nothing
	k := uint64(0)
	fill := func() {
		for range n {
			k++
			c.Put(k, val)
		}
	}
	fill() // the first generation (from empty, as ever)
	k++
	c.Put(k, val) // the second begins
	if got := len(c.shards[0].prev); got != n {
		t.Fatalf("the first generation holds %d entries, want %d", got, n)
	}
	var allocs float64
	for range 5 {
		allocs += testing.AllocsPerRun(1, func() { fill() })
	}
	if allocs/5 > 4 {
		t.Errorf("filling a generation allocates %.1f times, want at most 4 (its map once)", allocs/5)
	}
}
