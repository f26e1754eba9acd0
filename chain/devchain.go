package chain

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
)

// DevChainConfig configures an embedded dev chain. Zero fields get defaults.
type DevChainConfig struct {
	// Accounts is the number of funded dev accounts (default 4). Account 0
	// deploys the contracts and owns the Marketplace.
	Accounts int
	// TokensPerAccount is each dev account's ENG (default 1,000,000 ENG).
	TokensPerAccount *big.Int
	// HTTPAddr, when set (e.g. "127.0.0.1:8545", port 0 picks a free one),
	// serves JSON-RPC over HTTP so other processes can use the chain;
	// transactions arriving that way are mined within MineInterval.
	HTTPAddr     string
	MineInterval time.Duration // default 50ms
	// BlockPeriod is how often an empty block is mined while no
	// transaction comes (HTTP only; default 1 s). A block's time is at
	// least a second after its parent's, so a period under a second makes
	// the chain's clock run 1 s/BlockPeriod times faster than the wall
	// clock (250 ms: 4×), and one of a second or more keeps it on the wall
	// clock (no empty block is mined while the chain is ahead of it).
	// Right after a block with transactions, empty blocks come every
	// 5×MineInterval for a few seconds whatever BlockPeriod says: the
	// transaction pool needs a new block to take in a transaction sent
	// while it was catching up with the last one (without it, ~2 s).
	BlockPeriod time.Duration
	Deploy      DeployParams // default DefaultDeployParams()
	Clock       clock.Clock
	Logger      *slog.Logger
}

// DevChain is go-ethereum's simulated backend in process with the enigma
// contracts deployed and dev accounts funded with ether and ENG. Transactions
// sent through Backend are mined at once; ones sent over HTTP within
// MineInterval. Dev keys are derived from fixed labels: never use them on a
// real network.
type DevChain struct {
	cfg        DevChainConfig
	sim        *simulated.Backend
	backend    *committingBackend
	Deployment Deployment
	Keys       []*ecdsa.PrivateKey
	httpURL    string

	mineMu sync.Mutex
	stop   chan struct{}
	done   chan struct{}
}

// DevKey is the i-th dev account key: keccak256("enigma/devchain/account/<i>").
func DevKey(i int) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte("enigma/devchain/account/" + strconv.Itoa(i))))
	if err != nil {
		panic("chain: dev key derivation: " + err.Error()) // a keccak output is a valid key with overwhelming probability
	}
	return k
}

// StartDevChain starts the chain, deploys the contracts and funds the dev
// accounts. Close it when done.
func StartDevChain(ctx context.Context, cfg DevChainConfig) (*DevChain, error) {
	if cfg.Accounts <= 0 {
		cfg.Accounts = 4
	}
	if cfg.TokensPerAccount == nil {
		cfg.TokensPerAccount = ENG(1_000_000)
	}
	if cfg.MineInterval == 0 {
		cfg.MineInterval = 50 * time.Millisecond
	}
	if cfg.BlockPeriod <= 0 {
		cfg.BlockPeriod = time.Second
	}
	if cfg.Deploy.MinDeposit == nil && cfg.Deploy.SlashAmount == nil && cfg.Deploy.Token == (common.Address{}) {
		cfg.Deploy = DefaultDeployParams()
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	dc := &DevChain{cfg: cfg}
	alloc := types.GenesisAlloc{}
	etherEach := new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18))
	for i := 0; i < cfg.Accounts; i++ {
		k := DevKey(i)
		dc.Keys = append(dc.Keys, k)
		alloc[Address(k)] = types.Account{Balance: etherEach}
	}
	opts := []func(*node.Config, *ethconfig.Config){mainnetRules}
	if cfg.HTTPAddr != "" {
		host, port, err := freeAddr(cfg.HTTPAddr)
		if err != nil {
			return nil, err
		}
		opts = append(opts, func(nc *node.Config, _ *ethconfig.Config) {
			nc.HTTPHost = host
			nc.HTTPPort = port
			nc.HTTPModules = []string{"eth", "net", "web3"}
			nc.HTTPVirtualHosts = []string{"localhost", host}
		})
		dc.httpURL = "http://" + net.JoinHostPort(host, strconv.Itoa(port))
	}
	sim, err := newSimulated(alloc, opts)
	if err != nil {
		return nil, err
	}
	dc.sim = sim
	dc.backend = &committingBackend{Client: dc.sim.Client(), dc: dc}

	ccfg := Config{Backend: dc.backend, Clock: cfg.Clock, Logger: cfg.Logger, PollInterval: time.Millisecond}
	dep, err := Deploy(ctx, ccfg, dc.Keys[0], cfg.Deploy)
	if err != nil {
		dc.sim.Close()
		return nil, err
	}
	dc.Deployment = dep
	cl, err := dc.Client(ctx)
	if err != nil {
		dc.sim.Close()
		return nil, err
	}
	if cfg.Deploy.Token == (common.Address{}) {
		for _, k := range dc.Keys[1:] {
			if _, err := cl.Mint(ctx, dc.Keys[0], Address(k), cfg.TokensPerAccount); err != nil {
				dc.sim.Close()
				return nil, fmt.Errorf("fund dev account: %w", err)
			}
		}
	}
	if cfg.HTTPAddr != "" {
		dc.stop, dc.done = make(chan struct{}), make(chan struct{})
		go dc.mineLoop()
	}
	return dc, nil
}

