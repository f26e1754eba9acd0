package ledger

import "errors"

// Reasons a command is rejected. Apply wraps one of them with the detail, so
// callers test with errors.Is and users read the message. A rejected command
// changes nothing.
var (
	ErrMalformed            = errors.New("malformed command")
	ErrOversized            = errors.New("field too large")
	ErrBadName              = errors.New("bad dataset name")
	ErrInvalidMetadata      = errors.New("invalid metadata")
	ErrBadSignature         = errors.New("bad signature")
	ErrNoFacts              = errors.New("batch context lacks the chain facts this command needs")
	ErrNotOnChain           = errors.New("dataset not registered on chain")
	ErrWrongOwner           = errors.New("signer is not the on-chain owner")
	ErrMetadataHashMismatch = errors.New("metadata hash not on chain")
	ErrInactive             = errors.New("dataset inactive on chain")
	ErrAlreadyRegistered    = errors.New("dataset already registered in the ledger")
	ErrNotRegistered        = errors.New("dataset not registered in the ledger")
	ErrStaleVersion         = errors.New("stale version")
	ErrNotValidator         = errors.New("attester is not a validator in that epoch")
	ErrUnknownOffence       = errors.New("unknown offence")
	ErrNotSubject           = errors.New("subject is not a node of the dataset in the accused role")
	ErrDuplicateAttestation = errors.New("attestation already recorded")
	ErrTooManyAttestations  = errors.New("too many attestations for one offence")
	ErrStaleEpoch           = errors.New("not the next validator epoch")
	ErrBadEpoch             = errors.New("validator set cannot take over")
)

// ErrNotReady is returned (wrapped) by CheckContext when the replica's own
// chain view has not yet reached the batch's block: retry later.
var ErrNotReady = errors.New("chain view has not reached the batch block yet")

// ErrBadContext is returned (wrapped) by CheckContext when the primary's
// batch context is malformed or disagrees with the replica's chain view.
var ErrBadContext = errors.New("batch context rejected")

// ErrAlreadyApplied is returned (wrapped) by Apply for a sequence number at
// or below the last applied one.
var ErrAlreadyApplied = errors.New("sequence already applied")

// ErrVerify is returned (wrapped) by every certified-record verification
// failure.
var ErrVerify = errors.New("certified record rejected")
