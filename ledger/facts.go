package ledger

import (
	"bytes"
	"cmp"
	"context"
	"crypto/ed25519"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/signing"
)

// ChainView is what the ledger needs to know about the chain. The chain
// client implements it; the simulator implements it over its model chain.
// Every answer is "as of block": two honest views asked about the same
// confirmed block give the same answer, which is what lets replicas re-check
// the primary's facts.
type ChainView interface {
	// ConfirmedBlock is the newest block the view treats as final.
	ConfirmedBlock(ctx context.Context) (uint64, error)
	// Dataset returns the on-chain facts about dataset id at block. A
	// dataset that does not exist yields Exists == false and no error.
	Dataset(ctx context.Context, block uint64, id common.Hash) (DatasetFacts, error)
	// ValidatorSet returns the validator set of epoch as known at block, or
	// nil and no error if the chain does not define that epoch yet.
	ValidatorSet(ctx context.Context, block uint64, epoch uint64) (*ValidatorSet, error)
}

// DatasetFacts are the on-chain facts about one dataset at one block.
type DatasetFacts struct {
	ID           common.Hash
	Exists       bool
	Owner        common.Address
	MetadataHash common.Hash
	Active       bool
}

// ValidatorFacts say whether a node was a validator in an epoch, and with
// which key, as the chain knew it at the batch's block.
type ValidatorFacts struct {
	Epoch     uint64
	ID        identity.NodeID
	Member    bool
	PublicKey ed25519.PublicKey // empty unless Member
	Account   common.Address    // the member's Ethereum account, if the chain records one
}

// BatchContext is the primary's statement of the chain facts a batch
// depends on: the block it read them at and exactly the facts its commands
// need, sorted (datasets by ID, validators by epoch then ID). Replicas
// re-read the same facts from their own view at Block before accepting the
// batch; Apply then uses only these facts.
type BatchContext struct {
	Block      uint64
	Datasets   []DatasetFacts
	Validators []ValidatorFacts
	// Sets are whole validator sets, by ascending epoch, for epoch
	// commands; a set the chain does not define at Block has no members.
	Sets []ValidatorSetFacts `rlp:"optional"`
}

// ValidatorSetFacts is the validator set of Epoch as the chain had it at
// the batch's block (members sorted by node ID; none if undefined).
type ValidatorSetFacts struct {
	Epoch   uint64
	Members []Validator
}

// MaxContextSize bounds an encoded batch context.
const MaxContextSize = 4 << 20

// Encode returns the context's canonical encoding, carried in the
// pre-prepare as opaque bytes.
func (bc *BatchContext) Encode() ([]byte, error) {
	b, err := signing.Encode(bc)
	if err != nil {
		return nil, fmt.Errorf("encode batch context: %w", err)
	}
	return b, nil
}

// DecodeContext decodes and checks the shape of a batch context: sorted,
// no duplicates.
func DecodeContext(b []byte) (*BatchContext, error) {
	var bc BatchContext
	if err := signing.Decode(b, &bc, MaxContextSize); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadContext, err)
	}
	for i := 1; i < len(bc.Datasets); i++ {
		if bytes.Compare(bc.Datasets[i-1].ID[:], bc.Datasets[i].ID[:]) >= 0 {
			return nil, fmt.Errorf("%w: dataset facts are not sorted by ID or repeat one", ErrBadContext)
		}
	}
	for i := 1; i < len(bc.Validators); i++ {
		if compareValidatorKey(bc.Validators[i-1].Epoch, bc.Validators[i-1].ID, bc.Validators[i].Epoch, bc.Validators[i].ID) >= 0 {
			return nil, fmt.Errorf("%w: validator facts are not sorted by epoch and ID or repeat one", ErrBadContext)
		}
	}
	for i := 1; i < len(bc.Sets); i++ {
		if bc.Sets[i-1].Epoch >= bc.Sets[i].Epoch {
			return nil, fmt.Errorf("%w: validator sets are not sorted by epoch or repeat one", ErrBadContext)
		}
	}
	return &bc, nil
}

