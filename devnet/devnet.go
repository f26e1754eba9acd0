// Package devnet starts a whole enigma network in one process on
// 127.0.0.1: the embedded dev chain with the contracts deployed and dev
// accounts funded, validators registered on chain, and nodes for every role,
// each with its own data directory. `enigma devnet`, `make demo` and the
// end-to-end tests use it.
//
// It writes <dir>/devnet.json (RPC URL, contract addresses, chain ID,
// bootstrap peer, keystore, dev accounts) so other processes can use the
// network, and imports the dev accounts into <dir>/keystore under the
// password "devnet". Dev keys are public: never use them elsewhere.
package devnet

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/chain/gethdev"
	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/consensus/quorum"
	"github.com/enigma-mpc/enigma/httpapi"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/node"
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
	"github.com/enigma-mpc/enigma/worker"
)

// Password protects the dev accounts in the devnet keystore.
const Password = "devnet"

// ValidatorSetDelay is the devnet Marketplace's validator-set delay: a
// validator set after the first takes effect this long after the owner
// announces it (a real deployment gives chain.DefaultValidatorSetDelay of
// notice). The devnet's own set is the first, effective at once.
const ValidatorSetDelay = time.Minute

// DefaultProbeGrace is how long the devnet's police give a new dataset's
// persistence nodes to learn of it (from the chain, polled every second,
// and the DHT) before their misses count.
const DefaultProbeGrace = 10 * time.Second

// InfoFile is the devnet's description for other processes.
const InfoFile = "devnet.json"

// Config shapes the network. Zero fields take the defaults in brackets.
type Config struct {
	Dir         string
	Validators  int // [4]; at least chain.MinValidators (4)
	Workers     int // [2]
	Persistence int // [2]
	Plain       int // plain overlay nodes [2]
	Accounts    int // funded dev accounts [4]
	Puzzle      kademlia.Puzzle
	// Worker is the operator configuration every worker gets (sandbox
	// directory allow-lists, retries).
	Worker        worker.Config
	TuneConsensus func(*consensus.Config)
	// ProbeInterval, ProbeFailures and ProbeGrace tune the validators'
	// availability probes (defaults 1 s, 5 rounds and 10 s, negative grace:
	// none; a devnet reacts quickly).
	ProbeInterval time.Duration
	ProbeFailures int
	ProbeGrace    time.Duration
	// EquivocatingPrimary makes the primary of view 0 (the validator with
	// the smallest node ID) Byzantine: it sends conflicting batches to half
	// of the backups. For fault tests.
	EquivocatingPrimary bool
	// PostgresDSN, where its i-th entry is set, makes persistence node i
	// keep its rows in that PostgreSQL database ([persistence] backend =
	// "postgres"); the others use the Pebble engine.
	PostgresDSN []string
	// HTTP is where one node (the first plain overlay node, else the first
	// node) serves the HTTP API and explorer (no address: none).
	HTTP node.HTTPSettings
	// BlockPeriod is the dev chain's empty-block period while no
	// transaction comes (default 1 s: its clock follows the wall clock;
	// under a second it runs faster, see chain.DevChainConfig.BlockPeriod).
	BlockPeriod time.Duration
	// Metrics makes every node serve /metrics, /healthz and /readyz on a
	// free port of 127.0.0.1 (Member.MetricsURL), as a node run with
	// --metrics.addr does.
	Metrics bool
	Logger  *slog.Logger
}

// Info is what devnet.json holds.
type Info struct {
	RPC        string           `json:"rpc"`
	ChainID    uint64           `json:"chainId"`
	Market     common.Address   `json:"market"`
	Token      common.Address   `json:"token"`
	Bootstrap  string           `json:"bootstrap"`
	Keystore   string           `json:"keystore"`
	Password   string           `json:"password"`
	Accounts   []common.Address `json:"accounts"`
	Workers    []string         `json:"workers"`
	WorkerDirs []string         `json:"workerDirs"`
	Persisters []string         `json:"persistence"`
	Validators []string         `json:"validators"`
	// Explorer is the URL of the web explorer (empty without HTTPAddr).
	Explorer string `json:"explorer,omitempty"`
}

// Devnet is a running network.
type Devnet struct {
	Info  Info
	Chain *chain.DevChain
	Nodes []*Member
	cfg   Config
	log   *slog.Logger
}

