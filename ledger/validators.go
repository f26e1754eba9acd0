package ledger

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/consensus/quorum"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/signing"
)

// CheckpointDomain is the domain PBFT replicas sign checkpoints under (the
// cross-package contract): a checkpoint signature is
// signing.SignNode(nodeKey, CheckpointDomain, chainID, CheckpointPayload{…}).
// The payload names the epoch of the signing set, so a signature made in
// one epoch does not count in another.
const CheckpointDomain signing.Domain = "pbft/checkpoint/v2"

// MaxValidators bounds a validator set.
const MaxValidators = MaxAttestations

// Validator is one member of a validator set.
type Validator struct {
	ID        identity.NodeID
	PublicKey ed25519.PublicKey
	// Account is the validator's Ethereum account, if the chain records one.
	Account common.Address
}

// ValidatorSet is the validator set of one epoch on one chain. Members are
// sorted by ID. A set is read from the chain (or a file); Check it before
// trusting it.
type ValidatorSet struct {
	ChainID uint64
	Epoch   uint64
	Members []Validator
}

// Check verifies the set's invariants: 1..MaxValidators members, sorted by
// ID without duplicates, each ID the hash of its public key.
func (vs *ValidatorSet) Check() error {
	if len(vs.Members) == 0 {
		return fmt.Errorf("validator set of epoch %d is empty", vs.Epoch)
	}
	if len(vs.Members) > MaxValidators {
		return fmt.Errorf("validator set of epoch %d has %d members, the limit is %d", vs.Epoch, len(vs.Members), MaxValidators)
	}
	for i, m := range vs.Members {
		if len(m.PublicKey) != ed25519.PublicKeySize {
			return fmt.Errorf("validator %s: public key is %d bytes, want %d", m.ID.Short(), len(m.PublicKey), ed25519.PublicKeySize)
		}
		if identity.IDFromPublicKey(m.PublicKey) != m.ID {
			return fmt.Errorf("validator %s: node ID is not the SHA-256 of its public key", m.ID.Short())
		}
		if i > 0 && bytes.Compare(vs.Members[i-1].ID[:], m.ID[:]) >= 0 {
			return fmt.Errorf("validator set of epoch %d is not sorted by node ID or lists %s twice", vs.Epoch, m.ID.Short())
		}
	}
	return nil
}

// Faulty is f, the most members that may be Byzantine: ⌊(n−1)/3⌋.
func (vs *ValidatorSet) Faulty() int { return quorum.Faulty(len(vs.Members)) }

// Quorum is the number of signatures a checkpoint certificate (and an
// offence record) needs: ⌈(n+f+1)/2⌉, the engine's checkpoint quorum, so
// every stable checkpoint converts into a certificate. Two such sets share
// f+1 members, so two certificates for one sequence number always share a
// correct signer, who signed only the root it computed itself.
func (vs *ValidatorSet) Quorum() int { return quorum.Size(len(vs.Members)) }

// Member returns the member with id.
func (vs *ValidatorSet) Member(id identity.NodeID) (Validator, bool) {
	i, ok := slices.BinarySearchFunc(vs.Members, id, func(v Validator, id identity.NodeID) int {
		return bytes.Compare(v.ID[:], id[:])
	})
	if !ok {
		return Validator{}, false
	}
	return vs.Members[i], true
}

// NewValidatorSet builds a checked set from members in any order.
func NewValidatorSet(chainID, epoch uint64, members []Validator) (*ValidatorSet, error) {
	ms := slices.Clone(members)
	slices.SortFunc(ms, func(a, b Validator) int { return bytes.Compare(a.ID[:], b.ID[:]) })
	vs := &ValidatorSet{ChainID: chainID, Epoch: epoch, Members: ms}
	if err := vs.Check(); err != nil {
		return nil, err
	}
	return vs, nil
}

// CheckpointPayload is what a checkpoint signature covers; it encodes as the
// RLP list [Epoch, Seq, StateDigest] fixed by the consensus contract.
type CheckpointPayload struct {
	Epoch       uint64
	Seq         uint64
	StateDigest [32]byte
}

// CheckpointSignature is one replica's signature over a checkpoint.
type CheckpointSignature struct {
	Signer    identity.NodeID
	Signature []byte
}

// SignCheckpoint signs (epoch, seq, root) with a replica's node key, exactly
// as the consensus engine does for its checkpoint messages.
func SignCheckpoint(key *identity.NodeKey, chainID, epoch, seq uint64, root common.Hash) (CheckpointSignature, error) {
	sig, err := signing.SignNode(key.Private(), CheckpointDomain, chainID, CheckpointPayload{Epoch: epoch, Seq: seq, StateDigest: root})
	if err != nil {
		return CheckpointSignature{}, fmt.Errorf("sign checkpoint %d: %w", seq, err)
	}
	return CheckpointSignature{Signer: key.ID(), Signature: sig}, nil
}

// CheckpointCertificate proves that a quorum of the epoch's validator set
// signed state root StateRoot at sequence Seq. Signatures are sorted by
// signer.
type CheckpointCertificate struct {
	Epoch      uint64
	Seq        uint64
	StateRoot  common.Hash
	Signatures []CheckpointSignature
}

// NewCertificate assembles a certificate from signatures in any order.
func NewCertificate(epoch, seq uint64, root common.Hash, sigs []CheckpointSignature) CheckpointCertificate {
	s := slices.Clone(sigs)
	slices.SortFunc(s, func(a, b CheckpointSignature) int { return bytes.Compare(a.Signer[:], b.Signer[:]) })
	return CheckpointCertificate{Epoch: epoch, Seq: seq, StateRoot: root, Signatures: s}
}

