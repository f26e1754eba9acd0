package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// enigma bench overlay runs a small network and reports every phase, as
// text and as JSON; impossible settings are refused with what to change.
func TestBenchOverlay(t *testing.T) {
	args := []string{"bench", "overlay", "--nodes", "12", "--bucket", "4", "--siblings", "4", "--paths", "2", "--alpha", "2",
		"--lookups", "12", "--gets", "12", "--records", "4", "--warmup", "2"}
	for _, signed := range []bool{false, true} {
		runArgs := append([]string(nil), args...)
		if signed {
			runArgs = append(runArgs, "--sign-messages")
		}
		checkBenchOverlayJSON(t, signed, runArgs)
	}
	out, errOut, code := runEnigma(t, nil, args...)
	if code != 0 {
		t.Fatalf("bench overlay: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"12 nodes in one process", "load average", "find_node  cold", "find_value warm", "verif/op"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	if _, errOut, code = runEnigma(t, nil, "bench", "overlay", "--paths", "20"); code != 1 || !strings.Contains(errOut, "--paths 20: use at most k (16)") {
		t.Fatalf("d > k: exit %d, %s", code, errOut)
	}
}

// checkBenchOverlayJSON runs the benchmark with args and --json and checks its
// JSON report: every phase measured, and the signatures it took — with signed
// messages every answer the requester received carries a strong signature
// and the nodes that answered checked each request's; unsigned over TLS, a
// warm lookup checks fewer signatures than it receives answers.
func checkBenchOverlayJSON(t *testing.T, signed bool, args []string) {
	t.Helper()
	out, errOut, code := runEnigma(t, nil, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("bench overlay --json: exit %d: %s", code, errOut)
	}
	var rep struct {
		Nodes          int
		Paths          int
		PeersAfterJoin float64 `json:"peers_per_node_after_join"`
		Phases         []struct {
			Name                      string
			Warm                      bool
			Count, Failures           int
			P50ms                     float64 `json:"p50_ms"`
			P99ms                     float64 `json:"p99_ms"`
			MessagesPerOp             float64 `json:"messages_per_op"`
			VerificationsPerOp        float64 `json:"verifications_per_op"`
			ProcessVerificationsPerOp float64 `json:"process_verifications_per_op"`
			ContactHitRate            float64 `json:"contact_hit_rate"`
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json printed %q: %v", out, err)
	}
	if rep.Nodes != 12 || rep.Paths != 2 || rep.PeersAfterJoin <= 0 || len(rep.Phases) != 4 {
		t.Fatalf("report %+v", rep)
	}
	wantCount := map[string]int{"find_node cold": 5, "find_value cold": 6, "find_node warm": 12, "find_value warm": 12}
	for _, p := range rep.Phases {
		name := p.Name + " cold"
		if p.Warm {
			name = p.Name + " warm"
		}
		if p.Count != wantCount[name] || p.Failures != 0 || p.P50ms <= 0 || p.P99ms < p.P50ms || p.MessagesPerOp < 1 {
			t.Errorf("%s: %+v", name, p)
		}
		// The per-op figures are counts over the same ops: 25/6 + 24/6
		// exceeds 49/6 by one unit in the last place, so the sum is
		// compared with room for rounding (a real shortfall is a whole
		// count, 1/ops).
		const rounding = 1e-9
		switch {
		case signed && (p.VerificationsPerOp < p.MessagesPerOp || p.ProcessVerificationsPerOp < p.VerificationsPerOp+p.MessagesPerOp-rounding):
			t.Errorf("signed, %s: %.1f verifications on the requester, %.1f in the process, for %.1f messages", name, p.VerificationsPerOp, p.ProcessVerificationsPerOp, p.MessagesPerOp)
		case !signed && p.Warm && p.VerificationsPerOp >= p.MessagesPerOp:
			t.Errorf("unsigned over TLS, %s: %.1f verifications on the requester for %.1f messages", name, p.VerificationsPerOp, p.MessagesPerOp)
		}
		if p.Warm && p.ContactHitRate < 0.5 {
			t.Errorf("%s: only %.0f%% of contacts from the cache once warm", name, 100*p.ContactHitRate)
		}
	}
}
