package lint

import (
	"path/filepath"
	"strings"
	"testing"
)

// wallClockAllowed lists, for each shell that takes a clock.Clock, the
// functions that may still read the wall clock, and why. Everything else in
// these packages reads time through its Clock (node.Options.Clock and what
// node hands its parts), so a simulated clock drives it. Deadlines of real
// I/O (context.WithTimeout around an RPC, a QUIC call, a Postgres query)
// are not clock reads in this sense and are not checked: they bound real
// round trips and must fire even when nobody advances a simulated clock.
var wallClockAllowed = map[string]map[string]string{
	"node": {
		"bench.go:RunConsensusBench": "the consensus benchmark's latencies and throughput are figures of real " +
			"round trips, fsyncs and CPU, set beside procstat's CPU time; its replicas run on the system clock",
		"bench.go:pacer.wait": "the consensus benchmark's paced clients send at a rate of real time, the time its " +
			"figures are measured in",
	},
	"worker":          nil,
	"worker/script":   nil,
	"chain":           nil,
	"chain/chainview": nil,
	"query/access":    nil,
	"overlay": {
		"bench.go:RunBench": "the overlay benchmark's join time is a figure of real QUIC dials and lookups",
		"bench.go:measure":  "the overlay benchmark's per-operation latencies are figures of real round trips",
	},
}

func TestShellsReadTimeOnlyThroughTheirClock(t *testing.T) {
	for pkg, allowed := range wallClockAllowed {
		violations, err := CheckWallClock(filepath.Join(moduleRoot(), pkg), allowed)
		if err != nil {
			t.Errorf("%s: %v", pkg, err)
			continue
		}
		for _, v := range violations {
			t.Errorf("%s: %v", pkg, v)
		}
	}
}

// TestWallClockCheckCatchesFixture proves the check can fail: the fixture
// reads the clock under an alias as a call, as a function value, in a
// method and at package level, and through a dot import; an allowance
// without a reason and one that matches nothing are findings too, and the
// allowed function's reads (closures included) and time's pure functions
// are not.
func TestWallClockCheckCatchesFixture(t *testing.T) {
	violations, err := CheckWallClock(filepath.Join("testdata", "wallclock"), map[string]string{
		"wallclock.go:Measure": "a fixture's reason",
		"wallclock.go:Lazy":    " ",
		"wallclock.go:Gone":    "a function that no longer exists",
	})
	if err != nil {
		t.Fatal(err)
	}
	var text []string
	for _, v := range violations {
		text = append(text, v.String())
	}
	joined := strings.Join(text, "\n")
	want := []string{
		"uses time.After in (package)",
		"uses time.Now in Direct",
		"uses time.Since in Value",
		"uses time.Sleep in T.Wait",
		`dot-imports "time"`,
		"allowance wallclock.go:Lazy gives no reason",
		"allowance wallclock.go:Gone matches no use",
	}
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("the check missed %q; it reported:\n%s", w, joined)
		}
	}
	for _, never := range []string{"Measure", "Pure", "time.Unix", "time.Duration"} {
		if strings.Contains(joined, "in "+never) || strings.Contains(joined, "uses "+never) {
			t.Errorf("the check reported %s, which reads no clock or is allowed:\n%s", never, joined)
		}
	}
	if len(violations) != len(want) {
		t.Errorf("got %d findings, want %d:\n%s", len(violations), len(want), joined)
	}
}

func TestWallClockCheckRefusesEmptyPackage(t *testing.T) {
	if _, err := CheckWallClock(filepath.Join("testdata", "missing"), nil); err == nil {
		t.Fatal("a missing package directory passed silently")
	}
}