func compareValidatorKey(e1 uint64, id1 identity.NodeID, e2 uint64, id2 identity.NodeID) int {
	if e1 != e2 {
		if e1 < e2 {
			return -1
		}
		return 1
	}
	return bytes.Compare(id1[:], id2[:])
}

// dataset returns the facts about id, if the context has them.
func (bc *BatchContext) dataset(id common.Hash) (DatasetFacts, bool) {
	i, ok := slices.BinarySearchFunc(bc.Datasets, id, func(f DatasetFacts, id common.Hash) int { return bytes.Compare(f.ID[:], id[:]) })
	if !ok {
		return DatasetFacts{}, false
	}
	return bc.Datasets[i], true
}

// validator returns the facts about (epoch, id), if the context has them.
func (bc *BatchContext) validator(epoch uint64, id identity.NodeID) (ValidatorFacts, bool) {
	i, ok := slices.BinarySearchFunc(bc.Validators, ValidatorFacts{Epoch: epoch, ID: id}, func(a, b ValidatorFacts) int {
		return compareValidatorKey(a.Epoch, a.ID, b.Epoch, b.ID)
	})
	if !ok {
		return ValidatorFacts{}, false
	}
	return bc.Validators[i], true
}

// set returns the facts about epoch's whole set, if the context has them.
func (bc *BatchContext) set(epoch uint64) (ValidatorSetFacts, bool) {
	i, ok := slices.BinarySearchFunc(bc.Sets, epoch, func(f ValidatorSetFacts, e uint64) int { return cmp.Compare(f.Epoch, e) })
	if !ok {
		return ValidatorSetFacts{}, false
	}
	return bc.Sets[i], true
}

// needs lists the facts the decodable requests depend on, sorted and
// without duplicates. Undecodable requests need nothing: Apply rejects them.
type needs struct {
	datasets   []common.Hash
	validators []ValidatorFacts // only Epoch and ID set
	sets       []uint64
}

func factsNeeded(requests [][]byte) needs {
	var n needs
	for _, req := range requests {
		c, err := DecodeCommand(req)
		if err != nil {
			continue
		}
		switch c.Kind {
		case CmdRegister, CmdUpdate:
			n.datasets = append(n.datasets, c.Metadata.Metadata.ID())
		case CmdAttest:
			a := &c.Attestation.Attestation
			n.validators = append(n.validators, ValidatorFacts{Epoch: a.Epoch, ID: a.Attester})
		case CmdEpoch:
			n.sets = append(n.sets, c.Epoch.Epoch)
		}
	}
	slices.Sort(n.sets)
	n.sets = slices.Compact(n.sets)
	slices.SortFunc(n.datasets, func(a, b common.Hash) int { return bytes.Compare(a[:], b[:]) })
	n.datasets = slices.Compact(n.datasets)
	cmpV := func(a, b ValidatorFacts) int { return compareValidatorKey(a.Epoch, a.ID, b.Epoch, b.ID) }
	slices.SortFunc(n.validators, cmpV)
	n.validators = slices.CompactFunc(n.validators, func(a, b ValidatorFacts) bool { return cmpV(a, b) == 0 })
	return n
}

