package ledgertest

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/ledger"
)

// Chain is an in-memory ledger.ChainView: a history of dataset facts and
// validator sets by block. Every change is "mined" in a new block; blocks
// become visible to ConfirmedBlock when confirmed. It is deterministic and
// safe for concurrent use, so a simulated network can share one.
type Chain struct {
	mu        sync.Mutex
	head      uint64
	confirmed uint64
	datasets  map[common.Hash][]datasetAt
	sets      map[uint64][]setAt
}

type datasetAt struct {
	from  uint64
	facts ledger.DatasetFacts
}

type setAt struct {
	from uint64
	set  *ledger.ValidatorSet
}

// NewChain returns a chain at block 0 with nothing on it.
func NewChain() *Chain {
	return &Chain{datasets: map[common.Hash][]datasetAt{}, sets: map[uint64][]setAt{}}
}

// SetDataset records facts about a dataset in a new block and returns the
// block number. The block is not confirmed until Confirm.
func (c *Chain) SetDataset(f ledger.DatasetFacts) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.head++
	c.datasets[f.ID] = append(c.datasets[f.ID], datasetAt{from: c.head, facts: f})
	return c.head
}

// SetValidatorSet records an epoch's validator set in a new block.
func (c *Chain) SetValidatorSet(vs *ledger.ValidatorSet) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.head++
	c.sets[vs.Epoch] = append(c.sets[vs.Epoch], setAt{from: c.head, set: vs})
	return c.head
}

// Head is the newest mined block.
func (c *Chain) Head() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.head
}

// Confirm makes blocks up to b (at most the head) confirmed.
func (c *Chain) Confirm(b uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.confirmed = max(c.confirmed, min(b, c.head))
}

// ConfirmedBlock implements ledger.ChainView.
func (c *Chain) ConfirmedBlock(context.Context) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.confirmed, nil
}

// Dataset implements ledger.ChainView.
func (c *Chain) Dataset(_ context.Context, block uint64, id common.Hash) (ledger.DatasetFacts, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if block > c.head {
		return ledger.DatasetFacts{}, fmt.Errorf("block %d is not mined yet (head %d)", block, c.head)
	}
	h := c.datasets[id]
	i := sort.Search(len(h), func(i int) bool { return h[i].from > block })
	if i == 0 {
		return ledger.DatasetFacts{ID: id}, nil
	}
	return h[i-1].facts, nil
}

// ValidatorSet implements ledger.ChainView.
func (c *Chain) ValidatorSet(_ context.Context, block uint64, epoch uint64) (*ledger.ValidatorSet, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if block > c.head {
		return nil, fmt.Errorf("block %d is not mined yet (head %d)", block, c.head)
	}
	h := c.sets[epoch]
	i := sort.Search(len(h), func(i int) bool { return h[i].from > block })
	if i == 0 {
		return nil, nil
	}
	return h[i-1].set, nil
}
