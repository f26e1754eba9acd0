package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/consensus/quorum"
	"github.com/enigma-mpc/enigma/simulation"
)

var (
	pbftSeedsFlag    = &cli.IntFlag{Name: "seeds", Usage: "number of seeds to run (seed, seed+1, …)", Value: 1, EnvVars: envName("seeds")}
	pbftSeedFlag     = &cli.Uint64Flag{Name: "seed", Usage: "the (first) seed; one seed reproduces one run bit for bit", EnvVars: envName("seed")}
	pbftReplicasFlag = &cli.IntFlag{Name: "replicas", Usage: "replicas n (n ≥ 4; f = (n-1)/3)", Value: 4, EnvVars: envName("replicas")}
	pbftFaultyFlag   = &cli.IntFlag{Name: "byzantine", Usage: "Byzantine replicas the scenarios may use, at most f", Value: -1, DefaultText: "f", EnvVars: envName("byzantine")}
	pbftScenarioFlag = &cli.StringFlag{Name: "scenario", Usage: "scenario: " + strings.Join(simulation.Scenarios, ", ") + ", or all (rotates by seed)", Value: "all", EnvVars: envName("scenario")}
	pbftBugFlag      = &cli.StringFlag{Name: "bug", Usage: "run a deliberately broken protocol variant to test the checkers: " + bugNames(), EnvVars: envName("bug")}
	pbftJSONFlag     = &cli.BoolFlag{Name: "json", Usage: "print the summary as JSON", EnvVars: envName("json")}
	pbftWorkersFlag  = &cli.IntFlag{Name: "workers", Usage: "seeds run in parallel (default: the number of CPUs)", EnvVars: envName("workers")}
	pbftTraceFlag    = &cli.BoolFlag{Name: "trace", Usage: "with a single seed, print every event to stderr", EnvVars: envName("trace")}
	pbftConfigFlag   = &cli.StringFlag{Name: "config", Usage: "engine settings: small (short intervals, so checkpoints and view changes happen in short runs) or node (the validator node's own, with more traffic per run)", Value: simulation.ConfigSmall, EnvVars: envName("config")}
	pbftPebbleFlag   = &cli.BoolFlag{Name: "pebble", Usage: "keep the replicas' write-ahead logs in Pebble on a crashable in-memory filesystem", EnvVars: envName("pebble")}
)

func bugNames() string {
	var names []string
	for _, b := range consensus.Bugs() {
		names = append(names, b.String())
	}
	return strings.Join(names, ", ")
}

var simConsensusCommand = &cli.Command{
	Name:  "consensus",
	Usage: "run the PBFT engine under seeded faults and check agreement, integrity, validity, state and liveness",
	Description: "Runs the real consensus core for n replicas and a few clients in a simulated network with\n" +
		"delays, loss, duplication, reordering, partitions, crashes and Byzantine replicas, all drawn\n" +
		"from the seed. Prints a summary and, for each failing seed, the command that replays it.\n" +
		"Exits with status 1 if any invariant is violated.",
	Flags:  []cli.Flag{pbftSeedsFlag, pbftSeedFlag, pbftReplicasFlag, pbftFaultyFlag, pbftScenarioFlag, pbftBugFlag, pbftJSONFlag, pbftWorkersFlag, pbftTraceFlag, pbftPebbleFlag, pbftConfigFlag},
	Action: simConsensus,
}

