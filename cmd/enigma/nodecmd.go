package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/httpapi"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/node"
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

var (
	rolesFlag = &cli.StringFlag{
		Name:     "roles",
		Aliases:  []string{"role"},
		Usage:    "comma-separated roles: validator, overlay, worker, persistence (overlay is always on)",
		Value:    "overlay",
		EnvVars:  envName("roles"),
		Category: catNode,
	}
	listenFlag = &cli.StringFlag{
		Name:     "listen",
		Usage:    "UDP host:port the overlay's QUIC endpoint listens on",
		Value:    node.DefaultConfig().Overlay.Listen,
		EnvVars:  envName("listen"),
		Category: catNode,
	}
	bootstrapFlag = &cli.StringSliceFlag{
		Name:     "bootstrap",
		Usage:    "overlay node to join through, as <node ID>@<host:port> (repeatable)",
		EnvVars:  envName("bootstrap"),
		Category: catNode,
	}
	metricsAddrFlag = &cli.StringFlag{
		Name:     "metrics.addr",
		Usage:    "host:port for Prometheus /metrics and /healthz (empty disables)",
		Value:    node.DefaultConfig().Metrics.Addr,
		EnvVars:  envName("metrics.addr"),
		Category: catNode,
	}
	httpAddrFlag = &cli.StringFlag{
		Name:     "http.addr",
		Usage:    "host:port for the read-only HTTP API (/api/v1/) and web explorer (/); empty disables them",
		EnvVars:  envName("http.addr"),
		Category: catNode,
	}
	probeIntervalFlag = &cli.DurationFlag{
		Name:     "police.probe-interval",
		Usage:    "time between a validator's probe rounds of the persistence nodes",
		Value:    node.DefaultConfig().Police.ProbeInterval,
		EnvVars:  envName("police.probe-interval"),
		Category: catNode,
	}
	// faultEquivocateFlag is fault injection for the process tests; hidden
	// from help because it makes the validator Byzantine on purpose.
	faultEquivocateFlag = &cli.BoolFlag{
		Name:     "fault.equivocate",
		Usage:    "FAULT INJECTION: as primary, send conflicting batches to half of the backups (a Byzantine validator, for tests)",
		Hidden:   true,
		Category: catNode,
	}
	epochCheckFlag = &cli.DurationFlag{
		Name:     "validator.epoch-check",
		Usage:    "how often a validator reads the chain's current validator epoch",
		Value:    node.DefaultConfig().Validator.EpochCheckInterval,
		EnvVars:  envName("validator.epoch-check"),
		Category: catNode,
	}
	leaveAfterFlag = &cli.DurationFlag{
		Name:     "validator.leave-after",
		Usage:    "how long a validator that left the set serves state transfer before its replica stops",
		Value:    node.DefaultConfig().Validator.LeaveAfter,
		EnvVars:  envName("validator.leave-after"),
		Category: catNode,
	}
	probeFailuresFlag = &cli.IntFlag{
		Name:     "police.probe-failures",
		Usage:    "probe rounds in a row every persistence node of a dataset must miss before it is attested offline",
		Value:    node.DefaultConfig().Police.ProbeFailures,
		EnvVars:  envName("police.probe-failures"),
		Category: catNode,
	}
	probeGraceFlag = &cli.DurationFlag{
		Name:     "police.probe-grace",
		Usage:    "how long a dataset none of whose persistence nodes has answered yet is probed before its misses count (0s: from the first round)",
		Value:    node.DefaultConfig().Police.ProbeGrace,
		EnvVars:  envName("police.probe-grace"),
		Category: catNode,
	}
)

// devChainID is the chain ID of dev chains: go-ethereum's simulated
// backend (enigma devnet, contracts devchain) and geth --dev.
var devChainID = node.DefaultConfig().Chain.ChainID

