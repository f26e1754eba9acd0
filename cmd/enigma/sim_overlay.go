package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/simulation/kadsim"
)

var (
	simNodesFlag       = &cli.IntFlag{Name: "nodes", Usage: "number of overlay nodes N", Value: 10_000}
	simAdversarialFlag = &cli.Float64Flag{Name: "adversarial", Usage: "fraction of adversarial nodes, 0 ≤ P < 1", Value: 0.2}
	simPathsFlag       = &cli.IntFlag{Name: "paths", Usage: "disjoint lookup paths d", Value: 8}
	simAlphaFlag       = &cli.IntFlag{Name: "alpha", Usage: "parallel requests per path α", Value: 1}
	simBucketFlag      = &cli.IntFlag{Name: "bucket", Usage: "bucket size k", Value: 16}
	simSiblingsFlag    = &cli.IntFlag{Name: "siblings", Usage: "replication factor s (the sibling list holds 5·s)", Value: 16}
	simLookupsFlag     = &cli.IntFlag{Name: "lookups", Usage: "lookups per run", Value: 1000}
	simAttackFlag      = &cli.StringFlag{Name: "attack", Usage: "what adversarial nodes do: drop, poison or eclipse", Value: "poison"}
	simSeedFlag        = &cli.Uint64Flag{Name: "seed", Usage: "random seed; one seed gives one result", Value: 1}
	simJSONFlag        = &cli.BoolFlag{Name: "json", Usage: "print the result as JSON"}
	simOutFlag         = &cli.PathFlag{Name: "out", Usage: "directory for the CSV and PNG", Required: true}
	simPlainFlag       = &cli.BoolFlag{Name: "plain-tables", Usage: "ablation: routing tables without the S/Kademlia contact rules (accept every requester, newest contact wins, no subnet limits)"}
)

var simOverlayCommand = &cli.Command{
	Name:  "overlay",
	Usage: "simulate S/Kademlia lookups with adversarial nodes on the real routing core",
	Description: "Runs LOOKUPS FIND_VALUE lookups on a simulated network of NODES nodes, a fraction of\n" +
		"them adversarial, and prints the lookup success rate, mean and p99 hops and messages\n" +
		"per lookup. 'sweep' reproduces the S/Kademlia paper's experiment.",
	Flags: []cli.Flag{simNodesFlag, simAdversarialFlag, simPathsFlag, simAlphaFlag, simBucketFlag, simSiblingsFlag,
		simLookupsFlag, simAttackFlag, simSeedFlag, simJSONFlag, simPlainFlag},
	Action: simOverlay,
	Subcommands: []*cli.Command{{
		Name:   "sweep",
		Usage:  "the paper's sweep: N=10,000, k=s=16, α=1, d∈{1,2,4,8}, 0–50% adversarial; writes CSV and PNG",
		Flags:  []cli.Flag{simOutFlag, simNodesFlag, simLookupsFlag, simAttackFlag, simSeedFlag, simPlainFlag},
		Action: simOverlaySweep,
	}},
}

func simConfig(ctx *cli.Context) (kadsim.Config, error) {
	attack, err := kadsim.ParseAttack(ctx.String(simAttackFlag.Name))
	if err != nil {
		return kadsim.Config{}, err
	}
	cfg := kadsim.Config{
		Nodes: ctx.Int(simNodesFlag.Name), Adversarial: ctx.Float64(simAdversarialFlag.Name), Paths: ctx.Int(simPathsFlag.Name),
		Alpha: ctx.Int(simAlphaFlag.Name), Bucket: ctx.Int(simBucketFlag.Name), Siblings: ctx.Int(simSiblingsFlag.Name),
		Lookups: ctx.Int(simLookupsFlag.Name), Attack: attack, Seed: ctx.Uint64(simSeedFlag.Name),
		PlainTables: ctx.Bool(simPlainFlag.Name),
	}
	return cfg, cfg.Validate()
}

