package chainview

import (
	"context"
	"fmt"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/query/access"
)

// headCounter counts the chain-head reads and the contract calls that
// reach the backend.
type headCounter struct {
	chain.Backend
	reads, calls atomic.Int64
}

func (h *headCounter) BlockNumber(ctx context.Context) (uint64, error) {
	h.reads.Add(1)
	return h.Backend.BlockNumber(ctx)
}

func (h *headCounter) CallContract(ctx context.Context, call ethereum.CallMsg, block *big.Int) ([]byte, error) {
	h.calls.Add(1)
	return h.Backend.CallContract(ctx, call, block)
}

// devChain starts the embedded dev chain with the contracts deployed.
func devChain(t *testing.T) (*chain.DevChain, *chain.Client) {
	t.Helper()
	dc, err := chain.StartDevChain(context.Background(), chain.DevChainConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dc.Close() })
	c, err := dc.Client(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return dc, c
}

// countedClient is a chain client whose reads of dc go through a counter.
func countedClient(t *testing.T, dc *chain.DevChain) (*headCounter, *chain.Client) {
	t.Helper()
	counter := &headCounter{Backend: dc.Backend()}
	c, err := chain.New(context.Background(), chain.Config{Backend: counter, Market: dc.Deployment.Market})
	if err != nil {
		t.Fatal(err)
	}
	return counter, c
}

// A certified record's check reads the head, the epoch and the set once;
// after that the set costs nothing and the current epoch one head read,
// and a read at a block before the epoch existed still finds no set (the
// ledger's answers stay a function of the block).
func TestChainViewReadsAnEpochOnce(t *testing.T) {
	ctx := context.Background()
	dc, c := devChain(t)
	before, err := c.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetValidators(ctx, dc.Keys[0], []common.Address{{1}, {2}, {3}, {4}}, [][32]byte{{1}, {2}, {3}, {4}}, 3); err != nil {
		t.Fatal(err)
	}
	counter, cc := countedClient(t, dc)
	view := New(cc, 0)
	step := func(what string, do func() error, wantReads, wantCalls int64) {
		t.Helper()
		r, c := counter.reads.Load(), counter.calls.Load()
		if err := do(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if gr, gc := counter.reads.Load()-r, counter.calls.Load()-c; gr != wantReads || gc != wantCalls {
			t.Fatalf("%s: %d head reads and %d calls, want %d and %d", what, gr, gc, wantReads, wantCalls)
		}
	}
	setOf := func(epoch uint64) func() error {
		return func() error {
			vs, err := view.ValidatorSets(ctx).ValidatorSet(epoch)
			if err == nil && len(vs.Members) != 4 {
				err = fmt.Errorf("%d members, want 4", len(vs.Members))
			}
			return err
		}
	}
	current := func() error {
		vs, _, err := view.CurrentEpoch(ctx)
		if err == nil && vs.Epoch != 1 {
			err = fmt.Errorf("epoch %d, want 1", vs.Epoch)
		}
		return err
	}
	step("the first set", setOf(1), 1, 2)    // head, epoch, set
	step("the current epoch", current, 1, 0) // the head; its epoch and set are known
	step("the set again", setOf(1), 0, 0)    // held forever
	dc.Commit()
	step("the current epoch at a new block", current, 1, 1) // the head and its epoch
	vs, err := view.ValidatorSet(ctx, before, 1)
	if err != nil || vs != nil {
		t.Fatalf("epoch 1 at block %d, before setValidators: %v, %v; want no set", before, vs, err)
	}
}

// Access granted is answered from a recent head for AccessHeadTTL; a
// refusal always looks at the chain's head again.
func TestChainViewReadsTheHeadOnlyWhenItMustForAccess(t *testing.T) {
	ctx := context.Background()
	dc, c := devChain(t)
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

	counter, cc := countedClient(t, dc)
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
	dc, c := devChain(t)
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