// Verify checks the certificate against vs. It is strict: every signature
// must be valid and from a distinct member, in signer order, and there must
// be at least a quorum. Strictness keeps one certificate one encoding, so no
// byte of a certificate can change without the change being caught.
func (c *CheckpointCertificate) Verify(vs *ValidatorSet) error {
	if c.Epoch != vs.Epoch {
		return fmt.Errorf("%w: certificate is for epoch %d, the validator set is epoch %d", ErrVerify, c.Epoch, vs.Epoch)
	}
	if len(c.Signatures) < vs.Quorum() {
		return fmt.Errorf("%w: certificate has %d signatures, epoch %d needs %d", ErrVerify, len(c.Signatures), vs.Epoch, vs.Quorum())
	}
	if len(c.Signatures) > len(vs.Members) {
		return fmt.Errorf("%w: certificate has %d signatures but the set has %d members", ErrVerify, len(c.Signatures), len(vs.Members))
	}
	digest, err := signing.Digest(CheckpointDomain, vs.ChainID, CheckpointPayload{Epoch: c.Epoch, Seq: c.Seq, StateDigest: c.StateRoot})
	if err != nil {
		return fmt.Errorf("%w: %v", ErrVerify, err)
	}
	for i, s := range c.Signatures {
		if i > 0 && bytes.Compare(c.Signatures[i-1].Signer[:], s.Signer[:]) >= 0 {
			return fmt.Errorf("%w: certificate signatures are out of order or repeat signer %s", ErrVerify, s.Signer.Short())
		}
		m, ok := vs.Member(s.Signer)
		if !ok {
			return fmt.Errorf("%w: signer %s is not a validator in epoch %d", ErrVerify, s.Signer.Short(), vs.Epoch)
		}
		if err := signing.VerifyNodeDigest(m.PublicKey, digest, s.Signature); err != nil {
			return fmt.Errorf("%w: checkpoint signature of %s: %v", ErrVerify, s.Signer.Short(), err)
		}
	}
	return nil
}

// The JSON form of validator set files (enigma ledger verify --validators).
type validatorSetJSON struct {
	ChainID    uint64          `json:"chain_id"`
	Epoch      uint64          `json:"epoch"`
	Validators []validatorJSON `json:"validators"`
}

type validatorJSON struct {
	NodeID    string          `json:"node_id"`
	PublicKey string          `json:"public_key"`
	Account   *common.Address `json:"account,omitempty"`
}

// MaxValidatorFileSize bounds a validator set file.
const MaxValidatorFileSize = 1 << 20

// ParseValidatorSetsJSON reads validator sets from JSON: one object or an
// array of them, one per epoch, for example
//
//	{"chain_id": 1337, "epoch": 0, "validators": [
//	  {"node_id": "<64 hex>", "public_key": "<64 hex>", "account": "0x…"}]}
func ParseValidatorSetsJSON(b []byte) ([]*ValidatorSet, error) {
	if len(b) > MaxValidatorFileSize {
		return nil, fmt.Errorf("validator set file is %d bytes, the limit is %d", len(b), MaxValidatorFileSize)
	}
	var list []validatorSetJSON
	trimmed := bytes.TrimSpace(b)
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var one validatorSetJSON
		if err := dec.Decode(&one); err != nil {
			return nil, fmt.Errorf("validator set file: %w", err)
		}
		list = append(list, one)
	} else if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("validator set file: %w (want an object or an array of objects)", err)
	}
	var out []*ValidatorSet
	seen := map[uint64]bool{}
	for _, in := range list {
		if seen[in.Epoch] {
			return nil, fmt.Errorf("validator set file lists epoch %d twice", in.Epoch)
		}
		seen[in.Epoch] = true
		var members []Validator
		for _, v := range in.Validators {
			id, err := identity.ParseNodeID(v.NodeID)
			if err != nil {
				return nil, fmt.Errorf("epoch %d: %w", in.Epoch, err)
			}
			pub, err := hex.DecodeString(strings.TrimPrefix(v.PublicKey, "0x"))
			if err != nil || len(pub) != ed25519.PublicKeySize {
				return nil, fmt.Errorf("epoch %d: validator %s: public key must be %d bytes of hex", in.Epoch, id.Short(), ed25519.PublicKeySize)
			}
			m := Validator{ID: id, PublicKey: pub}
			if v.Account != nil {
				m.Account = *v.Account
			}
			members = append(members, m)
		}
		vs, err := NewValidatorSet(in.ChainID, in.Epoch, members)
		if err != nil {
			return nil, fmt.Errorf("validator set file: %w", err)
		}
		out = append(out, vs)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("validator set file holds no validator sets")
	}
	return out, nil
}

// MarshalJSON writes the set in the validator-set-file form.
func (vs *ValidatorSet) MarshalJSON() ([]byte, error) {
	out := validatorSetJSON{ChainID: vs.ChainID, Epoch: vs.Epoch, Validators: []validatorJSON{}}
	for _, m := range vs.Members {
		v := validatorJSON{NodeID: m.ID.String(), PublicKey: hex.EncodeToString(m.PublicKey)}
		if m.Account != (common.Address{}) {
			acct := m.Account
			v.Account = &acct
		}
		out.Validators = append(out.Validators, v)
	}
	return json.Marshal(out)
}
