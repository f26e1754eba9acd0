package simulation

import (
	"crypto/sha256"
	"encoding/binary"
	"slices"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/consensus/quorum"
	"github.com/enigma-mpc/enigma/signing"
)

type viewSeq struct{ view, seq uint64 }

// byzState is what a Byzantine replica remembers to misbehave consistently.
type byzState struct {
	history []consensus.Message // recent messages it sent or received, for replay
	early   []consensus.Message // the first messages of the run, replayed long after
	alt     map[viewSeq]*consensus.PrePrepare
	lies    map[uint64]*consensus.ViewChange
	ordered []consensus.Request // requests it proposed before (Duplicate)
	delayed map[reqID]bool      // victims' requests a censor holds back (censorDelay)
	// oldState is the first state-transfer answer it gave that carried a
	// stable checkpoint (StaleState serves it again, long after).
	oldState *consensus.StateResponse
}

const replayHistory = 256

func newByzState() *byzState {
	return &byzState{alt: make(map[viewSeq]*consensus.PrePrepare), lies: make(map[uint64]*consensus.ViewChange), delayed: make(map[reqID]bool)}
}

func (b *byzState) remember(m consensus.Message) {
	if len(b.early) < replayHistory/2 {
		b.early = append(b.early, m)
	}
	if len(b.history) >= replayHistory {
		b.history = slices.Delete(b.history, 0, replayHistory/4)
	}
	b.history = append(b.history, m)
}

// equivocation is an equivocating primary's pair of batches for one
// (view, sequence number): one half of the replicas (by twinOf) is shown
// the original, the other half alt.
type equivocation struct {
	original consensus.Digest
	alt      *consensus.PrePrepare
}

// censors decides what a censoring replica does with a client request: it
// drops a victim's request, or (censorDelay) proposes it only after a
// delay, behind requests that arrived later. It reports whether the
// request is withheld now.
func (s *sim) censors(nd *replicaCopy, e *event) bool {
	ci := s.clientIndex(e.req.Client)
	if ci < 0 || ci >= len(s.plan.victims) || !s.plan.victims[ci] {
		return false
	}
	if s.plan.censor != censorDelay {
		return true
	}
	k := reqID{e.req.Client, e.req.Timestamp}
	if nd.byz.delayed[k] {
		return false // its delay is over
	}
	nd.byz.delayed[k] = true
	timeout := int64(s.config().RequestTimeoutTicks) * tickMs
	if timeout <= 0 {
		timeout = 20 * tickMs
	}
	s.schedule(&event{at: s.now + timeout/2 + s.byzRng.Int64N(2*timeout), kind: evRequest, node: nd.idx, req: e.req})
	return true
}

