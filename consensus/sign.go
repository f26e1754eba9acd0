package consensus

import (
	"crypto/ed25519"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/signing"
)

// Signable is a protocol message body that carries a signature.
type Signable interface {
	domain() signing.Domain
	payload() any
	setSig([]byte)
	sig() []byte
}

func (p *PrePrepare) domain() signing.Domain { return DomainPrePrepare }
func (p *PrePrepare) payload() any           { return orderPayload{p.View, p.Seq, p.BatchDigest} }
func (p *PrePrepare) setSig(s []byte)        { p.Sig = s }
func (p *PrePrepare) sig() []byte            { return p.Sig }

func (p *Prepare) domain() signing.Domain { return DomainPrepare }
func (p *Prepare) payload() any           { return orderPayload{p.View, p.Seq, p.BatchDigest} }
func (p *Prepare) setSig(s []byte)        { p.Sig = s }
func (p *Prepare) sig() []byte            { return p.Sig }

func (c *Commit) domain() signing.Domain { return DomainCommit }
func (c *Commit) payload() any           { return orderPayload{c.View, c.Seq, c.BatchDigest} }
func (c *Commit) setSig(s []byte)        { c.Sig = s }
func (c *Commit) sig() []byte            { return c.Sig }

func (c *Checkpoint) domain() signing.Domain { return DomainCheckpointState }
func (c *Checkpoint) payload() any {
	return checkpointStatePayload{c.Seq, c.StateDigest, c.ClientsDigest}
}
func (c *Checkpoint) setSig(s []byte) { c.Sig = s }
func (c *Checkpoint) sig() []byte     { return c.Sig }

func (v *ViewChange) domain() signing.Domain { return DomainViewChange }
func (v *ViewChange) payload() any {
	return viewChangePayload{v.View, v.Replica, v.StableSeq, v.Checkpoint, v.Prepared}
}
func (v *ViewChange) setSig(s []byte) { v.Sig = s }
func (v *ViewChange) sig() []byte     { return v.Sig }

func (h *Heartbeat) domain() signing.Domain { return DomainHeartbeat }
func (h *Heartbeat) payload() any           { return heartbeatPayload{h.View, h.Seq} }
func (h *Heartbeat) setSig(s []byte)        { h.Sig = s }
func (h *Heartbeat) sig() []byte            { return h.Sig }

func (nv *NewView) domain() signing.Domain { return DomainNewView }
func (nv *NewView) payload() any {
	p := newViewPayload{View: nv.View}
	for i := range nv.ViewChanges {
		d, err := signing.Digest(DomainViewChange, 0, nv.ViewChanges[i].payload())
		if err != nil {
			panic("consensus: encode view change: " + err.Error())
		}
		p.ViewChanges = append(p.ViewChanges, Digest(d))
	}
	for i := range nv.PrePrepares {
		p.PrePrepares = append(p.PrePrepares, orderPayload{nv.PrePrepares[i].View, nv.PrePrepares[i].Seq, nv.PrePrepares[i].BatchDigest})
	}
	return p
}
func (nv *NewView) setSig(s []byte) { nv.Sig = s }
func (nv *NewView) sig() []byte     { return nv.Sig }

// epochBound is what every protocol signature covers: the validator epoch
// and the message's own payload.
type epochBound struct {
	Epoch   uint64
	Payload any
}

// Sign signs m with key for chainID in epoch, replacing any signature it
// had. Checkpoints get both their signatures.
func Sign(key ed25519.PrivateKey, chainID, epoch uint64, m Signable) error {
	s, err := signing.SignNode(key, m.domain(), chainID, epochBound{epoch, m.payload()})
	if err != nil {
		return err
	}
	m.setSig(s)
	if c, ok := m.(*Checkpoint); ok {
		ls, err := signing.SignNode(key, DomainCheckpoint, chainID, LedgerCheckpointPayload{epoch, c.Seq, c.StateDigest})
		if err != nil {
			return err
		}
		c.LedgerSig = ls
	}
	return nil
}

// SignMessage signs the body of m in m's epoch (see Sign). State-transfer
// messages carry no signature of their own and are left alone.
func SignMessage(key ed25519.PrivateKey, chainID uint64, m *Message) error {
	if b := m.signable(); b != nil {
		return Sign(key, chainID, m.Epoch, b)
	}
	return nil
}

