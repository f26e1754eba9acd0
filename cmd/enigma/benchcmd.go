package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/devnet"
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
