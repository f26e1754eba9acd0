package main

import (
	"regexp"
	"strconv"
	"testing"
)

// The consensus benchmark starts its validators as processes of this
// program, commits requests through them and stops them again.
func TestBenchConsensusRunsValidatorProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts four validator processes")
	}
	out, errOut, code := runEnigma(t, []string{"TMPDIR=" + t.TempDir()}, "bench", "consensus", "--clients", "16", "--batch", "8", "--duration", "1s")
	if code != 0 {
		t.Fatalf("bench consensus: exit %d: %s", code, errOut)
	}
	m := regexp.MustCompile(`replicas 4 \(as processes\), clients 16, batch ≤ 8: (\d+) committed`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("unexpected report %q", out)
	}
	if n, _ := strconv.Atoi(m[1]); n == 0 {
		t.Fatalf("no request committed: %q", out)
	}
}
