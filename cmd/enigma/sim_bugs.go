package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/simulation"
)

var (
	bugsSeedsFlag   = &cli.IntFlag{Name: "seeds", Usage: "seeds per broken variant (0 … seeds-1)", Value: 500, EnvVars: envName("seeds")}
	bugsWorkersFlag = &cli.IntFlag{Name: "workers", Usage: "seeds run in parallel (default: the number of CPUs)", EnvVars: envName("workers")}
)

var simBugsCommand = &cli.Command{
	Name:  "bugs",
	Usage: "run every deliberately broken PBFT variant and print the table of how the checkers catch it",
	Description: "Runs each broken protocol variant (--bug of `enigma sim consensus`) over seeds 0 … seeds-1\n" +
		"in the cluster size and scenario where it must show, and prints a Markdown table: failing\n" +
		"seeds, the first one, violations by kind and the wall time. docs/bench/consensus.md holds\n" +
		"its latest output. Exits with status 1 if a variant goes uncaught.",
	Flags:  []cli.Flag{bugsSeedsFlag, bugsWorkersFlag, pbftConfigFlag},
	Action: simBugs,
}

func simBugs(ctx *cli.Context) error {
	seeds := ctx.Int(bugsSeedsFlag.Name)
	if seeds < 1 {
		return fmt.Errorf("--seeds %d: run at least one seed", seeds)
	}
	workers := ctx.Int(bugsWorkersFlag.Name)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := ctx.App.Writer
	fmt.Fprintf(out, "Seeds 0–%d per variant, config %s:\n\n%s\n", seeds-1, ctx.String(pbftConfigFlag.Name), simulation.MarkdownHeader)
	missed := 0
	for _, trial := range simulation.BugTrials() {
		fmt.Fprintf(os.Stderr, "  %s at n=%d (%s)…\n", trial.Bug, trial.Replicas, trial.Scenario)
		rep, err := simulation.RunBugTrial(ctx.Context, trial, ctx.String(pbftConfigFlag.Name), seeds, workers)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, rep.MarkdownRow())
		if rep.Failing == 0 {
			missed++
		}
	}
	if missed > 0 {
		return cli.Exit(fmt.Sprintf("%d broken variants went uncaught", missed), 1)
	}
	return nil
}
