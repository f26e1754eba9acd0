package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSimOverlayRunAndSweep(t *testing.T) {
	out, errOut, code := runEnigma(t, nil, "sim", "overlay", "--nodes", "400", "--lookups", "50", "--adversarial", "0.3", "--paths", "4", "--bucket", "8", "--siblings", "8", "--json")
	if code != 0 {
		t.Fatalf("sim overlay: exit %d: %s", code, errOut)
	}
	var r struct {
		Success           float64
		MessagesPerLookup float64
		Nodes             int
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Nodes != 400 || r.Success <= 0 || r.MessagesPerLookup <= 0 {
		t.Fatalf("sim overlay --json printed %q (%v)", out, err)
	}
	dir := t.TempDir()
	out, errOut, code = runEnigma(t, nil, "sim", "overlay", "sweep", "--out", dir, "--nodes", "300", "--lookups", "20", "--attack", "drop", "--plain-tables")
	if code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "[44/44") || !strings.Contains(out, "99% success holds") {
		t.Fatalf("sweep progress/summary missing:\n%s\n%s", errOut, out)
	}
	f, err := os.Open(filepath.Join(dir, "overlay-sweep-drop-plain.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) != 45 {
		t.Fatalf("sweep CSV has %d rows (%v), want header + 44", len(rows), err)
	}
	if _, err := os.Stat(filepath.Join(dir, "overlay-sweep-drop-plain.png")); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code = runEnigma(t, nil, "sim", "overlay", "--attack", "nuke"); code != 1 || !strings.Contains(errOut, "drop, poison or eclipse") {
		t.Fatalf("bad attack: exit %d, %s", code, errOut)
	}
}
