package consensus

import (
	"fmt"
	"slices"
)

// startViewChange moves the replica to view v and votes for it.
func (r *Replica) startViewChange(v uint64, cause ViewChangeCause) {
	if v <= r.view || r.phase == phaseLeft || r.phase == phaseFetchingState {
		return
	}
	r.counters.ViewChanges[cause]++
	r.becomeViewChanging(v)
	vc := &ViewChange{View: v, Replica: r.id, StableSeq: r.low, Checkpoint: r.stable.Proof}
	seqs := make([]uint64, 0, len(r.certs))
	for s := range r.certs {
		if s > r.low {
			seqs = append(seqs, s)
		}
	}
	slices.Sort(seqs)
	for _, s := range seqs {
		vc.Prepared = append(vc.Prepared, *r.certs[s])
	}
	r.sign(vc)
	r.ownVC = vc
	r.dirtyVC = r.gen
	r.log.Debug("view change", "to", v, "stable", r.low, "prepared", len(vc.Prepared))
	r.recordViewChange(vc)
	r.broadcast(Message{Type: MsgViewChange, ViewChange: vc})
	r.last.vcSend = r.now
	r.afterViewChangeVote()
}

func (r *Replica) recordViewChange(vc *ViewChange) {
	// Keep one vote per replica (its newest): a Byzantine replica cannot
	// fill memory with votes for many views.
	if vc.View < r.latestVC[vc.Replica] {
		return
	}
	for v, votes := range r.vcs {
		if v < vc.View && votes[vc.Replica] != nil {
			delete(votes, vc.Replica)
			if len(votes) == 0 {
				delete(r.vcs, v)
			}
		}
	}
	m := r.vcs[vc.View]
	if m == nil {
		m = make(map[ReplicaID]*ViewChange)
		r.vcs[vc.View] = m
	}
	m[vc.Replica] = vc
	if vc.View > r.latestVC[vc.Replica] {
		r.latestVC[vc.Replica] = vc.View
	}
}

// afterViewChangeVote runs the rules that fire on a new view-change vote:
// the new primary's new view, and the backups' timer for it.
func (r *Replica) afterViewChangeVote() {
	if r.phase != phaseViewChange {
		return
	}
	if len(r.vcs[r.view]) >= r.quorum() {
		if r.primary(r.view) == r.id {
			r.sendNewView()
		} else if !r.vcTimerOn {
			r.vcTimerOn = true
			r.last.vcQuorum = r.now
		}
	}
}

func (r *Replica) viewChangeTimeout() uint64 {
	d := min(r.vcAttempts-1, r.cfg.MaxTimeoutDoublings)
	return uint64(r.cfg.ViewChangeTimeoutTicks) << max(d, 0)
}

func (r *Replica) tickViewChange() {
	if r.vcTimerOn && r.now-r.last.vcQuorum >= r.viewChangeTimeout() {
		r.log.Debug("no new view in time; moving on", "view", r.view)
		r.startViewChange(r.view+1, CauseNoNewView)
		return
	}
	// Fallback: the paper starts the timer only with 2f+1 votes, relying on
	// votes being retransmitted until received. A vote for a view its sender
	// has already left is never sent again, so honest replicas can be
	// spread over views none of which gathers 2f+1 (a Byzantine replica
	// whose votes are invalid helps). After twice the timeout, move on
	// anyway — unless f+1 replicas (so at least one honest) are still
	// voting for lower views: then wait for them to climb. Moving on
	// regardless let two groups of honest replicas, each too small for a
	// quorum and the join rule, march up in step for ever once their
	// timeouts stopped doubling.
	if !r.vcTimerOn && r.now-r.last.vcStart >= 2*r.viewChangeTimeout() && r.replicasBehind() <= r.f {
		r.log.Debug("view change gathers no quorum; moving on", "view", r.view, "votes", len(r.vcs[r.view]))
		r.startViewChange(r.view+1, CauseNoNewView)
		return
	}
	if r.now-r.last.vcSend >= uint64(r.cfg.ResendTicks) && r.ownVC != nil && r.ownVC.View == r.view {
		r.broadcast(Message{Type: MsgViewChange, ViewChange: r.ownVC})
		r.last.vcSend = r.now
		r.counters.Resends++
	}
}