func nodeInit(ctx *cli.Context) error {
	dir := datadir(ctx)
	if err := node.PrepareDatadir(dir, slog.Default()); err != nil {
		return err
	}
	roles, err := nodeinfo.ParseRoles(ctx.String(rolesFlag.Name))
	if err != nil {
		return err
	}
	cfg := node.DefaultConfig()
	cfg.Roles = roles
	cfg.Overlay.Listen = ctx.String(listenFlag.Name)
	cfg.Overlay.Bootstrap = ctx.StringSlice(bootstrapFlag.Name)
	cfg.Metrics.Addr = ctx.String(metricsAddrFlag.Name)
	cfg.HTTP.Addr = ctx.String(httpAddrFlag.Name)
	cfg.Chain.RPC = ctx.String(chainRPCFlag.Name)
	if ctx.IsSet(chainIDFlag.Name) {
		cfg.Chain.ChainID = ctx.Uint64(chainIDFlag.Name)
	}
	// A dev chain mines a block only when a transaction comes, so a block
	// would wait for a confirmation until the next transaction: none there.
	if ctx.IsSet(chainConfirmationsFlag.Name) {
		cfg.Chain.Confirmations = ctx.Uint64(chainConfirmationsFlag.Name)
	} else if cfg.Chain.ChainID == devChainID {
		cfg.Chain.Confirmations = 0
	}
	if market, err := marketAddress(ctx); err == nil {
		cfg.Chain.Marketplace = market.Hex()
	}
	if err := node.WriteConfig(dir, cfg); err != nil {
		return err
	}
	key, err := identity.LoadNodeKey(nodeKeyPath(ctx))
	if errors.Is(err, fs.ErrNotExist) {
		key, err = newOverlayKey(ctx, nodeKeyPath(ctx))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Datadir: %s\nConfig: %s\nNode ID: %s\n", dir, filepath.Join(dir, node.ConfigFile), key.ID())
	return nil
}

var nodeCommand = &cli.Command{
	Name:  "node",
	Usage: "run and manage an enigma node",
	Subcommands: []*cli.Command{
		{
			Name:  "init",
			Usage: "prepare a datadir: node key (if missing) and config.toml",
			Description: "Writes <datadir>/config.toml from the flags given (and the client profile, the environment);\n" +
				"edit it afterwards, or override its settings with the flags of 'enigma node run'. The chain ID is\n" +
				"--chain.id (default 1337, a dev chain); chain.confirmations is --chain.confirmations, else 0 on a\n" +
				"dev chain (it mines on demand: a block would wait for the next transaction) and 1 elsewhere. The\n" +
				"Marketplace is --market.address or the recorded deployment's. A new datadir is created 0700 and its\n" +
				"files 0600; an existing datadir open to other users draws a warning with the chmod that closes it.",
			Flags: append([]cli.Flag{nodeKeyFlag, rolesFlag, listenFlag, bootstrapFlag, metricsAddrFlag, httpAddrFlag,
				chainRPCFlag, chainIDFlag, chainConfirmationsFlag, marketAddressFlag}, overlayFlags...),
			Action: nodeInit,
		},
		{
			Name:  "run",
			Usage: "run the node with its roles: validator, overlay, worker, persistence",
			Description: "Joins the S/Kademlia overlay through --bootstrap (none: start a new overlay), prints\n" +
				"'Overlay node <id>@<addr>' when ready and serves until interrupted (SIGINT/SIGTERM stop it\n" +
				"cleanly, closing every store). Settings come from <datadir>/config.toml if present; flags\n" +
				"override it. A node with only the overlay role and no Marketplace configured runs without a\n" +
				"chain; every other role follows the Marketplace at --market.address on --chain.rpc. A validator\n" +
				"given its registered --account probes persistence nodes and slashes offline datasets.",
			Flags: append([]cli.Flag{nodeKeyFlag, rolesFlag, listenFlag, bootstrapFlag, metricsAddrFlag, httpAddrFlag, chainRPCFlag, chainConfirmationsFlag, marketAddressFlag,
				accountFlag, passwordFileFlag, lightKDFFlag, probeIntervalFlag, probeFailuresFlag, probeGraceFlag, epochCheckFlag, leaveAfterFlag, faultEquivocateFlag}, overlayFlags...),
			Action: nodeRun,
		},
		nodeDoctorCommand,
		{
			Name:  "key",
			Usage: "manage the node's Ed25519 identity key",
			Subcommands: []*cli.Command{
				{
					Name:   "new",
					Usage:  "create the node key, solving the overlay's crypto puzzles (refuses to overwrite an existing one)",
					Flags:  append([]cli.Flag{nodeKeyFlag}, overlayFlags...),
					Action: nodeKeyNew,
				},
				{
					Name:   "show",
					Usage:  "print the node ID and public key",
					Flags:  []cli.Flag{nodeKeyFlag},
					Action: nodeKeyShow,
				},
			},
		},
	},
}

func nodeKeyNew(ctx *cli.Context) error {
	path := nodeKeyPath(ctx)
	start := time.Now()
	key, err := newOverlayKey(ctx, path)
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Node ID: %s\nKey file: %s\nPuzzle solution: %s (c1=%d, c2=%d, %.1fs)\n", key.ID(), path,
		overlay.PuzzlePath(path), ctx.Int(puzzleStaticFlag.Name), ctx.Int(puzzleDynamicFlag.Name), time.Since(start).Seconds())
	return nil
}