// readFacts reads the needed facts from view at block.
func readFacts(ctx context.Context, view ChainView, block uint64, n needs) (*BatchContext, error) {
	bc := &BatchContext{Block: block}
	for _, id := range n.datasets {
		f, err := view.Dataset(ctx, block, id)
		if err != nil {
			return nil, fmt.Errorf("read dataset %s at block %d: %w", id.Hex(), block, err)
		}
		f.ID = id
		if !f.Exists {
			f = DatasetFacts{ID: id}
		}
		bc.Datasets = append(bc.Datasets, f)
	}
	sets := map[uint64]*ValidatorSet{}
	for _, v := range n.validators {
		vs, ok := sets[v.Epoch]
		if !ok {
			var err error
			vs, err = view.ValidatorSet(ctx, block, v.Epoch)
			if err != nil {
				return nil, fmt.Errorf("read validator set of epoch %d at block %d: %w", v.Epoch, block, err)
			}
			sets[v.Epoch] = vs
		}
		f := ValidatorFacts{Epoch: v.Epoch, ID: v.ID}
		if vs != nil {
			if m, ok := vs.Member(v.ID); ok {
				f.Member, f.PublicKey, f.Account = true, m.PublicKey, m.Account
			}
		}
		bc.Validators = append(bc.Validators, f)
	}
	for _, epoch := range n.sets {
		vs, err := view.ValidatorSet(ctx, block, epoch)
		if err != nil {
			return nil, fmt.Errorf("read validator set of epoch %d at block %d: %w", epoch, block, err)
		}
		f := ValidatorSetFacts{Epoch: epoch}
		if vs != nil {
			f.Members = vs.Members
		}
		bc.Sets = append(bc.Sets, f)
	}
	return bc, nil
}

// BuildContext is the primary's side: it reads, at the view's confirmed
// block, every fact the requests need and returns the context to attach to
// the batch.
func BuildContext(ctx context.Context, view ChainView, requests [][]byte) (*BatchContext, error) {
	block, err := view.ConfirmedBlock(ctx)
	if err != nil {
		return nil, fmt.Errorf("read confirmed block: %w", err)
	}
	return readFacts(ctx, view, block, factsNeeded(requests))
}

// CheckContext is a replica's side: it accepts the primary's encoded
// context only if it holds exactly the facts the requests need and those
// facts equal what the replica's own view says at the same block. It
// returns an error wrapping ErrNotReady while the view has not reached the
// block (retry later), and one wrapping ErrBadContext if the context is
// wrong. Other errors come from the view itself.
func CheckContext(ctx context.Context, view ChainView, encoded []byte, requests [][]byte) error {
	claimed, err := DecodeContext(encoded)
	if err != nil {
		return err
	}
	head, err := view.ConfirmedBlock(ctx)
	if err != nil {
		return fmt.Errorf("read confirmed block: %w", err)
	}
	if head < claimed.Block {
		return fmt.Errorf("%w: batch read block %d, this view is at %d", ErrNotReady, claimed.Block, head)
	}
	own, err := readFacts(ctx, view, claimed.Block, factsNeeded(requests))
	if err != nil {
		return err
	}
	ownEnc, err := own.Encode()
	if err != nil {
		return err
	}
	if !bytes.Equal(ownEnc, encoded) {
		return fmt.Errorf("%w: %s", ErrBadContext, describeMismatch(claimed, own))
	}
	return nil
}

// describeMismatch names the first difference between two contexts for the
// error message.
func describeMismatch(claimed, own *BatchContext) string {
	if len(claimed.Datasets) != len(own.Datasets) || len(claimed.Validators) != len(own.Validators) {
		return fmt.Sprintf("context has facts for %d datasets and %d validators, the requests need %d and %d",
			len(claimed.Datasets), len(claimed.Validators), len(own.Datasets), len(own.Validators))
	}
	for i := range own.Datasets {
		if claimed.Datasets[i] != own.Datasets[i] {
			return fmt.Sprintf("facts about dataset %s differ from this view's at block %d", own.Datasets[i].ID.Hex(), own.Block)
		}
	}
	for i := range own.Validators {
		c, o := claimed.Validators[i], own.Validators[i]
		if c.Epoch != o.Epoch || c.ID != o.ID || c.Member != o.Member || !bytes.Equal(c.PublicKey, o.PublicKey) || c.Account != o.Account {
			return fmt.Sprintf("facts about validator %s in epoch %d differ from this view's at block %d", o.ID.Short(), o.Epoch, own.Block)
		}
	}
	return "the encoding differs from the canonical one"
}
