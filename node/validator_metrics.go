package node

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/consensus"
)

// ValidatorCounters are a validator's running totals: its replicas'
// consensus.Counters (summed over the replicas it ran, one per epoch
// change) and its shell's own. They show where the work per committed
// operation goes (`enigma bench consensus` reports them; /metrics exports
// them).
type ValidatorCounters struct {
	consensus.Counters
	Readies          uint64 // Readies handled (event groups folded into one)
	LogWrites        uint64 // Ready updates saved, one log write each
	LogSyncs         uint64 // of those, the ones synced (see consensus.Driver)
	MessagesSent     uint64 // consensus messages handed to the peers' outboxes
	MessagesDropped  uint64 // of those, dropped because the peer's outbox was full
	SendCalls        uint64 // writes to the peers' consensus streams that carried them (one per batch a send loop gathered)
	MessagesReceived uint64 // consensus messages taken from peers
	MessagesRejected uint64 // of those, refused by the replica (invalid, or not needed)
	SubmitCalls      uint64 // client submission calls served
	CommandsProposed uint64 // client commands they carried
}

// shellCounters are the totals the validator's goroutines count.
type shellCounters struct {
	readies, logWrites, logSyncs, sent, dropped, sendCalls, received, rejected, submitCalls, commands atomic.Uint64
}

// Counters returns the validator's running totals.
func (v *Validator) Counters() ValidatorCounters {
	v.mu.Lock()
	c := ValidatorCounters{Counters: addCounters(v.mu.carried, v.mu.counters)}
	v.mu.Unlock()
	s := &v.shellCounts
	c.Readies, c.LogWrites, c.LogSyncs = s.readies.Load(), s.logWrites.Load(), s.logSyncs.Load()
	c.MessagesSent, c.MessagesDropped, c.SendCalls = s.sent.Load(), s.dropped.Load(), s.sendCalls.Load()
	c.MessagesReceived, c.MessagesRejected = s.received.Load(), s.rejected.Load()
	c.SubmitCalls, c.CommandsProposed = s.submitCalls.Load(), s.commands.Load()
	return c
}

// addCounters sums two replicas' totals.
func addCounters(a, b consensus.Counters) consensus.Counters {
	a.BatchesProposed += b.BatchesProposed
	a.BatchesExecuted += b.BatchesExecuted
	a.RequestsExecuted += b.RequestsExecuted
	for i := range a.ViewChanges {
		a.ViewChanges[i] += b.ViewChanges[i]
	}
	a.ViewsEntered += b.ViewsEntered
	a.Resends += b.Resends
	a.StateRequests += b.StateRequests
	a.StateInstalled += b.StateInstalled
	a.CertsApplied += b.CertsApplied
	a.SignaturesVerified += b.SignaturesVerified
	a.SignaturesCached += b.SignaturesCached
	a.Signed += b.Signed
	return a
}

// validatorCollector exports ValidatorCounters to Prometheus.
type validatorCollector struct{ v *Validator }

type counterDesc struct {
	desc  *prometheus.Desc
	value func(*ValidatorCounters) uint64
}

