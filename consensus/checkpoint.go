package consensus

import (
	"crypto/ed25519"
	"fmt"
	"maps"
	"slices"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/consensus/quorum"
	"github.com/enigma-mpc/enigma/signing"
)

// maxSnapshotSize bounds an engine snapshot received in state transfer.
const maxSnapshotSize = 1 << 30

// engineSnapshot is what state transfer moves: the engine's client table
// (for de-duplication and reply caching) and the application's snapshot.
type engineSnapshot struct {
	Clients []clientEntry
	App     []byte
}

type clientEntry struct {
	Client     ClientID
	LastTs     uint64
	LastResult []byte
}

func (r *Replica) clientEntries() []clientEntry {
	ids := make([]ClientID, 0, len(r.clients))
	for id := range r.clients {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]clientEntry, len(ids))
	for i, id := range ids {
		c := r.clients[id]
		out[i] = clientEntry{id, c.lastTs, c.lastResult}
	}
	return out
}

func clientsDigest(entries []clientEntry) Digest {
	enc, err := signing.Encode(entries)
	if err != nil {
		panic("consensus: encode client table: " + err.Error())
	}
	return Digest(crypto.Keccak256Hash(enc))
}

// takeCheckpoint snapshots the state after seq and announces it.
func (r *Replica) takeCheckpoint(seq uint64, stateDigest Digest) {
	entries := r.clientEntries()
	snap, err := signing.Encode(engineSnapshot{Clients: entries, App: r.cfg.App.Snapshot()})
	if err != nil {
		panic("consensus: encode snapshot: " + err.Error())
	}
	cd := clientsDigest(entries)
	r.ownSnaps[seq] = ownSnapshot{stateDigest: stateDigest, clientsDigest: cd, snapshot: snap}
	if seq <= r.low {
		// Re-executed during a restart up to a checkpoint that is already stable.
		if seq == r.low && len(r.stable.Snapshot) == 0 && r.matchesProof(seq, stateDigest, cd) {
			r.stable.Snapshot = snap
			r.dirtyStab = r.gen
		}
		return
	}
	c := &Checkpoint{Seq: seq, StateDigest: stateDigest, ClientsDigest: cd, Replica: r.id}
	r.sign(c)
	r.addCheckpointVote(c)
	r.broadcast(Message{Type: MsgCheckpoint, Checkpoint: c})
	r.checkStable(seq)
}

// tickCheckpoint re-sends this replica's newest checkpoint vote above its
// stable checkpoint while that has not become stable and nothing executes:
// votes lost in a partition are sent only once otherwise, and with the
// window full, or at the end of an epoch, no later checkpoint comes to make
// up for them (the replicas would execute to the window's top and wait
// there for ever, changing views).
func (r *Replica) tickCheckpoint() {
	interval := uint64(r.cfg.ResendTicks)
	if r.lastExe <= r.low || r.now-r.last.progress < interval || r.now-r.last.ckptSend < interval {
		return
	}
	newest := r.newestOwnCheckpointAbove(r.low)
	if newest == nil {
		return
	}
	r.last.ckptSend = r.now
	r.counters.Resends++
	r.broadcast(Message{Type: MsgCheckpoint, Checkpoint: newest})
}

// newestOwnCheckpointAbove returns this replica's own checkpoint vote with
// the highest sequence number above low, or nil.
func (r *Replica) newestOwnCheckpointAbove(low uint64) *Checkpoint {
	var newest *Checkpoint
	for seq, votes := range r.ckptVotes {
		if c := votes[r.id]; c != nil && seq > low && (newest == nil || seq > newest.Seq) {
			newest = c
		}
	}
	return newest
}

func (r *Replica) matchesProof(seq uint64, stateDigest, cd Digest) bool {
	return r.stable.Seq == seq && len(r.stable.Proof) > 0 &&
		r.stable.Proof[0].StateDigest == stateDigest && r.stable.Proof[0].ClientsDigest == cd
}

