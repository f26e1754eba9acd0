package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNodeInitKeepsDatadirPrivate is issue 15 (9) for `enigma node init`:
// what it writes is for the node's user only, and an existing datadir that
// others can enter draws a warning naming the chmod that fixes it.
func TestNodeInitKeepsDatadirPrivate(t *testing.T) {
	fresh := filepath.Join(t.TempDir(), "new")
	_, errOut, code := runEnigma(t, []string{"ENIGMA_DATADIR=" + fresh}, "node", "init", "--roles", "persistence", "--puzzle.static", "4", "--puzzle.dynamic", "4")
	if code != 0 {
		t.Fatalf("node init: exit %d: %s", code, errOut)
	}
	if strings.Contains(errOut, "chmod") {
		t.Errorf("a datadir node init created drew a warning: %s", errOut)
	}
	for name, want := range map[string]os.FileMode{"": 0o700, "config.toml": 0o600, "nodekey": 0o600, "nodekey.puzzle": 0o600} {
		info, err := os.Stat(filepath.Join(fresh, name))
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != want {
			t.Errorf("%s: mode %#o, want %#o", filepath.Join(fresh, name), perm, want)
		}
	}

	open := t.TempDir()
	if err := os.Chmod(open, 0o755); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = runEnigma(t, []string{"ENIGMA_DATADIR=" + open}, "node", "init", "--puzzle.static", "4", "--puzzle.dynamic", "4")
	if code != 0 {
		t.Fatalf("node init: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"WARN", "mode=0755", "chmod 700 " + open} {
		if !strings.Contains(errOut, want) {
			t.Errorf("node init in a 0755 datadir: stderr lacks %q:\n%s", want, errOut)
		}
	}
}
