package chain

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"

	"github.com/enigma-mpc/enigma/chain/gethdev"
	"github.com/enigma-mpc/enigma/dataset"
)

// startGethDev runs geth --dev on 127.0.0.1 with DevKey(0) as its funded
// developer account and returns its HTTP JSON-RPC URL.
func startGethDev(t *testing.T) string {
	t.Helper()
	n, err := gethdev.Start(context.Background(), t.TempDir(), DevKey(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		n.Stop()
		if t.Failed() {
			t.Logf("geth output:\n%s", n.Logs())
		}
	})
	return n.URL
}

// TestGethDevIntegration deploys, registers, subscribes and checks access
// over JSON-RPC against a real geth --dev node.
func TestGethDevIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs geth; skipped with -short")
	}
	url := startGethDev(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ec, err := ethclient.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	cfg := Config{Backend: ec, PollInterval: 20 * time.Millisecond, Logger: quietLogger}
	deployer, provider, subscriber := DevKey(0), DevKey(1), DevKey(2)

	dep, err := Deploy(ctx, cfg, deployer, DefaultDeployParams())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Market = dep.Market
	c, err := New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if id := c.ChainID().Uint64(); id != 1337 {
		t.Fatalf("geth --dev chain ID %d", id)
	}
	// Fund the provider and subscriber with ether (from the developer
	// account) and ENG (minted by the deployer).
	for _, k := range []*ecdsa.PrivateKey{provider, subscriber} {
		fundEther(t, ctx, c, deployer, Address(k))
		if _, err := c.Mint(ctx, deployer, Address(k), ENG(1_000)); err != nil {
			t.Fatal(err)
		}
	}
	p := RegisterParams{Name: "weather", Price: ENG(10), Deposit: ENG(150), MetadataHash: common.HexToHash("0x77"),
		Payouts: []Payout{{Account: Address(provider), Bps: 10_000}}, TrialPeriod: time.Hour}
	if _, err := c.Approve(ctx, provider, p.Deposit); err != nil {
		t.Fatal(err)
	}
	id, _, err := c.Register(ctx, provider, p)
	if err != nil {
		t.Fatal(err)
	}
	if id != (dataset.Path{Provider: Address(provider), Name: "weather"}).ID() {
		t.Fatal("dataset ID differs from dataset.Path.ID")
	}
	if ok, err := c.HasAccess(ctx, id, Address(subscriber)); err != nil || ok {
		t.Fatalf("access before subscribing: %v, %v", ok, err)
	}
	if _, err := c.Approve(ctx, subscriber, ENG(20)); err != nil {
		t.Fatal(err)
	}
	r, err := c.Subscribe(ctx, subscriber, id, 2)
	if err != nil {
		t.Fatal(err)
	}
	if r.Type != types.DynamicFeeTxType {
		t.Fatalf("subscribe sent as tx type %d, want EIP-1559", r.Type)
	}
	if ok, err := c.HasAccess(ctx, id, Address(subscriber)); err != nil || !ok {
		t.Fatalf("access after subscribing: %v, %v", ok, err)
	}
	_, err = c.Subscribe(ctx, subscriber, id, 0)
	wantRevert(t, err, "BadPeriodCount")
	rank, err := c.Rank(ctx, id)
	if err != nil || rank.ActiveSubscribers != 1 || rank.TotalPaid.Cmp(ENG(20)) != 0 {
		t.Fatalf("rank %+v, %v", rank, err)
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("geth bound %s", url)
	}
}

func fundEther(t *testing.T, ctx context.Context, c *Client, from *ecdsa.PrivateKey, to common.Address) {
	t.Helper()
	ec := c.Backend()
	nonce, err := ec.PendingNonceAt(ctx, Address(from))
	if err != nil {
		t.Fatal(err)
	}
	tip, err := ec.SuggestGasTipCap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head, err := ec.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: c.ChainID(), Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: params.TxGas,
		To: &to, Value: new(big.Int).Mul(big.NewInt(10), big.NewInt(params.Ether))})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(c.ChainID()), from)
	if err != nil {
		t.Fatal(err)
	}
	if err := ec.SendTransaction(ctx, signed); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitReceipt(ctx, signed.Hash()); err != nil {
		t.Fatal(err)
	}
}
