//go:build !race

package handlers

// raceOn: the race detector is on (see race_on_test.go).
const raceOn = false
