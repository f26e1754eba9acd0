package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
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
		benchOverlayCommand,
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
	benchHostsFlag    = &cli.IntFlag{Name: "client-hosts", Usage: "QUIC endpoints the clients share, each coalescing its clients' requests into one call per validator (0: one per 512 clients)", Category: catBench}
	benchDelayFlag    = &cli.DurationFlag{Name: "batch-delay", Usage: "how long the primary waits to fill a batch (0: cut at once; 5ms ticks)", Category: catBench}
	benchPayloadFlag  = &cli.IntFlag{Name: "payload", Usage: "request payload bytes", Value: 128, Category: catBench}
	benchProfileFlag  = &cli.PathFlag{Name: "cpuprofile", Usage: "write a CPU profile of the run to this file (go tool pprof)", Category: catBench}
)

var (
	benchInProcessFlag = &cli.BoolFlag{Name: "in-process", Usage: "run the validators in this process too (one CPU profile of the whole path)", Category: catBench}
	benchDirFlag       = &cli.PathFlag{Name: "dir", Usage: "the replica's write-ahead log directory", Required: true, Category: catBench}
)

var benchConsensusCommand = &cli.Command{
	Name:  "consensus",
	Usage: "PBFT throughput and commit latency over real QUIC on 127.0.0.1",
	Description: "Runs --replicas validator processes (this program, `bench consensus replica`), each with its own QUIC\n" +
		"endpoint on 127.0.0.1, Ed25519-signed protocol messages and its write-ahead log in Pebble (synced\n" +
		"before every message), replicating a hash-chain application. --clients clients in this process\n" +
		"submit requests the way a provider's ledger command travels (to every validator, accepted on f+1\n" +
		"matching replies; the clients of one endpoint share its calls) for --duration, and the committed\n" +
		"operations per second and the commit latency (submit to f+1 replies) are reported. The primary\n" +
		"keeps at most two batches in flight and fills the next one meanwhile, up to --batch requests.\n" +
		"--cpuprofile writes this process's profile, and each replica's to the same path + .replicaN.",
	Flags:  []cli.Flag{benchReplicasFlag, benchBatchFlag, benchClientsFlag, benchHostsFlag, benchDelayFlag, benchDurationFlag, benchPayloadFlag, benchInProcessFlag, benchProfileFlag},
	Action: benchConsensus,
	Subcommands: []*cli.Command{{
		Name:   "replica",
		Usage:  "one validator of `bench consensus` (started by it)",
		Hidden: true,
		Description: "Prints its validator entry as a JSON line, reads the validator set as a JSON line from stdin,\n" +
			"starts, prints \"ready\", and stops cleanly when stdin closes.",
		Flags:  []cli.Flag{benchDirFlag, benchBatchFlag, benchDelayFlag, benchProfileFlag},
		Action: benchReplica,
	}},
}

func startProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func benchConsensus(ctx *cli.Context) error {
	dir, err := os.MkdirTemp("", "enigma-bench-consensus-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	profile := ctx.Path(benchProfileFlag.Name)
	stopProfile, err := startProfile(profile)
	if err != nil {
		return err
	}
	defer stopProfile()
	cfg := node.ConsensusBenchConfig{
		Dir: dir, Replicas: ctx.Int(benchReplicasFlag.Name), Batch: ctx.Int(benchBatchFlag.Name),
		Clients: ctx.Int(benchClientsFlag.Name), ClientHosts: ctx.Int(benchHostsFlag.Name), BatchDelay: ctx.Duration(benchDelayFlag.Name), Duration: ctx.Duration(benchDurationFlag.Name),
		PayloadSize: ctx.Int(benchPayloadFlag.Name),
	}
	where := "in this process"
	if !ctx.Bool(benchInProcessFlag.Name) {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("find this program to start the replicas: %w", err)
		}
		cfg.Launch = launchReplicaProcesses(exe, profile, ctx.App.ErrWriter)
		where = "as processes"
	}
	rep, err := node.RunConsensusBench(ctx.Context, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "replicas %d (%s), clients %d, batch ≤ %d: %d committed, %.0f ops/s, commit latency p50 %s p99 %s\n",
		rep.Replicas, where, rep.Clients, rep.BatchLimit, rep.Committed, rep.OpsPerSec, rep.Latency.P50.Round(10*time.Microsecond), rep.Latency.P99.Round(10*time.Microsecond))
	return nil
}

// replicaStartTimeout bounds each step of starting a replica process.
const replicaStartTimeout = 30 * time.Second

