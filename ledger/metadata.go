package ledger

import (
	"crypto/ecdsa"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/signing"
)

// MetadataDomain separates provider signatures over dataset metadata from
// every other signed message.
const MetadataDomain signing.Domain = "ledger/metadata/v1"

// Size limits of metadata fields. They bound what a provider can make every
// validator store and every DHT node serve.
const (
	MaxScriptSize   = 64 << 10
	MaxScheduleSize = 128
	MaxNodesPerRole = 16
)

// StorageHints tell persistence nodes what to expect of a dataset. They are
// hints: nodes use them to plan space, the ledger only bounds them.
type StorageHints struct {
	// Replicas is how many of the named persistence nodes should hold a
	// full copy (0 means all of them).
	Replicas uint32
	// RetentionDays is how long rows are kept (0 means forever).
	RetentionDays uint32
	// ExpectedBytesPerDay is the provider's estimate of daily growth.
	ExpectedBytesPerDay uint64
}

// TrialPolicy is the free-trial offer published with the metadata. The
// chain enforces trials; the ledger publishes the terms subscribers see.
type TrialPolicy struct {
	Enabled         bool
	DurationSeconds uint64
	// RowLimit caps the rows a trial query may return (0: no cap).
	RowLimit uint64
}

// Metadata is what a provider publishes about one dataset version. Its
// canonical encoding is RLP of the struct in field order; MetadataHash of it
// is what the provider puts on chain.
type Metadata struct {
	Provider common.Address
	Name     string
	// Version starts at 1 and increases with every update.
	Version uint64
	Schema  dataset.Schema
	// Script is the curation script the workers run; ScriptHash is
	// keccak256(Script), so a worker can name the script it ran.
	Script      []byte
	ScriptHash  common.Hash
	Schedule    string // a standard 5-field cron spec or an @descriptor, no time zone
	Workers     []identity.NodeID
	Persistence []identity.NodeID
	Storage     StorageHints
	Trial       TrialPolicy
}

// Path returns the dataset's path.
func (m Metadata) Path() dataset.Path { return dataset.Path{Provider: m.Provider, Name: m.Name} }

// ID returns the dataset's on-chain ID, which is also its ledger and DHT key.
func (m Metadata) ID() common.Hash { return m.Path().ID() }

// MetadataHash is the value the Marketplace contract stores for a dataset:
// keccak256 of the canonical (RLP) encoding of the unsigned metadata. It
// differs from the signing digest on purpose: the chain needs a plain hash
// it can compare, the signature needs domain separation.
func MetadataHash(m *Metadata) (common.Hash, error) {
	enc, err := signing.Encode(m)
	if err != nil {
		return common.Hash{}, fmt.Errorf("encode metadata: %w", err)
	}
	return crypto.Keccak256Hash(enc), nil
}

// SignedMetadata is metadata with the provider's account signature.
type SignedMetadata struct {
	Metadata  Metadata
	Signature []byte
}

// SignMetadata signs m with the provider's account key for chainID.
func SignMetadata(key *ecdsa.PrivateKey, chainID uint64, m Metadata) (SignedMetadata, error) {
	sig, err := signing.SignAccount(key, MetadataDomain, chainID, &m)
	if err != nil {
		return SignedMetadata{}, fmt.Errorf("sign metadata of %s: %w", m.Path(), err)
	}
	return SignedMetadata{Metadata: m, Signature: sig}, nil
}

// Signer recovers the account that signed the metadata for chainID.
func (s *SignedMetadata) Signer(chainID uint64) (common.Address, error) {
	return signing.RecoverAccount(MetadataDomain, chainID, &s.Metadata, s.Signature)
}

// Check validates everything about the metadata that needs no outside
// facts: name rules, schema, sizes, script hash, schedule, node lists. It is
// deterministic, so every replica reaches the same verdict.
func (m *Metadata) Check() error {
	if err := dataset.ValidateName(m.Name); err != nil {
		return fmt.Errorf("%w: %v", ErrBadName, err)
	}
	if m.Version == 0 {
		return fmt.Errorf("%w: version must start at 1", ErrInvalidMetadata)
	}
	if err := m.Schema.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidMetadata, err)
	}
	if len(m.Script) == 0 {
		return fmt.Errorf("%w: curation script is empty", ErrInvalidMetadata)
	}
	if len(m.Script) > MaxScriptSize {
		return fmt.Errorf("%w: curation script is %d bytes, the limit is %d", ErrOversized, len(m.Script), MaxScriptSize)
	}
	if got := crypto.Keccak256Hash(m.Script); got != m.ScriptHash {
		return fmt.Errorf("%w: script hash %s does not match the script (keccak256 is %s)", ErrInvalidMetadata, m.ScriptHash.Hex(), got.Hex())
	}
	if err := CheckSchedule(m.Schedule); err != nil {
		return err
	}
	if err := checkNodes("worker", m.Workers); err != nil {
		return err
	}
	if err := checkNodes("persistence", m.Persistence); err != nil {
		return err
	}
	if int(m.Storage.Replicas) > len(m.Persistence) {
		return fmt.Errorf("%w: %d replicas asked for but only %d persistence nodes named", ErrInvalidMetadata, m.Storage.Replicas, len(m.Persistence))
	}
	if m.Trial.Enabled && m.Trial.DurationSeconds == 0 {
		return fmt.Errorf("%w: an enabled trial needs a duration", ErrInvalidMetadata)
	}
	return nil
}

// CheckSchedule validates a schedule by the project's own grammar
// (dataset.ParseSchedule), the one the workers read schedules by: a 5-field
// cron spec, a descriptor such as @hourly or @every 10m (a minute at
// least), or a word such as daily; in UTC, so time zone prefixes are
// refused (parsing them would read the host's zone database and make
// validation differ between replicas); and it must fire. Certified
// metadata therefore never names a schedule its workers refuse, and its
// validity depends on no third-party parser's version.
func CheckSchedule(spec string) error {
	if len(spec) > MaxScheduleSize {
		return fmt.Errorf("%w: schedule is %d bytes, the limit is %d", ErrOversized, len(spec), MaxScheduleSize)
	}
	if _, err := dataset.ParseSchedule(spec); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidMetadata, err)
	}
	return nil
}

func checkNodes(role string, ids []identity.NodeID) error {
	if len(ids) == 0 {
		return fmt.Errorf("%w: no %s nodes named", ErrInvalidMetadata, role)
	}
	if len(ids) > MaxNodesPerRole {
		return fmt.Errorf("%w: %d %s nodes named, the limit is %d", ErrOversized, len(ids), role, MaxNodesPerRole)
	}
	seen := make(map[identity.NodeID]bool, len(ids))
	for _, id := range ids {
		if id == (identity.NodeID{}) {
			return fmt.Errorf("%w: %s node ID is all zeros", ErrInvalidMetadata, role)
		}
		if seen[id] {
			return fmt.Errorf("%w: %s node %s named twice", ErrInvalidMetadata, role, id.Short())
		}
		seen[id] = true
	}
	return nil
}

// Record is what the ledger stores for a dataset: the provider-signed
// metadata plus what the ledger itself adds. CreatedBlock and UpdatedBlock
// are the chain blocks whose facts admitted the first and the latest
// version, and UpdatedSeq the consensus sequence that applied the latest;
// the provider cannot know them when signing, so they live outside the
// signed part.
type Record struct {
	Signed       SignedMetadata
	CreatedBlock uint64
	UpdatedBlock uint64
	UpdatedSeq   uint64
}
