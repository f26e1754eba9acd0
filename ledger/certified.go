package ledger

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/trie"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/signing"
)

// MaxCertifiedRecordSize bounds an encoded certified record.
const MaxCertifiedRecordSize = 2 << 20

// maxProofNodes bounds a proof: a path through a hexary trie of 32-byte
// keys has at most 64 branch levels plus an extension and a leaf.
const maxProofNodes = 66

// CertifiedRecord is a ledger value that anyone holding the validator set
// can check without trusting whoever served it: the value under Key, the
// Merkle proof that state root Certificate.StateRoot maps Key to Value (to
// nothing if Value is empty), and the certificate that a quorum of
// validators signed that root.
type CertifiedRecord struct {
	Key         common.Hash
	Value       []byte
	Proof       [][]byte
	Certificate CheckpointCertificate
}

// Encode returns the record's canonical encoding, as stored in the DHT.
func (cr *CertifiedRecord) Encode() ([]byte, error) {
	b, err := signing.Encode(cr)
	if err != nil {
		return nil, fmt.Errorf("encode certified record: %w", err)
	}
	return b, nil
}

// DecodeCertifiedRecord decodes a certified record strictly (size limit,
// canonical encoding). It does not verify it.
func DecodeCertifiedRecord(b []byte) (*CertifiedRecord, error) {
	var cr CertifiedRecord
	if err := signing.Decode(b, &cr, MaxCertifiedRecordSize); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrVerify, err)
	}
	return &cr, nil
}

// Verify checks a certified record against the validator set of its epoch
// (a set that passed ValidatorSet.Check) and returns the entry it proves. It is pure and strict: any change to any
// byte of the value, proof or certificate makes it fail with an error
// wrapping ErrVerify, and so does any change to the key of a present
// record. An absence record proves absence for its Key; a caller asking
// about a particular key must compare it (VerifyEncoded does).
func Verify(cr *CertifiedRecord, vs *ValidatorSet) (Entry, error) {
	if err := cr.Certificate.Verify(vs); err != nil {
		return Entry{}, err
	}
	value, err := VerifyProof(cr.Certificate.StateRoot, cr.Key, cr.Proof)
	if err != nil {
		return Entry{}, err
	}
	if !bytes.Equal(value, cr.Value) {
		if len(value) == 0 {
			return Entry{}, fmt.Errorf("%w: the proof shows key %s absent, the record carries a value", ErrVerify, cr.Key.Hex())
		}
		return Entry{}, fmt.Errorf("%w: the value does not match the one the proof commits to", ErrVerify)
	}
	e, err := DecodeEntry(cr.Key, cr.Value)
	if err != nil {
		return Entry{}, fmt.Errorf("%w: %v", ErrVerify, err)
	}
	return e, nil
}

// VerifyProof checks a Merkle proof (nodes in path order, root first, as
// Ledger.Prove returns them) and returns the value it proves for key, or
// nil for a proof of absence. Beyond trie.VerifyProof it insists that the
// proof holds exactly the nodes the walk visits, in order: an unused or
// repeated node is an error, so a proof has one valid form.
func VerifyProof(root, key common.Hash, proof [][]byte) ([]byte, error) {
	if root == types.EmptyRootHash {
		if len(proof) != 0 {
			return nil, fmt.Errorf("%w: proof against the empty state must be empty, it has %d nodes", ErrVerify, len(proof))
		}
		return nil, nil
	}
	if len(proof) == 0 || len(proof) > maxProofNodes {
		return nil, fmt.Errorf("%w: proof has %d nodes, want 1..%d", ErrVerify, len(proof), maxProofNodes)
	}
	r := &proofReader{nodes: make(map[common.Hash][]byte, len(proof))}
	for _, n := range proof {
		h := crypto.Keccak256Hash(n)
		if _, dup := r.nodes[h]; dup {
			return nil, fmt.Errorf("%w: proof repeats a node", ErrVerify)
		}
		r.nodes[h] = n
	}
	value, err := trie.VerifyProof(root, key[:], r)
	if err != nil {
		return nil, fmt.Errorf("%w: Merkle proof: %v", ErrVerify, err)
	}
	if len(r.visited) != len(proof) {
		return nil, fmt.Errorf("%w: proof has %d nodes, the path uses %d", ErrVerify, len(proof), len(r.visited))
	}
	for i, h := range r.visited {
		if crypto.Keccak256Hash(proof[i]) != h {
			return nil, fmt.Errorf("%w: proof node %d is out of path order", ErrVerify, i)
		}
	}
	return value, nil
}

// proofReader serves proof nodes by hash and records the walk.
type proofReader struct {
	nodes   map[common.Hash][]byte
	visited []common.Hash
}

func (r *proofReader) Has(key []byte) (bool, error) {
	_, ok := r.nodes[common.BytesToHash(key)]
	return ok, nil
}

func (r *proofReader) Get(key []byte) ([]byte, error) {
	h := common.BytesToHash(key)
	n, ok := r.nodes[h]
	if !ok {
		return nil, errors.New("proof node not found")
	}
	r.visited = append(r.visited, h)
	return n, nil
}

// ValidatorSets looks validator sets up by epoch. The chain client
// implements it in production; SetList serves a fixed list.
type ValidatorSets interface {
	// ValidatorSet returns the set of epoch, or an error if it is unknown.
	ValidatorSet(epoch uint64) (*ValidatorSet, error)
}

// SetList is a fixed list of validator sets, for example read from a file.
type SetList []*ValidatorSet

