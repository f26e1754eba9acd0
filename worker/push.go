package worker

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/worker/schedule"
	"github.com/enigma-mpc/enigma/worker/wire"
)

// PushProtocol is the overlay protocol that carries row batches from a
// worker to a persistence node.
const PushProtocol = "enigma/worker/push/v1"

// Answers of the push protocol.
const (
	ackDuplicate byte = 0
	ackApplied   byte = 1
)

// Caller sends one request to a node over an authenticated connection and
// returns its answer; the overlay host implements it.
type Caller interface {
	Call(ctx context.Context, to identity.NodeID, addrHint, proto string, req []byte) ([]byte, error)
}

// CallPusher is the production Pusher: it sends each batch with
// PushProtocol through a Caller (the overlay host, whose QUIC connections
// prove the worker's node ID to the receiver).
type CallPusher struct {
	Caller Caller
	// AddrHint, if set, gives a node's address when the caller has no
	// connection to it yet; otherwise the caller resolves it (DHT).
	AddrHint func(identity.NodeID) string
}

// Push implements Pusher.
func (p CallPusher) Push(ctx context.Context, node identity.NodeID, b *wire.Batch) error {
	enc, err := wire.Encode(b)
	if err != nil {
		return err
	}
	hint := ""
	if p.AddrHint != nil {
		hint = p.AddrHint(node)
	}
	resp, err := p.Caller.Call(ctx, node, hint, PushProtocol, enc)
	if err != nil {
		return err
	}
	if len(resp) != 1 || (resp[0] != ackApplied && resp[0] != ackDuplicate) {
		return fmt.Errorf("persistence node %s answered the push with %d unexpected bytes", node.Short(), len(resp))
	}
	return nil
}

// DatasetInfo is what a persistence node knows about a dataset it stores:
// the workers allowed to push to it, its schema and its schedule (from the
// certified metadata).
type DatasetInfo struct {
	Workers []identity.NodeID
	Schema  *dataset.Schema
	// Schedule is the certified schedule spec; a batch's slot must be one
	// of its slots. Version is the metadata version it comes from.
	Schedule string
	Version  uint64
}

// DefaultMaxSlotSkew is how far past the receiving node's clock a batch's
// slot may lie: the clocks of a worker and a persistence node differ a
// little, and a run starts at its slot.
const DefaultMaxSlotSkew = time.Minute

// Errors of CheckSlot, for errors.Is.
var (
	ErrNotASlot   = errors.New("not a slot of the dataset's schedule")
	ErrFutureSlot = errors.New("slot has not come yet")
)

// CheckSlot decides whether a worker may push a run for slot now: the slot
// must be one the dataset's certified schedule (spec) produces and must not
// be later than now + maxSkew. A run for a future slot would otherwise
// become the dataset's newest run, and the store would drop the real runs
// that follow as stale. It reads no clock.
func CheckSlot(spec string, slot, now time.Time, maxSkew time.Duration) error {
	s, err := schedule.Parse(spec)
	if err != nil {
		return fmt.Errorf("the dataset's certified %w; no batch can be accepted until the provider certifies a valid schedule", err)
	}
	slot = slot.UTC()
	if !s.IsSlot(slot) {
		return fmt.Errorf("%w: %s is not a slot of schedule %q (workers run only at the schedule's slots; if the provider changed the schedule, retry once this node has the new metadata)",
			ErrNotASlot, slot.Format(time.RFC3339Nano), spec)
	}
	if latest := now.Add(maxSkew); slot.After(latest) {
		return fmt.Errorf("%w: slot %s is %s ahead of this persistence node's clock (%s, allowance %s); push a run only once its slot has come, and check the worker's clock (NTP)",
			ErrFutureSlot, slot.Format(time.RFC3339), slot.Sub(now).Round(time.Second), now.UTC().Format(time.RFC3339), maxSkew)
	}
	return nil
}

// Reasons a receiver refuses a push, the label of
// enigma_persistence_push_refused_total.
const (
	RefusedMalformed      = "malformed"
	RefusedUnknownDataset = "unknown_dataset"
	RefusedNotWorker      = "not_worker"
	RefusedSchema         = "schema"
	RefusedSchedule       = "schedule" // the certified schedule cannot be read
	RefusedNotASlot       = "not_a_slot"
	RefusedFutureSlot     = "future_slot"
	RefusedIngest         = "ingest"  // the store refused (stale run, conflicting batch, …)
	RefusedVersion        = "version" // the batch was curated under another metadata version than the node's
)

// ReceiverMetrics counts the pushes a persistence node refuses, by reason.
type ReceiverMetrics struct {
	refused *prometheus.CounterVec
}

// NewReceiverMetrics registers the receiver's counter with reg.
func NewReceiverMetrics(reg prometheus.Registerer) (*ReceiverMetrics, error) {
	m := &ReceiverMetrics{refused: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "enigma_persistence_push_refused_total",
		Help: "Row batches this persistence node refused, by reason (malformed, unknown_dataset, version, not_worker, schema, schedule, not_a_slot, future_slot, ingest).",
	}, []string{"reason"})}
	for _, r := range []string{RefusedMalformed, RefusedUnknownDataset, RefusedVersion, RefusedNotWorker, RefusedSchema, RefusedSchedule, RefusedNotASlot, RefusedFutureSlot, RefusedIngest} {
		m.refused.WithLabelValues(r)
	}
	if err := reg.Register(m.refused); err != nil {
		return nil, fmt.Errorf("register push receiver metrics: %w", err)
	}
	return m, nil
}

