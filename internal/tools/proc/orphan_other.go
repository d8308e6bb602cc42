//go:build !linux

package proc

import "os/exec"

// diesWithUs does nothing where the system cannot tie a child's life to its
// parent's: stop the tools with a signal they catch there.
func diesWithUs(*exec.Cmd) {}
