package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/devnet"
	"github.com/enigma-mpc/enigma/ledger/ledgerclient"
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
	benchRateFlag     = &cli.Float64Flag{Name: "rate", Usage: "requests a second the clients send together, spread evenly over them (0: each sends its next request as soon as the last commits)", Category: catBench}
	benchHostsFlag    = &cli.IntFlag{Name: "client-hosts", Usage: "QUIC endpoints the clients share, each coalescing its clients' requests into one call per validator (0: one per 512 clients)", Category: catBench}
	benchDelayFlag    = &cli.DurationFlag{Name: "batch-delay", Usage: "how long the primary waits to fill a batch (0: cut at once; in the validators' 10ms ticks)", Category: catBench}
	benchPayloadFlag  = &cli.IntFlag{Name: "payload", Usage: "request payload bytes", Value: 128, Category: catBench}
	benchProfileFlag  = &cli.PathFlag{Name: "cpuprofile", Usage: "write a CPU profile of the run to this file (go tool pprof)", Category: catBench}
	benchProcsFlag    = &cli.IntFlag{Name: "validator-procs", Usage: "GOMAXPROCS of each validator process (default: this machine's cores shared among the validators, at least 1 each, as on machines or in containers of their own; 0: Go's default, or $GOMAXPROCS)", Category: catBench}
)

