package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/internal/testbed"
)

const catTestbed = "TESTBED"

var (
	testbedManifestFlag = &cli.PathFlag{Name: "manifest", Usage: "the testbed manifest (regions, links, nodes, perturbations; see docs/bench/testbed.md)", Required: true, Category: catTestbed}
	testbedClientsFlag  = &cli.IntFlag{Name: "clients", Usage: "concurrent clients, each with one request outstanding (1–4096)", Value: 16, Category: catTestbed}
	testbedBatchFlag    = &cli.IntFlag{Name: "batch", Usage: "most requests per PBFT batch", Value: 64, Category: catTestbed}
	testbedDurationFlag = &cli.DurationFlag{Name: "duration", Usage: "length of the measured run (1s–10m)", Value: 30 * time.Second, Category: catTestbed}
	testbedExamplesFlag = &cli.PathFlag{Name: "examples", Usage: "the example dataset the provider lists (schema.json, curate.star, curate-v2.star, market.csv)", Value: "examples/crypto-daily", Category: catTestbed}
	testbedScalesFlag   = &cli.StringFlag{Name: "rtt-scales", Usage: "a sweep instead of one run: the story once per factor (e.g. 0,0.5,1,2), every link's RTT and jitter multiplied by it, without perturbations", Category: catTestbed}
	testbedResultsFlag  = &cli.StringFlag{Name: "results", Usage: "with --rtt-scales: write <results>.csv and <results>.png (query latency per region against RTT)", Value: "testbed-story-rtt", Category: catTestbed}
	testbedJSONFlag     = &cli.BoolFlag{Name: "json", Usage: "print the result as JSON", Category: catTestbed}
)

// Bounds on the load one testbed run generates.
const (
	testbedMaxClients  = 4096
	testbedMaxDuration = 10 * time.Minute
)

var testbedCommand = &cli.Command{
	Name:  "testbed",
	Usage: "run enigma processes across emulated wide-area links (network namespaces; needs root on Linux)",
	Subcommands: []*cli.Command{{
		Name:  "consensus",
		Usage: "PBFT throughput and commit latency with validators placed in regions",
		Description: "Builds the testbed --manifest describes: one network namespace per node, each joined to this\n" +
			"process's link emulator by a TUN device, every packet between two nodes delayed by half its\n" +
			"regions' RTT plus jitter and dropped at their loss rate. Then runs `enigma bench consensus` in the\n" +
			"client node's namespace with one replica process in each validator node's namespace, cuts regions\n" +
			"off and heals them at the manifest's times (from the start of the measured run), and prints the\n" +
			"benchmark's report with a commit timeline per second. Everything it made (namespaces, links,\n" +
			"processes) is removed when it ends, fails or is interrupted; namespaces a killed run left behind\n" +
			"are removed by the next run.",
		Flags:  []cli.Flag{testbedManifestFlag, testbedClientsFlag, testbedBatchFlag, testbedDurationFlag, testbedJSONFlag},
		Action: testbedConsensus,
	}, {
		Name:  "story",
		Usage: "the whole marketplace across emulated links: chain, nodes and CLI clients placed in regions, checked like a Jepsen history",
		Description: "Builds the testbed --manifest describes and runs in it, each process in its node's namespace and\n" +
			"talking only across the emulated links: the embedded dev chain (role chain), `enigma node` processes\n" +
			"(validator, worker, persistence, plain) and CLI clients (role client: the first is the provider, the\n" +
			"others subscribers). The provider lists a dataset, every subscriber subscribes; then for --duration\n" +
			"the subscribers query in a loop while the provider certifies version 2 and lists more datasets, and\n" +
			"the manifest's perturbations are applied (timed from the start of that phase). After the heal, a\n" +
			"client in every region looks every acknowledged dataset up and the validators' ledgers are read.\n" +
			"The history is checked: every acknowledged registration and update is in every validator's ledger,\n" +
			"every record resolves from every region, and no client's query went back in version. Exits non-zero\n" +
			"on a violation. Everything it made is removed at the end, on failure and on interrupt.",
		Flags:  []cli.Flag{testbedManifestFlag, testbedDurationFlag, testbedExamplesFlag, testbedScalesFlag, testbedResultsFlag, testbedJSONFlag},
		Action: testbedStory,
	}},
}

func testbedStory(ctx *cli.Context) error {
	duration := ctx.Duration(testbedDurationFlag.Name)
	if duration < time.Second || duration > testbedMaxDuration {
		return fmt.Errorf("--duration %s: give 1s to %s", duration, testbedMaxDuration)
	}
	m, err := testbed.LoadManifest(ctx.Path(testbedManifestFlag.Name))
	if err != nil {
		return err
	}
	examples, err := filepath.Abs(ctx.Path(testbedExamplesFlag.Name))
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(examples, "curate-v2.star")); err != nil {
		return fmt.Errorf("--examples %s: %w (run from the repository's root, or point --examples at examples/crypto-daily)", examples, err)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this program to start the nodes: %w", err)
	}
	if s := ctx.String(testbedScalesFlag.Name); s != "" {
		return testbedStorySweep(ctx, m, s, exe, examples, duration)
	}
	res, err := runStoryOnce(ctx, m, exe, examples, duration)
	if err != nil {
		return err
	}
	if ctx.Bool(testbedJSONFlag.Name) {
		enc := json.NewEncoder(ctx.App.Writer)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		printStoryResult(ctx.App.Writer, m, res)
	}
	if len(res.Violations) > 0 {
		return fmt.Errorf("the history has %d violation(s): %s", len(res.Violations), res.Violations[0])
	}
	return nil
}