// nodeRun runs the overlay role: the minimal node until the full composition
// in package node takes over.
func nodeRun(ctx *cli.Context) error {
	cfg := node.DefaultConfig()
	if _, err := os.Stat(filepath.Join(datadir(ctx), node.ConfigFile)); err == nil {
		if cfg, err = node.LoadConfig(datadir(ctx)); err != nil {
			return err
		}
	}
	if ctx.IsSet(rolesFlag.Name) {
		roles, err := nodeinfo.ParseRoles(ctx.String(rolesFlag.Name))
		if err != nil {
			return err
		}
		cfg.Roles = roles
	}
	if ctx.IsSet(listenFlag.Name) {
		cfg.Overlay.Listen = ctx.String(listenFlag.Name)
	}
	if ctx.IsSet(metricsAddrFlag.Name) {
		cfg.Metrics.Addr = ctx.String(metricsAddrFlag.Name)
	}
	if ctx.IsSet(httpAddrFlag.Name) {
		cfg.HTTP.Addr = ctx.String(httpAddrFlag.Name)
	}
	if ctx.IsSet(probeIntervalFlag.Name) {
		cfg.Police.ProbeInterval = ctx.Duration(probeIntervalFlag.Name)
	}
	if ctx.IsSet(probeFailuresFlag.Name) {
		cfg.Police.ProbeFailures = ctx.Int(probeFailuresFlag.Name)
	}
	if ctx.IsSet(probeGraceFlag.Name) {
		cfg.Police.ProbeGrace = ctx.Duration(probeGraceFlag.Name)
	}
	if ctx.IsSet(epochCheckFlag.Name) {
		cfg.Validator.EpochCheckInterval = ctx.Duration(epochCheckFlag.Name)
	}
	if ctx.IsSet(leaveAfterFlag.Name) {
		cfg.Validator.LeaveAfter = ctx.Duration(leaveAfterFlag.Name)
	}
	if ctx.IsSet(chainRPCFlag.Name) {
		cfg.Chain.RPC = ctx.String(chainRPCFlag.Name)
	}
	if ctx.IsSet(chainConfirmationsFlag.Name) {
		cfg.Chain.Confirmations = ctx.Uint64(chainConfirmationsFlag.Name)
	}
	if ctx.IsSet(marketAddressFlag.Name) || cfg.Chain.Marketplace == "" {
		if market, err := marketAddress(ctx); err == nil {
			cfg.Chain.Marketplace = market.Hex()
		} else if len(cfg.Roles) > 1 {
			return err
		}
	}
	if ctx.IsSet(bootstrapFlag.Name) {
		cfg.Overlay.Bootstrap = ctx.StringSlice(bootstrapFlag.Name)
	}
	var peers []overlay.Peer
	for _, s := range cfg.Overlay.Bootstrap {
		p, err := overlay.ParsePeer(s)
		if err != nil {
			return err
		}
		peers = append(peers, p)
	}
	p, err := overlayPuzzle(ctx)
	if err != nil {
		return err
	}
	keyPath := nodeKeyPath(ctx)
	key, err := identity.LoadNodeKey(keyPath)
	if err != nil {
		return err
	}
	x, err := overlay.LoadOrSolvePuzzle(overlay.PuzzlePath(keyPath), key, p)
	if err != nil {
		return err
	}
	if cfg.Chain.Marketplace != "" {
		return runFullNode(ctx, cfg, key, x, p, peers)
	}
	return runOverlayNode(ctx, cfg, overlayNodeConfig(ctx, key, x, p, cfg.Overlay.Listen, nil), peers)
}