func (r *Replica) addCheckpointVote(c *Checkpoint) {
	votes := r.ckptVotes[c.Seq]
	if votes == nil {
		votes = make(map[ReplicaID]*Checkpoint)
		r.ckptVotes[c.Seq] = votes
	}
	if _, dup := votes[c.Replica]; !dup {
		votes[c.Replica] = c
	}
}

func (r *Replica) stepCheckpoint(from ReplicaID, c *Checkpoint) error {
	if from != c.Replica {
		return fmt.Errorf("checkpoint from replica %d claims replica %d", from, c.Replica)
	}
	if c.Seq <= r.low || c.Seq%r.cfg.CheckpointInterval != 0 {
		return nil
	}
	if votes := r.ckptVotes[c.Seq]; votes != nil && votes[from] != nil {
		return nil
	}
	if err := r.ver.verifyCheckpoint(c); err != nil {
		return err
	}
	r.seen(c.Seq)
	if c.Seq > r.high() {
		// Beyond the window: evidence that this replica is behind, which
		// tickFetch acts on; not worth storing.
		return nil
	}
	r.addCheckpointVote(c)
	r.checkStable(c.Seq)
	return nil
}

// checkStable makes seq's checkpoint stable once 2f+1 replicas signed the
// same state for it.
func (r *Replica) checkStable(seq uint64) {
	if seq <= r.low {
		return
	}
	votes := r.ckptVotes[seq]
	for i := 0; i < r.n; i++ {
		c := votes[ReplicaID(i)]
		if c == nil {
			continue
		}
		var proof []Checkpoint
		for j := 0; j < r.n; j++ {
			if o := votes[ReplicaID(j)]; o != nil && o.sameState(c) {
				proof = append(proof, *o)
			}
		}
		if len(proof) >= r.quorum() {
			r.makeStable(StableCheckpoint{Seq: seq, Proof: proof[:r.quorum()], Epoch: r.epoch})
			return
		}
	}
}

// makeStable moves the low watermark to a proven checkpoint and collects
// the garbage below it. If the replica has not reached that state itself it
// fetches it.
func (r *Replica) makeStable(sc StableCheckpoint) {
	seq := sc.Seq
	if seq <= r.low {
		return
	}
	want := sc.Proof[0]
	if own, ok := r.ownSnaps[seq]; ok {
		if own.stateDigest == want.StateDigest && own.clientsDigest == want.ClientsDigest {
			sc.Snapshot = own.snapshot
		} else {
			r.log.Error("own state differs from the stable checkpoint; this replica diverged and will fetch state", "seq", seq)
			r.lastExe = 0 // force state transfer
			clear(r.execd)
			r.clients = make(map[ClientID]*clientRecord)
		}
	}
	r.setLow(sc)
	r.newStable = append(r.newStable, StableCheckpoint{Seq: seq, Proof: sc.Proof, Epoch: sc.Epoch})
	if r.lastExe < seq {
		r.last.fetch = 0
		r.tickFetch()
	}
	r.maybeEnterEpoch()
}

// setLow moves the low watermark to the stable checkpoint sc and collects
// the log at or below it.
func (r *Replica) setLow(sc StableCheckpoint) {
	seq := sc.Seq
	r.low = seq
	r.stable = sc
	r.dirtyStab = r.gen
	r.truncateTo, r.truncGen = seq, r.gen
	dropThrough(r.slots, seq)
	dropThrough(r.certs, seq)
	dropThrough(r.decided, seq)
	dropThrough(r.execd, seq)
	dropThrough(r.ckptVotes, seq)
	dropThrough(r.ownSnaps, seq)
	if r.seq < seq {
		r.seq = seq
	}
	r.seen(seq)
}

// dropThrough deletes the entries of a per-sequence-number map at or below
// seq: what a stable checkpoint (or an installed state) makes garbage.
func dropThrough[V any](m map[uint64]V, seq uint64) {
	maps.DeleteFunc(m, func(s uint64, _ V) bool { return s <= seq })
}

