package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/devnet"
	"github.com/enigma-mpc/enigma/node"
	"github.com/enigma-mpc/enigma/worker"
)

const catBench = "BENCH"

var (
	benchRegistrationsFlag = &cli.IntFlag{Name: "registrations", Usage: "datasets registered one after another (registration latency)", Value: 5, Category: catBench}
	benchQueriesFlag       = &cli.IntFlag{Name: "queries", Usage: "sequential point queries (query latency)", Value: 200, Category: catBench}
	benchDurationFlag      = &cli.DurationFlag{Name: "duration", Usage: "length of the throughput run", Value: 10 * time.Second, Category: catBench}
	benchConcurrencyFlag   = &cli.IntFlag{Name: "concurrency", Usage: "clients querying at once in the throughput run", Value: 8, Category: catBench}
	benchExamplesFlag      = &cli.PathFlag{Name: "examples", Usage: "the example dataset directory", Value: "examples/crypto-daily", Category: catBench}
)

var benchCommand = &cli.Command{
	Name:  "bench",
	Usage: "measure the system end to end",
	Subcommands: []*cli.Command{
		{
			Name:  "e2e",
			Usage: "registration latency, query latency and query throughput on a devnet in this process",
			Description: "Starts a devnet in a temporary directory (4 validators, 1 worker, 1 persistence node), registers\n" +
				"the example dataset --registrations times (submit to certified record resolvable in the DHT),\n" +
				"subscribes, then measures point queries end to end through the subscriber client (DHT record,\n" +
				"signed request over QUIC, HPKE-sealed result, decryption) with a warm access cache, and the\n" +
				"sustained queries per second of --concurrency clients against the one persistence node.",
			Flags:  []cli.Flag{benchRegistrationsFlag, benchQueriesFlag, benchDurationFlag, benchConcurrencyFlag, benchExamplesFlag},
			Action: benchE2E,
		},
		benchConsensusCommand,
	},
}

func benchE2E(ctx *cli.Context) error {
	dir, err := os.MkdirTemp("", "enigma-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	w := ctx.App.Writer
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	rep, err := devnet.RunBench(ctx.Context, devnet.BenchConfig{
		Net: devnet.Config{
			Dir: dir, Validators: 4, Workers: 1, Persistence: 1, Plain: 1, Logger: quiet,
			Worker: worker.Config{Retry: worker.RetryPolicy{InitialBackoff: devnetRetry, MaxBackoff: 4 * devnetRetry}},
		},
		Examples: ctx.Path(benchExamplesFlag.Name), Registrations: ctx.Int(benchRegistrationsFlag.Name),
		Queries: ctx.Int(benchQueriesFlag.Name), Duration: ctx.Duration(benchDurationFlag.Name),
		Concurrency: ctx.Int(benchConcurrencyFlag.Name),
		Progress:    func(format string, args ...any) { fmt.Fprintf(ctx.App.ErrWriter, "… "+format+"\n", args...) },
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "registration (submit → certified record resolvable): %s\n", rep.Registration)
	fmt.Fprintf(w, "point query end to end (warm access cache):          %s\n", rep.Query)
	fmt.Fprintf(w, "sustained queries/s, %d clients, one persistence node: %.0f\n", ctx.Int(benchConcurrencyFlag.Name), rep.QueriesPerS)
	fmt.Fprintf(w, "dataset rows: %d\n", rep.Rows)
	return nil
}

var (
	benchReplicasFlag = &cli.IntFlag{Name: "replicas", Usage: "validators (n = 3f+1)", Value: 4, Category: catBench}
	benchBatchFlag    = &cli.IntFlag{Name: "batch", Usage: "most requests per PBFT batch", Value: 64, Category: catBench}
	benchClientsFlag  = &cli.IntFlag{Name: "clients", Usage: "concurrent clients, each with one request outstanding", Value: 16, Category: catBench}
	benchHostsFlag    = &cli.IntFlag{Name: "client-hosts", Usage: "QUIC endpoints the clients share, each coalescing its clients' requests into one call per validator (0: one per 64 clients)", Category: catBench}
	benchDelayFlag    = &cli.DurationFlag{Name: "batch-delay", Usage: "how long the primary waits to fill a batch (0: cut at once; 5ms ticks)", Category: catBench}
	benchPayloadFlag  = &cli.IntFlag{Name: "payload", Usage: "request payload bytes", Value: 128, Category: catBench}
	benchProfileFlag  = &cli.PathFlag{Name: "cpuprofile", Usage: "write a CPU profile of the run to this file (go tool pprof)", Category: catBench}
)

var benchConsensusCommand = &cli.Command{
	Name:  "consensus",
	Usage: "PBFT throughput and commit latency over real QUIC on 127.0.0.1",
	Description: "Runs --replicas validators in this process, each with its own QUIC endpoint on 127.0.0.1, Ed25519-\n" +
		"signed protocol messages and its write-ahead log in Pebble, replicating a hash-chain application.\n" +
		"--clients clients submit requests the way a provider's ledger command travels (to every validator,\n" +
		"accepted on f+1 matching replies) for --duration, and the committed operations per second and the\n" +
		"commit latency (submit to f+1 replies) are reported.",
	Flags:  []cli.Flag{benchReplicasFlag, benchBatchFlag, benchClientsFlag, benchHostsFlag, benchDelayFlag, benchDurationFlag, benchPayloadFlag, benchProfileFlag},
	Action: benchConsensus,
}

func benchConsensus(ctx *cli.Context) error {
	dir, err := os.MkdirTemp("", "enigma-bench-consensus-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if path := ctx.Path(benchProfileFlag.Name); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	rep, err := node.RunConsensusBench(ctx.Context, node.ConsensusBenchConfig{
		Dir: dir, Replicas: ctx.Int(benchReplicasFlag.Name), Batch: ctx.Int(benchBatchFlag.Name),
		Clients: ctx.Int(benchClientsFlag.Name), ClientHosts: ctx.Int(benchHostsFlag.Name), BatchDelay: ctx.Duration(benchDelayFlag.Name), Duration: ctx.Duration(benchDurationFlag.Name),
		PayloadSize: ctx.Int(benchPayloadFlag.Name),
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "replicas %d, clients %d, batch ≤ %d: %d committed, %.0f ops/s, commit latency p50 %s p99 %s\n",
		rep.Replicas, rep.Clients, rep.BatchLimit, rep.Committed, rep.OpsPerSec, rep.Latency.P50.Round(10*time.Microsecond), rep.Latency.P99.Round(10*time.Microsecond))
	return nil
}
