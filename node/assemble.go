package node

import (
	"cmp"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/chain/chainview"
	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/consensus/pebblestore"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerclient"
	"github.com/enigma-mpc/enigma/ledger/ledgerdb"
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
	"github.com/enigma-mpc/enigma/overlay/records"
	"github.com/enigma-mpc/enigma/worker"
	"github.com/enigma-mpc/enigma/worker/workerkeys"
)

// Options are what a node needs besides its Config.
type Options struct {
	Datadir        string
	Config         Config
	Key            *identity.NodeKey
	PuzzleSolution [32]byte
	Puzzle         kademlia.Puzzle
	Bootstrap      []overlay.Peer
	// Worker carries the operator's worker settings (sandbox allow-lists,
	// retries); the role fills in identity, storage and transport.
	Worker worker.Config
	// CatalogInterval is how often certified metadata is polled (default 2s).
	CatalogInterval time.Duration
	// TuneConsensus adjusts the replica's configuration (tests, benchmarks).
	TuneConsensus func(*consensus.Config)
	// ValidatorAccount is the validator's Ethereum account (the one the
	// registry lists), which signs slash digests and pays for slashes. Nil:
	// the validator probes nothing.
	ValidatorAccount *ecdsa.PrivateKey
	// Equivocate makes the validator Byzantine (fault tests only; see
	// ValidatorConfig.Equivocate).
	Equivocate bool
	// Clock is the node's time (nil: the system clock): the catalog's
	// polls, the validator's ticks, epoch checks and leaving, the police's
	// rounds, the chain endpoint's health polls, the worker's schedules and
	// grant expiry, the persistence role's probe windows, caches, trial and
	// push-slot checks and query timings, and the info protocol's request
	// expiry. The overlay and the chain client keep the system clock: their
	// timers bound real network round trips (see the package doc).
	Clock  clock.Clock
	Logger *slog.Logger
}

// Running is an assembled node and handles on its parts.
type Running struct {
	*Node
	Overlay     *overlay.DHT
	Chain       *chain.Client
	View        *chainview.View
	Catalog     *Catalog
	Validator   *Validator
	Persistence *Persistence
	Worker      *WorkerRole
	Ledger      *ledgerdb.DB
	Metrics     *MetricsServer
}

// overlayService lets the lifecycle close the overlay node last; it is
// ready once it knows a peer (when it has bootstrap peers to join through).
type overlayService struct {
	n *overlay.DHT
	overlayPeers
}

// OverlayService is the overlay node as a service: Stop closes it, and it
// is ready once it knows a peer if it was given bootstrap peers to join
// through (an overlay-only node uses it too).
func OverlayService(n *overlay.DHT, bootstrap bool) Service {
	return overlayService{n: n, overlayPeers: overlayPeers{contacts: func() int { return len(n.Contacts()) }, bootstrap: bootstrap}}
}

func (s overlayService) Name() string                { return "overlay" }
func (s overlayService) Start(context.Context) error { return nil }
func (s overlayService) Stop() error                 { return s.n.Close() }

type closerService struct {
	name  string
	close func() error
}

func (s closerService) Name() string                { return s.name }
func (s closerService) Start(context.Context) error { return nil }
func (s closerService) Stop() error                 { return s.close() }

