package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/devnet"
	"github.com/enigma-mpc/enigma/node"
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/worker"
)

var (
	devnetValidatorsFlag    = &cli.IntFlag{Name: "validators", Usage: "validator nodes (at least 4)", Value: 4, Category: catDevnet}
	devnetWorkersFlag       = &cli.IntFlag{Name: "workers", Usage: "worker nodes", Value: 2, Category: catDevnet}
	devnetPersistenceFlag   = &cli.IntFlag{Name: "persistence", Usage: "persistence nodes", Value: 2, Category: catDevnet}
	devnetPlainFlag         = &cli.IntFlag{Name: "plain", Usage: "plain overlay nodes", Value: 2, Category: catDevnet}
	devnetProbeIntervalFlag = &cli.DurationFlag{Name: "police.probe-interval", Usage: "time between the validators' probe rounds of the persistence nodes",
		Value: devnetProbeInterval, Category: catDevnet}
	devnetProbeFailuresFlag = &cli.IntFlag{Name: "police.probe-failures", Usage: "probe rounds in a row a dataset's persistence nodes must all miss before the validators attest it offline and slash it",
		Value: node.DefaultConfig().Police.ProbeFailures, Category: catDevnet}
	blockPeriodFlag = &cli.DurationFlag{Name: "block-period", Usage: "the dev chain's empty-block period while no transaction comes: 1s or more keeps the chain's clock on the wall clock; " +
		"less runs it 1s/period times faster (250ms: 4×), e.g. to see trials and subscription periods end sooner", Value: time.Second, Category: catDevnet}
	devnetMetricsFlag = &cli.BoolFlag{Name: "metrics", Usage: "every node serves /metrics, /healthz and /readyz on a free port of 127.0.0.1 (the URLs are printed), as 'node run --metrics.addr' does",
		Category: catDevnet}
	devnetHTTPFlag = &cli.StringFlag{Name: "http.addr", Usage: "host:port where a plain node serves the HTTP API and web explorer (empty: none; port 0: any free port)", Value: "127.0.0.1:0", EnvVars: envName("http.addr"), Category: catDevnet}
)

var devnetCommand = &cli.Command{
	Name:  "devnet",
	Usage: "run a whole enigma network in this process on 127.0.0.1 (embedded chain, validators, workers, persistence nodes)",
	Description: "Starts the embedded dev chain with the contracts deployed and dev accounts funded, registers\n" +
		"the validators on chain, and starts every node with its own directory under --datadir. The dev\n" +
		"accounts are imported into <datadir>/keystore (password \"devnet\") and the deployment is recorded\n" +
		"in <datadir>/deployment.json, so other terminals use the network with the same --datadir plus\n" +
		"the --chain.rpc and --bootstrap values printed here. Runs until interrupted.",
	Flags:  []cli.Flag{devnetValidatorsFlag, devnetWorkersFlag, devnetPersistenceFlag, devnetPlainFlag, devnetHTTPFlag, devnetProbeIntervalFlag, devnetProbeFailuresFlag, blockPeriodFlag, devnetMetricsFlag, puzzleStaticFlag, puzzleDynamicFlag},
	Action: devnetRun,
	Subcommands: []*cli.Command{
		{
			Name:      "stage",
			Usage:     "put a dataset's input files into the job directory of every devnet worker (the provider's data feed)",
			ArgsUsage: "<provider>/<name> FILE...",
			Action:    devnetStage,
		},
	},
}