func (m *Message) signable() Signable {
	switch m.Type {
	case MsgPrePrepare:
		return m.PrePrepare
	case MsgPrepare:
		return m.Prepare
	case MsgCommit:
		return m.Commit
	case MsgCheckpoint:
		return m.Checkpoint
	case MsgViewChange:
		return m.ViewChange
	case MsgNewView:
		return m.NewView
	case MsgHeartbeat:
		return m.Heartbeat
	}
	return nil
}

// hasBody reports whether the body its type names is there. (signable
// alone cannot tell: a nil *PrePrepare is a non-nil Signable.)
func (m *Message) hasBody() bool {
	switch m.Type {
	case MsgPrePrepare:
		return m.PrePrepare != nil
	case MsgPrepare:
		return m.Prepare != nil
	case MsgCommit:
		return m.Commit != nil
	case MsgCheckpoint:
		return m.Checkpoint != nil
	case MsgViewChange:
		return m.ViewChange != nil
	case MsgNewView:
		return m.NewView != nil
	case MsgHeartbeat:
		return m.Heartbeat != nil
	case MsgStateRequest:
		return m.StateRequest != nil
	case MsgStateResponse:
		return m.StateResponse != nil
	}
	return false
}

// sigCache remembers (signer, digest) pairs whose signature verified, so a
// message seen once on receipt is not verified again when it comes back
// inside a certificate (view changes, new views, state transfer). Keying on
// the digest, not the signature bytes, is sound: the fact cached is "signer
// signed digest", whatever bytes are shown later.
type sigCache struct {
	m   map[sigKey]struct{}
	max int
}

type sigKey struct {
	signer ReplicaID
	digest Digest
}

func newSigCache(max int) *sigCache { return &sigCache{m: make(map[sigKey]struct{}), max: max} }

// verifier checks signatures against the validator set of one epoch.
type verifier struct {
	epoch      uint64
	validators []*signing.NodeVerifyKey // prepared once per epoch: a check under a prepared key costs a third less
	chainID    uint64
	cache      *sigCache
	check      func(key *signing.NodeVerifyKey, digest common.Hash, sig []byte) error
	counters   *Counters // the replica's
}

func newVerifier(cfg *Config, epoch uint64, validators []ed25519.PublicKey, cacheSize int, counters *Counters) *verifier {
	keys := make([]*signing.NodeVerifyKey, len(validators))
	for i, pub := range validators {
		keys[i] = signing.NewNodeVerifyKey(pub)
	}
	return &verifier{epoch: epoch, validators: keys, chainID: cfg.ChainID, cache: newSigCache(cacheSize), check: cfg.VerifySignature, counters: counters}
}

func (v *verifier) verify(signer ReplicaID, m Signable) error {
	return v.verifyDomain(signer, m.domain(), epochBound{v.epoch, m.payload()}, m.sig())
}

func (v *verifier) verifyDomain(signer ReplicaID, domain signing.Domain, payload any, sig []byte) error {
	if int(signer) >= len(v.validators) {
		return fmt.Errorf("%w: signer %d is not a validator of epoch %d", signing.ErrBadSignature, signer, v.epoch)
	}
	d, err := signing.Digest(domain, v.chainID, payload)
	if err != nil {
		return err
	}
	k := sigKey{signer, Digest(d)}
	if _, ok := v.cache.m[k]; ok {
		v.counters.SignaturesCached++
		return nil
	}
	v.counters.SignaturesVerified++
	if err := v.check(v.validators[signer], d, sig); err != nil {
		return fmt.Errorf("%s from replica %d (epoch %d): %w", domain, signer, v.epoch, err)
	}
	if len(v.cache.m) >= v.cache.max {
		clear(v.cache.m)
	}
	v.cache.m[k] = struct{}{}
	return nil
}

// verifyCheckpoint checks both signatures of a checkpoint.
func (v *verifier) verifyCheckpoint(c *Checkpoint) error {
	if err := v.verify(c.Replica, c); err != nil {
		return err
	}
	return v.verifyDomain(c.Replica, DomainCheckpoint, LedgerCheckpointPayload{v.epoch, c.Seq, c.StateDigest}, c.LedgerSig)
}