// replicasBehind counts the replicas that voted for a view below this
// replica's recently (within three retransmission intervals: a replica
// still in that view change repeats its vote).
func (r *Replica) replicasBehind() int {
	n := 0
	for i, at := range r.behindSeen {
		if ReplicaID(i) != r.id && at > 0 && r.now-at <= 3*uint64(r.cfg.ResendTicks) {
			n++
		}
	}
	return n
}

func (r *Replica) stepViewChange(from ReplicaID, vc *ViewChange) error {
	if from != vc.Replica {
		return fmt.Errorf("view change from replica %d claims replica %d", from, vc.Replica)
	}
	if vc.View < r.view || (vc.View == r.view && r.phase != phaseViewChange) {
		if vc.View < r.view {
			r.behindSeen[from] = r.now
		}
		// The sender is behind: help it with the new view this replica
		// entered, if any.
		if r.phase != phaseViewChange && r.currentNV != nil && r.now-r.nvForwarded[from] >= uint64(r.cfg.ResendTicks) {
			r.nvForwarded[from] = r.now
			r.counters.Resends++
			r.send(from, Message{Type: MsgNewView, NewView: r.currentNV})
		}
		return nil
	}
	old := r.vcs[vc.View][from]
	if old != nil && string(old.Sig) == string(vc.Sig) {
		return nil
	}
	if err := r.verifyViewChange(vc); err != nil {
		return err
	}
	r.recordViewChange(vc)
	if old == nil && r.phase == phaseViewChange && vc.View == r.view && r.ownVC != nil && r.ownVC.View == r.view {
		// The sender just arrived in this view change and may have missed
		// our vote (it was down or cut off): answer it directly.
		r.send(from, Message{Type: MsgViewChange, ViewChange: r.ownVC})
	}
	before := r.view
	r.joinLaterView()
	if r.view == before {
		r.afterViewChangeVote()
	}
	return nil
}

// verifyViewChange checks a view change's signature, its checkpoint proof
// and every prepared certificate in it.
func (r *Replica) verifyViewChange(vc *ViewChange) error {
	if err := r.ver.verify(vc.Replica, vc); err != nil {
		return err
	}
	if vc.StableSeq%r.cfg.CheckpointInterval != 0 {
		return fmt.Errorf("view change from %d: stable sequence %d is not a checkpoint", vc.Replica, vc.StableSeq)
	}
	epoch := r.epoch
	if vc.StableSeq == r.epochStart && r.epochStart > 0 {
		epoch = r.epoch - 1 // the closing checkpoint of the previous epoch
	}
	if err := r.verifyStableProof(epoch, vc.StableSeq, vc.Checkpoint); err != nil {
		return fmt.Errorf("view change from %d: %w", vc.Replica, err)
	}
	seen := make(map[uint64]bool, len(vc.Prepared))
	for i := range vc.Prepared {
		pc := &vc.Prepared[i]
		seq := pc.PrePrepare.Seq
		if seen[seq] {
			return fmt.Errorf("view change from %d: two certificates for %d", vc.Replica, seq)
		}
		seen[seq] = true
		if seq <= vc.StableSeq || seq > vc.StableSeq+r.cfg.WindowSize {
			return fmt.Errorf("view change from %d: certificate for %d outside its window", vc.Replica, seq)
		}
		if pc.PrePrepare.View >= vc.View {
			return fmt.Errorf("view change from %d: certificate from view %d is not older than view %d", vc.Replica, pc.PrePrepare.View, vc.View)
		}
		if err := r.verifyPreparedCert(pc); err != nil {
			return fmt.Errorf("view change from %d: %w", vc.Replica, err)
		}
	}
	return nil
}