func devnetRun(ctx *cli.Context) error {
	dir := datadir(ctx)
	if _, err := os.Stat(filepath.Join(dir, devnet.InfoFile)); err == nil {
		return fmt.Errorf("%s already holds a devnet: pick another --datadir (a devnet is not restartable)", dir)
	}
	puzzle, err := overlayPuzzle(ctx)
	if err != nil {
		return err
	}
	sctx, stop := signal.NotifyContext(ctx.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	d, err := devnet.Start(sctx, devnet.Config{
		Puzzle: puzzle,
		Dir:    dir, Validators: ctx.Int(devnetValidatorsFlag.Name), Workers: ctx.Int(devnetWorkersFlag.Name),
		Persistence: ctx.Int(devnetPersistenceFlag.Name), Plain: ctx.Int(devnetPlainFlag.Name), HTTP: node.HTTPSettings{Addr: ctx.String(devnetHTTPFlag.Name)},
		Worker:        worker.Config{Retry: worker.RetryPolicy{InitialBackoff: devnetRetry, MaxBackoff: 4 * devnetRetry}},
		ProbeInterval: ctx.Duration(devnetProbeIntervalFlag.Name), ProbeFailures: ctx.Int(devnetProbeFailuresFlag.Name),
		BlockPeriod: ctx.Duration(blockPeriodFlag.Name), Metrics: ctx.Bool(devnetMetricsFlag.Name),
	})
	if err != nil {
		return err
	}
	defer d.Stop()
	if err := saveDeployment(ctx, d.Chain.Deployment); err != nil {
		return err
	}
	if err := writeDevnetProfile(dir, d.Info, puzzle.Static, puzzle.Dynamic); err != nil {
		return err
	}
	w := ctx.App.Writer
	fmt.Fprintf(w, "Devnet running (Ctrl-C stops it).\n")
	fmt.Fprintf(w, "  chain RPC:   %s (chain ID %d)\n", d.Info.RPC, d.Info.ChainID)
	fmt.Fprintf(w, "  marketplace: %s\n  token:       %s\n", d.Info.Market.Hex(), d.Info.Token.Hex())
	fmt.Fprintf(w, "  bootstrap:   %s\n", d.Info.Bootstrap)
	fmt.Fprintf(w, "  keystore:    %s (password %q)\n", d.Info.Keystore, d.Info.Password)
	for i, a := range d.Info.Accounts {
		fmt.Fprintf(w, "  account %d:   %s\n", i, a.Hex())
	}
	fmt.Fprintf(w, "  workers:     %v\n  persistence: %v\n", d.Info.Workers, d.Info.Persisters)
	fmt.Fprintf(w, "  puzzles:     c1 = %d, c2 = %d\n", puzzle.Static, puzzle.Dynamic)
	probe, misses := ctx.Duration(devnetProbeIntervalFlag.Name), ctx.Int(devnetProbeFailuresFlag.Name)
	fmt.Fprintf(w, "  police:      probes every %s; a dataset whose persistence nodes miss %d rounds in a row (≈%s offline) is slashed (--police.probe-interval, --police.probe-failures); a new dataset's nodes get %s to learn of it first\n",
		probe, misses, time.Duration(misses)*probe, devnet.DefaultProbeGrace)
	fmt.Fprintf(w, "  chain clock: %s\n", chainClockLine(d.Chain))
	for i, m := range d.Nodes {
		if u := m.MetricsURL(); u != "" {
			fmt.Fprintf(w, "  metrics:     node %d (%s) %s/metrics (and /healthz, /readyz)\n", i, roleNames(m.Roles), u)
		}
	}
	if d.Info.Explorer != "" {
		fmt.Fprintf(w, "  explorer:    %s (API: %sapi/v1/, described at %sapi/v1/openapi.json)\n", d.Info.Explorer, d.Info.Explorer, d.Info.Explorer)
	}
	fmt.Fprintf(w, "  profile:     %s (chain, bootstrap, puzzles, the keystore's password file)\n", profilePath(dir))
	fmt.Fprintf(w, "Use it from another terminal with:\n  export ENIGMA_DATADIR=%s\n  enigma market list\n"+
		"and choose the paying account with --account (or once: enigma config set --account 0x…).\n", dir)
	<-sctx.Done()
	fmt.Fprintln(w, "Stopping the devnet.")
	return nil
}

func devnetStage(ctx *cli.Context) error {
	if ctx.NArg() < 2 {
		return errors.New("usage: enigma devnet stage <provider>/<name> FILE…")
	}
	path, err := dataset.ParsePath(ctx.Args().First())
	if err != nil {
		return err
	}
	info, err := devnet.LoadInfo(datadir(ctx))
	if err != nil {
		return err
	}
	files := make(map[string][]byte)
	for _, f := range ctx.Args().Slice()[1:] {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		files[filepath.Base(f)] = b
	}
	for _, dir := range info.WorkerDirs {
		if err := devnet.StageFeed(dir, path.ID(), files); err != nil {
			return err
		}
	}
	fmt.Fprintf(ctx.App.Writer, "Staged %d file(s) for %s on %d worker(s).\n", len(files), path, len(info.Workers))
	return nil
}

func roleNames(roles []nodeinfo.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return strings.Join(names, ",")
}

// chainClockLine says how a dev chain's clock relates to the wall clock.
func chainClockLine(dc *chain.DevChain) string {
	p := dc.BlockPeriod()
	rate := "follows the wall clock"
	if r := dc.ClockRate(); r > 1 {
		rate = fmt.Sprintf("runs %.3g× the wall clock (subscription periods and trials end %.3g× sooner)", r, r)
	}
	return fmt.Sprintf("a block as soon as a transaction waits, an empty one every %s otherwise: the chain's time %s; "+
		"bursts of transactions put it ahead for a while (each block is at least 1 s after the last; --block-period)", p, rate)
}

// devnetPasswordFile holds the dev keystore's password (public, like the
// dev keys) so the devnet's profile can name it.
const devnetPasswordFile = "devnet.password"

// writeDevnetProfile records in dir's client profile what another terminal
// needs to use the devnet: the chain, the Marketplace, the bootstrap peer,
// the puzzle difficulty and the keystore's password file. A dev chain mines
// on demand, so no confirmations are awaited.
func writeDevnetProfile(dir string, info devnet.Info, static, dynamic int) error {
	pwFile := filepath.Join(dir, devnetPasswordFile)
	if err := os.WriteFile(pwFile, []byte(info.Password+"\n"), node.FileMode); err != nil {
		return fmt.Errorf("write the devnet's password file: %w", err)
	}
	abs, err := filepath.Abs(pwFile)
	if err != nil {
		return err
	}
	p, err := loadProfile(dir)
	if err != nil {
		return err
	}
	var none uint64
	p.Chain.RPC, p.Chain.ID, p.Chain.Confirmations, p.Chain.Market = info.RPC, info.ChainID, &none, info.Market.Hex()
	p.Overlay.Bootstrap = []string{info.Bootstrap}
	p.Overlay.PuzzleStatic, p.Overlay.PuzzleDynamic = &static, &dynamic
	p.Account.PasswordFile = abs
	return writeProfile(dir, p)
}

// devnetProbeInterval is the devnet validators' probe interval unless
// --police.probe-interval says otherwise: short, so the police can be
// watched at work.
const devnetProbeInterval = time.Second

// devnetRetry is how soon a devnet worker retries a failed run: short, so a
// run that started before its input was staged soon succeeds.
const devnetRetry = 2 * time.Second