// Member is one node of the devnet.
type Member struct {
	*node.Running
	Key        *identity.NodeKey
	Equivocate bool              // a Byzantine validator (Config.EquivocatingPrimary)
	Account    *ecdsa.PrivateKey // validators: the registered Ethereum account
	Roles      []nodeinfo.Role
	Datadir    string
	// PostgresDSN: a persistence node on the PostgreSQL backend.
	PostgresDSN string
	// API is the HTTP API and explorer, on the one member that serves it.
	API *httpapi.Server
	// listen is the address the node first bound; a restart binds it
	// again, as an operator's node keeps its configured port; httpAddr
	// likewise for the API.
	listen   string
	httpAddr string
}

// Start brings the network up; Stop tears it down.
func Start(ctx context.Context, cfg Config) (_ *Devnet, err error) {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&cfg.Validators, 4)
	def(&cfg.Workers, 2)
	def(&cfg.Persistence, 2)
	def(&cfg.Plain, 2)
	def(&cfg.Accounts, 4)
	if cfg.Puzzle == (kademlia.Puzzle{}) {
		cfg.Puzzle = kademlia.DefaultPuzzle
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.ProbeInterval == 0 {
		cfg.ProbeInterval = time.Second
	}
	def(&cfg.ProbeFailures, node.DefaultConfig().Police.ProbeFailures)
	switch {
	case cfg.ProbeGrace == 0:
		cfg.ProbeGrace = DefaultProbeGrace
	case cfg.ProbeGrace < 0:
		cfg.ProbeGrace = 0
	}
	if cfg.Dir == "" {
		return nil, errors.New("devnet needs a directory")
	}
	if err := chain.CheckValidatorSet(cfg.Validators, quorum.Size(cfg.Validators)); err != nil {
		return nil, fmt.Errorf("devnet: %w", err)
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("create devnet directory: %w", err)
	}
	deploy := chain.DefaultDeployParams()
	deploy.ValidatorSetDelay = ValidatorSetDelay
	dc, err := chain.StartDevChain(ctx, chain.DevChainConfig{Accounts: cfg.Accounts, HTTPAddr: "127.0.0.1:0", BlockPeriod: cfg.BlockPeriod, Logger: cfg.Logger, Deploy: deploy})
	if err != nil {
		return nil, err
	}
	d := &Devnet{Chain: dc, cfg: cfg, log: cfg.Logger}
	defer func() {
		if err != nil {
			err = errors.Join(err, d.Stop())
		}
	}()
	ks, err := identity.OpenKeystore(filepath.Join(cfg.Dir, "keystore"), identity.LightKDF)
	if err != nil {
		return nil, err
	}
	accounts, err := dc.ImportKeys(ks, Password)
	if err != nil {
		return nil, err
	}
	d.Info = Info{
		RPC: dc.URL(), ChainID: dc.Deployment.ChainID, Market: dc.Deployment.Market, Token: dc.Deployment.Token,
		Keystore: ks.Dir(), Password: Password, Accounts: accounts,
	}

	type plan struct {
		roles []nodeinfo.Role
		count int
	}
	plans := []plan{
		{[]nodeinfo.Role{nodeinfo.RoleOverlay, nodeinfo.RoleValidator}, cfg.Validators},
		{[]nodeinfo.Role{nodeinfo.RoleOverlay, nodeinfo.RoleWorker}, cfg.Workers},
		{[]nodeinfo.Role{nodeinfo.RoleOverlay, nodeinfo.RolePersistence}, cfg.Persistence},
		{[]nodeinfo.Role{nodeinfo.RoleOverlay}, cfg.Plain},
	}
	var validatorKeys []*identity.NodeKey
	for _, p := range plans {
		for i := 0; i < p.count; i++ {
			key, _, err := kademlia.GenerateKey(rand.Reader, cfg.Puzzle.Static)
			if err != nil {
				return nil, err
			}
			m := &Member{Key: key, Roles: p.roles, Datadir: filepath.Join(cfg.Dir, fmt.Sprintf("node%d", len(d.Nodes)))}
			d.Nodes = append(d.Nodes, m)
			if slices.Contains(p.roles, nodeinfo.RoleValidator) {
				m.Account = ValidatorAccount(len(validatorKeys))
				validatorKeys = append(validatorKeys, key)
				d.Info.Validators = append(d.Info.Validators, key.ID().String())
			}
			if slices.Contains(p.roles, nodeinfo.RoleWorker) {
				d.Info.Workers = append(d.Info.Workers, key.ID().String())
				d.Info.WorkerDirs = append(d.Info.WorkerDirs, m.Datadir)
			}
			if slices.Contains(p.roles, nodeinfo.RolePersistence) {
				if k := len(d.Info.Persisters); k < len(cfg.PostgresDSN) {
					m.PostgresDSN = cfg.PostgresDSN[k]
				}
				d.Info.Persisters = append(d.Info.Persisters, key.ID().String())
			}
		}
	}
	if cfg.HTTP.Addr != "" {
		server := d.Nodes[0]
		for _, m := range d.Nodes {
			if len(m.Roles) == 1 {
				server = m
				break
			}
		}
		server.httpAddr = cfg.HTTP.Addr
	}
	if cfg.EquivocatingPrimary {
		var primary *Member
		for _, m := range d.Nodes {
			if m.Account != nil && (primary == nil || compareIDs(m.Key.ID(), primary.Key.ID()) < 0) {
				primary = m
			}
		}
		primary.Equivocate = true
	}
	if err := registerValidators(ctx, dc, validatorKeys); err != nil {
		return nil, err
	}
	for i, m := range d.Nodes {
		if err := identity.SaveNodeKey(filepath.Join(m.Datadir, "nodekey"), m.Key); err != nil {
			return nil, err
		}
		if err := d.startMember(ctx, m, i); err != nil {
			return nil, fmt.Errorf("start devnet node %d: %w", i, err)
		}
	}
	if err := d.writeInfo(cfg.Dir); err != nil {
		return nil, err
	}
	return d, nil
}