// Assemble builds a node from its configuration: chain client, overlay
// node, and each configured role, wired together. Call Start on the result;
// Stop closes everything, stores included. On error nothing stays open.
//
// Assemble sets the process umask to 077, so every file the node creates
// (its Pebble stores' files included) is 0600 and every directory 0700; it
// narrows the modes of stores an older version created, and warns once if
// the datadir itself is open to other users (PrepareDatadir).
func Assemble(ctx context.Context, opts Options) (_ *Running, err error) {
	cfg := opts.Config
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.CatalogInterval <= 0 {
		opts.CatalogInterval = 2 * time.Second
	}
	if opts.Clock == nil {
		opts.Clock = clock.System{}
	}
	log := opts.Logger.With("node", opts.Key.ID().Short())
	restrictUmask()
	if err := PrepareDatadir(opts.Datadir, log); err != nil {
		return nil, err
	}
	if !common.IsHexAddress(cfg.Chain.Marketplace) {
		return nil, fmt.Errorf("chain.marketplace %q is not a contract address: set it in config.toml or with --market.address", cfg.Chain.Marketplace)
	}
	client, err := chain.Dial(ctx, cfg.Chain.RPC, common.HexToAddress(cfg.Chain.Marketplace), cfg.Chain.Confirmations)
	if err != nil {
		return nil, fmt.Errorf("connect to the chain at %s: %w", cfg.Chain.RPC, err)
	}
	if got := client.ChainID().Uint64(); got != cfg.Chain.ChainID {
		return nil, fmt.Errorf("the chain at %s has chain ID %d, the config says %d", cfg.Chain.RPC, got, cfg.Chain.ChainID)
	}
	r := &Running{Node: New(log), Chain: client, View: chainview.New(client, cfg.Chain.Confirmations)}
	defer func() {
		if err != nil {
			err = errors.Join(err, r.closeAll())
		}
	}()

	metrics, err := overlay.NewMetrics(r.Registry())
	if err != nil {
		return nil, err
	}
	chainID := cfg.Chain.ChainID
	kad := records.OverlayProtocol(chainID, opts.Puzzle, r.View)
	kad.Store.MaxBytes, kad.Store.MaxPublisherBytes = int64(cfg.Overlay.StoreMiB)<<20, int64(cfg.Overlay.PublisherMiB)<<20
	r.Overlay, err = overlay.Start(overlay.Config{
		Key: opts.Key, PuzzleSolution: opts.PuzzleSolution, ListenAddr: cfg.Overlay.Listen,
		Kad:    kad,
		Logger: log, Metrics: metrics,
	})
	if err != nil {
		return nil, err
	}
	r.Add(OverlayService(r.Overlay, len(cfg.Overlay.Bootstrap) > 0 || len(opts.Bootstrap) > 0))
	chainHealth, err := NewChainHealth(client, cfg.Chain.RPC, 0, opts.Clock, r.Registry())
	if err != nil {
		return nil, err
	}
	r.Add(chainHealth)
	dht := records.DHT{Overlay: r.Overlay, View: r.View}
	host := r.Overlay.Host()

	if cfg.HasRole(nodeinfo.RoleWorker) || cfg.HasRole(nodeinfo.RolePersistence) {
		r.Catalog = NewCatalog(client, dht, opts.CatalogInterval, opts.Clock, log)
	}
	if cfg.HasRole(nodeinfo.RolePersistence) {
		r.Persistence, err = NewPersistence(PersistenceConfig{
			Self: opts.Key.ID(), Dir: DatasetsDir(opts.Datadir), ChainID: chainID,
			Access: r.View, Catalog: r.Catalog, Clock: opts.Clock, Logger: log, Registry: r.Registry(),
			Backend: cfg.Persistence.Backend, PostgresDSN: postgresDSN(cfg.Persistence.PostgresDSN),
			ExternalTables: cfg.Persistence.ExternalTables, CacheBytes: int64(cfg.Persistence.CacheMiB) << 20,
			Push: PushReceiverConfig{MaxSlotSkew: cfg.Persistence.MaxSlotSkew, Registerer: r.Registry()},
		})
		if err != nil {
			return nil, err
		}
		r.Add(r.Persistence)
		if err := privateStore(DatasetsDir(opts.Datadir)); err != nil {
			return nil, err
		}
		for proto, h := range r.Persistence.Handlers() {
			host.Handle(proto, h)
		}
	}
	if cfg.HasRole(nodeinfo.RoleWorker) {
		wc := opts.Worker
		wc.Registerer = r.Registry()
		r.Worker, err = NewWorkerRole(WorkerRoleConfig{
			Self: opts.Key.ID(), Dir: filepath.Join(opts.Datadir, "worker"), ChainID: chainID,
			Net: host, Owners: r.View, Access: r.View, Catalog: r.Catalog, Worker: wc, Clock: opts.Clock, Registry: r.Registry(), Logger: log,
		})
		if err != nil {
			return nil, err
		}
		r.Add(r.Worker)
		if err := privateDir(filepath.Join(opts.Datadir, "worker")); err != nil {
			return nil, err
		}
		for proto, h := range r.Worker.Handlers() {
			host.Handle(proto, h)
		}
	}
	if cfg.HasRole(nodeinfo.RoleValidator) {
		if err := r.addValidator(ctx, opts, dht, log); err != nil {
			return nil, err
		}
	}
	if r.Catalog != nil {
		r.Add(r.Catalog)
	}
	r.serveInfo(opts, host)
	if cfg.Metrics.Addr != "" {
		r.Metrics = NewMetricsServer(cfg.Metrics.Addr, r.Node)
		r.Add(r.Metrics)
	}
	return r, nil
}