// verifyStableProof checks that proof holds a quorum of the validators of
// epoch (this replica's, or the one before) signing checkpoints for seq,
// from distinct replicas, all over the same state.
func (r *Replica) verifyStableProof(epoch, seq uint64, proof []Checkpoint) error {
	if seq == 0 {
		if len(proof) != 0 {
			return fmt.Errorf("checkpoint proof for sequence 0 must be empty")
		}
		return nil
	}
	ver, err := r.verifierFor(epoch)
	if err != nil {
		return err
	}
	need := quorum.Size(len(ver.validators))
	switch r.cfg.Bug {
	case BugWeakCheckpointProof:
		need = quorum.Faulty(len(ver.validators))
	case BugClassicQuorum:
		need = 2*quorum.Faulty(len(ver.validators)) + 1
	}
	if len(proof) < need {
		return fmt.Errorf("checkpoint proof for %d has %d signatures, need %d", seq, len(proof), need)
	}
	seen := make(map[ReplicaID]bool, len(proof))
	for i := range proof {
		c := &proof[i]
		if c.Seq != seq || !c.sameState(&proof[0]) {
			return fmt.Errorf("checkpoint proof for %d mixes sequence numbers or states", seq)
		}
		if seen[c.Replica] {
			return fmt.Errorf("checkpoint proof for %d repeats replica %d", seq, c.Replica)
		}
		seen[c.Replica] = true
		if err := ver.verifyCheckpoint(c); err != nil {
			return fmt.Errorf("checkpoint proof for %d: %w", seq, err)
		}
	}
	return nil
}

// tickFetch asks a peer for state when this replica knows it is behind
// (it saw sequence numbers above what it executed, or its low watermark is
// above its execution) and has made no progress for FetchTicks.
func (r *Replica) tickFetch() {
	behind := r.phase == phaseFetchingState || r.lastExe < r.low || r.highestSeen > r.lastExe
	if !behind || (r.last.fetch != 0 && r.now-r.last.fetch < uint64(r.cfg.FetchTicks)) ||
		(r.phase != phaseFetchingState && r.lastExe >= r.low && r.now-r.last.progress < uint64(r.cfg.FetchTicks)) {
		return
	}
	r.last.fetch = r.now
	r.fetchRotation++
	r.counters.StateRequests++
	// Any replica of the epoch's address space may have the state: the
	// validators, and those of the previous epoch that left (which hold the
	// closing checkpoint when every validator is new).
	peers := len(r.addrs)
	peer := ReplicaID((int(r.id) + 1 + r.fetchRotation%(peers-1)) % peers)
	r.send(peer, Message{Type: MsgStateRequest, StateRequest: &StateRequest{Replica: r.id, HaveSeq: r.lastExe}})
}

// stepStateRequest answers a replica of this epoch, or (epoch one lower) a
// replica of the previous epoch that has not switched yet, which gets the
// closing checkpoint.
func (r *Replica) stepStateRequest(from ReplicaID, req *StateRequest, epoch uint64) error {
	if from != req.Replica {
		return fmt.Errorf("state request from replica %d claims replica %d", from, req.Replica)
	}
	stable := r.stable
	if epoch != r.epoch {
		// Address the requester in this epoch's address space, where every
		// validator of the previous epoch has a place.
		if r.closing == nil || int(from) >= len(r.prevAddrs) {
			return nil
		}
		from = ReplicaID(keyIndex(r.addrs, r.prevAddrs[from]))
		stable = *r.closing
	}
	// Answer a requester this replica is ahead of, or one at exactly the
	// stable checkpoint, which may lack its proof (it missed the checkpoint
	// messages; at the end of an epoch no later checkpoint comes to make up
	// for them).
	if from == r.id || r.lastExe < r.low || (r.lastExe <= req.HaveSeq && stable.Seq != req.HaveSeq) {
		return nil
	}
	// Responses can carry a whole snapshot: serve each peer at most once
	// per fetch interval, so a faulty peer cannot turn requests into load.
	if last, ok := r.lastServed[from]; ok && r.now-last < uint64(r.cfg.FetchTicks) {
		return nil
	}
	r.lastServed[from] = r.now
	resp := &StateResponse{Replica: r.id}
	next := req.HaveSeq
	if stable.Seq > req.HaveSeq && len(stable.Snapshot) > 0 {
		resp.Stable = &stable
		next = stable.Seq
	} else if stable.Seq > 0 {
		// The requester has the state, but may lack the proof that it is
		// stable (it missed the checkpoint messages): without it its window
		// stays below the commit certificates that follow.
		resp.Stable = &StableCheckpoint{Seq: stable.Seq, Proof: stable.Proof, Epoch: stable.Epoch}
	}
	for seq := next + 1; seq <= r.lastExe && len(resp.Committed) < int(r.cfg.WindowSize); seq++ {
		cc := r.decided[seq]
		if cc == nil {
			break
		}
		resp.Committed = append(resp.Committed, *cc)
	}
	if resp.Stable == nil && len(resp.Committed) == 0 {
		return nil
	}
	r.send(from, Message{Type: MsgStateResponse, StateResponse: resp})
	return nil
}