// ValidatorAccount is the Ethereum account of devnet validator i, which
// signs slashing attestations.
func ValidatorAccount(i int) *ecdsa.PrivateKey { return chain.DevKey(1000 + i) }

func registerValidators(ctx context.Context, dc *chain.DevChain, keys []*identity.NodeKey) error {
	client, err := dc.Client(ctx)
	if err != nil {
		return err
	}
	ec, err := ethclient.DialContext(ctx, dc.URL())
	if err != nil {
		return err
	}
	defer ec.Close()
	gas := new(big.Int).Exp(big.NewInt(10), big.NewInt(19), nil) // 10 ether pays for slashes
	for i := range keys {
		if err := gethdev.Fund(ctx, ec, dc.Keys[0], chain.Address(ValidatorAccount(i)), gas); err != nil {
			return fmt.Errorf("fund validator account %d: %w", i, err)
		}
	}
	var accounts []common.Address
	var nodeKeys [][32]byte
	for i, k := range keys {
		accounts = append(accounts, chain.Address(ValidatorAccount(i)))
		var pk [32]byte
		copy(pk[:], k.Public())
		nodeKeys = append(nodeKeys, pk)
	}
	// Slashes need the validators' quorum: any two such sets of signers
	// share a correct validator, and the correct ones alone reach it.
	threshold := uint16(quorum.Size(len(keys)))
	if _, err := client.SetValidators(ctx, dc.Keys[0], accounts, nodeKeys, threshold); err != nil {
		return fmt.Errorf("register devnet validators on chain: %w", err)
	}
	return nil
}

func (d *Devnet) startMember(ctx context.Context, m *Member, i int) error {
	cfg := d.cfg
	nc := node.DefaultConfig()
	nc.Roles = m.Roles
	nc.Overlay.Listen = "127.0.0.1:0"
	if m.listen != "" {
		nc.Overlay.Listen = m.listen
	}
	nc.Chain = node.ChainConfig{RPC: d.Info.RPC, ChainID: d.Info.ChainID, Marketplace: d.Info.Market.Hex(), Confirmations: 0}
	nc.Metrics.Addr = ""
	if cfg.Metrics {
		nc.Metrics.Addr = "127.0.0.1:0"
	}
	nc.Police = node.PoliceSettings{ProbeInterval: cfg.ProbeInterval, ProbeFailures: cfg.ProbeFailures, ProbeGrace: cfg.ProbeGrace}
	if m.PostgresDSN != "" {
		nc.Persistence.Backend, nc.Persistence.PostgresDSN = node.BackendPostgres, m.PostgresDSN
	}
	wc := cfg.Worker
	r, err := node.Assemble(ctx, node.Options{
		Datadir: m.Datadir, Config: nc, Key: m.Key,
		PuzzleSolution: kademlia.SolveDynamic(m.Key.ID(), cfg.Puzzle.Dynamic), Puzzle: cfg.Puzzle,
		Worker: wc, CatalogInterval: time.Second, TuneConsensus: cfg.TuneConsensus,
		ValidatorAccount: m.Account, Equivocate: m.Equivocate,
		Logger: cfg.Logger.With("devnet", i),
	})
	if err != nil {
		return err
	}
	if peer, ok := d.bootstrapFor(i); ok {
		bctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err = r.Bootstrap(bctx, []overlay.Peer{peer})
		cancel()
		if err != nil {
			return errors.Join(err, r.Stop())
		}
	} else {
		d.Info.Bootstrap = r.Overlay.Self().String()
	}
	if m.httpAddr != "" {
		settings := cfg.HTTP
		settings.Addr = m.httpAddr
		m.API = httpapi.Attach(r, settings, m.Roles, cfg.Logger.With("devnet", i))
	}
	if err := r.Start(ctx); err != nil {
		return err
	}
	m.Running = r
	m.listen = r.Overlay.Host().Addr()
	if m.API != nil {
		m.httpAddr = m.API.Addr()
		d.Info.Explorer = m.API.URL()
	}
	return nil
}

