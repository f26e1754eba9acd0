package ledger

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/signing"
)

// applyOne applies one request. reject is the reason a request was refused
// (the state is untouched); err is a storage failure that stops the batch.
// INVARIANT: every check happens before the single trie update at the end,
// so a rejected request changes nothing.
func (l *Ledger) applyOne(seq uint64, bc *BatchContext, req []byte) (reject, err error) {
	c, derr := DecodeCommand(req)
	if derr != nil {
		return derr, nil
	}
	switch c.Kind {
	case CmdRegister, CmdUpdate:
		return l.applyMetadata(seq, bc, c.Kind, c.Metadata)
	case CmdAttest:
		return l.applyAttestation(bc, c.Attestation)
	case CmdEpoch:
		return l.applyEpoch(seq, bc, c.Epoch)
	}
	return fmt.Errorf("%w: unknown command kind %d", ErrMalformed, c.Kind), nil
}

func (l *Ledger) applyMetadata(seq uint64, bc *BatchContext, kind CommandKind, sm *SignedMetadata) (reject, err error) {
	m := &sm.Metadata
	if err := m.Check(); err != nil {
		return err, nil
	}
	signer, serr := l.signers.recover(l.cfg.ChainID, sm)
	if serr != nil {
		return fmt.Errorf("%w: metadata of %s: %v", ErrBadSignature, m.Path(), serr), nil
	}
	id := m.ID()
	facts, ok := bc.dataset(id)
	if !ok {
		return fmt.Errorf("%w: dataset %s", ErrNoFacts, m.Path()), nil
	}
	if !facts.Exists {
		return fmt.Errorf("%w: %s at block %d (send the Marketplace register transaction first)", ErrNotOnChain, m.Path(), bc.Block), nil
	}
	if facts.Owner != signer {
		return fmt.Errorf("%w: %s is owned by %s on chain, the metadata is signed by %s", ErrWrongOwner, m.Path(), facts.Owner.Hex(), signer.Hex()), nil
	}
	hash, herr := MetadataHash(m)
	if herr != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, herr), nil
	}
	if facts.MetadataHash != hash {
		return fmt.Errorf("%w: %s version %d hashes to %s, the chain has %s at block %d (publish the hash on chain first)",
			ErrMetadataHashMismatch, m.Path(), m.Version, hash.Hex(), facts.MetadataHash.Hex(), bc.Block), nil
	}
	if !facts.Active {
		return fmt.Errorf("%w: %s at block %d", ErrInactive, m.Path(), bc.Block), nil
	}
	cur, err := l.Dataset(id)
	if err != nil {
		return nil, err
	}
	rec := Record{Signed: *sm, CreatedBlock: bc.Block, UpdatedBlock: bc.Block, UpdatedSeq: seq}
	switch kind {
	case CmdRegister:
		if cur != nil {
			return fmt.Errorf("%w: %s is at version %d (send an update)", ErrAlreadyRegistered, m.Path(), cur.Signed.Metadata.Version), nil
		}
	case CmdUpdate:
		if cur == nil {
			return fmt.Errorf("%w: %s (send a register first)", ErrNotRegistered, m.Path()), nil
		}
		if m.Version <= cur.Signed.Metadata.Version {
			return fmt.Errorf("%w: %s version %d is not above the ledger's version %d", ErrStaleVersion, m.Path(), m.Version, cur.Signed.Metadata.Version), nil
		}
		rec.CreatedBlock = cur.CreatedBlock
	}
	return l.put(id, EntryDataset, &rec)
}

func (l *Ledger) applyAttestation(bc *BatchContext, sa *SignedAttestation) (reject, err error) {
	a := &sa.Attestation
	if err := a.check(); err != nil {
		return err, nil
	}
	vf, ok := bc.validator(a.Epoch, a.Attester)
	if !ok {
		return fmt.Errorf("%w: validator %s in epoch %d", ErrNoFacts, a.Attester.Short(), a.Epoch), nil
	}
	if !vf.Member {
		return fmt.Errorf("%w: %s in epoch %d at block %d", ErrNotValidator, a.Attester.Short(), a.Epoch, bc.Block), nil
	}
	if err := sa.verify(l.cfg.ChainID, vf.PublicKey); err != nil {
		return err, nil
	}
	if err := l.checkSlashSignature(a, vf.Account); err != nil {
		return err, nil
	}
	rec, err := l.Dataset(a.DatasetID)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return fmt.Errorf("%w: dataset %s", ErrNotRegistered, a.DatasetID.Hex()), nil
	}
	accused := rec.Signed.Metadata.Persistence
	if a.Offence == OffenceWorkerMissedSchedule {
		accused = rec.Signed.Metadata.Workers
	}
	if !slices.Contains(accused, a.Subject) {
		return fmt.Errorf("%w: %s is not named for %s by %s", ErrNotSubject, a.Subject.Short(), a.Offence, rec.Signed.Metadata.Path()), nil
	}
	key := OffenceKey(a.DatasetID, a.Epoch, a.Offence, a.Subject)
	e, err := l.Get(key)
	if err != nil {
		return nil, err
	}
	or := e.Offence
	if or == nil {
		or = &OffenceRecord{DatasetID: a.DatasetID, Epoch: a.Epoch, Offence: a.Offence, Subject: a.Subject}
	}
	i, found := slices.BinarySearchFunc(or.Attestations, a.Attester, func(s SignedAttestation, id identity.NodeID) int {
		return bytes.Compare(s.Attestation.Attester[:], id[:])
	})
	if found {
		return fmt.Errorf("%w: %s already attested %s of %s in epoch %d", ErrDuplicateAttestation, a.Attester.Short(), a.Offence, a.Subject.Short(), a.Epoch), nil
	}
	if len(or.Attestations) >= MaxAttestations {
		return fmt.Errorf("%w: %d already recorded", ErrTooManyAttestations, len(or.Attestations)), nil
	}
	or.Attestations = slices.Insert(or.Attestations, i, *sa)
	return l.put(key, EntryOffence, or)
}

