package ledger

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/trie"
	"github.com/ethereum/go-ethereum/trie/trienode"
	"github.com/ethereum/go-ethereum/triedb"

	"github.com/enigma-mpc/enigma/signing"
)

// Config configures a Ledger.
type Config struct {
	// ChainID is the chain every signature is bound to.
	ChainID uint64
	// NoSync skips the fsync after each applied batch. A process crash
	// still loses nothing the OS accepted; a power loss may lose the last
	// batches, which consensus then replays. For tests and benchmarks.
	NoSync bool
	// SlashDigest, if set, is the Marketplace's slash digest for
	// (dataset, offence, epoch) on this network (chain.Client.SlashDigest
	// with the offence's on-chain code). Attestations must then carry the
	// attester's account signature over it. Every replica of a network must
	// use the same function, like the same ChainID.
	SlashDigest func(datasetID common.Hash, offence Offence, epoch uint64) common.Hash
	// FirstEpoch is the validator epoch the ledger starts in: the epoch
	// command it takes first is for FirstEpoch+1. Every replica of a
	// network's first set uses the same (the chain's epoch when the network
	// started); replicas that join later take the state, epoch included.
	FirstEpoch uint64
	// ClosingCheckpoint is the consensus engine's rule for the checkpoint
	// that closes an epoch whose change was decided at atSeq (the same on
	// every replica: consensus.ClosingCheckpoint with the network's
	// checkpoint interval and window). Nil: atSeq itself.
	ClosingCheckpoint func(atSeq uint64) uint64
	// MaxSnapshotSize bounds a snapshot Restore accepts (default 1 GiB).
	MaxSnapshotSize int
	// Logger receives the ledger's logs (default slog.Default()).
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.MaxSnapshotSize == 0 {
		c.MaxSnapshotSize = 1 << 30
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Keys of the ledger's own bookkeeping in the key-value store. Trie nodes
// are stored under their 32-byte hashes; these keys have other lengths, so
// the two never collide.
var (
	headKey       = []byte("enigma/ledger/head")
	rootKeyPrefix = []byte("enigma/ledger/root/")
)

func rootKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(slices.Clone(rootKeyPrefix), seq)
}

// head is the last applied batch: what reopening the store resumes from.
type head struct {
	Seq  uint64
	Root common.Hash
}

// Ledger is the replicated state machine: it applies committed batches to
// a Merkle Patricia trie (go-ethereum's) kept in a key-value store, and
// answers reads, proofs and snapshots. It is deterministic: equal batches
// give equal roots on every replica. Apply, Restore, CheckRequest, Get,
// Dataset and Snapshot must not run concurrently with each other; Seq and
// Root (the last applied batch), and GetAt, Prove, Certify, ChangedKeys and
// RootAt, which read only committed states by their roots, may run
// alongside them (the DHT publisher certifies and the police lists datasets
// while consensus applies).
type Ledger struct {
	cfg  Config
	kv   ethdb.KeyValueStore
	tdb  *triedb.Database
	tr   *trie.Trie // open at head.Root, holding the batch being applied
	head head
	// applied is head once written: what Seq and Root read, from any
	// goroutine.
	applied atomic.Pointer[head]
	// signers remembers recovered metadata signers between CheckRequest
	// and Apply.
	signers *signerMemo
}

// Open opens the ledger kept in kv, resuming from the last applied batch
// (an empty ledger if there is none). The caller owns kv and closes it
// after the ledger is no longer used.
func Open(cfg Config, kv ethdb.KeyValueStore) (*Ledger, error) {
	cfg = cfg.withDefaults()
	l := &Ledger{
		cfg:     cfg,
		kv:      kv,
		tdb:     triedb.NewDatabase(rawdb.NewDatabase(kv), triedb.HashDefaults),
		head:    head{Root: types.EmptyRootHash},
		signers: newSignerMemo(signerMemoSize),
	}
	b, found, err := readKey(kv, headKey)
	if err != nil {
		return nil, fmt.Errorf("read ledger head: %w", err)
	}
	if found {
		if err := signing.Decode(b, &l.head, 256); err != nil {
			return nil, fmt.Errorf("ledger head record is damaged (%v): restore the ledger from a snapshot or delete its database", err)
		}
	}
	if l.tr, err = l.openTrie(l.head.Root); err != nil {
		return nil, fmt.Errorf("open ledger state at sequence %d: %w (the database is damaged: restore from a snapshot)", l.head.Seq, err)
	}
	if seq, err := readSequence(l.tr); err != nil || seq != l.head.Seq {
		return nil, fmt.Errorf("ledger head says sequence %d but its state says %d (%v): the database is damaged, restore from a snapshot", l.head.Seq, seq, err)
	}
	l.applied.Store(&head{Seq: l.head.Seq, Root: l.head.Root})
	return l, nil
}

// readKey reads key, telling a missing key apart from a failing store.
func readKey(kv ethdb.KeyValueReader, key []byte) ([]byte, bool, error) {
	has, err := kv.Has(key)
	if err != nil || !has {
		return nil, false, err
	}
	b, err := kv.Get(key)
	if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

func (l *Ledger) openTrie(root common.Hash) (*trie.Trie, error) {
	return trie.New(trie.TrieID(root), l.tdb)
}

// Seq is the sequence number of the last applied batch (0 if none).
func (l *Ledger) Seq() uint64 { return l.applied.Load().Seq }

// Root is the state root after the last applied batch: the digest PBFT
// checkpoints sign.
func (l *Ledger) Root() common.Hash { return l.applied.Load().Root }

// RootAt returns the state root after the batch at seq, if this ledger
// applied (or restored) that sequence. Sequence 0 is the empty state.
func (l *Ledger) RootAt(seq uint64) (common.Hash, bool, error) {
	if seq == 0 {
		return types.EmptyRootHash, true, nil
	}
	b, found, err := readKey(l.kv, rootKey(seq))
	if err != nil || !found {
		return common.Hash{}, false, err
	}
	if len(b) != common.HashLength {
		return common.Hash{}, false, fmt.Errorf("root of sequence %d is damaged (%d bytes)", seq, len(b))
	}
	return common.BytesToHash(b), true, nil
}

// Apply applies the committed batch at seq: requests in order, each checked
// against the batch context's chain facts and the state left by the
// requests before it, then records seq in the state. It returns the new
// state root and, per request, nil if it was applied or the reason it was
// rejected (a rejected request changes nothing but the batch still
// advances the sequence). The error is non-nil only if the batch could not be
// applied at all (seq already applied, storage failure); the state is then
// unchanged.
//
// Apply trusts batchContext: replicas accept a batch only after
// CheckContext, so every correct replica applies the same facts.
func (l *Ledger) Apply(seq uint64, batchContext []byte, requests [][]byte) (common.Hash, []error, error) {
	if seq <= l.head.Seq {
		return common.Hash{}, nil, fmt.Errorf("%w: batch %d, the ledger is at %d", ErrAlreadyApplied, seq, l.head.Seq)
	}
	bc, ctxErr := DecodeContext(batchContext)
	results := make([]error, len(requests))
	for i, req := range requests {
		if ctxErr != nil {
			results[i] = fmt.Errorf("%w: %v", ErrNoFacts, ctxErr)
			continue
		}
		reject, err := l.applyOne(seq, bc, req)
		if err != nil {
			l.abandonBatch()
			return common.Hash{}, nil, fmt.Errorf("apply batch %d, request %d: %w", seq, i, err)
		}
		results[i] = reject
	}
	seqEntry, err := encodeEntry(EntrySequence, seq)
	if err == nil {
		err = l.tr.Update(SequenceKey[:], seqEntry)
	}
	if err != nil {
		l.abandonBatch()
		return common.Hash{}, nil, fmt.Errorf("apply batch %d: record sequence: %w", seq, err)
	}
	root, err := l.commit(seq)
	if err != nil {
		return common.Hash{}, nil, err
	}
	return root, results, nil
}

// readSequence returns the sequence number recorded in a state (0 for the
// empty state).
func readSequence(t *trie.Trie) (uint64, error) {
	v, err := t.Get(SequenceKey[:])
	if err != nil {
		return 0, fmt.Errorf("read sequence: %w", err)
	}
	e, err := DecodeEntry(SequenceKey, v)
	if err != nil {
		return 0, err
	}
	if e.Kind != EntrySequence && e.Kind != EntryAbsent {
		return 0, fmt.Errorf("sequence key holds a %s entry", e.Kind)
	}
	return e.Seq, nil
}

// abandonBatch drops the uncommitted changes of a failed batch.
func (l *Ledger) abandonBatch() {
	tr, err := l.openTrie(l.head.Root)
	if err != nil {
		// The head root was readable when the batch began; if it no longer
		// is, the store is failing and every later call reports it.
		l.cfg.Logger.Error("ledger: reopening state after a failed batch", "root", l.head.Root, "err", err)
		return
	}
	l.tr = tr
}

// commit persists the trie changes of the current batch and the new head.
func (l *Ledger) commit(seq uint64) (common.Hash, error) {
	root, nodes := l.tr.Commit(false)
	if nodes != nil {
		if err := l.tdb.Update(root, l.head.Root, seq, trienode.NewWithNodeSet(nodes), nil); err != nil {
			l.abandonBatch()
			return common.Hash{}, fmt.Errorf("store state of batch %d: %w", seq, err)
		}
		if err := l.tdb.Commit(root, false); err != nil {
			l.abandonBatch()
			return common.Hash{}, fmt.Errorf("write state of batch %d: %w", seq, err)
		}
	}
	if err := l.writeHead(head{Seq: seq, Root: root}); err != nil {
		l.abandonBatch()
		return common.Hash{}, err
	}
	tr, err := l.openTrie(root)
	if err != nil {
		return common.Hash{}, fmt.Errorf("reopen state after batch %d: %w", seq, err)
	}
	l.tr = tr
	return root, nil
}

// writeHead records h as the last applied batch. Trie nodes are written
// before it, so a crash never leaves a head whose nodes are missing.
func (l *Ledger) writeHead(h head) error {
	enc, err := signing.Encode(&h)
	if err != nil {
		return fmt.Errorf("encode ledger head: %w", err)
	}
	batch := l.kv.NewBatch()
	if err := errors.Join(batch.Put(rootKey(h.Seq), h.Root[:]), batch.Put(headKey, enc), batch.Write()); err != nil {
		return fmt.Errorf("write ledger head %d: %w", h.Seq, err)
	}
	if !l.cfg.NoSync {
		if err := l.kv.SyncKeyValue(); err != nil {
			return fmt.Errorf("sync ledger head %d: %w", h.Seq, err)
		}
	}
	l.head = h
	l.applied.Store(&h)
	return nil
}

// GetAt returns the value under key in the committed state with the given
// root (Root, or a checkpoint's); it may run beside Apply.
func (l *Ledger) GetAt(root, key common.Hash) (Entry, error) {
	tr, err := l.openTrie(root)
	if err != nil {
		return Entry{}, fmt.Errorf("ledger has no state with root %s: %w", root.Hex(), err)
	}
	v, err := tr.Get(key[:])
	if err != nil {
		return Entry{}, fmt.Errorf("read ledger key %s: %w", key.Hex(), err)
	}
	return DecodeEntry(key, v)
}

// Get returns the current value under key.
func (l *Ledger) Get(key common.Hash) (Entry, error) {
	v, err := l.tr.Get(key[:])
	if err != nil {
		return Entry{}, fmt.Errorf("read ledger key %s: %w", key.Hex(), err)
	}
	return DecodeEntry(key, v)
}

// Epoch returns the validator epoch the ledger's state is in: the latest
// that took over, or Config.FirstEpoch.
func (l *Ledger) Epoch() (uint64, error) {
	e, err := l.Get(CurrentEpochKey)
	if err != nil {
		return 0, err
	}
	if e.Kind != EntryCurrentEpoch {
		return l.cfg.FirstEpoch, nil
	}
	return e.Seq, nil
}

// EpochRecord returns the record of epoch, or nil if the ledger has none.
func (l *Ledger) EpochRecord(epoch uint64) (*EpochRecord, error) {
	e, err := l.Get(EpochKey(epoch))
	if err != nil {
		return nil, err
	}
	return e.Epoch, nil
}

// Dataset returns the current record of dataset id, or nil if there is none.
func (l *Ledger) Dataset(id common.Hash) (*Record, error) {
	e, err := l.Get(id)
	if err != nil {
		return nil, err
	}
	if e.Kind != EntryDataset {
		if e.Kind == EntryAbsent {
			return nil, nil
		}
		return nil, fmt.Errorf("ledger key %s holds a %s entry, not a dataset", id.Hex(), e.Kind)
	}
	return e.Dataset, nil
}

// Prove returns the value under key in the state with the given root and
// the Merkle proof of it (of its absence if value is empty). Proof nodes
// are in path order, root first.
func (l *Ledger) Prove(root common.Hash, key common.Hash) (value []byte, proof [][]byte, err error) {
	t, err := l.openTrie(root)
	if err != nil {
		return nil, nil, fmt.Errorf("ledger has no state with root %s: %w", root.Hex(), err)
	}
	if value, err = t.Get(key[:]); err != nil {
		return nil, nil, fmt.Errorf("read key %s at root %s: %w", key.Hex(), root.Hex(), err)
	}
	var w proofWriter
	if err := t.Prove(key[:], &w); err != nil {
		return nil, nil, fmt.Errorf("prove key %s at root %s: %w", key.Hex(), root.Hex(), err)
	}
	return value, w.nodes, nil
}

// Certify builds the certified record for key from a checkpoint
// certificate over a state this ledger holds. The certificate is not
// checked here (the caller got it from consensus); Verify checks it.
func (l *Ledger) Certify(key common.Hash, cert CheckpointCertificate) (*CertifiedRecord, error) {
	root, ok, err := l.RootAt(cert.Seq)
	if err != nil {
		return nil, err
	}
	if !ok || root != cert.StateRoot {
		return nil, fmt.Errorf("ledger has no state for checkpoint %d with root %s: certify a checkpoint this node applied", cert.Seq, cert.StateRoot.Hex())
	}
	value, proof, err := l.Prove(root, key)
	if err != nil {
		return nil, err
	}
	return &CertifiedRecord{Key: key, Value: value, Proof: proof, Certificate: cert}, nil
}

// proofWriter collects the nodes trie.Prove emits, in order.
type proofWriter struct{ nodes [][]byte }

func (w *proofWriter) Put(_ []byte, value []byte) error {
	w.nodes = append(w.nodes, bytes.Clone(value))
	return nil
}

func (w *proofWriter) Delete([]byte) error { return errors.New("proof writer: delete not supported") }

// ChangedKeys lists, in key order, the keys whose value in the state with
// root to differs from (or is absent in) the state with root from, leaving
// out SequenceKey. A node republishes the certified records of these keys
// after a new stable checkpoint; ChangedKeys(types.EmptyRootHash, root) lists every
// key for a full republish.
func (l *Ledger) ChangedKeys(from, to common.Hash) ([]common.Hash, error) {
	a, err := l.openTrie(from)
	if err != nil {
		return nil, fmt.Errorf("ledger has no state with root %s: %w", from.Hex(), err)
	}
	b, err := l.openTrie(to)
	if err != nil {
		return nil, fmt.Errorf("ledger has no state with root %s: %w", to.Hex(), err)
	}
	ait, err := a.NodeIterator(nil)
	if err != nil {
		return nil, err
	}
	bit, err := b.NodeIterator(nil)
	if err != nil {
		return nil, err
	}
	diff, _ := trie.NewDifferenceIterator(ait, bit)
	var keys []common.Hash
	for diff.Next(true) {
		if diff.Leaf() {
			if k := common.BytesToHash(diff.LeafKey()); k != SequenceKey {
				keys = append(keys, k)
			}
		}
	}
	if err := diff.Error(); err != nil {
		return nil, fmt.Errorf("compare states %s and %s: %w", from.Hex(), to.Hex(), err)
	}
	return keys, nil
}