// launchReplicaProcesses starts each validator as `exe bench consensus
// replica`, exchanging the validator set over its stdin and stdout.
func launchReplicaProcesses(exe, profile string, stderr io.Writer) node.ReplicaLauncher {
	return func(ctx context.Context, cfg node.ConsensusBenchConfig) ([]node.ValidatorPeer, func(), error) {
		type child struct {
			cmd   *exec.Cmd
			stdin io.WriteCloser
			out   *bufio.Reader
		}
		var children []*child
		stop := func() {
			for _, c := range children {
				c.stdin.Close() // the replica stops when its stdin closes
			}
			for _, c := range children {
				done := make(chan error, 1)
				go func() { done <- c.cmd.Wait() }()
				select {
				case <-done:
				case <-time.After(replicaStartTimeout):
					c.cmd.Process.Kill()
					<-done
				}
			}
		}
		fail := func(err error) ([]node.ValidatorPeer, func(), error) {
			stop()
			return nil, nil, err
		}
		// readLine reads one line from a replica, or fails after the timeout.
		readLine := func(i int, c *child) ([]byte, error) {
			type result struct {
				line []byte
				err  error
			}
			got := make(chan result, 1)
			go func() {
				line, err := c.out.ReadBytes('\n')
				got <- result{line, err}
			}()
			select {
			case r := <-got:
				if r.err != nil {
					return nil, fmt.Errorf("replica %d exited early (see its error above): %w", i, r.err)
				}
				return r.line, nil
			case <-time.After(replicaStartTimeout):
				return nil, fmt.Errorf("replica %d did not answer within %s", i, replicaStartTimeout)
			}
		}
		var peers []node.ValidatorPeer
		for i := 0; i < cfg.Replicas; i++ {
			args := []string{"bench", "consensus", "replica", "--dir", filepath.Join(cfg.Dir, fmt.Sprintf("wal%d", i)),
				"--batch", strconv.Itoa(cfg.Batch), "--batch-delay", cfg.BatchDelay.String()}
			if profile != "" {
				args = append(args, "--cpuprofile", fmt.Sprintf("%s.replica%d", profile, i))
			}
			cmd := exec.CommandContext(ctx, exe, args...)
			cmd.Stderr = stderr
			stdin, err := cmd.StdinPipe()
			if err != nil {
				return fail(err)
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				return fail(err)
			}
			if err := cmd.Start(); err != nil {
				return fail(fmt.Errorf("start replica %d: %w", i, err))
			}
			c := &child{cmd: cmd, stdin: stdin, out: bufio.NewReader(stdout)}
			children = append(children, c)
			line, err := readLine(i, c)
			if err != nil {
				return fail(err)
			}
			var p node.ValidatorPeer
			if err := json.Unmarshal(line, &p); err != nil {
				return fail(fmt.Errorf("replica %d announced itself as %q: %w", i, line, err))
			}
			peers = append(peers, p)
		}
		set, err := json.Marshal(peers)
		if err != nil {
			return fail(err)
		}
		for i, c := range children {
			if _, err := c.stdin.Write(append(set, '\n')); err != nil {
				return fail(fmt.Errorf("replica %d: send the validator set: %w", i, err))
			}
		}
		for i, c := range children {
			line, err := readLine(i, c)
			if err != nil {
				return fail(err)
			}
			if string(bytes.TrimSpace(line)) != "ready" {
				return fail(fmt.Errorf("replica %d said %q instead of ready", i, line))
			}
		}
		return peers, stop, nil
	}
}

// benchReplica is one validator process of `bench consensus`.
func benchReplica(ctx *cli.Context) error {
	stopProfile, err := startProfile(ctx.Path(benchProfileFlag.Name))
	if err != nil {
		return err
	}
	defer stopProfile()
	log := slog.New(slog.NewTextHandler(ctx.App.ErrWriter, &slog.HandlerOptions{Level: slog.LevelWarn}))
	r, err := node.NewBenchReplica(ctx.Path(benchDirFlag.Name), log)
	if err != nil {
		return err
	}
	defer r.Close()
	entry, err := json.Marshal(r.Peer())
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "%s\n", entry)
	in := bufio.NewReader(os.Stdin)
	line, err := in.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("read the validator set from stdin: %w", err)
	}
	var peers []node.ValidatorPeer
	if err := json.Unmarshal(line, &peers); err != nil {
		return fmt.Errorf("validator set on stdin: %w", err)
	}
	if err := r.Start(ctx.Context, peers, node.ConsensusBenchConfig{Batch: ctx.Int(benchBatchFlag.Name), BatchDelay: ctx.Duration(benchDelayFlag.Name)}); err != nil {
		return err
	}
	fmt.Fprintln(ctx.App.Writer, "ready")
	// Run until the benchmark closes stdin (or exits).
	_, err = io.Copy(io.Discard, in)
	return err
}