// MinValidators is the smallest validator set an epoch may have: PBFT
// needs four to tolerate one fault.
const MinValidators = 4

// applyEpoch records that the chain's validator set of the next epoch takes
// over; the consensus engine reads it (ledgerapp.Reconfiguration) and
// switches at the closing checkpoint.
func (l *Ledger) applyEpoch(seq uint64, bc *BatchContext, ec *EpochChange) (reject, err error) {
	current, err := l.Epoch()
	if err != nil {
		return nil, err
	}
	if ec.Epoch != current+1 {
		return fmt.Errorf("%w: epoch %d cannot follow epoch %d", ErrStaleEpoch, ec.Epoch, current), nil
	}
	facts, ok := bc.set(ec.Epoch)
	if !ok {
		return fmt.Errorf("%w: validator set of epoch %d", ErrNoFacts, ec.Epoch), nil
	}
	if len(facts.Members) < MinValidators {
		return fmt.Errorf("%w: epoch %d has %d validators at block %d, at least %d are needed", ErrBadEpoch, ec.Epoch, len(facts.Members), bc.Block, MinValidators), nil
	}
	vs := ValidatorSet{ChainID: l.cfg.ChainID, Epoch: ec.Epoch, Members: facts.Members}
	if err := vs.Check(); err != nil {
		return fmt.Errorf("%w: %v", ErrBadEpoch, err), nil
	}
	closeSeq := seq
	if l.cfg.ClosingCheckpoint != nil {
		closeSeq = l.cfg.ClosingCheckpoint(seq)
	}
	if reject, err := l.put(EpochKey(ec.Epoch), EntryEpoch, &EpochRecord{Epoch: ec.Epoch, AtSeq: seq, CloseSeq: closeSeq, Members: facts.Members}); reject != nil || err != nil {
		return reject, err
	}
	return l.put(CurrentEpochKey, EntryCurrentEpoch, ec.Epoch)
}

// put writes an entry: the last step of an accepted request.
func (l *Ledger) put(key common.Hash, kind EntryKind, body any) (reject, err error) {
	value, eerr := encodeEntry(kind, body)
	if eerr != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, eerr), nil
	}
	if len(value) > MaxEntrySize {
		return fmt.Errorf("%w: %s entry would be %d bytes, the limit is %d", ErrOversized, kind, len(value), MaxEntrySize), nil
	}
	if err := l.tr.Update(key[:], value); err != nil {
		return nil, fmt.Errorf("write ledger key %s: %w", key.Hex(), err)
	}
	return nil, nil
}

// checkSlashSignature enforces Config.SlashDigest: with it, the attestation
// must carry the attester account's signature over the slash digest;
// without it, no slash signature at all.
func (l *Ledger) checkSlashSignature(a *Attestation, account common.Address) error {
	if l.cfg.SlashDigest == nil {
		if len(a.SlashSignature) != 0 {
			return fmt.Errorf("%w: this ledger takes no slash signatures (no slash digest configured)", ErrBadSignature)
		}
		return nil
	}
	if account == (common.Address{}) {
		return fmt.Errorf("%w: the chain records no account for validator %s in epoch %d", ErrNotValidator, a.Attester.Short(), a.Epoch)
	}
	signer, err := signing.RecoverAccountDigest(l.cfg.SlashDigest(a.DatasetID, a.Offence, a.Epoch), a.SlashSignature)
	if err != nil {
		return fmt.Errorf("%w: slash signature: %v", ErrBadSignature, err)
	}
	if signer != account {
		return fmt.Errorf("%w: slash signature is by %s, validator %s's account is %s", ErrBadSignature, signer.Hex(), a.Attester.Short(), account.Hex())
	}
	return nil
}
