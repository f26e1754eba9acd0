package main

import (
	"net/http"
	"os"
	"strings"
	"testing"
)

// fastPuzzle keeps identity generation cheap in tests; the network
// parameters must match across all processes.
var fastPuzzle = []string{"ENIGMA_PUZZLE_STATIC=4", "ENIGMA_PUZZLE_DYNAMIC=4"}

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
	// Overlay-only nodes serve /metrics like full nodes (--metrics.addr).
	nodeA := startNodeProcess(t, env(dirA), dirA, "--role", "overlay", "--listen", "127.0.0.1:0", "--metrics.addr", "127.0.0.1:0")
	a := nodeA.peer
	nodeB := startNodeProcess(t, env(dirB), dirB, "--role", "overlay", "--listen", "127.0.0.1:0", "--metrics.addr", "127.0.0.1:0", "--bootstrap", a)
	b := nodeB.peer
	if nodeA.metrics == "" {
		t.Fatalf("the overlay-only node printed no metrics address:\n%s", nodeA.out.String())
	}
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
	// B joined through A: it knows a peer, so it is ready.
	if resp, err := http.Get(strings.TrimSuffix(nodeB.metrics, "/metrics") + "/readyz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz of the node that joined: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if served := scrapeCounterSum(t, nodeA.metrics, "overlay_served_total"); served == 0 {
		t.Errorf("node A served requests but its overlay_served_total is 0")
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
