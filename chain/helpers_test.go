package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

var quietLogger = slog.New(slog.DiscardHandler)

// env is a dev chain with a client. Keys[0] owns the Marketplace, Keys[1] is
// the provider, Keys[2:] are subscribers.
type env struct {
	t     *testing.T
	ctx   context.Context
	dc    *DevChain
	c     *Client
	owner *ecdsa.PrivateKey
	prov  *ecdsa.PrivateKey
	subs  []*ecdsa.PrivateKey
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	dc, err := StartDevChain(ctx, DevChainConfig{Accounts: 6, Logger: quietLogger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dc.Close() })
	c, err := dc.Client(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, ctx: ctx, dc: dc, c: c, owner: dc.Keys[0], prov: dc.Keys[1], subs: dc.Keys[2:]}
}

func (e *env) approve(k *ecdsa.PrivateKey, amount *big.Int) {
	e.t.Helper()
	if _, err := e.c.Approve(e.ctx, k, amount); err != nil {
		e.t.Fatal(err)
	}
}

// defaultParams lists "weather" at 10 ENG per period with a 200 ENG deposit,
// a 7-day trial and a 70/20/10 split between the provider and two nodes.
func (e *env) defaultParams(name string) RegisterParams {
	return RegisterParams{
		Name:         name,
		Price:        ENG(10),
		Deposit:      ENG(200),
		MetadataHash: common.HexToHash("0x1234"),
		Payouts: []Payout{
			{Account: Address(e.prov), Bps: 7000},
			{Account: common.HexToAddress("0xaaaa"), Bps: 2000},
			{Account: common.HexToAddress("0xbbbb"), Bps: 1000},
		},
		TrialPeriod: 7 * 24 * time.Hour,
	}
}

func (e *env) register(name string) common.Hash {
	e.t.Helper()
	p := e.defaultParams(name)
	e.approve(e.prov, p.Deposit)
	id, _, err := e.c.Register(e.ctx, e.prov, p)
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

func (e *env) subscribe(k *ecdsa.PrivateKey, id common.Hash, periods uint64) *types.Receipt {
	e.t.Helper()
	cost, err := e.c.SubscriptionCost(e.ctx, id, periods)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.c.EnsureAllowance(e.ctx, k, cost); err != nil {
		e.t.Fatal(err)
	}
	r, err := e.c.Subscribe(e.ctx, k, id, periods)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *env) advance(d time.Duration) {
	e.t.Helper()
	if err := e.dc.AdjustTime(d); err != nil {
		e.t.Fatal(err)
	}
}

// now is the latest block's timestamp.
func (e *env) now() uint64 {
	e.t.Helper()
	h, err := e.dc.Backend().HeaderByNumber(e.ctx, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return h.Time
}

func (e *env) balance(a common.Address) *big.Int {
	e.t.Helper()
	b, err := e.c.TokenBalance(e.ctx, a)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// wantRevert checks that err is the named custom error.
func wantRevert(t *testing.T, err error, name string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want revert %s, got success", name)
	}
	if !errors.Is(err, Revert(name)) {
		t.Fatalf("want revert %s, got %v", name, err)
	}
}

func (e *env) hasAccess(id common.Hash, k *ecdsa.PrivateKey) bool {
	e.t.Helper()
	ok, err := e.c.HasAccess(e.ctx, id, Address(k))
	if err != nil {
		e.t.Fatal(err)
	}
	return ok
}

func (e *env) rank(id common.Hash) Rank {
	e.t.Helper()
	r, err := e.c.Rank(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}
