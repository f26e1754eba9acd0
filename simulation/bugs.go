package simulation

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/enigma-mpc/enigma/consensus"
)

// BugTrial is where a deliberately broken protocol variant must show: the
// cluster size and the scenario whose faults make it matter. Each must be
// caught within 500 seeds (TestBugsAreCaught, `enigma sim bugs`).
type BugTrial struct {
	Bug      consensus.Bug
	Replicas int
	Scenario string
	// Why says what the variant breaks and why the trial can catch it.
	Why string
}

// BugTrials lists a trial for every variant of consensus.Bugs.
func BugTrials() []BugTrial {
	return []BugTrial{
		{consensus.BugWeakPrepareQuorum, 4, "all", "prepared with f prepares: an equivocating primary and a view change give two batches one sequence number"},
		{consensus.BugSkipViewChangeProof, 4, "all", "the new view drops prepared certificates: a committed batch is replaced"},
		{consensus.BugClassicQuorum, 5, "all", "quorums of 2f+1 at n = 5 meet in the faulty replica alone"},
		{consensus.BugClassicQuorum, 8, "equivocate", "quorums of 2f+1 at n = 8 meet in the two faulty replicas, which back their equivocating primary"},
		{consensus.BugPerBatchTimer, 4, "censor", "a primary that keeps committing an accomplice's requests holds the victims' back for ever"},
		{consensus.BugWeakCheckpointProof, 4, "stale-state", "a state-transfer proof signed by the faulty replica alone installs a forged state"},
		{consensus.BugEarlyEpoch, 4, "reconfig", "the new set orders sequence numbers the old set may still order"},
		{consensus.BugNoSitOut, 4, "crash", "a restarted replica signs again in the view its lost, unsynced writes signed in"},
		{consensus.BugUnsyncedCommit, 4, "crash", "a crash loses the prepared certificate behind a commit the replica sent"},
		{consensus.BugOverQuiet, 4, "normal", "an idle primary promises quiet ticks and sends a heartbeat in one of them"},
	}
}

// BugReport is the outcome of one trial over a range of seeds.
type BugReport struct {
	Trial   BugTrial
	Config  string
	Runs    int
	Failing int            // seeds with at least one violation
	First   int64          // the first failing seed (-1: none)
	ByKind  map[string]int // violations by kind
	Wall    time.Duration
}

// RunBugTrial runs the trial's broken variant over seeds 0…seeds-1.
func RunBugTrial(ctx context.Context, t BugTrial, config string, seeds, workers int) (*BugReport, error) {
	start := time.Now()
	base := Options{Replicas: t.Replicas, Faulty: (t.Replicas - 1) / 3, Scenario: t.Scenario, Bug: t.Bug, Config: config}
	sum, err := RunSeeds(ctx, base, 0, seeds, workers, nil)
	if err != nil {
		return nil, err
	}
	rep := &BugReport{Trial: t, Config: config, Runs: sum.Runs, Failing: len(sum.Failures), First: -1, ByKind: map[string]int{}, Wall: time.Since(start)}
	for _, f := range sum.Failures {
		if rep.First < 0 || int64(f.Seed) < rep.First {
			rep.First = int64(f.Seed)
		}
		for _, v := range f.Violations {
			rep.ByKind[v.Kind]++
		}
	}
	return rep, nil
}

// MarkdownRow formats the report as a row of the detection table.
func (r *BugReport) MarkdownRow() string {
	first := "—"
	if r.First >= 0 {
		first = fmt.Sprint(r.First)
	}
	var kinds []string
	for _, k := range slices.Sorted(maps.Keys(r.ByKind)) {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, r.ByKind[k]))
	}
	return fmt.Sprintf("| `%s` | %d | %s | %d / %d | %s | %s | %.1f s |", r.Trial.Bug, r.Trial.Replicas, r.Trial.Scenario, r.Failing, r.Runs, first, strings.Join(kinds, ", "), r.Wall.Seconds())
}

// MarkdownHeader is the detection table's header.
const MarkdownHeader = "| `--bug` | n | scenario | failing seeds | first | violations by kind | wall |\n|---|---|---|---|---|---|---|"
