package main

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fastPuzzle keeps identity generation cheap in tests; the network
// parameters must match across all processes.
var fastPuzzle = []string{"ENIGMA_PUZZLE_STATIC=4", "ENIGMA_PUZZLE_DYNAMIC=4"}

// startNode runs 'enigma node run' in a subprocess and returns the
// "<id>@<addr>" it prints once ready. The process is stopped with SIGTERM
// at the end of the test.
func startNode(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"node", "run"}, args...)...)
	cmd.Env = append(append(append(os.Environ(), "ENIGMA_TEST_MAIN=1"), fastPuzzle...), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "Overlay node "); ok {
				ready <- rest
			}
		}
		close(ready)
	}()
	select {
	case peer, ok := <-ready:
		if !ok {
			t.Fatalf("node exited before it was ready: %s", stderr.String())
		}
		return peer
	case <-time.After(60 * time.Second):
		t.Fatalf("node not ready after 60 s: %s", stderr.String())
	}
	return ""
}

// TestOverlayNodesAndDHTCommandsAcrossProcesses: a bootstrap node and a
// second node joining it run as separate processes; put, get and find-node
// run as further processes against them.
func TestOverlayNodesAndDHTCommandsAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts several processes")
	}
	dirA, dirB, dirC := t.TempDir(), t.TempDir(), t.TempDir()
	env := func(dir string) []string { return append([]string{"ENIGMA_DATADIR=" + dir}, fastPuzzle...) }
	for _, dir := range []string{dirA, dirB, dirC} {
		if _, errOut, code := runEnigma(t, env(dir), "node", "key", "new"); code != 0 {
			t.Fatalf("node key new: %s", errOut)
		}
	}
	if _, err := os.Stat(dirA + "/nodekey.puzzle"); err != nil {
		t.Fatalf("node key new stored no puzzle solution: %v", err)
	}
	a := startNode(t, env(dirA), "--role", "overlay", "--listen", "127.0.0.1:0")
	b := startNode(t, env(dirB), "--role", "overlay", "--listen", "127.0.0.1:0", "--bootstrap", a)
	idA, _, _ := strings.Cut(a, "@")

	// find-node for A, asking B.
	out, errOut, code := runEnigma(t, env(dirC), "dht", "find-node", "--bootstrap", b, idA)
	if code != 0 || !strings.Contains(out, "* "+a) {
		t.Fatalf("find-node A via B (exit %d): %s %s", code, out, errOut)
	}
	// put through A with C's key, get through B.
	out, errOut, code = runEnigma(t, env(dirC), "dht", "put", "--bootstrap", a, "greeting", "hello overlay")
	if code != 0 {
		t.Fatalf("dht put (exit %d): %s", code, errOut)
	}
	key := strings.TrimSpace(out)
	out, errOut, code = runEnigma(t, env(dirC), "dht", "get", "--bootstrap", b, key)
	if code != 0 || strings.TrimSpace(out) != "hello overlay" {
		t.Fatalf("dht get via B (exit %d): %q %s", code, out, errOut)
	}
	// A newer version wins.
	if _, errOut, code = runEnigma(t, env(dirC), "dht", "put", "--bootstrap", b, "--seq", "2", "greeting", "hello again"); code != 0 {
		t.Fatalf("dht put seq 2: %s", errOut)
	}
	if out, _, _ = runEnigma(t, env(dirC), "dht", "get", "--bootstrap", a, key); strings.TrimSpace(out) != "hello again" {
		t.Fatalf("dht get after update: %q", out)
	}
	// Clear errors for bad input.
	if _, errOut, code = runEnigma(t, env(dirC), "dht", "get", "--bootstrap", b, "nothex"); code != 1 || !strings.Contains(errOut, "64 hex") {
		t.Fatalf("bad key: exit %d, %s", code, errOut)
	}
	if _, errOut, code = runEnigma(t, env(dirC), "dht", "get", key); code != 1 || !strings.Contains(errOut, "--bootstrap") {
		t.Fatalf("no bootstrap: exit %d, %s", code, errOut)
	}
	missing := strings.Repeat("ab", 32)
	if _, errOut, code = runEnigma(t, env(dirC), "dht", "get", "--bootstrap", a, missing); code != 1 || !strings.Contains(errOut, "not found") {
		t.Fatalf("missing key: exit %d, %s", code, errOut)
	}
	if _, errOut, code = runEnigma(t, env(dirC), "node", "run", "--roles", "overlay,worker", "--listen", "127.0.0.1:0"); code != 1 || !strings.Contains(errOut, "Marketplace") {
		t.Fatalf("worker role without a chain: exit %d, %s", code, errOut)
	}
}
