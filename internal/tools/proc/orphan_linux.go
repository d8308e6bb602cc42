package proc

import (
	"os/exec"
	"syscall"
)

// diesWithUs makes cmd's process receive SIGKILL when the process that
// started it dies, so a load tool stopped by a signal it cannot catch (or
// one it ignores: a background job of a non-interactive shell ignores
// SIGINT) leaves no server behind, holding a port and CPU.
func diesWithUs(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}