// testbedMaxScales bounds a sweep's runs.
const testbedMaxScales = 8

// testbedStorySweep runs the story once per RTT scale, on a fresh testbed
// each time, and writes the figures per region as CSV and a plot.
func testbedStorySweep(ctx *cli.Context, m *testbed.Manifest, list, exe, examples string, duration time.Duration) error {
	var scales []float64
	for _, f := range strings.Split(list, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || v < 0 || v > 10 {
			return fmt.Errorf("--rtt-scales %q: give factors from 0 to 10, separated by commas", list)
		}
		scales = append(scales, v)
	}
	if len(scales) > testbedMaxScales {
		return fmt.Errorf("--rtt-scales: at most %d runs", testbedMaxScales)
	}
	var points []testbed.SweepPoint
	for _, f := range scales {
		load, _ := loadAverage()
		fmt.Fprintf(ctx.App.ErrWriter, "== RTT × %g (load average %.2f)\n", f, load)
		sm := m.Scaled(f)
		res, err := runStoryOnce(ctx, sm, exe, examples, duration)
		if err != nil {
			return fmt.Errorf("the run at RTT × %g: %w", f, err)
		}
		printStoryResult(ctx.App.Writer, sm, res)
		points = append(points, testbed.SweepPoints(sm, f, res, load)...)
	}
	base := ctx.String(testbedResultsFlag.Name)
	if err := testbed.WriteSweepCSV(base+".csv", points); err != nil {
		return err
	}
	title := fmt.Sprintf("enigma testbed story: subscriber queries against RTT (%s, %s workload per point)", filepath.Base(ctx.Path(testbedManifestFlag.Name)), duration)
	if err := testbed.PlotSweepPNG(base+".png", title, points); err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "wrote %s.csv and %s.png\n", base, base)
	return nil
}

// loadAverage is the 1-minute load average (Linux).
func loadAverage() (float64, error) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, err
	}
	return strconv.ParseFloat(strings.Fields(string(b))[0], 64)
}

