package main

import (
	"encoding/json"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/enigma-mpc/enigma/node"
)

// The consensus benchmark starts its validators as processes of this
// program, each on its share of the machine's cores, commits requests
// through them and stops them again.
func TestBenchConsensusRunsValidatorProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts four validator processes")
	}
	out, errOut, code := runEnigma(t, []string{"TMPDIR=" + t.TempDir()}, "bench", "consensus", "--clients", "16", "--batch", "8", "--duration", "1s")
	if code != 0 {
		t.Fatalf("bench consensus: exit %d: %s", code, errOut)
	}
	m := regexp.MustCompile(`replicas 4 \(as processes, GOMAXPROCS (\d+) each\), clients 16, batch ≤ 8: (\d+) committed`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("unexpected report %q", out)
	}
	if procs, _ := strconv.Atoi(m[1]); procs != max(1, runtime.NumCPU()/4) {
		t.Errorf("validators ran Go code on %d threads each; want this machine's %d cores shared among the 4", procs, runtime.NumCPU())
	}
	if n, _ := strconv.Atoi(m[2]); n == 0 {
		t.Fatalf("no request committed: %q", out)
	}
}

// With a CPU-bound neighbour and --json, the report carries the validators'
// CPU apart from the clients', the average batch and the work per op, and
// the GOMAXPROCS --validator-procs gave the validators.
func TestBenchConsensusReportsWorkPerOpAsJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("starts four validator processes and a neighbour")
	}
	rep := benchConsensusJSON(t, "--clients", "8", "--duration", "1s", "--contend", "1", "--validator-procs", "3")
	if rep.Committed == 0 || !rep.Separate || rep.Contend != 1 || rep.ValidatorCPUSeconds <= 0 || rep.AvgBatch < 1 ||
		rep.MessagesPerOp <= 0 || rep.LogWritesPerOp <= 0 || rep.VerificationsPerOp <= 0 || rep.ValidatorProcs != 3 {
		t.Fatalf("implausible report: %+v", rep)
	}
}

// With --rate the clients send no faster than asked: at most rate × the
// run's seconds, plus each client's first request, however fast the
// validators answer.
func TestBenchConsensusPacesClients(t *testing.T) {
	if testing.Short() {
		t.Skip("starts four validator processes")
	}
	rep := benchConsensusJSON(t, "--clients", "2", "--rate", "40", "--duration", "1s")
	if rep.Rate != 40 || rep.Committed == 0 || float64(rep.Committed) > 40*rep.Seconds+2 {
		t.Fatalf("paced to 40/s for %.2f s, %d committed: %+v", rep.Seconds, rep.Committed, rep)
	}
}

func TestBenchConsensusRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--rate", "-1"},
		{"--rate", "NaN"},
		{"--rate", "5", "--clients", "0"},
		{"--validator-procs", "-1"},
		{"--validator-procs", "1", "--in-process"},
	} {
		_, errOut, code := runEnigma(t, nil, append([]string{"bench", "consensus"}, args...)...)
		if code == 0 || !strings.Contains(errOut, args[0]) {
			t.Errorf("bench consensus %v: exit %d, %q; want a refusal naming %s", args, code, errOut, args[0])
		}
	}
}

// benchConsensusJSON runs `enigma bench consensus args… --json` and decodes
// its report.
func benchConsensusJSON(t *testing.T, args ...string) node.ConsensusBenchReport {
	t.Helper()
	out, errOut, code := runEnigma(t, []string{"TMPDIR=" + t.TempDir()}, append(append([]string{"bench", "consensus"}, args...), "--json")...)
	if code != 0 {
		t.Fatalf("bench consensus: exit %d: %s", code, errOut)
	}
	var rep node.ConsensusBenchReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report %q: %v", out, err)
	}
	return rep
}
