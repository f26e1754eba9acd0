package consensus

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/enigma-mpc/enigma/signing"
)

// restore rebuilds a replica from its write-ahead log: the view it was in,
// what it accepted and sent in that view, its prepared certificates, and the
// application state (the stable checkpoint's snapshot plus the decided
// batches after it, re-executed).
func (r *Replica) restore(ps *PersistentState) error {
	switch logged := ps.HardState.Epoch; {
	case logged > r.epoch:
		return fmt.Errorf("the log is from epoch %d, later than the configured epoch %d: start the replica in its log's epoch", logged, r.epoch)
	case logged < r.epoch:
		return r.restoreEarlierEpoch(ps)
	}
	r.view = ps.HardState.View
	r.restorePhase(ps.HardState.InViewChange) // its vote, if any, is restored below
	r.sitOut, r.sitOutEpoch, r.sitOutView = true, r.epoch, r.view
	if sc := ps.Stable; sc != nil && sc.Seq > 0 {
		if err := r.verifyStableProof(sc.Epoch, sc.Seq, sc.Proof); err != nil {
			return fmt.Errorf("stored stable checkpoint: %w", err)
		}
		r.low, r.stable = sc.Seq, *sc
		if sc.Epoch != r.epoch {
			r.epochStart, r.closing = sc.Seq, sc
		}
		if len(sc.Snapshot) > 0 {
			var es engineSnapshot
			if err := signing.Decode(sc.Snapshot, &es, maxSnapshotSize); err != nil {
				return fmt.Errorf("stored snapshot: %w", err)
			}
			if err := r.cfg.App.Restore(es.App, sc.Proof[0].StateDigest); err != nil {
				return fmt.Errorf("stored snapshot: %w", err)
			}
			for _, c := range es.Clients {
				r.clients[c.Client] = &clientRecord{lastTs: c.LastTs, lastResult: c.LastResult}
			}
			r.lastExe, r.lastDigest = sc.Seq, sc.Proof[0].StateDigest
		}
	}
	if !slices.IsSortedFunc(ps.Entries, func(a, b LogEntry) int { return cmp.Compare(a.Seq, b.Seq) }) {
		return fmt.Errorf("log entries are not in sequence order")
	}
	for i := range ps.Entries {
		e := &ps.Entries[i]
		if e.Seq <= r.low {
			continue
		}
		if e.Cert != nil {
			r.certs[e.Seq] = e.Cert
		}
		if e.Committed != nil {
			r.decided[e.Seq] = e.Committed
		}
		if e.PrePrepare == nil || e.View != r.view {
			continue
		}
		s := r.slotFor(e.Seq)
		s.pp, s.accepted, s.sentPrepare, s.sentCommit = e.PrePrepare, true, e.SentPrepare, e.SentCommit
		if e.SentPrepare {
			r.ownPrepare(e.Seq, s)
		}
		if e.SentCommit {
			s.prepared = true
			r.ownCommit(e.Seq, s)
		}
		if r.primary(e.View) == r.id && e.Seq > r.seq {
			r.seq = e.Seq
		}
	}
	r.seq = max(r.seq, r.low)
	// Sequence numbers in the log exist: if the replica did not execute
	// them it fetches them (a primary that crashed with its last batch
	// committed by the others, but not by itself, would otherwise wait for
	// commits that were sent while it was down).
	for i := range ps.Entries {
		r.seen(ps.Entries[i].Seq)
	}
	if vc := ps.ViewChange; vc != nil && r.phase == phaseViewChange && vc.View == r.view {
		r.ownVC = vc
		r.recordViewChange(vc)
	}
	for r.lastExe >= r.low {
		cc := r.decided[r.lastExe+1]
		if cc == nil {
			break
		}
		r.execute(cc, true)
	}
	// It may have crashed after the closing checkpoint became stable but
	// before the switch reached its log.
	r.maybeEnterEpoch()
	if ps.Stable == nil && r.prevVer != nil {
		// A replica of a later epoch holds the previous one's closing
		// checkpoint, or a later one, from the moment it enters: a member
		// of the previous set logs it with the switch, a joiner when it
		// installs it. Neither here: it joined and crashed before the
		// state it installed reached the disk (nothing waits for that
		// write, so it is not synced). It fetches the state again.
		r.becomeFetchingState()
	}
	return nil
}

// restoreEarlierEpoch restarts a replica configured for a later epoch than
// its log's: what it signed belongs to an epoch that is over, so only the
// application state is kept (the stored snapshot and the decided batches
// after it), and the replica joins the configured epoch by state transfer.
func (r *Replica) restoreEarlierEpoch(ps *PersistentState) error {
	if sc := ps.Stable; sc != nil && len(sc.Snapshot) > 0 {
		var es engineSnapshot
		if err := signing.Decode(sc.Snapshot, &es, maxSnapshotSize); err != nil {
			return fmt.Errorf("stored snapshot: %w", err)
		}
		if err := r.cfg.App.Restore(es.App, sc.Proof[0].StateDigest); err != nil {
			return fmt.Errorf("stored snapshot: %w", err)
		}
		for _, c := range es.Clients {
			r.clients[c.Client] = &clientRecord{lastTs: c.LastTs, lastResult: c.LastResult}
		}
		r.lastExe, r.lastDigest = sc.Seq, sc.Proof[0].StateDigest
	}
	for i := range ps.Entries {
		if e := &ps.Entries[i]; e.Committed != nil && e.Seq == r.lastExe+1 {
			r.execute(e.Committed, true)
		}
	}
	r.becomeFetchingState()
	r.lastExe = 0 // nothing of this epoch is executed yet
	clear(r.execd)
	// The log of the earlier epoch goes: its view, entries and stable
	// checkpoint mean nothing in this one.
	r.dirtyHard, r.dirtyStab, r.truncateTo, r.truncGen = r.gen, r.gen, 1<<62, r.gen
	r.log.Info("the log is from an earlier epoch; joining this one by state transfer", "log_epoch", ps.HardState.Epoch)
	return nil
}