// misbehave turns one message the Byzantine node's (real) replica wants to
// send into what it actually sends. The replica keeps its key, so whatever
// it re-signs carries a valid signature.
func (s *sim) misbehave(nd *replicaCopy, m consensus.Message) []consensus.Message {
	key := s.keys[nd.ident]
	sign := func(x consensus.Signable) {
		if err := consensus.Sign(key, s.config().ChainID, m.Epoch, x); err != nil {
			panic("simulation: sign: " + err.Error())
		}
	}
	switch nd.behaviour {
	case Silent:
		return nil
	case Twins:
		return []consensus.Message{m}
	case Equivocate:
		// Backups on the "other" side of a seeded split get a conflicting
		// batch for the same (view, seq) from the primary; the primary and
		// its Byzantine backups send each side prepares and commits for the
		// batch that side was shown, validly signed.
		other := s.twinOf[int(m.To)] == 1
		switch m.Type {
		case consensus.MsgPrePrepare:
			k := viewSeq{m.PrePrepare.View, m.PrePrepare.Seq}
			eq := s.equivocations[k]
			if eq == nil {
				b := consensus.Batch{}
				if reqs := m.PrePrepare.Batch.Requests; len(reqs) >= 2 {
					b.Requests = slices.Clone(reqs)
					slices.Reverse(b.Requests)
					b.Context = m.PrePrepare.Batch.Context
				}
				alt := &consensus.PrePrepare{View: k.view, Seq: k.seq, BatchDigest: b.Digest(), Batch: b}
				sign(alt)
				eq = &equivocation{original: m.PrePrepare.BatchDigest, alt: alt}
				s.equivocations[k] = eq
			}
			if other {
				m.PrePrepare = eq.alt
			}
			return []consensus.Message{m}
		case consensus.MsgPrepare:
			eq := s.equivocations[viewSeq{m.Prepare.View, m.Prepare.Seq}]
			if eq == nil {
				return []consensus.Message{m}
			}
			p := *m.Prepare
			p.BatchDigest = eq.original
			if other {
				p.BatchDigest = eq.alt.BatchDigest
			}
			sign(&p)
			m.Prepare = &p
			return []consensus.Message{m}
		case consensus.MsgCommit:
			eq := s.equivocations[viewSeq{m.Commit.View, m.Commit.Seq}]
			if eq == nil {
				return []consensus.Message{m}
			}
			c := *m.Commit
			c.BatchDigest = eq.original
			if other {
				c.BatchDigest = eq.alt.BatchDigest
			}
			sign(&c)
			m.Commit = &c
			return []consensus.Message{m}
		}
		return []consensus.Message{m}
	case Censor:
		// It withholds requests (censors); what it sends is honest.
		return []consensus.Message{m}
	case StaleState:
		switch m.Type {
		case consensus.MsgCheckpoint:
			c := *m.Checkpoint
			c.StateDigest[0] ^= 0x5a
			sign(&c) // both signatures valid, over a state nobody has
			m.Checkpoint = &c
		case consensus.MsgStateResponse:
			resp := m.StateResponse
			if forged := s.forgeState(nd, resp); forged != nil && s.byzRng.IntN(2) == 0 {
				m.StateResponse = forged
			} else if nd.byz.oldState == nil && resp.Stable != nil && len(resp.Stable.Snapshot) > 0 {
				nd.byz.oldState = resp
			} else if nd.byz.oldState != nil {
				old := *nd.byz.oldState
				m.StateResponse = &old
			}
		}
		return []consensus.Message{m}
	case Duplicate:
		// The same modified batch goes to everyone, so it can commit: the
		// engine must execute each request once however often it is ordered.
		if m.Type != consensus.MsgPrePrepare || s.opts.NewApp != nil {
			return []consensus.Message{m}
		}
		k := viewSeq{m.PrePrepare.View, m.PrePrepare.Seq}
		dup := nd.byz.alt[k]
		if dup == nil {
			b := m.PrePrepare.Batch
			if len(nd.byz.ordered) > 0 {
				b.Requests = append(slices.Clone(b.Requests), nd.byz.ordered[s.byzRng.IntN(len(nd.byz.ordered))])
				b.Context = binary.AppendUvarint(nil, uint64(len(b.Requests))) // KVApp's context
			}
			nd.byz.ordered = append(nd.byz.ordered, m.PrePrepare.Batch.Requests...)
			dup = &consensus.PrePrepare{View: k.view, Seq: k.seq, BatchDigest: b.Digest(), Batch: b}
			sign(dup)
			nd.byz.alt[k] = dup
		}
		m.PrePrepare = dup
		return []consensus.Message{m}
	case Forge:
		out := []consensus.Message{m}
		if s.byzRng.Float64() < 0.2 {
			out = out[:0] // sometimes only the forgery goes out
		}
		if s.byzRng.Float64() < 0.4 {
			out = append(out, s.forge(nd, m))
		}
		return out
	case Replay:
		out := []consensus.Message{m}
		nd.byz.remember(m)
		if len(nd.byz.history) > 0 && s.byzRng.Float64() < 0.3 {
			from := nd.byz.history
			if s.byzRng.IntN(2) == 0 {
				from = nd.byz.early // from long ago: old views, old checkpoints
			}
			old := from[s.byzRng.IntN(len(from))]
			old.To = m.To
			out = append(out, old)
		}
		return out
	case LyingVC:
		if m.Type == consensus.MsgNewView {
			m.NewView = s.chosenNewView(nd, m, sign)
			return []consensus.Message{m}
		}
		if m.Type != consensus.MsgViewChange || m.ViewChange.Replica != m.From {
			return []consensus.Message{m}
		}
		lie := nd.byz.lies[m.ViewChange.View]
		if lie == nil {
			v := *m.ViewChange
			switch s.byzRng.IntN(3) {
			case 0: // hide what it prepared
				v.Prepared = nil
			case 1: // claim an old checkpoint and nothing prepared
				v.StableSeq, v.Checkpoint, v.Prepared = 0, nil, nil
			default: // fabricate a prepared certificate for a batch nobody prepared
				v.Prepared = slices.Clone(v.Prepared)
				seq := v.StableSeq + 1
				if len(v.Prepared) > 0 {
					seq = v.Prepared[0].PrePrepare.Seq
					v.Prepared = v.Prepared[1:]
				}
				fake := consensus.PrePrepare{View: v.View - 1, Seq: seq, Batch: consensus.Batch{Context: []byte("fabricated")}}
				fake.BatchDigest = fake.Batch.Digest()
				sign(&fake)
				v.Prepared = append([]consensus.PreparedCert{{PrePrepare: fake}}, v.Prepared...)
			}
			sign(&v)
			lie = &v
			nd.byz.lies[v.View] = lie
		}
		m.ViewChange = lie
		return []consensus.Message{m}
	}
	return []consensus.Message{m}
}

