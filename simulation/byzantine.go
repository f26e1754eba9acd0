package simulation

import (
	"encoding/binary"
	"slices"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/consensus/quorum"
)

type viewSeq struct{ view, seq uint64 }

// byzState is what a Byzantine replica remembers to misbehave consistently.
type byzState struct {
	history []consensus.Message // recent messages it sent or received, for replay
	alt     map[viewSeq]*consensus.PrePrepare
	lies    map[uint64]*consensus.ViewChange
	ordered []consensus.Request // requests it proposed before (Duplicate)
}

const replayHistory = 256

func newByzState() *byzState {
	return &byzState{alt: make(map[viewSeq]*consensus.PrePrepare), lies: make(map[uint64]*consensus.ViewChange)}
}

func (b *byzState) remember(m consensus.Message) {
	if len(b.history) >= replayHistory {
		b.history = slices.Delete(b.history, 0, replayHistory/4)
	}
	b.history = append(b.history, m)
}

// misbehave turns one message the Byzantine node's (real) replica wants to
// send into what it actually sends. The replica keeps its key, so whatever
// it re-signs carries a valid signature.
func (s *sim) misbehave(nd *node, m consensus.Message) []consensus.Message {
	key := s.keys[nd.id]
	sign := func(x consensus.Signable) {
		if err := consensus.Sign(key, ReplicaConfig().ChainID, x); err != nil {
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
		// batch for the same (view, seq), and commits for it.
		other := s.twinOf[int(m.To)] == 1
		switch m.Type {
		case consensus.MsgPrePrepare:
			if !other {
				return []consensus.Message{m}
			}
			k := viewSeq{m.PrePrepare.View, m.PrePrepare.Seq}
			alt := nd.byz.alt[k]
			if alt == nil {
				b := consensus.Batch{}
				if reqs := m.PrePrepare.Batch.Requests; len(reqs) >= 2 {
					b.Requests = slices.Clone(reqs)
					slices.Reverse(b.Requests)
					b.Context = m.PrePrepare.Batch.Context
				}
				alt = &consensus.PrePrepare{View: k.view, Seq: k.seq, BatchDigest: b.Digest(), Batch: b}
				sign(alt)
				nd.byz.alt[k] = alt
			}
			m.PrePrepare = alt
			return []consensus.Message{m}
		case consensus.MsgCommit:
			alt := nd.byz.alt[viewSeq{m.Commit.View, m.Commit.Seq}]
			if !other || alt == nil {
				return []consensus.Message{m}
			}
			c := *m.Commit
			c.BatchDigest = alt.BatchDigest
			sign(&c)
			m.Commit = &c
			return []consensus.Message{m}
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
			old := nd.byz.history[s.byzRng.IntN(len(nd.byz.history))]
			old.To = m.To
			out = append(out, old)
		}
		return out
	case LyingVC:
		if m.Type == consensus.MsgNewView {
			m.NewView = s.chosenNewView(nd, m.NewView, sign)
			return []consensus.Message{m}
		}
		if m.Type != consensus.MsgViewChange || m.ViewChange.Replica != nd.id {
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
func (s *sim) forge(nd *node, m consensus.Message) consensus.Message {
	other := consensus.ReplicaID((int(nd.id) + 1 + s.byzRng.IntN(s.n-1)) % s.n)
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
			if err := consensus.Sign(s.keys[nd.id], ReplicaConfig().ChainID, &pp); err != nil {
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
func (s *sim) chosenNewView(nd *node, nv *consensus.NewView, sign func(consensus.Signable)) *consensus.NewView {
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
		if h.Type == consensus.MsgViewChange && h.From == h.ViewChange.Replica && h.From != nd.id {
			add(*h.ViewChange)
		}
	}
	slices.Sort(ids)
	s.byzRng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	out := &consensus.NewView{View: nv.View}
	for _, id := range ids[:quorum.Size(s.n)] {
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