// Refused returns the count of refusals for reason.
func (m *ReceiverMetrics) Refused(reason string) prometheus.Counter {
	return m.refused.WithLabelValues(reason)
}

// ReceiverConfig wires the receiving side of PushProtocol to a persistence
// node's ledger view and store.
type ReceiverConfig struct {
	// Lookup returns what the node knows about a dataset, or an error if it
	// does not store it.
	Lookup func(datasetID common.Hash) (DatasetInfo, error)
	// Refresh, if set, is asked when Lookup does not know the dataset or
	// knows an older metadata version than the batch's (the node's catalog
	// lags the worker's): it may fetch the dataset's certified record now
	// and return what it knows then. It must bound how often it looks (from
	// is the authenticated sender).
	Refresh func(from identity.NodeID, datasetID common.Hash, version uint64) (DatasetInfo, error)
	// Ingest stores a checked batch atomically and reports whether it was
	// new (false: the same RunID and Seq were applied before).
	Ingest func(from identity.NodeID, b *wire.Batch) (applied bool, err error)
	// Now is the node's clock (default: the system clock's); MaxSlotSkew is how far
	// past it a slot may be (0: DefaultMaxSlotSkew; negative: none).
	Now         func() time.Time
	MaxSlotSkew time.Duration
	// Metrics counts refusals (nil: an unregistered counter).
	Metrics *ReceiverMetrics
}

// Receiver returns the persistence node's handler for PushProtocol, in the
// overlay's handler shape: it decodes the batch, refuses senders that are
// not among the dataset's workers, slots that the dataset's schedule does
// not produce or that lie in the future (CheckSlot), batches of another
// metadata version than the node's (each version is curated and stored on
// its own; the node stores only the newest certified one), and rows that do
// not fit the schema in stored form, then ingests. Every refusal is an error to
// the sender and counts in Metrics. A refused batch never reaches Ingest,
// so it cannot make the store take later real runs for stale ones.
func Receiver(cfg ReceiverConfig) func(ctx context.Context, from identity.NodeID, req []byte) ([]byte, error) {
	if cfg.Now == nil {
		cfg.Now = clock.System{}.Now
	}
	switch {
	case cfg.MaxSlotSkew == 0:
		cfg.MaxSlotSkew = DefaultMaxSlotSkew
	case cfg.MaxSlotSkew < 0:
		cfg.MaxSlotSkew = 0
	}
	if cfg.Metrics == nil {
		cfg.Metrics, _ = NewReceiverMetrics(prometheus.NewRegistry())
	}
	return func(_ context.Context, from identity.NodeID, req []byte) ([]byte, error) {
		refuse := func(reason string, err error) ([]byte, error) {
			cfg.Metrics.Refused(reason).Inc()
			return nil, err
		}
		b, err := wire.Decode(req)
		if err != nil {
			return refuse(RefusedMalformed, err)
		}
		info, err := cfg.Lookup(b.DatasetID)
		if err != nil && cfg.Refresh != nil {
			info, err = cfg.Refresh(from, b.DatasetID, b.Version)
		}
		if err != nil {
			return refuse(RefusedUnknownDataset, fmt.Errorf("dataset %s: %w", b.DatasetID.Hex(), err))
		}
		if b.Version > info.Version && cfg.Refresh != nil {
			if fresh, err := cfg.Refresh(from, b.DatasetID, b.Version); err == nil {
				info = fresh
			}
		}
		if b.Version != info.Version {
			what := "the worker is behind: it takes the new version from its catalog and curates that"
			if b.Version > info.Version {
				what = "this node has not seen the new version's certified record yet; retry"
			}
			return refuse(RefusedVersion, fmt.Errorf("batch %d of run %s for dataset %s was curated under metadata version %d, this node stores version %d: %s",
				b.Seq, b.RunID.String()[:16], b.DatasetID.Hex(), b.Version, info.Version, what))
		}
		if !slices.Contains(info.Workers, from) {
			return refuse(RefusedNotWorker, fmt.Errorf("node %s is not a worker of dataset %s", from.Short(), b.DatasetID.Hex()))
		}
		if err := CheckSlot(info.Schedule, time.UnixMicro(b.SlotMicros), cfg.Now(), cfg.MaxSlotSkew); err != nil {
			reason := RefusedSchedule
			switch {
			case errors.Is(err, ErrNotASlot):
				reason = RefusedNotASlot
			case errors.Is(err, ErrFutureSlot):
				reason = RefusedFutureSlot
			}
			return refuse(reason, fmt.Errorf("batch %d of run %s for dataset %s (metadata version %d, this node knows version %d): %w",
				b.Seq, b.RunID.String()[:16], b.DatasetID.Hex(), b.Version, info.Version, err))
		}
		if err := b.Check(info.Schema); err != nil {
			return refuse(RefusedSchema, fmt.Errorf("batch %d of run %s: %w", b.Seq, b.RunID.String()[:16], err))
		}
		applied, err := cfg.Ingest(from, b)
		if err != nil {
			return refuse(RefusedIngest, err)
		}
		if applied {
			return []byte{ackApplied}, nil
		}
		return []byte{ackDuplicate}, nil
	}
}