func simConsensus(ctx *cli.Context) error {
	n := ctx.Int(pbftReplicasFlag.Name)
	if n < 4 {
		return fmt.Errorf("--replicas %d: PBFT needs at least 4 replicas", n)
	}
	faulty := ctx.Int(pbftFaultyFlag.Name)
	if faulty < 0 {
		faulty = quorum.Faulty(n)
	}
	if faulty > quorum.Faulty(n) {
		return fmt.Errorf("--byzantine %d: %d replicas tolerate at most %d; lower it or add replicas", faulty, n, quorum.Faulty(n))
	}
	bug, err := consensus.ParseBug(ctx.String(pbftBugFlag.Name))
	if err != nil {
		return err
	}
	scenario := ctx.String(pbftScenarioFlag.Name)
	base := simulation.Options{Replicas: n, Faulty: faulty, Scenario: scenario, Bug: bug, Pebble: ctx.Bool(pbftPebbleFlag.Name), Config: ctx.String(pbftConfigFlag.Name)}
	count := ctx.Int(pbftSeedsFlag.Name)
	if count < 1 {
		return fmt.Errorf("--seeds %d: run at least one seed", count)
	}
	first := ctx.Uint64(pbftSeedFlag.Name)
	if ctx.Bool(pbftTraceFlag.Name) {
		if count != 1 {
			return fmt.Errorf("--trace needs a single seed: drop --seeds")
		}
		base.Seed, base.Trace = first, os.Stderr
		res, err := simulation.Run(base)
		if err != nil {
			return err
		}
		sum := &simulation.Summary{}
		sum.Add(res)
		return reportConsensus(ctx, base, sum, 0)
	}
	workers := ctx.Int(pbftWorkersFlag.Name)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	start := time.Now()
	lastReport := start
	progress := func(done int, r *simulation.Result) {
		if count < 50 || ctx.Bool(pbftJSONFlag.Name) {
			return
		}
		if time.Since(lastReport) >= 2*time.Second || done == count {
			lastReport = time.Now()
			fmt.Fprintf(os.Stderr, "  %d/%d seeds, %s\n", done, count, time.Since(start).Round(100*time.Millisecond))
		}
		if len(r.Violations) > 0 {
			fmt.Fprintf(os.Stderr, "  seed %d: %s\n", r.Seed, r.Violations[0])
		}
	}
	sum, err := simulation.RunSeeds(ctx.Context, base, first, count, workers, progress)
	if err != nil {
		return err
	}
	return reportConsensus(ctx, base, sum, time.Since(start))
}

func replayCommand(base simulation.Options, seed uint64) string {
	cmd := fmt.Sprintf("enigma sim consensus --seed %d --replicas %d --byzantine %d --scenario %s", seed, base.Replicas, base.Faulty, base.Scenario)
	if base.Bug != consensus.BugNone {
		cmd += " --bug " + base.Bug.String()
	}
	if base.Pebble {
		cmd += " --pebble"
	}
	if base.Config != "" && base.Config != simulation.ConfigSmall {
		cmd += " --config " + base.Config
	}
	return cmd + " --trace"
}

func reportConsensus(ctx *cli.Context, base simulation.Options, sum *simulation.Summary, took time.Duration) error {
	out := ctx.App.Writer
	if ctx.Bool(pbftJSONFlag.Name) {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sum); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(out, "runs: %d (n=%d, byzantine ≤ %d, scenario %s, config %s", sum.Runs, base.Replicas, base.Faulty, base.Scenario, cmp.Or(base.Config, simulation.ConfigSmall))
		if base.Bug != consensus.BugNone {
			fmt.Fprintf(out, ", bug %s", base.Bug)
		}
		fmt.Fprintln(out, ")")
		fmt.Fprintf(out, "committed requests: %d of %d submitted\n", sum.Committed, sum.Requests)
		fmt.Fprintf(out, "batches: %d\nview changes: %d\nstate transfers: %d\ncrash restarts: %d\nduplicate requests skipped: %d\n", sum.Batches, sum.ViewChanges, sum.Transfers, sum.Restarts, sum.Duplicates)
		if took > 0 {
			fmt.Fprintf(out, "time: %s\n", took.Round(10*time.Millisecond))
		}
		fmt.Fprintf(out, "violations: %d\n", sum.Violations)
		for _, f := range sum.Failures {
			fmt.Fprintf(out, "seed %d (%s):\n", f.Seed, f.Plan)
			for _, v := range f.Violations {
				fmt.Fprintf(out, "  %s\n", v)
			}
			fmt.Fprintf(out, "  replay: %s\n", replayCommand(base, f.Seed))
		}
	}
	if sum.Violations > 0 {
		return cli.Exit(fmt.Sprintf("%d invariant violations in %d of %d runs", sum.Violations, len(sum.Failures), sum.Runs), 1)
	}
	return nil
}
