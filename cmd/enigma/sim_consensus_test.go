package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func TestSimConsensusCleanRunsExitZero(t *testing.T) {
	out, errOut, code := runEnigma(t, nil, "sim", "consensus", "--seeds", "12", "--workers", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, out, errOut)
	}
	for _, want := range []string{"runs: 12", "committed requests:", "view changes:", "violations: 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	out, _, code = runEnigma(t, nil, "sim", "consensus", "--seeds", "3", "--replicas", "7", "--json")
	var sum struct {
		Runs       int `json:"runs"`
		Violations int `json:"violations"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &sum) != nil || sum.Runs != 3 {
		t.Fatalf("--json: exit %d, output %q", code, out)
	}
}

func TestSimConsensusBugExitsOneWithReplayLine(t *testing.T) {
	out, _, code := runEnigma(t, nil, "sim", "consensus", "--seeds", "8", "--scenario", "crash", "--bug", "skip-viewchange-proof")
	if code != 1 {
		t.Fatalf("exit %d with a broken protocol, want 1:\n%s", code, out)
	}
	if !strings.Contains(out, "agreement") || !regexp.MustCompile(`replay: enigma sim consensus --seed \d+ --replicas 4 --byzantine 1 --scenario crash --bug skip-viewchange-proof --trace`).MatchString(out) {
		t.Fatalf("no violation or replay line:\n%s", out)
	}
}

func TestSimConsensusRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--replicas", "3"},
		{"--replicas", "4", "--byzantine", "2"},
		{"--bug", "nonsense"},
		{"--scenario", "nonsense"},
		{"--seeds", "2", "--trace"},
	} {
		_, errOut, code := runEnigma(t, nil, append([]string{"sim", "consensus"}, args...)...)
		if code == 0 || !strings.Contains(errOut, "error:") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
}
