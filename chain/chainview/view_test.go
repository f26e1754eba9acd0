package chainview

import (
	"context"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/query/access"
)

// headCounter counts the chain-head reads that reach the backend.
type headCounter struct {
	chain.Backend
	reads atomic.Int64
}

func (h *headCounter) BlockNumber(ctx context.Context) (uint64, error) {
	h.reads.Add(1)
	return h.Backend.BlockNumber(ctx)
}

// Access granted is answered from a recent head for AccessHeadTTL; a
// refusal always looks at the chain's head again.
func TestChainViewReadsTheHeadOnlyWhenItMustForAccess(t *testing.T) {
	ctx := context.Background()
	dc, err := chain.StartDevChain(ctx, chain.DevChainConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	c, err := dc.Client(ctx)
	if err != nil {
		t.Fatal(err)
	}
	provider, subscriber, stranger := dc.Keys[1], dc.Keys[2], chain.Address(dc.Keys[3])
	if _, err := c.EnsureAllowance(ctx, provider, chain.ENG(100)); err != nil {
		t.Fatal(err)
	}
	id, _, err := c.Register(ctx, provider, chain.RegisterParams{Name: "daily", Price: chain.ENG(1), Deposit: chain.ENG(100),
		MetadataHash: common.Hash{1}, Payouts: []chain.Payout{{Account: chain.Address(provider), Bps: 10000}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.EnsureAllowance(ctx, subscriber, chain.ENG(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Subscribe(ctx, subscriber, id, 1); err != nil {
		t.Fatal(err)
	}

	counter := &headCounter{Backend: dc.Backend()}
	cc, err := chain.New(ctx, chain.Config{Backend: counter, Market: dc.Deployment.Market})
	if err != nil {
		t.Fatal(err)
	}
	view := New(cc, 0)
	clk := clock.NewSimulated(time.Unix(1_700_000_000, 0))
	view.clock = clk
	check := func(user common.Address, want access.Level, wantReads int64) {
		t.Helper()
		before := counter.reads.Load()
		level, err := view.HasAccess(ctx, id, user)
		if err != nil {
			t.Fatal(err)
		}
		if level != want {
			t.Fatalf("access level %v, want %v", level, want)
		}
		if got := counter.reads.Load() - before; got != wantReads {
			t.Fatalf("%d head reads, want %d", got, wantReads)
		}
	}
	check(chain.Address(subscriber), access.LevelSubscribed, 1) // nothing read yet
	check(chain.Address(subscriber), access.LevelSubscribed, 0) // the recent head serves
	check(stranger, access.LevelNone, 1)                        // a refusal reads the head again
	clk.Advance(AccessHeadTTL)
	check(chain.Address(subscriber), access.LevelSubscribed, 1) // the head went stale
}

// The police gathers attestations until it has the larger of the ledger's
// quorum and the epoch's slash threshold, which the view reads with the set:
// with 6 validators the ledger's quorum is 4 but the owner may ask for 5.
func TestChainViewReadsTheSlashThreshold(t *testing.T) {
	ctx := context.Background()
	dc, err := chain.StartDevChain(ctx, chain.DevChainConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	c, err := dc.Client(ctx)
	if err != nil {
		t.Fatal(err)
	}
	view := New(c, 0)
	if _, _, err := view.CurrentEpoch(ctx); err == nil {
		t.Fatal("an epoch was read before any setValidators")
	}
	var accounts []common.Address
	var nodeKeys [][32]byte
	for i := range 6 {
		accounts = append(accounts, common.BigToAddress(big.NewInt(int64(i+1))))
		nodeKeys = append(nodeKeys, [32]byte{byte(i + 1)})
	}
	if _, err := c.SetValidators(ctx, dc.Keys[0], accounts, nodeKeys, 5); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second read is served from the cache
		vs, threshold, err := view.CurrentEpoch(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if vs.Epoch != 1 || len(vs.Members) != 6 || threshold != 5 || vs.Quorum() != 4 {
			t.Fatalf("epoch %d: %d members, slash threshold %d, ledger quorum %d; want epoch 1, 6, 5, 4", vs.Epoch, len(vs.Members), threshold, vs.Quorum())
		}
	}
}