func (r *Running) addValidator(ctx context.Context, opts Options, dht records.DHT, log *slog.Logger) error {
	vs, _, err := r.View.CurrentEpoch(ctx)
	if err != nil {
		return err
	}
	tuning := consensus.NodeTuning()
	if opts.TuneConsensus != nil {
		opts.TuneConsensus(&tuning)
	}
	r.Ledger, err = ledgerdb.Open(ledgerdb.Dir(opts.Datadir), ledger.Config{
		ChainID: opts.Config.Chain.ChainID, Logger: log, SlashDigest: SlashDigest(r.Chain),
		// The Marketplace's first validator epoch is 1; the ledger records
		// every later one, closing where the engine closes it.
		FirstEpoch: 1,
		ClosingCheckpoint: func(atSeq uint64) uint64 {
			return consensus.ClosingCheckpoint(atSeq, tuning.CheckpointInterval, tuning.WindowSize)
		},
	})
	if err != nil {
		return err
	}
	r.Add(closerService{"ledger", r.Ledger.Close})
	if err := privateStore(ledgerdb.Dir(opts.Datadir)); err != nil {
		return err
	}
	wal, err := pebblestore.Open(filepath.Join(opts.Datadir, "consensus"), nil)
	if err != nil {
		return err
	}
	r.Add(closerService{"consensus-log", wal.Close})
	if err := privateStore(filepath.Join(opts.Datadir, "consensus")); err != nil {
		return err
	}
	start, err := r.validatorStart(ctx, wal, vs, opts.Key.ID())
	if err != nil {
		return err
	}
	r.Validator, err = NewValidator(ValidatorConfig{
		Key: opts.Key, ChainID: opts.Config.Chain.ChainID, Epoch: start.epoch, Peers: start.peers, PrevPeers: start.prev, Joining: start.joining,
		Ledger: r.Ledger.Ledger, View: r.View, Storage: wal, Net: r.Overlay.Host(), Publisher: dht, Equivocate: opts.Equivocate,
		EpochCheckInterval: opts.Config.Validator.EpochCheckInterval, LeaveAfter: opts.Config.Validator.LeaveAfter,
		Tune:  opts.TuneConsensus,
		Clock: opts.Clock, Logger: log, Registry: r.Registry(),
	})
	if err != nil {
		return err
	}
	r.Add(r.Validator)
	for proto, h := range r.Validator.Handlers() {
		r.Overlay.Host().Handle(proto, h)
	}
	for proto, h := range r.Validator.StreamHandlers() {
		r.Overlay.Host().HandleStream(proto, h)
	}
	if opts.ValidatorAccount != nil {
		r.Add(NewPolice(PoliceConfig{
			Key: opts.Key, Account: opts.ValidatorAccount, ChainID: opts.Config.Chain.ChainID, Duty: r.policeDuty,
			Ledger: r.Ledger.Ledger, Net: r.Overlay.Host(), Chain: r.Chain,
			Interval: opts.Config.Police.ProbeInterval, Failures: opts.Config.Police.ProbeFailures, Grace: opts.Config.Police.ProbeGrace, Clock: opts.Clock, Logger: log, Registry: r.Registry(),
		}))
	}
	return nil
}