// runOverlayNode runs a node without a chain: the overlay alone, with its
// metrics on cfg.Metrics.Addr like a full node's.
func runOverlayNode(ctx *cli.Context, cfg node.Config, ocfg overlay.Config, peers []overlay.Peer) error {
	services := node.New(slog.Default())
	metrics, err := overlay.NewMetrics(services.Registry())
	if err != nil {
		return err
	}
	ocfg.Metrics = metrics
	n, err := overlay.Start(ocfg)
	if err != nil {
		return err
	}
	// The service closes the overlay node when the services stop.
	services.Add(node.OverlayService(n, len(peers) > 0))
	sctx, stop := signal.NotifyContext(ctx.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	var ms *node.MetricsServer
	if cfg.Metrics.Addr != "" {
		ms = node.NewMetricsServer(cfg.Metrics.Addr, services)
		services.Add(ms)
	}
	if err := services.Start(sctx); err != nil {
		return err // Start stopped what it started, the overlay node included
	}
	defer services.Stop()
	if len(peers) > 0 {
		bctx, cancel := context.WithTimeout(sctx, 30*time.Second)
		err := n.Bootstrap(bctx, peers)
		cancel()
		if err != nil {
			return fmt.Errorf("join the overlay: %w", err)
		}
		slog.Info("joined the overlay", "contacts", len(n.Contacts()))
	}
	fmt.Fprintf(ctx.App.Writer, "Overlay node %s\n", n.Self())
	if ms != nil {
		fmt.Fprintf(ctx.App.Writer, "Metrics: http://%s/metrics\n", ms.Addr())
	}
	<-sctx.Done()
	slog.Info("stopping the overlay node")
	return nil
}

func nodeKeyShow(ctx *cli.Context) error {
	key, err := identity.LoadNodeKey(nodeKeyPath(ctx))
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Node ID: %s\nPublic key: %x\n", key.ID(), []byte(key.Public()))
	return nil
}

// runFullNode assembles every configured role against the chain and serves
// until SIGINT or SIGTERM, then stops the roles in reverse order.
func runFullNode(ctx *cli.Context, cfg node.Config, key *identity.NodeKey, x [32]byte, p kademlia.Puzzle, peers []overlay.Peer) error {
	sctx, stop := signal.NotifyContext(ctx.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The overlay and the ledger sign for the chain the node follows.
	c, err := chain.Dial(sctx, cfg.Chain.RPC, common.HexToAddress(cfg.Chain.Marketplace), cfg.Chain.Confirmations)
	if err != nil {
		return fmt.Errorf("connect to the chain at %s: %w", cfg.Chain.RPC, err)
	}
	cfg.Chain.ChainID = c.ChainID().Uint64()
	opts := node.Options{Datadir: datadir(ctx), Config: cfg, Key: key, PuzzleSolution: x, Puzzle: p, Logger: slog.Default(),
		Equivocate: ctx.Bool(faultEquivocateFlag.Name)}
	if opts.Equivocate {
		slog.Warn("fault injection: this validator equivocates as primary (--fault.equivocate); never use it outside tests")
	}
	if cfg.HasRole(nodeinfo.RoleValidator) && ctx.String(accountFlag.Name) != "" {
		// The validator's registered account signs slash attestations and
		// pays for slashes; without it the validator does not police.
		if opts.ValidatorAccount, err = unlockAccount(ctx); err != nil {
			return err
		}
	}
	r, err := node.Assemble(sctx, opts)
	if err != nil {
		return err
	}
	if dep, ok, err := loadDeployment(ctx); err == nil && ok && cfg.HTTP.EventsFrom == 0 && dep.Market == common.HexToAddress(cfg.Chain.Marketplace) {
		cfg.HTTP.EventsFrom = dep.Block // the API reads the Marketplace's events from its deployment
	}
	api := httpapi.Attach(r, cfg.HTTP, cfg.Roles, slog.Default())
	if err := r.Start(sctx); err != nil {
		return err
	}
	defer func() {
		if err := r.Stop(); err != nil {
			slog.Error("shutdown", "err", err)
		}
	}()
	if len(peers) > 0 {
		bctx, cancel := context.WithTimeout(sctx, 30*time.Second)
		err := r.Bootstrap(bctx, peers)
		cancel()
		if err != nil {
			return fmt.Errorf("join the overlay: %w", err)
		}
	}
	fmt.Fprintf(ctx.App.Writer, "Overlay node %s\nRoles: %v\n", r.Overlay.Self(), cfg.Roles)
	if r.Metrics != nil {
		fmt.Fprintf(ctx.App.Writer, "Metrics: http://%s/metrics\n", r.Metrics.Addr())
	}
	if api != nil {
		fmt.Fprintf(ctx.App.Writer, "Explorer: %s (API: %sapi/v1/)\n", api.URL(), api.URL())
	}
	<-sctx.Done()
	slog.Info("stopping the node")
	return nil
}