var (
	benchContendFlag   = &cli.IntFlag{Name: "contend", Usage: "CPU-bound neighbour processes to run beside the validators and clients (a busy machine)", Category: catBench}
	benchJSONFlag      = &cli.BoolFlag{Name: "json", Usage: "print the report as JSON", Category: catBench}
	benchInProcessFlag = &cli.BoolFlag{Name: "in-process", Usage: "run the validators in this process too (one CPU profile of the whole path)", Category: catBench}
	benchDirFlag       = &cli.PathFlag{Name: "dir", Usage: "the replica's write-ahead log directory", Required: true, Category: catBench}
	benchListenFlag    = &cli.StringFlag{Name: "listen", Usage: "the IP the clients' QUIC endpoints listen on (a replica: its host:port)", Category: catBench}
	benchReplicaAtFlag = &cli.StringSliceFlag{Name: "replica-at", Usage: "`NETNS/IP`: run the next replica in that network namespace, listening on IP (set by `enigma testbed`; needs root)", Category: catBench}
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
		"Beside them: CPU seconds per committed operation of the validators (their processes) and of the\n" +
		"clients (this process), the cores each used, the average batch, view changes by cause, resends,\n" +
		"messages dropped at full outboxes, and messages, writes to the consensus streams, signature checks\n" +
		"and log writes per operation. --clients 0 measures idle validators; --rate R paces the clients to R\n" +
		"requests a second together (the cost of a lightly used network). --contend N runs N CPU-bound\n" +
		"processes beside them for the whole run, a machine shared with noisy neighbours. --json prints\n" +
		"the report as JSON.\n" +
		"The validators run the node's engine settings (consensus.NodeTuning, 10 ms ticks) except for\n" +
		"checkpoints, every 64 batches with a window of 256 (the node checkpoints every batch to publish).\n" +
		"Each validator process runs Go code on its share of this machine's cores (GOMAXPROCS: the cores\n" +
		"divided among the validators, at least 1), as four validators on machines or in CPU-limited\n" +
		"containers of their own would; --validator-procs sets it (0: Go's default, all the cores, which on a\n" +
		"small machine costs each message extra thread wake-ups in the Go scheduler).\n" +
		"--cpuprofile writes this process's profile, and each replica's to the same path + .replicaN.\n" +
		"--listen and --replica-at place the clients and the replicas in network namespaces (`enigma testbed`\n" +
		"runs the benchmark this way across emulated links); the report then has a commit timeline per second.",
	Flags:  []cli.Flag{benchReplicasFlag, benchBatchFlag, benchClientsFlag, benchRateFlag, benchHostsFlag, benchDelayFlag, benchDurationFlag, benchPayloadFlag, benchContendFlag, benchJSONFlag, benchInProcessFlag, benchProcsFlag, benchProfileFlag, benchListenFlag, benchReplicaAtFlag},
	Action: benchConsensus,
	Subcommands: []*cli.Command{{
		Name:   "replica",
		Usage:  "one validator of `bench consensus` (started by it)",
		Hidden: true,
		Description: "Prints its validator entry as a JSON line, reads the validator set as a JSON line from stdin,\n" +
			"starts, prints \"ready\", answers each \"sample\" line on stdin with its CPU time and counters as a\n" +
			"JSON line, and stops cleanly when stdin closes.",
		Flags:  []cli.Flag{benchDirFlag, benchBatchFlag, benchDelayFlag, benchProfileFlag, benchListenFlag},
		Action: benchReplica,
	}, {
		Name:        "spin",
		Usage:       "a CPU-bound neighbour of `bench consensus --contend` (started by it)",
		Hidden:      true,
		Description: "Hashes on one core until stdin closes.",
		Action:      benchSpin,
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
	if ctx.Int(benchClientsFlag.Name) < 0 || ctx.Int(benchContendFlag.Name) < 0 {
		return errors.New("--clients and --contend count processes and clients: give 0 or more")
	}
	rate := ctx.Float64(benchRateFlag.Name)
	switch {
	case math.IsNaN(rate) || math.IsInf(rate, 0) || rate < 0:
		return fmt.Errorf("--rate %v: give requests a second, 0 or more", rate)
	case rate > 0 && ctx.Int(benchClientsFlag.Name) == 0:
		return errors.New("--rate paces the clients: give --clients 1 or more")
	}
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
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this program to start the replicas: %w", err)
	}
	cfg := node.ConsensusBenchConfig{
		Dir: dir, Replicas: ctx.Int(benchReplicasFlag.Name), Batch: ctx.Int(benchBatchFlag.Name),
		Clients: ctx.Int(benchClientsFlag.Name), Rate: rate, ClientHosts: ctx.Int(benchHostsFlag.Name), BatchDelay: ctx.Duration(benchDelayFlag.Name), Duration: ctx.Duration(benchDurationFlag.Name),
		PayloadSize: ctx.Int(benchPayloadFlag.Name), ListenHost: ctx.String(benchListenFlag.Name),
		Measuring: func(start time.Time) {
			fmt.Fprintf(ctx.App.ErrWriter, "bench: warm-up done, measuring from %d (unix ms) for %s\n", start.UnixMilli(), ctx.Duration(benchDurationFlag.Name))
		},
	}
	places, err := replicaPlaces(ctx.StringSlice(benchReplicaAtFlag.Name), cfg.Replicas)
	if err != nil {
		return err
	}
	if places != nil && ctx.Bool(benchInProcessFlag.Name) {
		return errors.New("--replica-at runs each replica as a process of its own: drop --in-process")
	}
	procs := max(1, runtime.NumCPU()/max(1, cfg.Replicas))
	if ctx.IsSet(benchProcsFlag.Name) {
		if procs = ctx.Int(benchProcsFlag.Name); procs < 0 {
			return fmt.Errorf("--validator-procs %d: give the threads each validator runs Go code on, or 0 for Go's default", procs)
		}
		if ctx.Bool(benchInProcessFlag.Name) {
			return errors.New("--validator-procs sets each validator process's GOMAXPROCS: drop --in-process (or set $GOMAXPROCS)")
		}
	}
	if !ctx.Bool(benchInProcessFlag.Name) {
		cfg.Launch = launchReplicaProcesses(exe, profile, places, procs, ctx.App.ErrWriter)
	}
	contend := ctx.Int(benchContendFlag.Name)
	stopNeighbours, err := startSpinners(ctx.Context, exe, contend)
	if err != nil {
		return err
	}
	rep, err := node.RunConsensusBench(ctx.Context, cfg)
	stopNeighbours()
	if err != nil {
		return err
	}
	rep.Contend = contend
	if ctx.Bool(benchJSONFlag.Name) {
		enc := json.NewEncoder(ctx.App.Writer)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printConsensusReport(ctx.App.Writer, rep)
	return nil
}

// printConsensusReport prints the benchmark's summary for a reader.
func printConsensusReport(w io.Writer, rep *node.ConsensusBenchReport) {
	where := "in this process"
	if rep.Separate {
		where = fmt.Sprintf("as processes, GOMAXPROCS %d each", rep.ValidatorProcs)
	}
	neighbours := ""
	if rep.Contend > 0 {
		neighbours = fmt.Sprintf(", %d CPU-bound neighbours", rep.Contend)
	}
	paced := ""
	if rep.Rate > 0 {
		paced = fmt.Sprintf(" paced to %g/s", rep.Rate)
	}
	fmt.Fprintf(w, "replicas %d (%s), clients %d%s, batch ≤ %d%s: %d committed, %.0f ops/s, commit latency p50 %.2f ms p99 %.2f ms\n",
		rep.Replicas, where, rep.Clients, paced, rep.BatchLimit, neighbours, rep.Committed, rep.OpsPerSec, rep.P50Ms, rep.P99Ms)
	if rep.Separate {
		fmt.Fprintf(w, "CPU: validators %.3f cores (%.1f µs per op), clients %.3f cores (%.1f µs per op); validator peak RSS %.0f MiB\n",
			rep.ValidatorCores, rep.ValidatorCPUPerOpUs, rep.ProcessCores, rep.ProcessCPUPerOpUs, float64(rep.ValidatorPeakRSS)/(1<<20))
	} else {
		fmt.Fprintf(w, "CPU: validators and clients %.3f cores (%.1f µs per op)\n", rep.ProcessCores, rep.ProcessCPUPerOpUs)
	}
	causes := make([]string, 0, len(rep.ViewChanges))
	for cause, n := range rep.ViewChanges {
		causes = append(causes, fmt.Sprintf("%s %d", cause, n))
	}
	slices.Sort(causes)
	vc := "none"
	if len(causes) > 0 {
		vc = strings.Join(causes, ", ")
	}
	fmt.Fprintf(w, "validators: average batch %.1f, view changes %s (views entered %d), resends %d, dropped at full outboxes %d, state fetches %d\n",
		rep.AvgBatch, vc, rep.ViewsEntered, rep.Resends, rep.MessagesDropped, rep.StateRequests)
	var each []string
	for i, v := range rep.PerValidator {
		each = append(each, fmt.Sprintf("%d: %d executed, %d view changes, %d state fetches", i, v.RequestsExecuted, v.ViewChanges, v.StateRequests))
	}
	fmt.Fprintf(w, "each validator: %s\n", strings.Join(each, "; "))
	fmt.Fprintf(w, "per op (all validators): %.2f messages, %.3f stream writes, %.2f signature checks, %.3f log writes (%.3f synced), %.3f submission calls\n",
		rep.MessagesPerOp, rep.SendCallsPerOp, rep.VerificationsPerOp, rep.LogWritesPerOp, rep.LogSyncsPerOp, rep.SubmitCallsPerOp)
	if rep.LoadBefore != "" {
		fmt.Fprintf(w, "load average: %s before, %s after\n", rep.LoadBefore, rep.LoadAfter)
	}
}

// startSpinners runs n `bench consensus spin` processes; stop ends them.
func startSpinners(ctx context.Context, exe string, n int) (stop func(), err error) {
	var cmds []*exec.Cmd
	var stdins []io.Closer
	stop = func() {
		for _, in := range stdins {
			in.Close() // a spinner stops when its stdin closes
		}
		for _, c := range cmds {
			c.Wait()
		}
	}
	for i := range n {
		cmd := exec.CommandContext(ctx, exe, "bench", "consensus", "spin")
		in, err := cmd.StdinPipe()
		if err != nil {
			stop()
			return nil, err
		}
		if err := cmd.Start(); err != nil {
			stop()
			return nil, fmt.Errorf("start CPU-bound neighbour %d: %w", i, err)
		}
		cmds, stdins = append(cmds, cmd), append(stdins, in)
	}
	return stop, nil
}

// benchSpin keeps one core busy until stdin closes (or the parent that
// holds it dies).
func benchSpin(ctx *cli.Context) error {
	runtime.GOMAXPROCS(1)
	var done atomic.Bool
	go func() {
		io.Copy(io.Discard, os.Stdin)
		done.Store(true)
	}()
	sum := sha256.Sum256(nil)
	for !done.Load() {
		for range 1000 {
			sum = sha256.Sum256(sum[:])
		}
	}
	return nil
}

// replicaStartTimeout bounds each step of starting a replica process.
const replicaStartTimeout = 30 * time.Second

// replicaPlace is where one replica process runs: a network namespace and
// the IP it listens on there.
type replicaPlace struct{ netns, ip string }

// replicaPlaces parses --replica-at: none, or one NETNS/IP per replica.
func replicaPlaces(specs []string, replicas int) ([]replicaPlace, error) {
	if len(specs) == 0 {
		return nil, nil
	}
	if len(specs) != replicas {
		return nil, fmt.Errorf("--replica-at names %d places for %d replicas: give one per replica", len(specs), replicas)
	}
	var out []replicaPlace
	for _, s := range specs {
		ns, ip, ok := strings.Cut(s, "/")
		if !ok || ns == "" || net.ParseIP(ip) == nil {
			return nil, fmt.Errorf("--replica-at %q: want NETNS/IP, such as etb-v0/10.77.0.2", s)
		}
		out = append(out, replicaPlace{ns, ip})
	}
	return out, nil
}

// launchReplicaProcesses starts each validator as `exe bench consensus
// replica` (inside `ip netns exec` when places says where), exchanging the
// validator set and samples over its stdin and stdout; each runs Go code
// on procs threads (GOMAXPROCS; 0: as this process).
func launchReplicaProcesses(exe, profile string, places []replicaPlace, procs int, stderr io.Writer) node.ReplicaLauncher {
	return func(ctx context.Context, cfg node.ConsensusBenchConfig) (*node.BenchCluster, error) {
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
		fail := func(err error) (*node.BenchCluster, error) {
			stop()
			return nil, err
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
		var peers []ledgerclient.ValidatorPeer
		for i := 0; i < cfg.Replicas; i++ {
			args := []string{"bench", "consensus", "replica", "--dir", filepath.Join(cfg.Dir, fmt.Sprintf("wal%d", i)),
				"--batch", strconv.Itoa(cfg.Batch), "--batch-delay", cfg.BatchDelay.String()}
			if profile != "" {
				args = append(args, "--cpuprofile", fmt.Sprintf("%s.replica%d", profile, i))
			}
			name := exe
			if places != nil {
				args = append([]string{"netns", "exec", places[i].netns, exe}, append(args, "--listen", net.JoinHostPort(places[i].ip, "0"))...)
				name = "ip"
			}
			cmd := exec.CommandContext(ctx, name, args...)
			cmd.Stderr = stderr
			if procs > 0 {
				cmd.Env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(procs))
			}
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
			var p ledgerclient.ValidatorPeer
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
		sample := func() ([]node.ReplicaSample, error) {
			out := make([]node.ReplicaSample, len(children))
			for i, c := range children {
				if _, err := io.WriteString(c.stdin, "sample\n"); err != nil {
					return nil, fmt.Errorf("replica %d: ask for a sample: %w", i, err)
				}
				line, err := readLine(i, c)
				if err != nil {
					return nil, err
				}
				if err := json.Unmarshal(line, &out[i]); err != nil {
					return nil, fmt.Errorf("replica %d sampled %q: %w", i, line, err)
				}
			}
			return out, nil
		}
		return &node.BenchCluster{Peers: peers, Separate: true, Sample: sample, Stop: stop}, nil
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
	r, err := node.NewBenchReplica(ctx.Path(benchDirFlag.Name), ctx.String(benchListenFlag.Name), log)
	if err != nil {
		return err
	}
	defer r.Close()
	entry, err := json.Marshal(r.Peer())
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "%s\n", entry)
	in := bufio.NewScanner(os.Stdin)
	if !in.Scan() {
		return fmt.Errorf("read the validator set from stdin: %w", cmp.Or(in.Err(), io.ErrUnexpectedEOF))
	}
	var peers []ledgerclient.ValidatorPeer
	if err := json.Unmarshal(in.Bytes(), &peers); err != nil {
		return fmt.Errorf("validator set on stdin: %w", err)
	}
	if err := r.Start(ctx.Context, peers, node.ConsensusBenchConfig{Batch: ctx.Int(benchBatchFlag.Name), BatchDelay: ctx.Duration(benchDelayFlag.Name)}); err != nil {
		return err
	}
	fmt.Fprintln(ctx.App.Writer, "ready")
	// Answer samples until the benchmark closes stdin (or exits).
	for in.Scan() {
		if in.Text() != "sample" {
			return fmt.Errorf("unexpected line on stdin: %q", in.Text())
		}
		b, err := json.Marshal(r.Sample())
		if err != nil {
			return err
		}
		fmt.Fprintf(ctx.App.Writer, "%s\n", b)
	}
	return in.Err()
}
