package ledger

import (
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/enigma-mpc/enigma/signing"
)

// MaxEntrySize bounds one value in the ledger state.
const MaxEntrySize = 1 << 20

// EntryKind says what a ledger value holds.
type EntryKind uint8

// Entry kinds. EntryAbsent describes a key with no value (an absence proof).
const (
	EntryAbsent EntryKind = iota
	EntryDataset
	EntryOffence
	// EntrySequence is the sequence number of the last applied batch, kept
	// under SequenceKey so the state root commits to it: a snapshot then
	// carries its sequence authenticated, and two states at different
	// sequences never share a root.
	EntrySequence
	// EntryEpoch records a validator set that took over (EpochRecord),
	// under EpochKey(epoch).
	EntryEpoch
	// EntryCurrentEpoch is the epoch of the latest EntryEpoch, under
	// CurrentEpochKey (absent: the ledger's first epoch, Config.FirstEpoch).
	EntryCurrentEpoch
)

// SequenceKey is the ledger key of the EntrySequence value.
var SequenceKey = crypto.Keccak256Hash([]byte("enigma/ledger/sequence"))

// CurrentEpochKey is the ledger key of the EntryCurrentEpoch value.
var CurrentEpochKey = crypto.Keccak256Hash([]byte("enigma/ledger/current-epoch"))

// EpochKey is the ledger key of the record of epoch's validator set.
func EpochKey(epoch uint64) common.Hash {
	return crypto.Keccak256Hash([]byte("enigma/ledger/epoch/"), binary.BigEndian.AppendUint64(nil, epoch))
}

// EpochRecord says that the chain's validator set of Epoch took over: the
// command was decided at sequence number AtSeq, the previous epoch closed
// at the checkpoint CloseSeq, and the set's certificates count for the
// sequence numbers after it. Members are as the chain had them.
type EpochRecord struct {
	Epoch    uint64
	AtSeq    uint64
	CloseSeq uint64
	Members  []Validator
}

func (k EntryKind) String() string {
	switch k {
	case EntryAbsent:
		return "absent"
	case EntryDataset:
		return "dataset"
	case EntryOffence:
		return "offence"
	case EntrySequence:
		return "sequence"
	case EntryEpoch:
		return "epoch"
	case EntryCurrentEpoch:
		return "current-epoch"
	}
	return fmt.Sprintf("entry(%d)", uint8(k))
}

// Entry is a decoded ledger value: a dataset record, an offence record, the
// sequence number, or nothing.
type Entry struct {
	Kind    EntryKind
	Dataset *Record
	Offence *OffenceRecord
	Epoch   *EpochRecord
	Seq     uint64 // EntrySequence; the epoch for EntryCurrentEpoch
}

// storedEntry is the encoding of a ledger value: [kind, body].
type storedEntry struct {
	Kind EntryKind
	Body rlp.RawValue
}

func encodeEntry(kind EntryKind, body any) ([]byte, error) {
	enc, err := signing.Encode(body)
	if err != nil {
		return nil, fmt.Errorf("encode %s entry: %w", kind, err)
	}
	return signing.Encode(storedEntry{Kind: kind, Body: enc})
}

// DecodeEntry decodes the ledger value stored under key and checks that it
// belongs there: a dataset record under its dataset ID, an offence record
// under its OffenceKey. An empty value is EntryAbsent.
func DecodeEntry(key common.Hash, value []byte) (Entry, error) {
	if len(value) == 0 {
		return Entry{Kind: EntryAbsent}, nil
	}
	var se storedEntry
	if err := signing.Decode(value, &se, MaxEntrySize); err != nil {
		return Entry{}, fmt.Errorf("ledger value: %w", err)
	}
	switch se.Kind {
	case EntryDataset:
		var r Record
		if err := signing.Decode(se.Body, &r, MaxEntrySize); err != nil {
			return Entry{}, fmt.Errorf("dataset record: %w", err)
		}
		if id := r.Signed.Metadata.ID(); id != key {
			return Entry{}, fmt.Errorf("dataset record of %s (ID %s) stored under key %s", r.Signed.Metadata.Path(), id.Hex(), key.Hex())
		}
		return Entry{Kind: EntryDataset, Dataset: &r}, nil
	case EntryOffence:
		var o OffenceRecord
		if err := signing.Decode(se.Body, &o, MaxEntrySize); err != nil {
			return Entry{}, fmt.Errorf("offence record: %w", err)
		}
		if k := OffenceKey(o.DatasetID, o.Epoch, o.Offence, o.Subject); k != key {
			return Entry{}, fmt.Errorf("offence record stored under key %s, it belongs under %s", key.Hex(), k.Hex())
		}
		return Entry{Kind: EntryOffence, Offence: &o}, nil
	case EntrySequence:
		var seq uint64
		if err := signing.Decode(se.Body, &seq, 16); err != nil {
			return Entry{}, fmt.Errorf("sequence entry: %w", err)
		}
		if key != SequenceKey {
			return Entry{}, fmt.Errorf("sequence entry stored under key %s, it belongs under %s", key.Hex(), SequenceKey.Hex())
		}
		return Entry{Kind: EntrySequence, Seq: seq}, nil
	case EntryEpoch:
		var r EpochRecord
		if err := signing.Decode(se.Body, &r, MaxEntrySize); err != nil {
			return Entry{}, fmt.Errorf("epoch record: %w", err)
		}
		if key != EpochKey(r.Epoch) {
			return Entry{}, fmt.Errorf("record of epoch %d stored under key %s", r.Epoch, key.Hex())
		}
		return Entry{Kind: EntryEpoch, Epoch: &r}, nil
	case EntryCurrentEpoch:
		var epoch uint64
		if err := signing.Decode(se.Body, &epoch, 16); err != nil {
			return Entry{}, fmt.Errorf("current epoch entry: %w", err)
		}
		if key != CurrentEpochKey {
			return Entry{}, fmt.Errorf("current epoch entry stored under key %s, it belongs under %s", key.Hex(), CurrentEpochKey.Hex())
		}
		return Entry{Kind: EntryCurrentEpoch, Seq: epoch}, nil
	}
	return Entry{}, fmt.Errorf("ledger value has unknown kind %d", se.Kind)
}
