package simulation

import (
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/enigma-mpc/enigma/consensus"
)

var long = flag.Bool("long", false, "run the full seed counts (2000 per cluster size)")

func seedCount(short, full int) int {
	if *long {
		return full
	}
	return short
}

func TestSameSeedSameTrace(t *testing.T) {
	for _, scenario := range []string{"swarm", "crash", "twins"} {
		a, err := Run(Options{Seed: 42, Scenario: scenario})
		if err != nil {
			t.Fatal(err)
		}
		b, err := Run(Options{Seed: 42, Scenario: scenario})
		if err != nil {
			t.Fatal(err)
		}
		if a.TraceHash != b.TraceHash || a.Events != b.Events || a.Batches != b.Batches || a.VirtualMs != b.VirtualMs {
			t.Fatalf("%s: two runs of seed 42 differ:\n%+v\n%+v", scenario, a, b)
		}
		c, err := Run(Options{Seed: 43, Scenario: scenario})
		if err != nil {
			t.Fatal(err)
		}
		if c.TraceHash == a.TraceHash {
			t.Fatalf("%s: seeds 42 and 43 produced the same trace; the seed is not reaching the run", scenario)
		}
	}
}

func TestSharedVerificationDoesNotChangeTheRun(t *testing.T) {
	a, err := Run(Options{Seed: 7, Scenario: "forge"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(Options{Seed: 7, Scenario: "forge", NoSharedVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	if a.TraceHash != b.TraceHash {
		t.Fatal("memoised signature checks changed the run")
	}
}

func runClean(t *testing.T, n, seeds int) {
	t.Helper()
	sum, err := RunSeeds(t.Context(), Options{Replicas: n, Faulty: (n - 1) / 3, Scenario: "all"}, 0, seeds, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sum.Failures {
		t.Errorf("seed %d (%s): %v", f.Seed, f.Plan, f.Violations)
	}
	if sum.Committed != sum.Requests || sum.Runs != seeds {
		t.Errorf("%d runs, %d of %d requests committed", sum.Runs, sum.Committed, sum.Requests)
	}
	if sum.ViewChanges == 0 || sum.Transfers == 0 {
		t.Errorf("the scenarios exercised no view change (%d) or state transfer (%d)", sum.ViewChanges, sum.Transfers)
	}
}

func TestAllScenariosFourReplicas(t *testing.T)  { runClean(t, 4, seedCount(200, 2000)) }
func TestAllScenariosSevenReplicas(t *testing.T) { runClean(t, 7, seedCount(60, 2000)) }

// TestBugsAreCaught proves the checkers can fail: each broken protocol
// variant must produce a violation within 500 seeds of its trial.
func TestBugsAreCaught(t *testing.T) {
	covered := map[consensus.Bug]bool{}
	for _, trial := range BugTrials() {
		covered[trial.Bug] = true
		t.Run(fmt.Sprintf("%s/n=%d/%s", trial.Bug, trial.Replicas, trial.Scenario), func(t *testing.T) {
			for seed := uint64(0); seed < 500; seed++ {
				res, err := Run(Options{Seed: seed, Bug: trial.Bug, Replicas: trial.Replicas, Faulty: (trial.Replicas - 1) / 3, Scenario: trial.Scenario})
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Violations) > 0 {
					t.Logf("caught at seed %d: %s", seed, res.Violations[0])
					return
				}
			}
			t.Errorf("no violation in 500 seeds")
		})
	}
	for _, b := range consensus.Bugs() {
		if !covered[b] {
			t.Errorf("%s has no trial in BugTrials", b)
		}
	}
}

// TestLivenessCheckerCatchesTooManyFaults runs n=4 with two silent replicas
// (more than f): nothing can commit, and the liveness checker must say so.
func TestLivenessCheckerCatchesTooManyFaults(t *testing.T) {
	p := &plan{name: "too-many-silent", delayLo: 1, delayHi: 10, clients: 1, requests: 1,
		byz: map[consensus.ReplicaID]Behaviour{1: Silent, 2: Silent}}
	res, err := runPlan(Options{Seed: 1, Replicas: 4}, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Violations) != 1 || res.Violations[0].Kind != "liveness" {
		t.Fatalf("want one liveness violation, got %v", res.Violations)
	}
}

func TestRunRefusesBadOptions(t *testing.T) {
	for _, o := range []Options{{Replicas: 3}, {Replicas: 4, Faulty: 2}, {Scenario: "nope"}} {
		if _, err := Run(o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
}

// TestCrashRestartWithPebble runs the crash scenarios with the real Pebble
// log on a crashable filesystem: restarted replicas keep their promises and
// their state.
func TestCrashRestartWithPebble(t *testing.T) {
	crashes := 0
	for seed := uint64(0); seed < uint64(seedCount(12, 100)); seed++ {
		res, err := Run(Options{Seed: seed, Scenario: "crash", Pebble: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Violations) > 0 {
			t.Errorf("seed %d (%s): %v", seed, res.Plan, res.Violations)
		}
		if res.Completed != res.Requests {
			t.Errorf("seed %d: %d of %d requests committed", seed, res.Completed, res.Requests)
		}
		crashes += res.Restarts
	}
	if crashes == 0 {
		t.Fatal("no replica crashed and restarted")
	}
}

// TestRunsFoundWithUnsyncedWrites replays the runs that found what a log
// whose writes are not all synced must handle: a genesis primary whose
// first pre-prepare's write was lost restarts, not starts fresh (it must
// sit out view 0: seed 501 failed as an equivocation), and a validator
// that joined an epoch and lost the state it installed fetches it again
// (seeds 1038 and 8830 failed liveness).
func TestRunsFoundWithUnsyncedWrites(t *testing.T) {
	for _, o := range []Options{
		{Seed: 501, Faulty: 1, Scenario: "crash", Pebble: true},
		{Seed: 1038, Faulty: 1},
		{Seed: 8830, Faulty: 1},
	} {
		res, err := Run(o)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Violations) > 0 || res.Restarts == 0 {
			t.Errorf("seed %d (%s): %d restarts, violations %v", o.Seed, res.Plan, res.Restarts, res.Violations)
		}
	}
}

// countingApp is a different application plugged into the simulator: it
// counts requests per client and rejects payloads that are not "ok".
type countingApp struct{ counts map[consensus.ClientID]uint64 }

func (a *countingApp) Apply(seq uint64, _ []byte, reqs []consensus.Request) ([][]byte, consensus.Digest) {
	for _, r := range reqs {
		a.counts[r.Client]++
	}
	return make([][]byte, len(reqs)), a.digest()
}

func (a *countingApp) digest() consensus.Digest { return sha256.Sum256(a.Snapshot()) }

func (a *countingApp) Snapshot() []byte {
	var out []byte
	for _, id := range slices.Sorted(maps.Keys(a.counts)) {
		out = fmt.Appendf(out, "%s=%d;", id, a.counts[id])
	}
	return out
}

func (a *countingApp) Restore(snap []byte, d consensus.Digest) error {
	if sha256.Sum256(snap) != d {
		return errors.New("snapshot does not match")
	}
	a.counts = map[consensus.ClientID]uint64{}
	for _, kv := range strings.Split(strings.TrimSuffix(string(snap), ";"), ";") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			n, _ := strconv.ParseUint(v, 10, 64)
			a.counts[consensus.ClientID(k)] = n
		}
	}
	return nil
}

func (a *countingApp) VerifyRequest(r *consensus.Request) error {
	if string(r.Payload) != "ok" {
		return errors.New("payload is not ok")
	}
	return nil
}
func (a *countingApp) BatchContext(uint64, []consensus.Request) []byte { return nil }
func (a *countingApp) VerifyBatch(uint64, *consensus.Batch) error      { return nil }

func TestPluggableApplication(t *testing.T) {
	opts := Options{
		NewApp: func(consensus.ReplicaID) (consensus.Application, consensus.Verifier) {
			a := &countingApp{counts: map[consensus.ClientID]uint64{}}
			return a, a
		},
		NewPayload: func(consensus.ClientID, uint64) []byte { return []byte("ok") },
	}
	for seed := uint64(0); seed < uint64(len(Scenarios)); seed++ {
		opts.Seed = seed
		res, err := Run(opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Violations) > 0 || res.Completed != res.Requests || res.Requests == 0 {
			t.Fatalf("seed %d (%s): %d/%d, %v", seed, res.Plan, res.Completed, res.Requests, res.Violations)
		}
	}
}
