package ledger

import (
	"crypto/ed25519"
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/signing"
)

// AttestationDomain separates validator attestations from other signatures.
const AttestationDomain signing.Domain = "ledger/attestation/v1"

// MaxEvidenceSize bounds an attestation's evidence.
const MaxEvidenceSize = 1 << 10

// MaxAttestations bounds the attestations kept for one offence: one per
// validator, and no validator set is larger.
const MaxAttestations = 256

// Offence names what a validator attests a node did wrong.
type Offence uint8

// Offences.
const (
	// OffencePersistenceOffline: a persistence node of the dataset did not
	// answer the validator's probes during the epoch.
	OffencePersistenceOffline Offence = iota + 1
	// OffenceWorkerMissedSchedule: a worker of the dataset did not deliver a
	// scheduled curation run during the epoch.
	OffenceWorkerMissedSchedule
)

func (o Offence) String() string {
	switch o {
	case OffencePersistenceOffline:
		return "persistence-offline"
	case OffenceWorkerMissedSchedule:
		return "worker-missed-schedule"
	}
	return fmt.Sprintf("offence(%d)", uint8(o))
}

// Attestation is one validator's statement that Subject committed Offence
// against the dataset during Epoch. Quorum-many of them, certified by the
// ledger, are the evidence the chain slashes on.
type Attestation struct {
	DatasetID common.Hash
	Epoch     uint64
	Offence   Offence
	Subject   identity.NodeID
	Evidence  []byte
	Attester  identity.NodeID
	// SlashSignature is the attester's Ethereum account signature over the
	// Marketplace's slash digest for (DatasetID, Offence, Epoch), which the
	// contract verifies. It is required, and checked against the account
	// the chain records for the attester, when the ledger is configured
	// with Config.SlashDigest; otherwise it must be empty. A certified
	// OffenceRecord then carries a quorum of signatures a slashing
	// transaction can submit as they are.
	SlashSignature []byte
}

// SignedAttestation is an attestation with the attester's node signature.
type SignedAttestation struct {
	Attestation Attestation
	Signature   []byte
}

// SignAttestation signs a with the validator's node key; the attester field
// is set from the key.
func SignAttestation(key *identity.NodeKey, chainID uint64, a Attestation) (SignedAttestation, error) {
	a.Attester = key.ID()
	sig, err := signing.SignNode(key.Private(), AttestationDomain, chainID, &a)
	if err != nil {
		return SignedAttestation{}, fmt.Errorf("sign attestation: %w", err)
	}
	return SignedAttestation{Attestation: a, Signature: sig}, nil
}

// check validates what needs no outside facts: a known offence, bounded
// evidence.
func (a *Attestation) check() error {
	if a.Offence != OffencePersistenceOffline && a.Offence != OffenceWorkerMissedSchedule {
		return fmt.Errorf("%w: %d", ErrUnknownOffence, a.Offence)
	}
	if len(a.Evidence) > MaxEvidenceSize {
		return fmt.Errorf("%w: evidence is %d bytes, the limit is %d", ErrOversized, len(a.Evidence), MaxEvidenceSize)
	}
	return nil
}

// verify checks the signature against the attester's public key.
func (s *SignedAttestation) verify(chainID uint64, pub ed25519.PublicKey) error {
	if identity.IDFromPublicKey(pub) != s.Attestation.Attester {
		return fmt.Errorf("%w: public key does not belong to attester %s", ErrBadSignature, s.Attestation.Attester.Short())
	}
	if err := signing.VerifyNode(pub, AttestationDomain, chainID, &s.Attestation, s.Signature); err != nil {
		return fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	return nil
}

// OffenceRecord collects the attestations for one (dataset, epoch, offence,
// subject), sorted by attester. A certified OffenceRecord with a quorum of
// attestations is what a slashing transaction carries.
type OffenceRecord struct {
	DatasetID    common.Hash
	Epoch        uint64
	Offence      Offence
	Subject      identity.NodeID
	Attestations []SignedAttestation
}

// OffenceKey is the ledger key of the OffenceRecord for these fields:
// keccak256("enigma/offence" || datasetID || epoch (8 bytes, big endian) ||
// offence || subject). Like a dataset ID it is a keccak256, so the two kinds
// of key never collide in practice and spread evenly through the trie.
func OffenceKey(datasetID common.Hash, epoch uint64, offence Offence, subject identity.NodeID) common.Hash {
	return crypto.Keccak256Hash([]byte("enigma/offence"), datasetID[:],
		binary.BigEndian.AppendUint64(nil, epoch), []byte{byte(offence)}, subject[:])
}