// forge returns a tampered copy of m: a broken signature, a body claiming
// another replica, or a changed digest under the old signature.
func (s *sim) forge(nd *replicaCopy, m consensus.Message) consensus.Message {
	n := len(s.epochs[m.Epoch].members)
	other := consensus.ReplicaID((int(m.From) + 1 + s.byzRng.IntN(n-1)) % n)
	flip := func(sig []byte) []byte {
		out := slices.Clone(sig)
		if len(out) > 0 {
			out[s.byzRng.IntN(len(out))] ^= 1 << s.byzRng.IntN(8)
		}
		return out
	}
	mode := s.byzRng.IntN(3)
	switch m.Type {
	case consensus.MsgPrePrepare:
		pp := *m.PrePrepare
		switch {
		case mode == 0:
			pp.Sig = flip(pp.Sig)
		case mode == 1 && len(pp.Batch.Requests) > 0:
			// A properly signed batch whose first request keeps its client
			// and timestamp but carries a tampered payload: only the
			// Verifier can tell.
			pp.Batch.Requests = slices.Clone(pp.Batch.Requests)
			pp.Batch.Requests[0].Payload = append([]byte("tampered:"), pp.Batch.Requests[0].Payload...)
			pp.BatchDigest = pp.Batch.Digest()
			if err := consensus.Sign(s.keys[nd.ident], s.config().ChainID, m.Epoch, &pp); err != nil {
				panic("simulation: sign: " + err.Error())
			}
		default:
			pp.Batch = consensus.Batch{Context: []byte("forged")}
			pp.BatchDigest = pp.Batch.Digest()
		}
		m.PrePrepare = &pp
	case consensus.MsgPrepare:
		p := *m.Prepare
		switch mode {
		case 0:
			p.Sig = flip(p.Sig)
		case 1:
			p.Replica = other
		default:
			p.BatchDigest[0] ^= 0xff
		}
		m.Prepare = &p
	case consensus.MsgCommit:
		c := *m.Commit
		switch mode {
		case 0:
			c.Sig = flip(c.Sig)
		case 1:
			c.Replica = other
		default:
			c.Seq++
		}
		m.Commit = &c
	case consensus.MsgCheckpoint:
		c := *m.Checkpoint
		switch mode {
		case 0:
			c.LedgerSig = flip(c.LedgerSig)
		default:
			c.StateDigest[0] ^= 0xff
		}
		m.Checkpoint = &c
	case consensus.MsgViewChange:
		v := *m.ViewChange
		v.Sig = flip(v.Sig)
		m.ViewChange = &v
	case consensus.MsgNewView:
		nv := *m.NewView
		if len(nv.PrePrepares) > 0 {
			nv.PrePrepares = slices.Clone(nv.PrePrepares)
			nv.PrePrepares[0].Batch = consensus.Batch{Context: []byte("forged")}
			nv.PrePrepares[0].BatchDigest = nv.PrePrepares[0].Batch.Digest()
		} else {
			nv.Sig = flip(nv.Sig)
		}
		m.NewView = &nv
	case consensus.MsgHeartbeat:
		hb := *m.Heartbeat
		hb.Seq += 100
		m.Heartbeat = &hb
	case consensus.MsgStateResponse:
		resp := *m.StateResponse
		if len(resp.Committed) > 0 {
			resp.Committed = slices.Clone(resp.Committed)
			resp.Committed[0].PrePrepare.Batch = consensus.Batch{Context: []byte("forged")}
			resp.Committed[0].PrePrepare.BatchDigest = resp.Committed[0].PrePrepare.Batch.Digest()
		}
		if resp.Stable != nil {
			st := *resp.Stable
			st.Snapshot = append(slices.Clone(st.Snapshot), 0)
			resp.Stable = &st
		}
		m.StateResponse = &resp
	}
	return m
}

