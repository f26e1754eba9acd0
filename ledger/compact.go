package ledger

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/ethdb"
)

// CopyStats says what CopyRecent wrote.
type CopyStats struct {
	FromSeq, ToSeq uint64 // the sequences whose states were kept
	Nodes          int    // trie nodes written
}

// CopyRecent writes to dst, which must be empty, the ledger as it stands
// with only the states of its last keep sequences: their roots and every
// trie node they reach. The store never deletes a node (a node may be shared
// by many states), so every applied batch leaves its superseded nodes
// behind; copying the live ones into a fresh store is how a node operator
// reclaims that space. Keep at least the sequences back to the last stable
// checkpoint, which validators certify records at.
//
// The head record is written last, so an interrupted copy is not a ledger:
// Open on it fails instead of starting empty.
func (l *Ledger) CopyRecent(dst ethdb.KeyValueStore, keep uint64) (CopyStats, error) {
	if keep == 0 {
		return CopyStats{}, errors.New("keep at least the state at the head")
	}
	from := uint64(1)
	if l.head.Seq >= keep {
		from = l.head.Seq - keep + 1
	}
	stats := CopyStats{FromSeq: from, ToSeq: l.head.Seq}
	batch := dst.NewBatch()
	flush := func() error {
		if batch.ValueSize() < ethdb.IdealBatchSize {
			return nil
		}
		if err := batch.Write(); err != nil {
			return err
		}
		batch.Reset()
		return nil
	}
	for seq := from; seq <= l.head.Seq; seq++ {
		root, ok, err := l.RootAt(seq)
		if err != nil {
			return stats, err
		}
		if !ok {
			continue // before a restored snapshot: this ledger never had it
		}
		n, err := l.copyTrie(root, dst, batch, flush)
		stats.Nodes += n
		if err != nil {
			return stats, fmt.Errorf("copy the state of sequence %d: %w", seq, err)
		}
		if err := batch.Put(rootKey(seq), root[:]); err != nil {
			return stats, err
		}
		// The next state's walk skips what dst holds: it must hold this one.
		if err := batch.Write(); err != nil {
			return stats, err
		}
		batch.Reset()
	}
	b, found, err := readKey(l.kv, headKey)
	if err != nil {
		return stats, err
	}
	if found {
		if err := dst.Put(headKey, b); err != nil {
			return stats, err
		}
	}
	return stats, nil
}

// copyTrie copies the nodes of the trie at root that dst does not hold yet;
// a subtree whose root node is already there is there whole (nodes are
// written parent first, and every walk completes before the next starts),
// so it is skipped.
func (l *Ledger) copyTrie(root common.Hash, dst ethdb.KeyValueReader, batch ethdb.Batch, flush func() error) (int, error) {
	t, err := l.openTrie(root)
	if err != nil {
		return 0, err
	}
	it, err := t.NodeIterator(nil)
	if err != nil {
		return 0, err
	}
	written := make(map[common.Hash]bool)
	n := 0
	descend := true
	for it.Next(descend) {
		descend = true
		h := it.Hash()
		if h == (common.Hash{}) {
			continue // embedded in its parent
		}
		if written[h] || rawdb.HasLegacyTrieNode(dst, h) {
			descend = false
			continue
		}
		rawdb.WriteLegacyTrieNode(batch, h, it.NodeBlob())
		written[h] = true
		n++
		if err := flush(); err != nil {
			return n, err
		}
	}
	return n, it.Error()
}
