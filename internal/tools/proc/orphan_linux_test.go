package proc

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The roles the test binary plays when started again by
// TestStartCmd_AServerDiesWithTheToolThatStartedIt.
const roleEnv = "PROC_TEST_ROLE"

// TestStartCmd_AServerDiesWithTheToolThatStartedIt: a tool killed outright
// (SIGKILL: it can run no cleanup) takes the server it started with it.
// Before, the server was left running, holding its port and CPU.
func TestStartCmd_AServerDiesWithTheToolThatStartedIt(t *testing.T) {
	switch os.Getenv(roleEnv) {
	case "server": // says where it listens, then waits to be killed
		fmt.Println("listening on 127.0.0.1:1")
		waitForSignal()
	case "tool": // starts a server, says its pid, then waits to be killed
		cmd := exec.Command(os.Args[0], "-test.run=^TestStartCmd_AServerDiesWithTheToolThatStartedIt$")
		cmd.Env = append(os.Environ(), roleEnv+"=server")
		s, err := StartCmd(cmd)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println(s.Pid())
		waitForSignal()
	}
	tool := exec.Command(os.Args[0], "-test.run=^TestStartCmd_AServerDiesWithTheToolThatStartedIt$")
	tool.Env = append(os.Environ(), roleEnv+"=tool")
	out, err := tool.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := tool.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	server, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		tool.Process.Kill()
		tool.Wait()
		t.Fatalf("the tool said %q", line)
	}
	if !alive(server) {
		t.Fatal("the server is not running before the tool is killed")
	}
	tool.Process.Kill()
	tool.Wait()
	// The kernel delivers the server's signal as the tool exits: a real OS
	// event, waited for with a deadline.
	for deadline := time.Now().Add(10 * time.Second); alive(server); {
		if time.Now().After(deadline) {
			syscall.Kill(server, syscall.SIGKILL)
			t.Fatalf("the server (pid %d) still runs after the tool that started it was killed", server)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitForSignal blocks until the process is killed (a bare select{} would
// end it: the runtime reports a deadlock when no goroutine can run).
func waitForSignal() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1)
	<-c
	os.Exit(0)
}

// alive reports whether pid is a process that has not exited (a zombie
// waiting for its new parent to reap it has).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z") && !strings.HasPrefix(rest, "X")
}