// chosenNewView is a Byzantine new primary's NEW-VIEW: built correctly, but
// from 2f+1 view changes it picks at random (per recipient) among all the
// valid ones it received, rather than the first 2f+1 — so different backups
// may get different, individually valid new views.
func (s *sim) chosenNewView(nd *replicaCopy, m consensus.Message, sign func(consensus.Signable)) *consensus.NewView {
	nv := m.NewView
	byReplica := map[consensus.ReplicaID]consensus.ViewChange{}
	var ids []consensus.ReplicaID
	add := func(vc consensus.ViewChange) {
		if _, dup := byReplica[vc.Replica]; !dup && vc.View == nv.View {
			byReplica[vc.Replica] = vc
			ids = append(ids, vc.Replica)
		}
	}
	for _, vc := range nv.ViewChanges {
		add(vc)
	}
	for _, h := range nd.byz.history {
		if h.Type == consensus.MsgViewChange && h.From == h.ViewChange.Replica && h.Epoch == m.Epoch {
			add(*h.ViewChange)
		}
	}
	slices.Sort(ids)
	s.byzRng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	out := &consensus.NewView{View: nv.View}
	for _, id := range ids[:min(len(ids), quorum.Size(len(s.epochs[m.Epoch].members)))] {
		out.ViewChanges = append(out.ViewChanges, byReplica[id])
	}
	minS, batches := consensus.NewViewPlan(out.ViewChanges)
	for i, b := range batches {
		pp := consensus.PrePrepare{View: nv.View, Seq: minS + 1 + uint64(i), BatchDigest: b.Digest(), Batch: b}
		sign(&pp)
		out.PrePrepares = append(out.PrePrepares, pp)
	}
	sign(out)
	return out
}

// engineSnapshot mirrors the RLP shape of the engine's snapshot (its client
// table and the application's snapshot), so a Byzantine replica can forge one.
type engineSnapshot struct {
	Clients []struct {
		Client     string
		LastTs     uint64
		LastResult []byte
	}
	App []byte
}

// forgeState turns a state-transfer answer into one that carries a
// fabricated state: the replica's stable snapshot with one more key in the
// KV store, its digest, and a checkpoint over it signed by the replica
// alone. Only a replica that accepts too few signatures installs it. It
// returns nil when there is nothing to forge from (or the application is
// not the KV store).
func (s *sim) forgeState(nd *replicaCopy, resp *consensus.StateResponse) *consensus.StateResponse {
	if s.opts.NewApp != nil || resp.Stable == nil || len(resp.Stable.Snapshot) == 0 || len(resp.Stable.Proof) == 0 {
		return nil
	}
	var es engineSnapshot
	if err := signing.Decode(resp.Stable.Snapshot, &es, 1<<30); err != nil {
		return nil
	}
	var kv kvSnapshot
	if err := signing.Decode(es.App, &kv, 1<<26); err != nil {
		return nil
	}
	kv.Keys = append(kv.Keys, "zz-forged")
	kv.Values = append(kv.Values, []byte("value nobody wrote"))
	app, err := signing.Encode(kv)
	if err != nil {
		return nil
	}
	es.App = app
	snap, err := signing.Encode(es)
	if err != nil {
		return nil
	}
	real := resp.Stable.Proof[0]
	c := consensus.Checkpoint{Seq: real.Seq, StateDigest: sha256.Sum256(app), ClientsDigest: real.ClientsDigest, Replica: resp.Replica}
	if err := consensus.Sign(s.keys[nd.ident], s.config().ChainID, resp.Stable.Epoch, &c); err != nil {
		panic("simulation: sign: " + err.Error())
	}
	return &consensus.StateResponse{Replica: resp.Replica, Stable: &consensus.StableCheckpoint{Seq: c.Seq, Proof: []consensus.Checkpoint{c}, Snapshot: snap, Epoch: resp.Stable.Epoch}}
}