// MetricsURL is the base URL of the node's /metrics, /healthz and /readyz
// (empty without Config.Metrics or while it is stopped).
func (m *Member) MetricsURL() string {
	if m.Running == nil || m.Metrics == nil {
		return ""
	}
	return "http://" + m.Metrics.Addr()
}

// bootstrapFor picks a running node other than i to join through.
func (d *Devnet) bootstrapFor(i int) (overlay.Peer, bool) {
	for j, m := range d.Nodes {
		if j != i && m.Running != nil {
			return m.Overlay.Self(), true
		}
	}
	return overlay.Peer{}, false
}

// StopMember stops node i; its stores close cleanly, so a restart resumes
// from its data directory.
func (d *Devnet) StopMember(i int) error {
	m := d.Nodes[i]
	if m.Running == nil {
		return fmt.Errorf("devnet node %d is not running", i)
	}
	err := m.Stop()
	m.Running = nil
	return err
}

// RestartMember starts a stopped node again from its data directory, on
// the port it had.
func (d *Devnet) RestartMember(ctx context.Context, i int) error {
	if d.Nodes[i].Running != nil {
		return fmt.Errorf("devnet node %d is running", i)
	}
	return d.startMember(ctx, d.Nodes[i], i)
}

func (d *Devnet) writeInfo(dir string) error {
	b, err := json.MarshalIndent(d.Info, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, InfoFile+".tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, InfoFile))
}

// Bootstrap is the peer other processes join through.
func (d *Devnet) Bootstrap() overlay.Peer {
	p, _ := d.bootstrapFor(-1)
	return p
}

// Stop stops every node (closing their stores) and then the chain.
func (d *Devnet) Stop() error {
	var errs []error
	for i := len(d.Nodes) - 1; i >= 0; i-- {
		if n := d.Nodes[i]; n.Running != nil {
			errs = append(errs, n.Stop())
		}
	}
	errs = append(errs, d.Chain.Close())
	return errors.Join(errs...)
}

// LoadInfo reads devnet.json from a devnet directory.
func LoadInfo(dir string) (Info, error) {
	var info Info
	b, err := os.ReadFile(filepath.Join(dir, InfoFile))
	if err != nil {
		return info, fmt.Errorf("no devnet in %s: start one with 'enigma devnet --dir %s': %w", dir, dir, err)
	}
	if err := json.Unmarshal(b, &info); err != nil {
		return info, fmt.Errorf("%s: %w", InfoFile, err)
	}
	return info, nil
}

// StageFeed puts a dataset's input files into every worker's job directory,
// standing in for the provider's data feed (the example curation script
// reads its CSV from there).
func (d *Devnet) StageFeed(id common.Hash, files map[string][]byte) error {
	for _, m := range d.Nodes {
		if !slices.Contains(m.Roles, nodeinfo.RoleWorker) {
			continue
		}
		if err := StageFeed(m.Datadir, id, files); err != nil {
			return err
		}
	}
	return nil
}

// StageFeed writes files into the job directory of dataset id under a
// worker's data directory.
func StageFeed(workerDatadir string, id common.Hash, files map[string][]byte) error {
	dir := filepath.Join(workerDatadir, "worker", "jobs", id.Hex())
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create job directory: %w", err)
	}
	for name, content := range files {
		if name != filepath.Base(name) || name == "." || name == ".." {
			return fmt.Errorf("feed file name %q must be a plain file name", name)
		}
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o600); err != nil {
			return fmt.Errorf("stage %s: %w", name, err)
		}
	}
	return nil
}

func compareIDs(a, b identity.NodeID) int { return bytes.Compare(a[:], b[:]) }
