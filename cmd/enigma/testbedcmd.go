package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
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
	}},
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
		what := "healed: no region cut, no node paused"
		if len(e.Cut) > 0 || len(e.Paused) > 0 {
			what = fmt.Sprintf("cut off: [%s], paused: [%s]", strings.Join(e.Cut, ", "), strings.Join(e.Paused, ", "))
		}
		fmt.Fprintf(w, "at %s: %s\n", e.Offset.Round(time.Millisecond), what)
	}
	fmt.Fprintln(w, "second  commits  p50 ms  max ms")
	for s, t := range res.Report.Timeline {
		fmt.Fprintf(w, "%6d  %7d  %6.1f  %6.1f\n", s, t.Committed, t.P50Ms, t.MaxMs)
	}
	st := res.Emulator
	fmt.Fprintf(w, "emulator: %d packets delivered, %d lost to the links' loss, %d dropped at cut borders, %d at full queues, %d unroutable\n",
		st.Delivered, st.Lost, st.Cut, st.QueueFull, st.Unroutable)
}
