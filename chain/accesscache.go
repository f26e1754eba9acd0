package chain

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/internal/clock"
)

// accessReader is what the cache needs from the chain.
type accessReader interface {
	HasAccessAt(ctx context.Context, id common.Hash, user common.Address, block uint64) (bool, error)
	BlockNumber(ctx context.Context) (uint64, error)
}

// AccessCacheConfig configures an AccessCache. Zero fields get defaults.
type AccessCacheConfig struct {
	// Depth: answers are given at the latest confirmed block, head - Depth.
	Depth uint64
	// HeadTTL is how long a read of the head block number is reused
	// (default 1s), so a burst of checks costs one head read.
	HeadTTL time.Duration
	// MaxEntries bounds the cache (default 100,000 answers).
	MaxEntries int
	Clock      clock.Clock
}

type accessKey struct {
	block uint64
	id    common.Hash
	user  common.Address
}

// AccessCache answers hasAccess(id, user) at the latest confirmed block,
// caching answers by (block, id, user). An answer at a block never changes,
// so entries are never stale; entries of older blocks are dropped when the
// cache is full.
type AccessCache struct {
	chain accessReader
	cfg   AccessCacheConfig

	mu struct {
		sync.Mutex
		entries  map[accessKey]bool
		head     uint64
		headRead time.Time
		hits     uint64
		misses   uint64
	}
}

// NewAccessCache wraps a chain reader (a *Client).
func NewAccessCache(chain accessReader, cfg AccessCacheConfig) *AccessCache {
	if cfg.HeadTTL == 0 {
		cfg.HeadTTL = time.Second
	}
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = 100_000
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	a := &AccessCache{chain: chain, cfg: cfg}
	a.mu.entries = map[accessKey]bool{}
	return a
}

// ConfirmedBlock is head - Depth (0 while the chain is shorter).
func (a *AccessCache) ConfirmedBlock(ctx context.Context) (uint64, error) {
	a.mu.Lock()
	if !a.mu.headRead.IsZero() && a.cfg.Clock.Now().Sub(a.mu.headRead) < a.cfg.HeadTTL {
		head := a.mu.head
		a.mu.Unlock()
		return confirmedAt(head, a.cfg.Depth), nil
	}
	a.mu.Unlock()
	head, err := a.chain.BlockNumber(ctx)
	if err != nil {
		return 0, err
	}
	a.mu.Lock()
	a.mu.head, a.mu.headRead = head, a.cfg.Clock.Now()
	a.mu.Unlock()
	return confirmedAt(head, a.cfg.Depth), nil
}

func confirmedAt(head, depth uint64) uint64 {
	if head < depth {
		return 0
	}
	return head - depth
}

// HasAccess answers at the latest confirmed block and says which block.
func (a *AccessCache) HasAccess(ctx context.Context, id common.Hash, user common.Address) (bool, uint64, error) {
	block, err := a.ConfirmedBlock(ctx)
	if err != nil {
		return false, 0, err
	}
	ok, err := a.HasAccessAt(ctx, id, user, block)
	return ok, block, err
}

// HasAccessAt answers at a given block.
func (a *AccessCache) HasAccessAt(ctx context.Context, id common.Hash, user common.Address, block uint64) (bool, error) {
	k := accessKey{block, id, user}
	a.mu.Lock()
	if v, ok := a.mu.entries[k]; ok {
		a.mu.hits++
		a.mu.Unlock()
		return v, nil
	}
	a.mu.misses++
	a.mu.Unlock()
	v, err := a.chain.HasAccessAt(ctx, id, user, block)
	if err != nil {
		return false, fmt.Errorf("access check at block %d: %w", block, err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.insertLocked(k, v)
	return v, nil
}

func (a *AccessCache) insertLocked(k accessKey, v bool) {
	if len(a.mu.entries) >= a.cfg.MaxEntries {
		// Drop every entry of a block older than the newest one cached; if
		// all are of the newest block, start afresh.
		newest := k.block
		for e := range a.mu.entries {
			newest = max(newest, e.block)
		}
		for e := range a.mu.entries {
			if e.block < newest {
				delete(a.mu.entries, e)
			}
		}
		if len(a.mu.entries) >= a.cfg.MaxEntries {
			clear(a.mu.entries)
		}
	}
	a.mu.entries[k] = v
}

// Stats returns the cache's hits and misses so far.
func (a *AccessCache) Stats() (hits, misses uint64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.mu.hits, a.mu.misses
}
