package ledgerapp

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
)

// ResultOK is the result of an applied request; a rejected one gets
// "rejected: " and the reason.
const ResultOK = "ok"

// App adapts a ledger to the consensus engine. Like the engine, it is not
// safe for concurrent use.
type App struct {
	l       *ledger.Ledger
	view    ledger.ChainView
	chainID uint64
	log     *slog.Logger
}

// New returns the adapter. view must answer quickly (the engine calls the
// verifier inside its step): in a node it is the chain client's cache of
// confirmed facts.
func New(l *ledger.Ledger, view ledger.ChainView, chainID uint64, log *slog.Logger) *App {
	if log == nil {
		log = slog.Default()
	}
	return &App{l: l, view: view, chainID: chainID, log: log}
}

var (
	_ consensus.Application    = (*App)(nil)
	_ consensus.Verifier       = (*App)(nil)
	_ consensus.Reconfigurable = (*App)(nil)
)

// commands unwraps the ledger commands of a batch's requests. The requests
// were verified before they were ordered; one that does not decode (only a
// faulty quorum could order it) is passed on as is, and the ledger rejects
// it as malformed on every replica alike.
func commands(reqs []consensus.Request) [][]byte {
	out := make([][]byte, len(reqs))
	for i := range reqs {
		out[i] = reqs[i].Payload
		if r, err := ledger.DecodeRequest(reqs[i].Payload); err == nil {
			out[i] = r.Command
		}
	}
	return out
}

// Apply implements consensus.Application.
func (a *App) Apply(seq uint64, batchContext []byte, reqs []consensus.Request) ([][]byte, consensus.Digest) {
	root, rejects, err := a.l.Apply(seq, batchContext, commands(reqs))
	if errors.Is(err, ledger.ErrAlreadyApplied) {
		// A replay after a restart that did not rewind the ledger: the
		// state already includes the batch.
		old, ok, rerr := a.l.RootAt(seq)
		if rerr != nil || !ok {
			panic(fmt.Sprintf("ledgerapp: batch %d was applied but its root is unknown (%v): the ledger database is damaged", seq, rerr))
		}
		results := make([][]byte, len(reqs))
		for i := range results {
			results[i] = []byte(fmt.Sprintf("rejected: %v", err))
		}
		return results, consensus.Digest(old)
	}
	if err != nil {
		panic(fmt.Sprintf("ledgerapp: %v (the replica stops; fix the ledger's storage and restart)", err))
	}
	results := make([][]byte, len(reqs))
	for i, r := range rejects {
		if r == nil {
			results[i] = []byte(ResultOK)
		} else {
			results[i] = []byte("rejected: " + r.Error())
		}
	}
	return results, consensus.Digest(root)
}

// Snapshot implements consensus.Application.
func (a *App) Snapshot() []byte {
	s, err := a.l.Snapshot()
	if err != nil {
		panic(fmt.Sprintf("ledgerapp: %v (the replica stops; fix the ledger's storage and restart)", err))
	}
	return s
}

// Restore implements consensus.Application.
func (a *App) Restore(snapshot []byte, digest consensus.Digest) error {
	return a.l.Restore(snapshot, common.Hash(digest))
}

// Reconfiguration implements consensus.Reconfigurable: the ledger's record
// of the validator set that took over from epoch from, in replica order
// (by node ID, as the chain's sets are sorted).
func (a *App) Reconfiguration(from uint64) (consensus.Reconfiguration, bool) {
	rec, err := a.l.EpochRecord(from + 1)
	if err != nil || rec == nil {
		if err != nil {
			a.log.Error("ledger: cannot read the epoch record", "epoch", from+1, "err", err)
		}
		return consensus.Reconfiguration{}, false
	}
	vals := make([]ed25519.PublicKey, len(rec.Members))
	for i, m := range rec.Members {
		vals[i] = m.PublicKey
	}
	return consensus.Reconfiguration{Epoch: rec.Epoch, Validators: vals, AtSeq: rec.AtSeq}, true
}

// VerifyRequest implements consensus.Verifier: the request must be signed
// for its client ID and timestamp by the key the client ID names (so no one
// can spend another client's timestamps), and its command must pass the
// ledger's static checks.
func (a *App) VerifyRequest(r *consensus.Request) error {
	cmd, err := ledger.OpenRequest(a.chainID, string(r.Client), r.Timestamp, r.Payload)
	if err != nil {
		return err
	}
	return a.l.CheckRequest(cmd)
}

// BatchContext implements consensus.Verifier: the facts the batch needs, read
// at the view's confirmed block. If the chain cannot be read the batch goes
// out without a context, which backups refuse; a primary cut off from the
// chain is then replaced by a view change.
func (a *App) BatchContext(seq uint64, reqs []consensus.Request) []byte {
	bc, err := ledger.BuildContext(context.Background(), a.view, commands(reqs))
	if err == nil {
		var enc []byte
		if enc, err = bc.Encode(); err == nil {
			return enc
		}
	}
	a.log.Warn("ledger: cannot read chain facts for a batch", "seq", seq, "err", err)
	return nil
}

// VerifyBatch implements consensus.Verifier.
func (a *App) VerifyBatch(seq uint64, b *consensus.Batch) error {
	err := ledger.CheckContext(context.Background(), a.view, b.Context, commands(b.Requests))
	if errors.Is(err, ledger.ErrNotReady) {
		return fmt.Errorf("%w: %w", consensus.ErrNotReady, err)
	}
	return err
}

// CertificateFromStable turns a stable checkpoint's proof into a ledger
// checkpoint certificate for epoch. validators are the engine's replica
// keys by replica ID. Each checkpoint's LedgerSig is the replica's
// signature over [Seq, StateDigest] in the checkpoint domain, which is what
// the certificate carries.
func CertificateFromStable(epoch uint64, validators []ed25519.PublicKey, sc consensus.StableCheckpoint) (ledger.CheckpointCertificate, error) {
	var sigs []ledger.CheckpointSignature
	var root consensus.Digest
	for i, cp := range sc.Proof {
		if cp.Seq != sc.Seq {
			return ledger.CheckpointCertificate{}, fmt.Errorf("stable checkpoint %d holds a proof for %d", sc.Seq, cp.Seq)
		}
		if i == 0 {
			root = cp.StateDigest
		} else if cp.StateDigest != root {
			return ledger.CheckpointCertificate{}, fmt.Errorf("stable checkpoint %d has proofs for different states", sc.Seq)
		}
		if int(cp.Replica) >= len(validators) {
			return ledger.CheckpointCertificate{}, fmt.Errorf("stable checkpoint %d: replica %d is not in the validator list", sc.Seq, cp.Replica)
		}
		sigs = append(sigs, ledger.CheckpointSignature{Signer: identity.IDFromPublicKey(validators[cp.Replica]), Signature: cp.LedgerSig})
	}
	if len(sigs) == 0 {
		return ledger.CheckpointCertificate{}, fmt.Errorf("stable checkpoint %d has no proof", sc.Seq)
	}
	return ledger.NewCertificate(epoch, sc.Seq, common.Hash(root), sigs), nil
}