var validatorCounterDescs = []counterDesc{
	{prometheus.NewDesc("enigma_pbft_batches_proposed_total", "Batches this replica proposed as primary (null batches included).", nil, nil), func(c *ValidatorCounters) uint64 { return c.BatchesProposed }},
	{prometheus.NewDesc("enigma_pbft_requests_executed_total", "Client requests executed (duplicates skipped); divided by enigma_pbft_committed_batches_total, the average batch.", nil, nil), func(c *ValidatorCounters) uint64 { return c.RequestsExecuted }},
	{prometheus.NewDesc("enigma_pbft_views_entered_total", "New views this replica entered.", nil, nil), func(c *ValidatorCounters) uint64 { return c.ViewsEntered }},
	{prometheus.NewDesc("enigma_pbft_resends_total", "Messages sent again in case an earlier copy was lost (view-change votes, new views forwarded to replicas behind).", nil, nil), func(c *ValidatorCounters) uint64 { return c.Resends }},
	{prometheus.NewDesc("enigma_pbft_state_requests_total", "State fetches this replica sent because it was behind.", nil, nil), func(c *ValidatorCounters) uint64 { return c.StateRequests }},
	{prometheus.NewDesc("enigma_pbft_state_installed_total", "Snapshots installed from peers.", nil, nil), func(c *ValidatorCounters) uint64 { return c.StateInstalled }},
	{prometheus.NewDesc("enigma_pbft_state_certificates_applied_total", "Commit certificates executed from peers' state responses.", nil, nil), func(c *ValidatorCounters) uint64 { return c.CertsApplied }},
	{prometheus.NewDesc("enigma_pbft_signatures_verified_total", "Ed25519 signatures checked.", nil, nil), func(c *ValidatorCounters) uint64 { return c.SignaturesVerified }},
	{prometheus.NewDesc("enigma_pbft_signatures_cached_total", "Signature checks answered from the cache of checked signatures.", nil, nil), func(c *ValidatorCounters) uint64 { return c.SignaturesCached }},
	{prometheus.NewDesc("enigma_pbft_signatures_made_total", "Signatures this replica made.", nil, nil), func(c *ValidatorCounters) uint64 { return c.Signed }},
	{prometheus.NewDesc("enigma_pbft_readies_total", "Readies handled (groups of events folded into one log write and one send).", nil, nil), func(c *ValidatorCounters) uint64 { return c.Readies }},
	{prometheus.NewDesc("enigma_pbft_log_writes_total", "Writes of the consensus log (one per Ready that changed it).", nil, nil), func(c *ValidatorCounters) uint64 { return c.LogWrites }},
	{prometheus.NewDesc("enigma_pbft_log_syncs_total", "Consensus log writes synced to disk before the replica went on (those whose messages wait for them, or that record a new view or epoch).", nil, nil), func(c *ValidatorCounters) uint64 { return c.LogSyncs }},
	{prometheus.NewDesc("enigma_pbft_messages_sent_total", "Consensus messages handed to the peers' outboxes.", nil, nil), func(c *ValidatorCounters) uint64 { return c.MessagesSent }},
	{prometheus.NewDesc("enigma_pbft_messages_dropped_total", "Consensus messages dropped because a peer's outbox was full (PBFT retransmits what matters).", nil, nil), func(c *ValidatorCounters) uint64 { return c.MessagesDropped }},
	{prometheus.NewDesc("enigma_pbft_send_calls_total", "Writes to the peers' one-way consensus streams (each carries the messages queued for that peer, one frame each; before enigma/pbft/2 each was a QUIC request and response).", nil, nil), func(c *ValidatorCounters) uint64 { return c.SendCalls }},
	{prometheus.NewDesc("enigma_pbft_messages_received_total", "Consensus messages taken from peers.", nil, nil), func(c *ValidatorCounters) uint64 { return c.MessagesReceived }},
	{prometheus.NewDesc("enigma_pbft_messages_rejected_total", "Consensus messages the replica refused (invalid, or no longer needed).", nil, nil), func(c *ValidatorCounters) uint64 { return c.MessagesRejected }},
	{prometheus.NewDesc("enigma_validator_submit_calls_total", "Client submission calls served.", nil, nil), func(c *ValidatorCounters) uint64 { return c.SubmitCalls }},
	{prometheus.NewDesc("enigma_validator_commands_proposed_total", "Client commands the submission calls carried.", nil, nil), func(c *ValidatorCounters) uint64 { return c.CommandsProposed }},
}

var viewChangesDesc = prometheus.NewDesc("enigma_pbft_view_changes_total", "View changes this replica started, by cause (primary-silent, request-timer, closing-stalled, bad-batch, follow, no-new-view).", []string{"cause"}, nil)

func (validatorCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range validatorCounterDescs {
		ch <- d.desc
	}
	ch <- viewChangesDesc
}

func (c validatorCollector) Collect(ch chan<- prometheus.Metric) {
	counts := c.v.Counters()
	for _, d := range validatorCounterDescs {
		ch <- prometheus.MustNewConstMetric(d.desc, prometheus.CounterValue, float64(d.value(&counts)))
	}
	for cause, n := range counts.ViewChanges {
		ch <- prometheus.MustNewConstMetric(viewChangesDesc, prometheus.CounterValue, float64(n), consensus.ViewChangeCause(cause).String())
	}
}