func simOverlay(ctx *cli.Context) error {
	if ctx.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: did you mean 'enigma sim overlay sweep'?", ctx.Args().First())
	}
	cfg, err := simConfig(ctx)
	if err != nil {
		return err
	}
	r, err := kadsim.Simulate(cfg)
	if err != nil {
		return err
	}
	if ctx.Bool(simJSONFlag.Name) {
		enc := json.NewEncoder(ctx.App.Writer)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	tables := "S/Kademlia"
	if r.PlainTables {
		tables = "plain (ablation)"
	}
	fmt.Fprintf(ctx.App.Writer, "N=%d adversarial=%.0f%% attack=%s d=%d α=%d k=%d s=%d lookups=%d seed=%d tables=%s\n",
		r.Nodes, 100*r.Adversarial, r.Attack, r.Paths, r.Alpha, r.Bucket, r.Siblings, r.Lookups, r.Seed, tables)
	fmt.Fprintf(ctx.App.Writer, "success:             %.2f%% (%d/%d)\n", 100*r.Success, r.Succeeded, r.Lookups)
	fmt.Fprintf(ctx.App.Writer, "hops:                mean %.2f, p99 %.0f\n", r.MeanHops, r.P99Hops)
	fmt.Fprintf(ctx.App.Writer, "messages per lookup: %.1f\n", r.MessagesPerLookup)
	fmt.Fprintf(ctx.App.Writer, "adversarial share of honest routing tables: %.1f%%\n", 100*r.AdversarialContacts)
	return nil
}

func simOverlaySweep(ctx *cli.Context) error {
	attack, err := kadsim.ParseAttack(ctx.String(simAttackFlag.Name))
	if err != nil {
		return err
	}
	sc := kadsim.PaperSweep(ctx.Int(simLookupsFlag.Name), attack, ctx.Uint64(simSeedFlag.Name))
	sc.Base.Nodes = ctx.Int(simNodesFlag.Name)
	sc.Base.PlainTables = ctx.Bool(simPlainFlag.Name)
	if err := sc.Base.Validate(); err != nil {
		return err
	}
	dir := ctx.Path(simOutFlag.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	start := time.Now()
	results, err := kadsim.Sweep(sc, func(done, total int, r kadsim.Result) {
		fmt.Fprintf(ctx.App.ErrWriter, "[%2d/%d %5.1fs] adversarial %2.0f%%  d=%d  success %6.2f%%  hops %.2f  msgs %.1f\n",
			done, total, time.Since(start).Seconds(), 100*r.Adversarial, r.Paths, 100*r.Success, r.MeanHops, r.MessagesPerLookup)
	})
	if err != nil {
		return err
	}
	base := filepath.Join(dir, "overlay-sweep-"+string(attack))
	if sc.Base.PlainTables {
		base += "-plain"
	}
	f, err := os.Create(base + ".csv")
	if err != nil {
		return fmt.Errorf("create CSV: %w", err)
	}
	if err := kadsim.WriteCSV(f, results); err != nil {
		f.Close()
		return fmt.Errorf("write %s.csv: %w", base, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s.csv: %w", base, err)
	}
	if err := kadsim.PlotPNG(results, base+".png"); err != nil {
		return err
	}
	holds := kadsim.Holds99(results)
	var ds []int
	for d := range holds {
		ds = append(ds, d)
	}
	slices.Sort(ds)
	var parts []string
	for _, d := range ds {
		if holds[d] < 0 {
			parts = append(parts, fmt.Sprintf("d=%d never", d))
		} else {
			parts = append(parts, fmt.Sprintf("d=%d up to %.0f%%", d, 100*holds[d]))
		}
	}
	fmt.Fprintf(ctx.App.Writer, "wrote %s.csv and %s.png in %.1fs\n99%% success holds: %s\n", base, base, time.Since(start).Seconds(), strings.Join(parts, ", "))
	return nil
}