func (r *Replica) stepStateResponse(resp *StateResponse) error {
	from := resp.Replica
	if sc := resp.Stable; sc != nil {
		switch {
		case len(sc.Snapshot) > 0 && (sc.Seq > r.lastExe || r.lastExe < r.low || r.phase == phaseFetchingState) && sc.Seq >= r.low:
			if err := r.installSnapshot(sc); err != nil {
				return fmt.Errorf("state transfer from replica %d: %w", from, err)
			}
			r.counters.StateInstalled++
		case sc.Seq > r.low && sc.Seq <= r.lastExe && r.lastExe >= r.low && sc.Epoch == r.epoch:
			// This replica executed that far: the proof alone makes its own
			// state at sc.Seq stable.
			if sc.Seq%r.cfg.CheckpointInterval != 0 {
				return fmt.Errorf("state transfer from replica %d: stable checkpoint at %d is not a checkpoint sequence number", from, sc.Seq)
			}
			if err := r.verifyStableProof(sc.Epoch, sc.Seq, sc.Proof); err != nil {
				return fmt.Errorf("state transfer from replica %d: %w", from, err)
			}
			r.makeStable(StableCheckpoint{Seq: sc.Seq, Proof: sc.Proof, Epoch: sc.Epoch})
		}
	}
	if r.phase == phaseFetchingState {
		return nil
	}
	for i := range resp.Committed {
		cc := &resp.Committed[i]
		if cc.PrePrepare.Seq != r.lastExe+1 {
			continue
		}
		if err := r.verifyCommittedCert(cc); err != nil {
			return fmt.Errorf("state transfer from replica %d: %w", from, err)
		}
		r.decided[cc.PrePrepare.Seq] = cc
		r.markDirty(cc.PrePrepare.Seq)
		r.counters.CertsApplied++
		if r.lastExe < r.low {
			// The stable checkpoint is ahead of this replica's execution
			// and nobody may hold its snapshot yet (the others missed the
			// checkpoint messages that made it stable here): commit
			// certificates bring the replica up to it as well.
			r.execute(cc, false)
			continue
		}
		r.executeReady()
	}
	if r.lastExe >= r.low {
		r.executeReady()
	}
	return nil
}

