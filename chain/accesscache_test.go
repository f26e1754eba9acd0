package chain

import (
	"context"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/internal/clock"
)

func TestAccessCacheAtConfirmedBlock(t *testing.T) {
	e := newEnv(t)
	id := e.register("weather")
	clk := clock.NewSimulated(time.Unix(0, 0))
	cache := NewAccessCache(e.c, AccessCacheConfig{Depth: 1, Clock: clk})
	user := e.subs[0]
	e.subscribe(user, id, 1)

	ok, block, err := cache.HasAccess(e.ctx, id, Address(user))
	head, _ := e.c.BlockNumber(e.ctx)
	if err != nil || ok || block != head-1 {
		t.Fatalf("at depth 1 right after subscribing: access %v at block %d (head %d), %v", ok, block, head, err)
	}
	e.dc.Commit()
	// The head read is reused within HeadTTL: still the old confirmed block.
	if ok, block2, _ := cache.HasAccess(e.ctx, id, Address(user)); ok || block2 != block {
		t.Fatalf("within the head TTL: access %v at block %d", ok, block2)
	}
	if hits, misses := cache.Stats(); hits != 1 || misses != 1 {
		t.Fatalf("hits %d misses %d, want 1 and 1", hits, misses)
	}
	clk.Advance(2 * time.Second)
	ok, block, err = cache.HasAccess(e.ctx, id, Address(user))
	if err != nil || !ok || block != head {
		t.Fatalf("one block later: access %v at block %d, %v", ok, block, err)
	}
}

type countingReader struct {
	calls  int
	access map[common.Hash]bool
}

func (c *countingReader) HasAccessAt(_ context.Context, id common.Hash, _ common.Address, _ uint64) (bool, error) {
	c.calls++
	return c.access[id], nil
}

func (c *countingReader) BlockNumber(context.Context) (uint64, error) { return 10, nil }

func TestAccessCacheEvictsOlderBlocks(t *testing.T) {
	r := &countingReader{access: map[common.Hash]bool{{1}: true}}
	cache := NewAccessCache(r, AccessCacheConfig{MaxEntries: 2})
	ctx := context.Background()
	user := common.Address{9}
	for _, block := range []uint64{1, 2} {
		if ok, _ := cache.HasAccessAt(ctx, common.Hash{1}, user, block); !ok {
			t.Fatal("wrong answer")
		}
	}
	cache.HasAccessAt(ctx, common.Hash{1}, user, 2) // hit
	if r.calls != 2 {
		t.Fatalf("%d chain reads, want 2", r.calls)
	}
	cache.HasAccessAt(ctx, common.Hash{2}, user, 3) // full: drops blocks 1 and 2
	cache.HasAccessAt(ctx, common.Hash{1}, user, 2)
	if r.calls != 4 {
		t.Fatalf("%d chain reads, want 4 (block 2 evicted)", r.calls)
	}
	if ok, _ := cache.HasAccessAt(ctx, common.Hash{2}, user, 3); ok {
		t.Fatal("cached answer differs from the chain's")
	}
}