func (r *Replica) verifyPreparedCert(pc *PreparedCert) error {
	return verifyCertificate(r, "prepared", &pc.PrePrepare, pc.Prepares, r.prepareQuorum())
}

// newViewPlan is what a set of view changes determines: the checkpoint the
// view starts from and the batch for every sequence number up to max-s.
type newViewPlan struct {
	minS    uint64
	proof   []Checkpoint
	batches []Batch // for minS+1 … minS+len
}

// planNewView applies the TOCS'02 rule: start from the highest stable
// checkpoint in the set (min-s); for each sequence number up to the highest
// prepared one (max-s) re-propose the batch of the prepared certificate with
// the highest view, or the null request where there is none. Ties between
// views cannot differ in a correct run; the first in the set's order wins.
func (r *Replica) planNewView(vcs []ViewChange) newViewPlan {
	return planNewView(vcs, r.cfg.Bug == BugSkipViewChangeProof)
}

// NewViewPlan returns what a set of (already verified) view changes
// determines: the checkpoint the new view starts from (min-s) and the batch
// for each of min-s+1, min-s+2, … (null requests in the gaps). Every
// replica recomputes it to check a NEW-VIEW; the simulator's Byzantine
// primaries use it to build new views from view changes of their choosing.
func NewViewPlan(vcs []ViewChange) (minS uint64, batches []Batch) {
	p := planNewView(vcs, false)
	return p.minS, p.batches
}

func planNewView(vcs []ViewChange, skipProof bool) newViewPlan {
	var p newViewPlan
	for i := range vcs {
		if i == 0 || vcs[i].StableSeq > p.minS {
			p.minS, p.proof = vcs[i].StableSeq, vcs[i].Checkpoint
		}
	}
	maxS := p.minS
	best := make(map[uint64]*PreparedCert)
	for i := range vcs {
		for j := range vcs[i].Prepared {
			pc := &vcs[i].Prepared[j]
			seq := pc.PrePrepare.Seq
			if seq <= p.minS {
				continue
			}
			if seq > maxS {
				maxS = seq
			}
			if b := best[seq]; b == nil || pc.PrePrepare.View > b.PrePrepare.View {
				best[seq] = pc
			}
		}
	}
	for seq := p.minS + 1; seq <= maxS; seq++ {
		if pc := best[seq]; pc != nil && !skipProof {
			p.batches = append(p.batches, pc.PrePrepare.Batch)
		} else {
			p.batches = append(p.batches, Batch{})
		}
	}
	return p
}