// installSnapshot verifies a stable checkpoint with its snapshot and makes
// it this replica's state.
func (r *Replica) installSnapshot(sc *StableCheckpoint) error {
	if sc.Seq == 0 || sc.Seq%r.cfg.CheckpointInterval != 0 {
		return fmt.Errorf("stable checkpoint at %d is not a checkpoint sequence number", sc.Seq)
	}
	closing := sc.Epoch != r.epoch
	if closing && (r.epochStart != 0 && sc.Seq != r.epochStart || sc.Seq < r.low) {
		return fmt.Errorf("a checkpoint of epoch %d at %d is not the one that started epoch %d (at %d)", sc.Epoch, sc.Seq, r.epoch, r.epochStart)
	}
	if err := r.verifyStableProof(sc.Epoch, sc.Seq, sc.Proof); err != nil {
		return err
	}
	var es engineSnapshot
	if err := signing.Decode(sc.Snapshot, &es, maxSnapshotSize); err != nil {
		return fmt.Errorf("snapshot at %d: %w", sc.Seq, err)
	}
	if !slices.IsSortedFunc(es.Clients, func(a, b clientEntry) int {
		if a.Client < b.Client {
			return -1
		} else if a.Client > b.Client {
			return 1
		}
		return 0
	}) || clientsDigest(es.Clients) != sc.Proof[0].ClientsDigest {
		return fmt.Errorf("snapshot at %d: client table does not match the checkpoint", sc.Seq)
	}
	if err := r.cfg.App.Restore(es.App, sc.Proof[0].StateDigest); err != nil {
		return fmt.Errorf("snapshot at %d: %w", sc.Seq, err)
	}
	r.clients = make(map[ClientID]*clientRecord, len(es.Clients))
	for _, c := range es.Clients {
		cr := &clientRecord{lastTs: c.LastTs, lastResult: c.LastResult}
		r.clients[c.Client] = cr
		if p := r.pending[c.Client]; p != nil && p.req.Timestamp <= c.LastTs {
			r.dropPending(c.Client, nil, p)
		} else {
			cr.pending = p
		}
	}
	r.lastExe, r.lastDigest = sc.Seq, sc.Proof[0].StateDigest
	r.last.progress = r.now
	dropThrough(r.execd, sc.Seq)
	r.log.Debug("installed state from a stable checkpoint", "seq", sc.Seq, "epoch", sc.Epoch)
	if closing {
		// The previous epoch's checkpoint starts this one only if the state
		// it holds decided this epoch's set, closing at exactly sc.Seq.
		next, ok := r.reconfigurationFrom(sc.Epoch)
		if !ok || next.Epoch != r.epoch || r.closeSeqFor(next.AtSeq) != sc.Seq || !sameKeys(next.Validators, r.cfg.Validators) {
			r.lastExe = 0
			r.becomeFetchingState()
			return fmt.Errorf("the state at %d of epoch %d does not close it into this epoch's validator set", sc.Seq, sc.Epoch)
		}
		r.epochStart, r.closing = sc.Seq, sc
		r.setLow(*sc)
		r.stateInstalled()
		r.executeReady()
		return nil
	}
	r.stateInstalled()
	if sc.Seq > r.low {
		r.makeStable(*sc)
	} else {
		r.stable.Snapshot = sc.Snapshot
		r.dirtyStab = r.gen
	}
	r.checkReconfiguration()
	// Batches decided above the checkpoint may be waiting.
	r.executeReady()
	r.maybeEnterEpoch()
	return nil
}

// reconfigurationFrom asks the application for the change from epoch from.
func (r *Replica) reconfigurationFrom(from uint64) (Reconfiguration, bool) {
	app, ok := r.cfg.App.(Reconfigurable)
	if !ok {
		return Reconfiguration{}, false
	}
	return app.Reconfiguration(from)
}

func sameKeys(a, b []ed25519.PublicKey) bool {
	return slices.EqualFunc(a, b, func(x, y ed25519.PublicKey) bool { return x.Equal(y) })
}

// verifyCommittedCert checks a commit certificate: a pre-prepare signed by
// its view's primary and 2f+1 matching commits from distinct replicas.
func (r *Replica) verifyCommittedCert(cc *CommittedCert) error {
	pp := &cc.PrePrepare
	if pp.Seq <= min(r.low, r.lastExe) || !r.inWindow(max(pp.Seq, r.low+1)) {
		return fmt.Errorf("committed certificate for %d outside the window (%d, %d]", pp.Seq, min(r.low, r.lastExe), r.high())
	}
	return verifyCertificate(r, "committed", pp, cc.Commits, r.quorum())
}