// mainnetRules runs the dev chain on the forks live on mainnet (through
// Osaka). The simulated backend's default also enables Bogota, still in
// development, whose gas schedule would make every figure measured here
// (docs/bench/chain.md) differ from what users pay.
func mainnetRules(_ *node.Config, ec *ethconfig.Config) {
	rules := *ec.Genesis.Config
	rules.BogotaTime = nil
	ec.Genesis.Config = &rules
}

// newSimulated starts the simulated backend, turning its start-up panics
// (e.g. an HTTP port taken in the meantime) into errors.
func newSimulated(alloc types.GenesisAlloc, opts []func(*node.Config, *ethconfig.Config)) (sim *simulated.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("start the dev chain: %v", r)
		}
	}()
	return simulated.NewBackend(alloc, opts...), nil
}

// freeAddr resolves host:port, checking the port is free and choosing one
// for port 0.
func freeAddr(addr string) (string, int, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("dev chain HTTP address %q: %w (want host:port)", addr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return "", 0, fmt.Errorf("dev chain HTTP address %q: bad port", addr)
	}
	// Listen once here: the simulated backend panics when its HTTP server
	// cannot start, so a taken port must be found first.
	l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return "", 0, fmt.Errorf("dev chain cannot listen on %s: %w (pick another --http.addr, or port 0 for any free one)", addr, err)
	}
	port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	return host, port, nil
}

// mineLoop commits a block whenever transactions are pending (those sent
// over HTTP by other processes), empty blocks at the follow-up interval for
// a while after each, and otherwise an empty block every BlockPeriod.
func (dc *DevChain) mineLoop() {
	defer close(dc.done)
	ctx := context.Background()
	var lastTx, lastBlock time.Time
	for {
		select {
		case <-dc.stop:
			return
		case <-dc.cfg.Clock.After(dc.cfg.MineInterval):
		}
		n, err := dc.sim.Client().PendingTransactionCount(ctx)
		if err != nil {
			dc.cfg.Logger.Warn("dev chain: read pending transactions", "err", err)
			continue
		}
		now := dc.cfg.Clock.Now()
		if n > 0 {
			lastTx = now
		}
		if !mineNow(now, n > 0, lastTx, lastBlock, dc.followInterval(), dc.cfg.BlockPeriod, func() (time.Time, bool) { return dc.headTime(ctx) }) {
			continue
		}
		dc.Commit()
		lastBlock = now
	}
}

// mineNow is the dev chain's mining rule: a block when transactions are
// pending; an empty one every follow interval for followWindow after the
// last transaction (a transaction that arrives while the pool is still
// catching up with the previous block is held as not yet executable,
// neither pending nor queued, and waited about 2 s for the pool's own
// timer — measured: the first approve 0.2 s, the next 2.0 s; an empty
// block soon after lets the pool take it in); otherwise an empty one every
// period, which below a second runs the chain's clock fast on purpose and
// from a second up is mined only while the head is a second or more behind
// now, so idling never puts the chain's clock ahead of the wall clock.
func mineNow(now time.Time, pending bool, lastTx, lastBlock time.Time, follow, period time.Duration, head func() (time.Time, bool)) bool {
	switch {
	case pending:
		return true
	case now.Sub(lastTx) < followWindow:
		return now.Sub(lastBlock) >= follow
	case now.Sub(lastBlock) < period:
		return false
	case period < time.Second:
		return true
	}
	h, ok := head()
	return ok && h.Add(time.Second).Before(now)
}