func (r *Replica) sendNewView() {
	if r.nvSent {
		return
	}
	ids := make([]ReplicaID, 0, len(r.vcs[r.view]))
	for id := range r.vcs[r.view] {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	vcs := make([]ViewChange, 0, r.quorum())
	for _, id := range ids[:r.quorum()] {
		vcs = append(vcs, *r.vcs[r.view][id])
	}
	plan := r.planNewView(vcs)
	nv := &NewView{View: r.view, ViewChanges: vcs}
	for i, b := range plan.batches {
		pp := PrePrepare{View: r.view, Seq: plan.minS + 1 + uint64(i), BatchDigest: b.Digest(), Batch: b}
		r.sign(&pp)
		nv.PrePrepares = append(nv.PrePrepares, pp)
	}
	r.sign(nv)
	r.nvSent = true
	r.log.Debug("new view", "view", r.view, "min-s", plan.minS, "pre-prepares", len(nv.PrePrepares))
	r.broadcast(Message{Type: MsgNewView, NewView: nv})
	r.enterView(nv, plan)
}

func (r *Replica) stepNewView(from ReplicaID, nv *NewView) error {
	if nv.View < r.view || (nv.View == r.view && r.phase != phaseViewChange) {
		return nil
	}
	// A new view is self-certifying: any replica may forward it (to help a
	// laggard), so what counts is the signature of the view's primary.
	prim := r.primary(nv.View)
	if err := r.ver.verify(prim, nv); err != nil {
		return err
	}
	seen := make(map[ReplicaID]bool)
	for i := range nv.ViewChanges {
		vc := &nv.ViewChanges[i]
		if vc.View != nv.View || seen[vc.Replica] {
			return fmt.Errorf("new view %d: view change %d is for view %d or repeated", nv.View, vc.Replica, vc.View)
		}
		seen[vc.Replica] = true
		if err := r.verifyViewChange(vc); err != nil {
			return fmt.Errorf("new view %d: %w", nv.View, err)
		}
	}
	if len(seen) < r.quorum() {
		return fmt.Errorf("new view %d has %d view changes, need %d", nv.View, len(seen), r.quorum())
	}
	plan := r.planNewView(nv.ViewChanges)
	if len(nv.PrePrepares) != len(plan.batches) {
		return fmt.Errorf("new view %d: %d pre-prepares, the view changes determine %d", nv.View, len(nv.PrePrepares), len(plan.batches))
	}
	for i := range nv.PrePrepares {
		pp := &nv.PrePrepares[i]
		if pp.View != nv.View || pp.Seq != plan.minS+1+uint64(i) || pp.BatchDigest != plan.batches[i].Digest() || pp.Batch.Digest() != pp.BatchDigest {
			return fmt.Errorf("new view %d: pre-prepare for %d does not match the view changes", nv.View, pp.Seq)
		}
		if err := r.ver.verify(prim, pp); err != nil {
			return fmt.Errorf("new view %d: %w", nv.View, err)
		}
	}
	r.view = nv.View
	r.enterView(nv, plan)
	return nil
}

// enterView starts normal operation in nv.View.
func (r *Replica) enterView(nv *NewView, plan newViewPlan) {
	r.counters.ViewsEntered++
	r.becomeNormal()
	r.vcTimerOn = false
	r.dirtyHard = r.gen
	r.currentNV = nv
	r.last.viewEntered = r.now
	r.last.primaryHeard = r.now
	r.last.primarySent = r.now
	dropThrough(r.vcs, r.view)
	if plan.minS > r.low {
		r.makeStable(StableCheckpoint{Seq: plan.minS, Proof: plan.proof, Epoch: r.epoch})
	}
	clear(r.slots)
	clear(r.inflight)
	for _, p := range r.pending {
		p.since, p.inflight = r.now, false
	}
	maxS := plan.minS + uint64(len(plan.batches))
	if r.seq < maxS {
		r.seq = maxS
	}
	if r.phase == phasePrimary {
		r.seq = max(maxS, r.low)
	}
	for i := range nv.PrePrepares {
		pp := &nv.PrePrepares[i]
		if !r.inWindow(pp.Seq) {
			continue
		}
		if d, ok := r.execd[pp.Seq]; ok && d != pp.BatchDigest {
			// Cannot happen with at most f faulty replicas: say so loudly.
			r.log.Error("new view re-proposes a different batch than this replica executed; more than f replicas may be faulty",
				"view", r.view, "seq", pp.Seq, "executed", d.Short(), "proposed", pp.BatchDigest.Short())
		}
		for _, req := range pp.Batch.Requests {
			r.inflight[req.key()] = pp.Seq
			if p := r.pending[req.Client]; p != nil && p.req.Timestamp == req.Timestamp {
				p.inflight = true
			}
		}
		s := r.slotFor(pp.Seq)
		s.pp = pp
		s.accepted = true
		r.markDirty(pp.Seq)
		r.sendPrepare(pp.Seq, s)
	}
	r.log.Debug("entered view", "view", r.view, "primary", r.primary(r.view))
	future := r.future
	r.future = nil
	for i := range future {
		m := future[i]
		if err := r.Step(m); err != nil {
			r.log.Debug("dropping deferred message", "type", m.Type, "from", m.From, "err", err)
		}
	}
	for i := range nv.PrePrepares {
		if s := r.slots[nv.PrePrepares[i].Seq]; s != nil {
			r.tryPrepared(nv.PrePrepares[i].Seq, s)
		}
	}
	if r.phase == phasePrimary {
		r.cutBatches(false)
	}
}