// runStoryOnce builds the testbed m describes, runs the story in it and
// removes everything it made.
func runStoryOnce(ctx *cli.Context, m *testbed.Manifest, exe, examples string, duration time.Duration) (*testbed.StoryResult, error) {
	dir, err := os.MkdirTemp("", "enigma-testbed-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	sctx, stop := signal.NotifyContext(ctx.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	tb, err := testbed.Open(m, slog.Default())
	if err != nil {
		return nil, err
	}
	defer tb.Close()
	res, err := tb.RunStory(sctx, testbed.StoryRun{Exe: exe, Dir: dir, Examples: examples, Duration: duration, Progress: ctx.App.ErrWriter})
	if err != nil {
		if sctx.Err() != nil {
			return nil, errors.New("interrupted: the testbed was removed")
		}
		return nil, err
	}
	if err := tb.Close(); err != nil {
		return nil, fmt.Errorf("remove the testbed: %w", err)
	}
	return res, nil
}

// printStoryResult prints the story's figures per region and the
// history's verdict.
func printStoryResult(w io.Writer, m *testbed.Manifest, res *testbed.StoryResult) {
	for _, l := range m.Links {
		fmt.Fprintf(w, "link %s–%s: rtt %s, jitter %s, loss %.2f%%\n", l.Between[0], l.Between[1], l.RTT, l.Jitter, l.LossPercent)
	}
	fmt.Fprintf(w, "setup (chain, validators registered, every node joined): %s\n", res.Setup.Round(time.Millisecond))
	for _, op := range res.Writes {
		fmt.Fprintf(w, "%s %s → version %d: %s (the provider's command, to certified and resolvable)\n", op.Kind, op.Dataset, op.Version, op.End.Sub(op.Start).Round(time.Millisecond))
	}
	for _, e := range res.Events {
		fmt.Fprintf(w, "at %s: %s\n", e.Offset.Round(time.Millisecond), e.What())
	}
	fmt.Fprintln(w, "region     resolvable after ack (n, p50, max)   queries answered/failed, p50, p99   dht get (n, p50, max)")
	var regions []string
	for _, r := range m.Regions {
		regions = append(regions, r.Name)
	}
	for _, r := range regions {
		rs, qs, ls := res.Resolvable[r], res.Queries[r], res.Lookups[r]
		if len(rs)+len(qs)+len(ls)+res.QueryFailures[r] == 0 {
			continue
		}
		fmt.Fprintf(w, "%-10s %2d  %8s  %8s            %3d/%-3d %8s %8s        %2d  %8s  %8s\n", r,
			len(rs), quantile(rs, 0.5), quantile(rs, 1), len(qs), res.QueryFailures[r], quantile(qs, 0.5), quantile(qs, 0.99),
			len(ls), quantile(ls, 0.5), quantile(ls, 1))
	}
	versions := map[uint64]int{}
	for _, op := range res.History.Ops {
		if op.Kind == testbed.OpQuery && op.OK {
			versions[op.Version]++
		}
	}
	fmt.Fprintf(w, "queries answered from version 1: %d, from version 2: %d\n", versions[1], versions[2])
	st := res.Emulator
	fmt.Fprintf(w, "emulator: %d packets delivered, %d lost to the links' loss, %d dropped at cut borders, %d at full queues or over a throttle's backlog, %d unroutable\n",
		st.Delivered, st.Lost, st.Cut, st.QueueFull, st.Unroutable)
	ops := len(res.History.Ops)
	if len(res.Violations) == 0 {
		fmt.Fprintf(w, "history: %d operations, %d validator ledgers: no violation\n", ops, len(res.History.Ledgers))
		return
	}
	fmt.Fprintf(w, "history: %d operations, %d validator ledgers, %d VIOLATIONS:\n", ops, len(res.History.Ledgers), len(res.Violations))
	for _, v := range res.Violations {
		fmt.Fprintf(w, "  %s\n", v)
	}
}

// quantile is the q-quantile of ds (nearest rank), "-" for none.
func quantile(ds []time.Duration, q float64) string {
	if len(ds) == 0 {
		return "-"
	}
	return testbed.Quantile(ds, q).Round(time.Millisecond).String()
}

func testbedConsensus(ctx *cli.Context) error {
	clients, duration := ctx.Int(testbedClientsFlag.Name), ctx.Duration(testbedDurationFlag.Name)
	if clients < 1 || clients > testbedMaxClients {
		return fmt.Errorf("--clients %d: give 1 to %d", clients, testbedMaxClients)
	}
	if duration < time.Second || duration > testbedMaxDuration {
		return fmt.Errorf("--duration %s: give 1s to %s", duration, testbedMaxDuration)
	}
	m, err := testbed.LoadManifest(ctx.Path(testbedManifestFlag.Name))
	if err != nil {
		return err
	}
	for _, p := range m.Perturbations {
		if p.Heal.Duration > duration {
			return fmt.Errorf("the %s heals at %s, after the run's --duration %s: lengthen the run or heal sooner", p.What(), p.Heal, duration)
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this program to start the nodes: %w", err)
	}
	sctx, stop := signal.NotifyContext(ctx.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	tb, err := testbed.Open(m, slog.Default())
	if err != nil {
		return err
	}
	defer tb.Close()
	res, err := tb.RunConsensus(sctx, testbed.ConsensusRun{
		Exe: exe, Clients: clients, Batch: ctx.Int(testbedBatchFlag.Name), Duration: duration, Stderr: ctx.App.ErrWriter,
	})
	if err != nil {
		if sctx.Err() != nil {
			return errors.New("interrupted: the testbed was removed")
		}
		return err
	}
	if err := tb.Close(); err != nil {
		return fmt.Errorf("remove the testbed: %w", err)
	}
	if ctx.Bool(testbedJSONFlag.Name) {
		enc := json.NewEncoder(ctx.App.Writer)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printTestbedResult(ctx.App.Writer, m, res)
	return nil
}

// printTestbedResult prints the manifest's shape, the benchmark's report,
// the perturbations and the commit timeline.
func printTestbedResult(w io.Writer, m *testbed.Manifest, res *testbed.ConsensusResult) {
	for _, l := range m.Links {
		fmt.Fprintf(w, "link %s–%s: rtt %s, jitter %s, loss %.2f%%\n", l.Between[0], l.Between[1], l.RTT, l.Jitter, l.LossPercent)
	}
	var placed []string
	for _, n := range m.Nodes {
		placed = append(placed, fmt.Sprintf("%s (%s) in %s", n.Name, n.Role, n.Region))
	}
	fmt.Fprintf(w, "nodes: %s\n", strings.Join(placed, ", "))
	printConsensusReport(w, &res.Report)
	for _, e := range res.Events {
		fmt.Fprintf(w, "at %s: %s\n", e.Offset.Round(time.Millisecond), e.What())
	}
	fmt.Fprintln(w, "second  commits  p50 ms  max ms")
	for s, t := range res.Report.Timeline {
		fmt.Fprintf(w, "%6d  %7d  %6.1f  %6.1f\n", s, t.Committed, t.P50Ms, t.MaxMs)
	}
	st := res.Emulator
	fmt.Fprintf(w, "emulator: %d packets delivered, %d lost to the links' loss, %d dropped at cut borders, %d at full queues, %d unroutable\n",
		st.Delivered, st.Lost, st.Cut, st.QueueFull, st.Unroutable)
}
