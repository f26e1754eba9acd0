package consensus

// phase is what the replica does now. Tick and Step dispatch on it, and the
// become… functions are its only transitions (the shape of etcd raft's
// becomeFollower, becomeCandidate and becomeLeader):
//
//   - primary or backup → view change (startViewChange: a timer, a bad
//     batch, the join rule); view change → the next view change (a timeout);
//   - view change → primary or backup (enterView: the NEW-VIEW);
//   - primary, backup or view change → fetching state (NewReplica for a
//     replica that joins a running epoch, or whose log is of an earlier
//     epoch; a previous epoch's checkpoint it installed does not close into
//     this one), and back once a state is installed;
//   - primary, backup or view change → primary or backup of view 0 of the
//     next epoch, or left (enterEpoch);
//   - a restart from the log → the phase the log records (restorePhase).
//
// Which of primary and backup a replica operating in a view is follows from
// the view (primary(view)); neither changes without a change of view or
// epoch.
type phase uint8

const (
	// phasePrimary: operating in its view as the view's primary. It cuts
	// batches from the pending requests, pre-prepares them, sends
	// heartbeats when idle, and runs the request timer (a primary whose
	// batches stop executing follows the others to a later view).
	phasePrimary phase = iota
	// phaseBackup: operating in its view as a backup. It prepares and
	// commits the primary's batches, and suspects a silent primary (idle
	// timer), a slow one (request timer) and an invalid batch.
	phaseBackup
	// phaseViewChange: it voted for its view (ownVC) and waits for the
	// view's NEW-VIEW, or as the view's primary for a quorum of votes to
	// send one. It orders nothing: its vote promises nothing more in the
	// view it left, and messages of the view it goes to wait for it.
	phaseViewChange
	// phaseFetchingState: it has no state of its epoch — it joined a
	// running epoch, restarted into a later epoch than its log's, or a
	// checkpoint of the previous epoch it installed does not close into
	// this one. It only fetches state (lastExe is 0 meanwhile), keeping the
	// epoch's messages for when it has it, and then returns to its view:
	// operating in it, or changing to it (fetchInVC).
	phaseFetchingState
	// phaseLeft: not a validator of its epoch (it left the set): it only
	// answers state requests, until it is stopped.
	phaseLeft
)

func (p phase) String() string {
	switch p {
	case phasePrimary:
		return "primary"
	case phaseBackup:
		return "backup"
	case phaseViewChange:
		return "view-change"
	case phaseFetchingState:
		return "fetching-state"
	case phaseLeft:
		return "left"
	}
	return "unknown"
}

// ordering reports whether the replica operates in its view (as primary or
// backup); mayOrderIn adds the view and the sit-out rule.
func (p phase) ordering() bool { return p == phasePrimary || p == phaseBackup }

// becomeNormal makes the replica operate in its view: as the view's primary
// or as a backup (after a new view, at the start of an epoch, on a restart
// outside a view change, or with state installed).
func (r *Replica) becomeNormal() {
	r.fetchInVC = false
	if r.primary(r.view) == r.id {
		r.phase = phasePrimary
	} else {
		r.phase = phaseBackup
	}
}

// restorePhase puts a replica restarted from its log in the phase the log
// records: changing views (its vote is restored with it; no new one is
// cast) or operating in its view.
func (r *Replica) restorePhase(inViewChange bool) {
	if inViewChange {
		r.phase = phaseViewChange
		return
	}
	r.becomeNormal()
}

// becomeViewChanging moves the replica to view v, changing views: it
// orders nothing until it enters v. The caller votes for v.
func (r *Replica) becomeViewChanging(v uint64) {
	r.phase = phaseViewChange
	r.view = v
	r.vcAttempts++
	r.last.vcStart = r.now
	r.vcTimerOn = false
	r.nvSent = false
	r.dirtyHard = r.gen
	for _, sl := range r.slots {
		sl.waiting = false // the batch belongs to the view being left
	}
}

// becomeFetchingState makes a validator without state of its epoch only
// fetch it; it remembers whether it was changing views, to resume that
// once it has the state. A replica that left stays left.
func (r *Replica) becomeFetchingState() {
	switch r.phase {
	case phaseLeft, phaseFetchingState:
		return
	case phaseViewChange:
		r.fetchInVC = true
	}
	r.phase = phaseFetchingState
}

// stateInstalled ends phaseFetchingState: the replica returns to its view,
// changing to it if it was, operating in it otherwise.
func (r *Replica) stateInstalled() {
	if r.phase != phaseFetchingState {
		return
	}
	if r.fetchInVC {
		r.phase, r.fetchInVC = phaseViewChange, false
		return
	}
	r.becomeNormal()
}

// becomeLeft: the replica is not a validator of the epoch it entered.
func (r *Replica) becomeLeft() {
	r.phase, r.fetchInVC = phaseLeft, false
}

// changingViews reports whether the replica is changing to its view: in
// phaseViewChange, or fetching state in the middle of a view change. The
// log records it (HardState.InViewChange).
func (r *Replica) changingViews() bool {
	return r.phase == phaseViewChange || (r.phase == phaseFetchingState && r.fetchInVC)
}
