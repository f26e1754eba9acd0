package ledger

import (
	"bytes"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/trie"
	"github.com/ethereum/go-ethereum/trie/trienode"

	"github.com/enigma-mpc/enigma/signing"
)

// snapshotFormat is the version of the snapshot encoding.
const snapshotFormat = 1

// snapshot is the whole ledger state: every key and value, sorted by key.
// The trie root is a function of exactly the entries (the sequence number
// among them, under SequenceKey), so a restored snapshot is verified by
// recomputing the root.
type snapshot struct {
	Format  uint64
	Entries []snapshotEntry
}

type snapshotEntry struct {
	Key   common.Hash
	Value []byte
}

// Snapshot returns the current state for state transfer. Restore on
// another replica rebuilds it and checks it against the certified root.
func (l *Ledger) Snapshot() ([]byte, error) {
	nit, err := l.tr.NodeIterator(nil)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	s := snapshot{Format: snapshotFormat}
	it := trie.NewIterator(nit)
	for it.Next() {
		s.Entries = append(s.Entries, snapshotEntry{Key: common.BytesToHash(it.Key), Value: bytes.Clone(it.Value)})
	}
	if it.Err != nil {
		return nil, fmt.Errorf("snapshot: read state: %w", it.Err)
	}
	b, err := signing.Encode(&s)
	if err != nil {
		return nil, fmt.Errorf("snapshot: encode: %w", err)
	}
	return b, nil
}

func decodeSnapshot(snap []byte, maxSize int) (*snapshot, error) {
	var s snapshot
	if err := signing.Decode(snap, &s, maxSize); err != nil {
		return nil, fmt.Errorf("snapshot is corrupt: %w", err)
	}
	if s.Format != snapshotFormat {
		return nil, fmt.Errorf("snapshot format %d, this node reads format %d (upgrade the node)", s.Format, snapshotFormat)
	}
	return &s, nil
}

// Restore replaces the state with a snapshot after checking that it
// rebuilds exactly expectedRoot (the root a checkpoint certificate vouches
// for); the ledger then stands at the sequence recorded in that state. A
// snapshot that fails any check changes nothing.
func (l *Ledger) Restore(snap []byte, expectedRoot common.Hash) error {
	s, err := decodeSnapshot(snap, l.cfg.MaxSnapshotSize)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	t := trie.NewEmpty(l.tdb)
	for i, e := range s.Entries {
		if i > 0 && bytes.Compare(s.Entries[i-1].Key[:], e.Key[:]) >= 0 {
			return fmt.Errorf("restore: snapshot is corrupt: entries are not sorted by key at %d", i)
		}
		if len(e.Value) == 0 || len(e.Value) > MaxEntrySize {
			return fmt.Errorf("restore: snapshot is corrupt: entry %d has a %d-byte value", i, len(e.Value))
		}
		if err := t.Update(e.Key[:], e.Value); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if got := t.Hash(); got != expectedRoot {
		return fmt.Errorf("restore: snapshot rebuilds root %s, the certified root is %s: fetch the snapshot from another replica", got.Hex(), expectedRoot.Hex())
	}
	seq, err := readSequence(t)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	root, nodes := t.Commit(false)
	if nodes != nil {
		if err := l.tdb.Update(root, l.head.Root, seq, trienode.NewWithNodeSet(nodes), nil); err != nil {
			return fmt.Errorf("restore: store state: %w", err)
		}
		if err := l.tdb.Commit(root, false); err != nil {
			return fmt.Errorf("restore: write state: %w", err)
		}
	}
	tr, err := l.openTrie(root)
	if err != nil {
		return fmt.Errorf("restore: reopen state: %w", err)
	}
	if err := l.writeHead(head{Seq: seq, Root: root}); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	l.tr = tr
	l.cfg.Logger.Info("ledger restored from snapshot", "seq", seq, "root", root, "entries", len(s.Entries))
	return nil
}
