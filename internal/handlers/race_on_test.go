//go:build race

package handlers

// raceOn: the race detector is on. sync.Pool then drops a share of what
// is put back, at random, so counts of allocations are not the program's.
// A test that skips under the race detector must have "Alloc" in its name:
// CI runs those once without it (.ci/run).
const raceOn = true
