package main

import (
	"fmt"
	"strings"
	"sync"
)

// verdicts collects the violations the attacks of restarts.go, oddkeys.go
// and clockedges.go find: any one fails the soak, and each says what was
// expected and what happened.
type verdicts struct {
	mu   sync.Mutex
	list []string
	more int // violations past the first maxViolations, counted only
}

// maxViolations is how many violations are kept to be printed.
const maxViolations = 20

// fail records a violation found by the attack named by who.
func (v *verdicts) fail(who, format string, args ...any) {
	msg := who + ": " + fmt.Sprintf(format, args...)
	fmt.Println("VIOLATION", msg)
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.list) < maxViolations {
		v.list = append(v.list, msg)
	} else {
		v.more++
	}
}

// err returns the violations as one error, nil when there are none.
func (v *verdicts) err() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.list) == 0 {
		return nil
	}
	more := ""
	if v.more > 0 {
		more = fmt.Sprintf("\n  … and %d more", v.more)
	}
	return fmt.Errorf("%d violations:\n  %s%s", len(v.list)+v.more, strings.Join(v.list, "\n  "), more)
}
