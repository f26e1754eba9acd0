package ledger

import (
	"fmt"

	"github.com/ethereum/go-ethereum/rlp"

	"github.com/enigma-mpc/enigma/signing"
)

// MaxCommandSize bounds the encoding of one command (a request payload).
const MaxCommandSize = 128 << 10

// CommandKind says what a command does.
type CommandKind uint8

// Command kinds.
const (
	// CmdRegister stores the first version of a dataset's metadata.
	CmdRegister CommandKind = iota + 1
	// CmdUpdate replaces a dataset's metadata with a higher version.
	CmdUpdate
	// CmdAttest records a validator's attestation of an offence.
	CmdAttest
	// CmdEpoch records that the chain's validator set of an epoch takes
	// over from the current one (validators submit it when the chain
	// activates a new set).
	CmdEpoch
)

func (k CommandKind) String() string {
	switch k {
	case CmdRegister:
		return "register"
	case CmdUpdate:
		return "update"
	case CmdAttest:
		return "attest"
	case CmdEpoch:
		return "epoch"
	}
	return fmt.Sprintf("command(%d)", uint8(k))
}

// Command is one ledger request. Register and update carry Metadata,
// attest carries Attestation, epoch carries Epoch.
type Command struct {
	Kind        CommandKind
	Metadata    *SignedMetadata
	Attestation *SignedAttestation
	Epoch       *EpochChange
}

// EpochChange names the epoch whose on-chain validator set takes over: the
// one after the ledger's current epoch. Its facts (the set, as the chain
// has it at the batch's block) come with the batch context.
type EpochChange struct {
	Epoch uint64
}

// wireCommand is the encoding of a Command: [kind, body], where body is the
// encoding of the kind's payload.
type wireCommand struct {
	Kind CommandKind
	Body rlp.RawValue
}

// RegisterCommand returns a register command for sm.
func RegisterCommand(sm SignedMetadata) Command { return Command{Kind: CmdRegister, Metadata: &sm} }

// UpdateCommand returns an update command for sm.
func UpdateCommand(sm SignedMetadata) Command { return Command{Kind: CmdUpdate, Metadata: &sm} }

// AttestCommand returns an attest command for sa.
func AttestCommand(sa SignedAttestation) Command { return Command{Kind: CmdAttest, Attestation: &sa} }

// EpochCommand returns the command that makes epoch's validator set take
// over.
func EpochCommand(epoch uint64) Command {
	return Command{Kind: CmdEpoch, Epoch: &EpochChange{Epoch: epoch}}
}

// Encode returns the request payload for c.
func (c Command) Encode() ([]byte, error) {
	var body any
	switch c.Kind {
	case CmdRegister, CmdUpdate:
		if c.Metadata == nil {
			return nil, fmt.Errorf("%s command without metadata", c.Kind)
		}
		body = c.Metadata
	case CmdAttest:
		if c.Attestation == nil {
			return nil, fmt.Errorf("attest command without attestation")
		}
		body = c.Attestation
	case CmdEpoch:
		if c.Epoch == nil {
			return nil, fmt.Errorf("epoch command without an epoch")
		}
		body = c.Epoch
	default:
		return nil, fmt.Errorf("unknown command kind %d", c.Kind)
	}
	enc, err := signing.Encode(body)
	if err != nil {
		return nil, fmt.Errorf("encode %s command: %w", c.Kind, err)
	}
	out, err := signing.Encode(wireCommand{Kind: c.Kind, Body: enc})
	if err != nil {
		return nil, fmt.Errorf("encode %s command: %w", c.Kind, err)
	}
	if len(out) > MaxCommandSize {
		return nil, fmt.Errorf("%w: %s command is %d bytes, the limit is %d", ErrOversized, c.Kind, len(out), MaxCommandSize)
	}
	return out, nil
}

// DecodeCommand decodes a request payload. Errors wrap ErrMalformed or
// ErrOversized.
func DecodeCommand(b []byte) (Command, error) {
	if len(b) > MaxCommandSize {
		return Command{}, fmt.Errorf("%w: command is %d bytes, the limit is %d", ErrOversized, len(b), MaxCommandSize)
	}
	var w wireCommand
	if err := signing.Decode(b, &w, MaxCommandSize); err != nil {
		return Command{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	c := Command{Kind: w.Kind}
	switch w.Kind {
	case CmdRegister, CmdUpdate:
		c.Metadata = new(SignedMetadata)
		if err := signing.Decode(w.Body, c.Metadata, MaxCommandSize); err != nil {
			return Command{}, fmt.Errorf("%w: %s body: %v", ErrMalformed, w.Kind, err)
		}
	case CmdAttest:
		c.Attestation = new(SignedAttestation)
		if err := signing.Decode(w.Body, c.Attestation, MaxCommandSize); err != nil {
			return Command{}, fmt.Errorf("%w: attest body: %v", ErrMalformed, err)
		}
	case CmdEpoch:
		c.Epoch = new(EpochChange)
		if err := signing.Decode(w.Body, c.Epoch, 64); err != nil {
			return Command{}, fmt.Errorf("%w: epoch body: %v", ErrMalformed, err)
		}
	default:
		return Command{}, fmt.Errorf("%w: unknown command kind %d", ErrMalformed, w.Kind)
	}
	return c, nil
}

// CheckRequest is the check a replica can run on a client request before
// ordering it, without chain facts or ledger state: the payload decodes,
// metadata obeys the static rules and carries a recoverable provider
// signature, an attestation names a known offence within size limits. A
// request that passes can still be rejected by Apply. The recovered signer
// is remembered, so Apply does not recover it again.
func (l *Ledger) CheckRequest(payload []byte) error {
	c, err := DecodeCommand(payload)
	if err != nil {
		return err
	}
	switch c.Kind {
	case CmdRegister, CmdUpdate:
		if err := c.Metadata.Metadata.Check(); err != nil {
			return err
		}
		if _, err := l.signers.recover(l.cfg.ChainID, c.Metadata); err != nil {
			return fmt.Errorf("%w: metadata of %s: %v", ErrBadSignature, c.Metadata.Metadata.Path(), err)
		}
	case CmdAttest:
		return c.Attestation.Attestation.check()
	case CmdEpoch:
		if c.Epoch.Epoch == 0 {
			return fmt.Errorf("%w: epoch 0 has no validator set", ErrMalformed)
		}
	}
	return nil
}
