package consensus

// ViewChangeCause says why a replica voted to leave its view.
type ViewChangeCause int

const (
	// CausePrimarySilent: no pre-prepare or heartbeat from the primary
	// within IdleTimeoutTicks.
	CausePrimarySilent ViewChangeCause = iota
	// CauseRequestTimer: a request waited longer than the request timeout.
	CauseRequestTimer
	// CauseClosingStalled: no progress towards the closing checkpoint of an
	// epoch within the request timeout.
	CauseClosingStalled
	// CauseBadBatch: the primary proposed a batch the application refused.
	CauseBadBatch
	// CauseFollow: f+1 other replicas are in later views.
	CauseFollow
	// CauseNoNewView: the view change produced no new view in time.
	CauseNoNewView
	// NumViewChangeCauses is the number of causes (the size of
	// Counters.ViewChanges).
	NumViewChangeCauses
)

var causeNames = [NumViewChangeCauses]string{"primary-silent", "request-timer", "closing-stalled", "bad-batch", "follow", "no-new-view"}

// String is the cause's metric label.
func (c ViewChangeCause) String() string {
	if c < 0 || c >= NumViewChangeCauses {
		return "unknown"
	}
	return causeNames[c]
}

// Counters are a replica's running totals since it was made (for metrics and
// benchmarks: where the work per operation goes). They are plain counts, not
// part of the replicated state.
type Counters struct {
	BatchesProposed  uint64 // pre-prepares this replica cut as primary (null batches included)
	BatchesExecuted  uint64 // batches executed, replays after a restart included
	RequestsExecuted uint64 // requests executed (duplicates skipped)
	// ViewChanges counts the view-change votes this replica started, by
	// cause; ViewsEntered the new views it entered.
	ViewChanges  [NumViewChangeCauses]uint64
	ViewsEntered uint64
	// Resends counts messages sent again because an earlier copy may have
	// been lost: view-change votes and new views forwarded to replicas that
	// are behind.
	Resends uint64
	// StateRequests counts the state fetches sent; StateInstalled the
	// snapshots installed from peers and CertsApplied the commit
	// certificates executed from state responses.
	StateRequests  uint64
	StateInstalled uint64
	CertsApplied   uint64
	// SignaturesVerified counts the Ed25519 checks run; SignaturesCached
	// the verifications answered by the cache of checked signatures.
	SignaturesVerified uint64
	SignaturesCached   uint64
	Signed             uint64 // signatures made
}

// TotalViewChanges sums ViewChanges over the causes.
func (c Counters) TotalViewChanges() uint64 {
	var n uint64
	for _, v := range c.ViewChanges {
		n += v
	}
	return n
}

// Counters returns the replica's running totals.
func (r *Replica) Counters() Counters { return r.counters }