func (dc *DevChain) headTime(ctx context.Context) (time.Time, bool) {
	h, err := dc.sim.Client().HeaderByNumber(ctx, nil)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(int64(h.Time), 0), true
}

// followWindow is how long after a block with transactions empty blocks
// come at the follow-up interval (the pool's own timer is about 2 s).
const followWindow = 3 * time.Second

// followInterval is the empty-block interval right after transactions:
// 5 mining intervals (250 ms at the default 50 ms).
func (dc *DevChain) followInterval() time.Duration { return 5 * dc.cfg.MineInterval }

// BlockPeriod is how often the chain mines an empty block when no
// transaction comes (served over HTTP; 0 otherwise); see
// DevChainConfig.BlockPeriod.
func (dc *DevChain) BlockPeriod() time.Duration {
	if dc.cfg.HTTPAddr == "" {
		return 0
	}
	return dc.cfg.BlockPeriod
}

// ClockRate is how many seconds the chain's clock advances per second of
// wall-clock time while no transaction comes: 1 for a BlockPeriod of a
// second or more, 1 s/BlockPeriod below (each block is at least a second
// after its parent). Bursts of transactions (a block each, and the
// follow-up blocks after them) put it further ahead for a while.
func (dc *DevChain) ClockRate() float64 {
	if p := dc.BlockPeriod(); p > 0 && p < time.Second {
		return float64(time.Second) / float64(p)
	}
	return 1
}

// Commit mines the pending transactions into a new block.
func (dc *DevChain) Commit() common.Hash {
	dc.mineMu.Lock()
	defer dc.mineMu.Unlock()
	return dc.sim.Commit()
}

// AdjustTime moves the chain's clock forward by d and mines a block.
func (dc *DevChain) AdjustTime(d time.Duration) error {
	dc.mineMu.Lock()
	defer dc.mineMu.Unlock()
	// The simulated backend refuses while its pool still lists transactions;
	// the pool drops the ones just mined on a background reset, so retry
	// briefly.
	deadline := dc.cfg.Clock.Now().Add(5 * time.Second)
	for {
		err := dc.sim.AdjustTime(d)
		if err == nil {
			return nil
		}
		if dc.cfg.Clock.Now().After(deadline) {
			return fmt.Errorf("dev chain: adjust time: %w (are transactions pending?)", err)
		}
		<-dc.cfg.Clock.After(time.Millisecond)
	}
}

// Fork makes the chain continue from parent (to simulate a reorg: commit
// more blocks on the fork than the old branch had).
func (dc *DevChain) Fork(parent common.Hash) error {
	dc.mineMu.Lock()
	defer dc.mineMu.Unlock()
	return dc.sim.Fork(parent)
}

// Backend is the in-process connection; transactions sent through it are
// mined at once.
func (dc *DevChain) Backend() Backend { return dc.backend }

// URL is the HTTP JSON-RPC endpoint ("" without HTTPAddr).
func (dc *DevChain) URL() string { return dc.httpURL }

// Client is a Marketplace client over the in-process backend.
func (dc *DevChain) Client(ctx context.Context) (*Client, error) {
	return New(ctx, Config{Backend: dc.backend, Market: dc.Deployment.Market, Clock: dc.cfg.Clock, Logger: dc.cfg.Logger, PollInterval: time.Millisecond})
}

// ImportKeys stores the dev keys in ks under password, skipping ones already
// there, and returns their addresses.
func (dc *DevChain) ImportKeys(ks *identity.Keystore, password string) ([]common.Address, error) {
	var out []common.Address
	for _, k := range dc.Keys {
		addr := Address(k)
		if _, err := ks.Find(addr); err == nil {
			out = append(out, addr)
			continue
		}
		if _, err := ks.Import(k, password); err != nil {
			return nil, fmt.Errorf("import dev key %s: %w", addr.Hex(), err)
		}
		out = append(out, addr)
	}
	return out, nil
}

// Close stops mining and the chain.
func (dc *DevChain) Close() error {
	if dc.stop != nil {
		close(dc.stop)
		<-dc.done
		dc.stop = nil
	}
	return dc.sim.Close()
}

// committingBackend mines each transaction as soon as it is sent, so
// in-process users of the dev chain never wait for a block.
type committingBackend struct {
	simulated.Client
	dc *DevChain
}

func (b *committingBackend) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	if err := b.Client.SendTransaction(ctx, tx); err != nil {
		return err
	}
	b.dc.Commit()
	return nil
}
