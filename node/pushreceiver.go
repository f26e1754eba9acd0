package node

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/worker"
)

// PushReceiverConfig configures how the persistence role takes workers'
// pushes (worker.Receiver).
type PushReceiverConfig struct {
	// MaxSlotSkew is how far past this node's clock a pushed run's slot may
	// be (0: worker.DefaultMaxSlotSkew, a minute). A run for a later slot is
	// refused
	// (worker.CheckSlot), so a worker cannot write the future and have the
	// real runs that follow dropped as stale.
	MaxSlotSkew time.Duration
	// Clock judges how far in the future a slot is (default: the
	// persistence role's Clock).
	Clock clock.Clock
	// Registerer receives enigma_persistence_push_refused_total (default: a
	// private registry).
	Registerer prometheus.Registerer
}

// newPushReceiver builds the role's handler of worker.PushProtocol: the
// sender must be one of the dataset's certified workers, the slot one of
// its certified schedule's and not in the future, the rows in stored form.
func (p *Persistence) newPushReceiver(cfg PushReceiverConfig) (func(context.Context, identity.NodeID, []byte) ([]byte, error), error) {
	if cfg.Clock == nil {
		cfg.Clock = p.clock
	}
	if cfg.Registerer == nil {
		cfg.Registerer = prometheus.NewRegistry()
	}
	metrics, err := worker.NewReceiverMetrics(cfg.Registerer)
	if err != nil {
		return nil, err
	}
	return worker.Receiver(worker.ReceiverConfig{
		Lookup: p.lookup, Refresh: p.refreshFor, Ingest: p.ingest,
		Now: cfg.Clock.Now, MaxSlotSkew: cfg.MaxSlotSkew, Metrics: metrics,
	}), nil
}
