package consensus

import "fmt"

// CheckInvariants returns the first of the replica's field invariants
// (written beside the fields in replica.go) that does not hold, or nil. The
// test harness and the simulator check them after every Ready; a violation
// is a bug in the engine, whatever the other replicas did.
func (r *Replica) CheckInvariants() error {
	switch {
	case (r.phase == phaseLeft) != (int(r.id) >= r.n):
		return fmt.Errorf("phase %s but id %d of %d validators", r.phase, r.id, r.n)
	case r.phase == phasePrimary && r.primary(r.view) != r.id, r.phase == phaseBackup && r.primary(r.view) == r.id:
		return fmt.Errorf("phase %s in view %d, whose primary is %d (this replica: %d)", r.phase, r.view, r.primary(r.view), r.id)
	case r.fetchInVC && r.phase != phaseFetchingState:
		return fmt.Errorf("a view change to resume after fetching state in phase %s", r.phase)
	case r.phase == phaseFetchingState && r.lastExe != 0:
		return fmt.Errorf("fetching state with %d executed", r.lastExe)
	case r.low != r.stable.Seq:
		return fmt.Errorf("low watermark %d but stable checkpoint %d", r.low, r.stable.Seq)
	case r.seq < r.low:
		return fmt.Errorf("sequence %d below the low watermark %d", r.seq, r.low)
	case (r.next == nil) != (r.closeSeq == 0):
		return fmt.Errorf("pending reconfiguration %v but closing checkpoint %d", r.next != nil, r.closeSeq)
	case r.changingViews() && (r.ownVC == nil || r.ownVC.View != r.view):
		return fmt.Errorf("changing views to %d without its own vote for it", r.view)
	case len(r.latestVC) != r.n || len(r.aheadView) != r.n || len(r.behindSeen) != r.n:
		return fmt.Errorf("per-replica views sized %d/%d/%d for %d validators", len(r.latestVC), len(r.aheadView), len(r.behindSeen), r.n)
	}
	// decided, execd and ownSnaps may hold sequence numbers at the low
	// watermark: a replica behind a checkpoint that became stable catches
	// up by executing its commit certificates; the next checkpoint collects
	// them.
	if seq, ok := atOrBelow(r.slots, r.low); ok {
		return fmt.Errorf("slots holds sequence %d at or below the low watermark %d", seq, r.low)
	}
	if seq, ok := atOrBelow(r.certs, r.low); ok {
		return fmt.Errorf("certs holds sequence %d at or below the low watermark %d", seq, r.low)
	}
	if seq, ok := atOrBelow(r.ckptVotes, r.low); ok {
		return fmt.Errorf("ckptVotes holds sequence %d at or below the low watermark %d", seq, r.low)
	}
	for seq, s := range r.slots {
		if s.view > r.view {
			return fmt.Errorf("slot %d of view %d above the replica's view %d", seq, s.view, r.view)
		}
	}
	for _, p := range r.pending {
		if _, in := r.inflight[p.req.key()]; in != p.inflight {
			return fmt.Errorf("pending request %q/%d marked in flight %v, but %v in the in-flight set", p.req.Client, p.req.Timestamp, p.inflight, in)
		}
	}
	live := 0
	var since uint64
	for _, p := range r.arrivals {
		if p.gone {
			continue
		}
		if r.pending[p.req.Client] != p {
			return fmt.Errorf("request %q/%d in arrivals is not pending", p.req.Client, p.req.Timestamp)
		}
		if p.since < since {
			return fmt.Errorf("request %q/%d arrived at tick %d, after one of tick %d", p.req.Client, p.req.Timestamp, p.since, since)
		}
		since = p.since
		live++
	}
	if live != len(r.pending) {
		return fmt.Errorf("%d pending requests, %d in arrivals", len(r.pending), live)
	}
	for c, cr := range r.clients {
		if cr.pending != r.pending[c] {
			return fmt.Errorf("client %q's record and the pending requests disagree on its pending request", c)
		}
	}
	for seq := range r.execd {
		if seq > r.lastExe {
			return fmt.Errorf("executed digest at %d beyond the last executed %d", seq, r.lastExe)
		}
	}
	return nil
}

// atOrBelow returns a key of m at or below low, if there is one.
func atOrBelow[V any](m map[uint64]V, low uint64) (uint64, bool) {
	for seq := range m {
		if seq <= low {
			return seq, true
		}
	}
	return 0, false
}
