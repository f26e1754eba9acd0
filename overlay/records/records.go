package records

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// Policy is the DHT record policy of an enigma node: certified ledger
// records (verified against the chain's validator sets), and the overlay's
// self-certifying named records for `enigma dht put`.
type Policy struct {
	Certified ledger.RecordValidator
	Named     overlay.NamedRecords
}

var _ kademlia.Validator = Policy{}

// Validate accepts a value that either policy accepts.
func (v Policy) Validate(key kademlia.ID, value []byte) error {
	certErr := v.Certified.Validate(key, value)
	if certErr == nil {
		return nil
	}
	if v.Named.Validate(key, value) == nil {
		return nil
	}
	return certErr
}

// Select prefers the newest certified record; keys that hold only named
// records fall back to the named-record policy.
func (v Policy) Select(key kademlia.ID, values [][]byte) (int, error) {
	if i, err := v.Certified.Select(key, values); err == nil {
		return i, nil
	}
	return v.Named.Select(key, values)
}

// OverlayProtocol is the S/Kademlia configuration every enigma node and
// client uses: signatures bound to chainID, the network's puzzles, the
// record policy above with validator sets read through view, and lookups
// over d = 4 disjoint paths with α = 3 (the paper's security at Kademlia's
// usual latency).
func OverlayProtocol(chainID uint64, puzzle kademlia.Puzzle, view View) kademlia.ProtocolConfig {
	return kademlia.ProtocolConfig{
		Wire: kademlia.WireConfig{ChainID: chainID, Puzzle: puzzle},
		Store: kademlia.StoreConfig{Validator: Policy{
			Certified: ledger.RecordValidator{Sets: view.ValidatorSets(context.Background())},
			Named:     overlay.NamedRecords{ChainID: chainID},
		}},
		Lookup: kademlia.LookupConfig{Alpha: 3, Paths: 4},
	}
}

// View is what the records are verified against: the chain's validator
// sets by epoch and its current epoch (chainview.View).
type View interface {
	ValidatorSets(ctx context.Context) ledger.ValidatorSets
	CurrentEpoch(ctx context.Context) (*ledger.ValidatorSet, int, error)
}

// DHT adapts an overlay node to what the roles and clients need:
// publishing certified records and fetching verified ones.
type DHT struct {
	Overlay *overlay.DHT
	View    View
}

// Publish stores a certified record (the validators publish what each
// stable checkpoint changed); it fails when no overlay node took it.
func (d DHT) Publish(ctx context.Context, key [32]byte, value []byte) error {
	n, err := d.Overlay.Put(ctx, kademlia.ID(key), value)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("no overlay node accepted the record for %x", key[:4])
	}
	return nil
}

// FetchRecord returns the newest certified record of a
// dataset, checked against the validator set of its epoch; a record of a
// set the chain has since replaced counts only up to the checkpoint that
// closed that set's epoch (ledger.CheckEpochBound, read from the certified
// record of the next epoch).
func (d DHT) FetchRecord(ctx context.Context, id common.Hash) (*ledger.CertifiedRecord, *ledger.Record, error) {
	value, err := d.Overlay.Get(ctx, kademlia.ID(id))
	if err != nil {
		return nil, nil, err
	}
	return d.VerifyRecord(ctx, id, value)
}

// VerifyRecord checks an encoded certified dataset record as FetchRecord
// does, wherever it came from (a persistence node shows the record of the
// version it serves).
func (d DHT) VerifyRecord(ctx context.Context, id common.Hash, value []byte) (*ledger.CertifiedRecord, *ledger.Record, error) {
	sets := d.View.ValidatorSets(ctx)
	cr, rec, err := ledger.VerifyDatasetRecord(sets, id, value)
	if err != nil {
		return nil, nil, err
	}
	current, _, err := d.View.CurrentEpoch(ctx)
	if err != nil {
		return nil, nil, err
	}
	if cr.Certificate.Epoch < current.Epoch {
		if err := d.checkEpochBound(ctx, sets, cr); err != nil {
			return nil, nil, err
		}
	}
	return cr, rec, nil
}

func (d DHT) checkEpochBound(ctx context.Context, sets ledger.ValidatorSets, cr *ledger.CertifiedRecord) error {
	next := cr.Certificate.Epoch + 1
	key := ledger.EpochKey(next)
	value, err := d.Overlay.Get(ctx, kademlia.ID(key))
	if err != nil {
		return fmt.Errorf("the record of %s was certified by epoch %d's validators, which the chain replaced; the record of epoch %d, which says where that epoch ended, cannot be found (%w): try again once the new validators have published it", cr.Key.Hex(), cr.Certificate.Epoch, next, err)
	}
	_, e, err := ledger.VerifyPublishedRecord(sets, key, value)
	if err != nil {
		return err
	}
	if e.Kind != ledger.EntryEpoch {
		return fmt.Errorf("%w: the value under epoch %d's key is %s", ledger.ErrVerify, next, e.Kind)
	}
	return ledger.CheckEpochBound(cr, e.Epoch)
}