// validatorStart is where the validator's replica starts: the epoch of its
// log while it is a validator of it and the chain is at most one epoch
// further (the engine follows that change itself); otherwise the chain's
// current epoch, joining it by state transfer if the log is empty and the
// network already ran (the Marketplace's first epoch is 1) or the log is
// from an epoch the node left. A node the current epoch does not name
// starts without a replica and waits for one that does.
type validatorStart struct {
	epoch       uint64
	peers, prev []ledgerclient.ValidatorPeer
	joining     bool
}

func (r *Running) validatorStart(ctx context.Context, wal consensus.Storage, current *ledger.ValidatorSet, self identity.NodeID) (validatorStart, error) {
	state, err := wal.Load()
	if err != nil {
		return validatorStart{}, fmt.Errorf("load consensus log: %w", err)
	}
	block, err := r.View.ConfirmedBlock(ctx)
	if err != nil {
		return validatorStart{}, err
	}
	setOf := func(epoch uint64) (*ledger.ValidatorSet, error) {
		if epoch == 0 {
			return nil, nil
		}
		return r.View.ValidatorSet(ctx, block, epoch)
	}
	start := func(epoch uint64, joining bool) (validatorStart, error) {
		vs, err := setOf(epoch)
		if err != nil || vs == nil {
			return validatorStart{}, cmp.Or(err, fmt.Errorf("the chain does not define validator epoch %d", epoch))
		}
		prev, err := setOf(epoch - 1)
		if err != nil {
			return validatorStart{}, err
		}
		out := validatorStart{epoch: epoch, peers: PeersOf(vs), joining: joining}
		if prev != nil {
			out.prev = PeersOf(prev)
		}
		return out, nil
	}
	if logged := state.HardState.Epoch; !state.IsEmpty() && logged+1 >= current.Epoch {
		if vs, err := setOf(logged); err == nil && vs != nil {
			if _, member := vs.Member(self); member {
				return start(logged, false)
			}
		}
	}
	if _, member := current.Member(self); !member {
		return start(current.Epoch, false) // a replica waits for an epoch that names it
	}
	return start(current.Epoch, !state.IsEmpty() || current.Epoch > 1)
}

// policeDuty is the police's view of this node's validator duty.
func (r *Running) policeDuty(ctx context.Context) (PoliceDuty, bool) {
	epoch, peers, ok := r.Validator.Membership()
	if !ok {
		return PoliceDuty{}, false
	}
	vs, threshold, err := r.View.EpochSet(ctx, epoch)
	if err != nil || vs == nil {
		return PoliceDuty{}, false
	}
	return PoliceDuty{Epoch: epoch, Peers: peers, Quorum: max(vs.Quorum(), threshold)}, true
}

// serveInfo answers nodeinfo.Protocol: the node's roles and what they do with a
// dataset.
func (r *Running) serveInfo(opts Options, host *overlay.Host) {
	info := &InfoServer{Self: opts.Key.ID(), ChainID: opts.Config.Chain.ChainID, Roles: opts.Config.Roles, Clock: opts.Clock}
	if r.Worker != nil {
		info.Sources = append(info.Sources, r.Worker)
	}
	if r.Persistence != nil {
		info.Sources = append(info.Sources, r.Persistence)
	}
	host.Handle(nodeinfo.Protocol, info.Handle)
	host.LimitRequest(nodeinfo.Protocol, nodeinfo.MaxRequest)
	host.LimitRequest(workerkeys.GrantProtocol, workerkeys.MaxGrantRequest)
}

// closeAll releases what Assemble opened when it fails half-way: the
// services were never started, so their Stop is the release.
func (r *Running) closeAll() error {
	r.mu.Lock()
	services := r.mu.services
	r.mu.started = services
	r.mu.Unlock()
	return r.Stop()
}

// Bootstrap joins the overlay through peers.
func (r *Running) Bootstrap(ctx context.Context, peers []overlay.Peer) error {
	if len(peers) == 0 {
		return nil
	}
	return r.Overlay.Bootstrap(ctx, peers)
}
