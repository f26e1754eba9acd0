package overlay

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
	"github.com/enigma-mpc/enigma/signing"
)

// DomainNamedRecord signs NamedRecords.
const DomainNamedRecord signing.Domain = "overlay/named-record/v1"

// MaxNamedRecord bounds an encoded NamedRecord.
const MaxNamedRecord = 64 << 10

// NamedRecord is a self-certifying record: its key is
// SHA-256(publisher key ‖ name), so only the publisher can write under it,
// and Seq orders its versions. It lets a node run the DHT before the
// ledger's certified records are wired in (enigma dht put/get); production
// datasets use the ledger's validator instead.
type NamedRecord struct {
	Publisher []byte // Ed25519 public key
	Name      string
	Seq       uint64
	Data      []byte
	Sig       []byte
}

type namedPayload struct {
	Publisher []byte
	Name      string
	Seq       uint64
	Data      []byte
}

// NamedKey is the DHT key of name published by pub.
func NamedKey(pub ed25519.PublicKey, name string) kademlia.ID {
	h := sha256.New()
	h.Write(pub)
	h.Write([]byte(name))
	var k kademlia.ID
	copy(k[:], h.Sum(nil))
	return k
}

// NewNamedRecord signs data under name with the node key.
func NewNamedRecord(key *identity.NodeKey, chainID uint64, name string, seq uint64, data []byte) (kademlia.ID, []byte, error) {
	p := namedPayload{Publisher: key.Public(), Name: name, Seq: seq, Data: data}
	sig, err := signing.SignNode(key.Private(), DomainNamedRecord, chainID, p)
	if err != nil {
		return kademlia.ID{}, nil, err
	}
	b, err := signing.Encode(NamedRecord{Publisher: p.Publisher, Name: name, Seq: seq, Data: data, Sig: sig})
	if err != nil {
		return kademlia.ID{}, nil, err
	}
	if len(b) > MaxNamedRecord {
		return kademlia.ID{}, nil, fmt.Errorf("record of %d bytes exceeds the %d-byte limit", len(b), MaxNamedRecord)
	}
	return NamedKey(key.Public(), name), b, nil
}

// DecodeNamedRecord decodes a record without checking it.
func DecodeNamedRecord(b []byte) (NamedRecord, error) {
	var r NamedRecord
	err := signing.Decode(b, &r, MaxNamedRecord)
	return r, err
}

// NamedRecords is the kademlia.Validator for NamedRecords on one chain ID.
type NamedRecords struct{ ChainID uint64 }

// Validate checks the key binding and the publisher's signature.
func (v NamedRecords) Validate(key kademlia.ID, value []byte) error {
	r, err := DecodeNamedRecord(value)
	if err != nil {
		return err
	}
	if len(r.Publisher) != ed25519.PublicKeySize {
		return errors.New("named record: bad publisher key")
	}
	if NamedKey(r.Publisher, r.Name) != key {
		return fmt.Errorf("named record %q is not stored under its own key", r.Name)
	}
	return signing.VerifyNode(r.Publisher, DomainNamedRecord, v.ChainID, namedPayload{Publisher: r.Publisher, Name: r.Name, Seq: r.Seq, Data: r.Data}, r.Sig)
}

// Classify implements kademlia.Classifier: a named record is
// self-certifying, charged to its publisher, the node ID of its key. It
// decodes and checks the key binding, not the signature.
func (v NamedRecords) Classify(key kademlia.ID, value []byte) (kademlia.RecordKind, error) {
	pub, ok := namedPublisher(key, value)
	if !ok {
		return kademlia.RecordKind{}, errors.New("not a named record bound to its key")
	}
	return kademlia.RecordKind{Publisher: pub}, nil
}

// namedPublisher returns the publisher of value if it is a NamedRecord
// stored under its own key.
func namedPublisher(key kademlia.ID, value []byte) (identity.NodeID, bool) {
	r, err := DecodeNamedRecord(value)
	if err != nil || len(r.Publisher) != ed25519.PublicKeySize || NamedKey(r.Publisher, r.Name) != key {
		return identity.NodeID{}, false
	}
	return identity.IDFromPublicKey(r.Publisher), true
}

// recordKinds classifies the records of a Validator that does not do so
// itself (records.Policy, which accepts certified ledger records and
// named records): a value that is a NamedRecord bound to its key is charged
// to its publisher; any other value it accepts is certified.
type recordKinds struct{ kademlia.Validator }

func (v recordKinds) Classify(key kademlia.ID, value []byte) (kademlia.RecordKind, error) {
	if pub, ok := namedPublisher(key, value); ok {
		return kademlia.RecordKind{Publisher: pub}, nil
	}
	return kademlia.RecordKind{Certified: true}, nil
}

// Select picks the valid record with the highest Seq.
func (v NamedRecords) Select(key kademlia.ID, values [][]byte) (int, error) {
	best, bestSeq := -1, uint64(0)
	for i, b := range values {
		if v.Validate(key, b) != nil {
			continue
		}
		r, _ := DecodeNamedRecord(b)
		if best < 0 || r.Seq > bestSeq {
			best, bestSeq = i, r.Seq
		}
	}
	if best < 0 {
		return 0, errors.New("no valid named record")
	}
	return best, nil
}
