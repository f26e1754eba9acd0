package simulation

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateTraces = flag.Bool("update-traces", false, "rewrite testdata/traces.golden from this build")

// goldenRuns are the runs whose trace hashes testdata/traces.golden records:
// every scenario at n = 4 (the rotation covers each several times), a
// sample at n = 7, and the node's own settings.
var goldenRuns = []struct {
	config   string
	replicas int
	seeds    uint64
}{
	{ConfigSmall, 4, 48},
	{ConfigSmall, 7, 16},
	{ConfigNode, 4, 16},
}

// TestTracesMatchGolden pins the simulator's runs for fixed seeds: a change
// to the engine, the driver or the simulator that is meant to keep every
// run as it was (a refactor) must leave each trace hash unchanged. A change
// that is meant to alter runs regenerates the file with
//
//	go test ./simulation -run TestTracesMatchGolden -update-traces
//
// and says why in its commit.
func TestTracesMatchGolden(t *testing.T) {
	path := filepath.Join("testdata", "traces.golden")
	var got strings.Builder
	for _, g := range goldenRuns {
		for seed := uint64(0); seed < g.seeds; seed++ {
			res, err := Run(Options{Seed: seed, Replicas: g.replicas, Config: g.config})
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&got, "%s n=%d seed=%d %s\n", g.config, g.replicas, seed, res.TraceHash)
		}
	}
	if *updateTraces {
		if err := os.WriteFile(path, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with -update-traces)", err)
	}
	wantLines := lines(string(want))
	gotLines := lines(got.String())
	if len(wantLines) != len(gotLines) {
		t.Fatalf("%d runs recorded, %d run now: regenerate with -update-traces if the set changed on purpose", len(wantLines), len(gotLines))
	}
	changed := 0
	for i := range wantLines {
		if wantLines[i] != gotLines[i] {
			changed++
			if changed <= 5 {
				t.Errorf("run changed:\n  was %s\n  now %s", wantLines[i], gotLines[i])
			}
		}
	}
	if changed > 0 {
		t.Errorf("%d of %d runs changed (replay one with enigma sim consensus --seed S --replicas N --config C --trace); if the change is meant, regenerate with -update-traces", changed, len(wantLines))
	}
}

func lines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}