// ValidatorSet implements ValidatorSets.
func (l SetList) ValidatorSet(epoch uint64) (*ValidatorSet, error) {
	for _, vs := range l {
		if vs.Epoch == epoch {
			return vs, nil
		}
	}
	return nil, fmt.Errorf("%w: no validator set for epoch %d is known (pass one that covers it)", ErrVerify, epoch)
}

// VerifyEncoded decodes and verifies a certified record that should
// answer for key, looking up the validator set of its epoch. Callers that
// asked about a key must use it (or compare Key themselves): a proof of
// absence for one key is often a valid proof of absence for its trie
// neighbours too, so only the comparison binds an absence record to the
// question.
func VerifyEncoded(sets ValidatorSets, key common.Hash, encoded []byte) (*CertifiedRecord, Entry, error) {
	cr, err := DecodeCertifiedRecord(encoded)
	if err != nil {
		return nil, Entry{}, err
	}
	if cr.Key != key {
		return nil, Entry{}, fmt.Errorf("%w: record is for key %s, not %s", ErrVerify, cr.Key.Hex(), key.Hex())
	}
	vs, err := sets.ValidatorSet(cr.Certificate.Epoch)
	if err != nil {
		return nil, Entry{}, err
	}
	e, err := Verify(cr, vs)
	if err != nil {
		return nil, Entry{}, err
	}
	return cr, e, nil
}

// VerifyDatasetRecord is what a DHT node or client asks of a value stored
// under key: is it a certified, present dataset record for exactly that
// key? It returns the record.
func VerifyDatasetRecord(sets ValidatorSets, key common.Hash, encoded []byte) (*CertifiedRecord, *Record, error) {
	cr, e, err := VerifyEncoded(sets, key, encoded)
	if err != nil {
		return nil, nil, err
	}
	if e.Kind != EntryDataset {
		return nil, nil, fmt.Errorf("%w: record under %s is %s, not a dataset", ErrVerify, key.Hex(), e.Kind)
	}
	return cr, e.Dataset, nil
}

// VerifyPublishedRecord verifies what validators publish in the DHT: a
// present dataset record, or the record of a validator epoch, for key.
func VerifyPublishedRecord(sets ValidatorSets, key common.Hash, encoded []byte) (*CertifiedRecord, Entry, error) {
	cr, e, err := VerifyEncoded(sets, key, encoded)
	if err != nil {
		return nil, Entry{}, err
	}
	if e.Kind != EntryDataset && e.Kind != EntryEpoch {
		return nil, Entry{}, fmt.Errorf("%w: record under %s is %s, not a dataset or an epoch", ErrVerify, key.Hex(), e.Kind)
	}
	return cr, e, nil
}

// Newer reports whether certified record a supersedes b for the same key:
// a later epoch wins, then a later checkpoint, since the ledger's state
// only moves forward. A later epoch's set certified the state as it stood
// after the earlier set had been replaced, so a record of a replaced set,
// whatever sequence number its (possibly stolen) keys put on it, never
// wins over one of its successor. Records of the same checkpoint carry the
// same state, so neither is newer.
func Newer(a, b *CertifiedRecord) bool {
	ca, cb := &a.Certificate, &b.Certificate
	if ca.Epoch != cb.Epoch {
		return ca.Epoch > cb.Epoch
	}
	return ca.Seq > cb.Seq
}

// CheckEpochBound enforces the rule for records of replaced validator sets:
// a record certified by the set of epoch e counts only if its sequence
// number is at most the checkpoint that closed e, as the record of epoch
// e+1 (next, verified) says. Later signatures of that set were made after
// it was replaced (its keys may since have been stolen or sold) and are
// refused.
func CheckEpochBound(cr *CertifiedRecord, next *EpochRecord) error {
	c := &cr.Certificate
	if next.Epoch != c.Epoch+1 {
		return fmt.Errorf("%w: the bound of epoch %d needs the record of epoch %d, not %d", ErrVerify, c.Epoch, c.Epoch+1, next.Epoch)
	}
	if c.Seq > next.CloseSeq {
		return fmt.Errorf("%w: certified by epoch %d's validators at sequence %d, after that set was replaced at checkpoint %d", ErrVerify, c.Epoch, c.Seq, next.CloseSeq)
	}
	return nil
}

// Newest returns the index of the newest of several verified records for
// the same key (the first of equals), or -1 if there are none.
func Newest(records []*CertifiedRecord) int {
	best := -1
	for i, r := range records {
		if best < 0 || Newer(r, records[best]) {
			best = i
		}
	}
	return best
}

// RecordValidator adapts certified-record verification to the DHT's record
// validation (it satisfies overlay/kademlia.Validator, whose keys are
// 32-byte IDs typed as identity.NodeID): Validate says whether a value may
// be stored under a key, Select picks the newest of several valid values.
type RecordValidator struct {
	Sets ValidatorSets
}

// Validate checks that value is a certified dataset or epoch record for
// key.
func (v RecordValidator) Validate(key identity.NodeID, value []byte) error {
	_, _, err := VerifyPublishedRecord(v.Sets, common.Hash(key), value)
	return err
}

// Select returns the index of the newest valid value for key; invalid
// values are skipped. It fails only if none is valid.
func (v RecordValidator) Select(key identity.NodeID, values [][]byte) (int, error) {
	best := -1
	var bestRecord *CertifiedRecord
	var firstErr error
	for i, val := range values {
		cr, _, err := VerifyPublishedRecord(v.Sets, common.Hash(key), val)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if best < 0 || Newer(cr, bestRecord) {
			best, bestRecord = i, cr
		}
	}
	if best < 0 {
		if firstErr == nil {
			firstErr = fmt.Errorf("%w: no values to choose from", ErrVerify)
		}
		return -1, firstErr
	}
	return best, nil
}
