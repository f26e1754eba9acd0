package node

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/internal/clock"
)

// ReadinessChecker is implemented by services that can say whether the
// node can do its job yet (/readyz), beyond being alive (/healthz).
type ReadinessChecker interface {
	Ready() error
}

// Ready reports why the node cannot serve yet, or nil: a health problem,
// or the first started service that is not ready.
func (n *Node) Ready() error {
	if err := n.Health(); err != nil {
		return err
	}
	n.mu.Lock()
	started := append([]Service(nil), n.mu.started...)
	n.mu.Unlock()
	for _, s := range started {
		if rc, ok := s.(ReadinessChecker); ok {
			if err := rc.Ready(); err != nil {
				return fmt.Errorf("%s: %w", s.Name(), err)
			}
		}
	}
	return nil
}

// chainHeadReader is what ChainHealth needs of the chain client.
type chainHeadReader interface {
	BlockNumber(ctx context.Context) (uint64, error)
}

// ChainHealth polls the chain endpoint, so /healthz fails while the node
// cannot read the chain (every role but a bare overlay needs it) and
// enigma_chain_up and enigma_chain_head_block show it.
type ChainHealth struct {
	chain    chainHeadReader
	endpoint string
	interval time.Duration
	clock    clock.Clock
	up, head prometheus.Gauge

	mu struct {
		sync.Mutex
		err       error
		failSince time.Time
	}
	cancel context.CancelFunc
	done   chan struct{}
}

// NewChainHealth polls c every interval (default 5 s) of clk (nil: the
// system clock); reg, if set, gets its gauges.
func NewChainHealth(c chainHeadReader, endpoint string, interval time.Duration, clk clock.Clock, reg prometheus.Registerer) (*ChainHealth, error) {
	if interval <= 0 {
		interval = 5 * time.Second
	}
	if clk == nil {
		clk = clock.System{}
	}
	h := &ChainHealth{chain: c, endpoint: endpoint, interval: interval, clock: clk,
		up: prometheus.NewGauge(prometheus.GaugeOpts{Name: "enigma_chain_up",
			Help: "1 while the last read of the chain endpoint succeeded, else 0."}),
		head: prometheus.NewGauge(prometheus.GaugeOpts{Name: "enigma_chain_head_block",
			Help: "The chain endpoint's latest block number, as last read."}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{h.up, h.head} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("register chain health metrics: %w", err)
			}
		}
	}
	return h, nil
}

// Name implements Service.
func (h *ChainHealth) Name() string { return "chain" }

// Start reads the chain once (so health is known at once) and then every
// interval.
func (h *ChainHealth) Start(ctx context.Context) error {
	pctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan struct{})
	h.poll(pctx)
	go func() {
		defer close(h.done)
		t := h.clock.NewTicker(h.interval)
		defer t.Stop()
		for {
			select {
			case <-pctx.Done():
				return
			case <-t.C():
				h.poll(pctx)
			}
		}
	}()
	return nil
}

func (h *ChainHealth) poll(ctx context.Context) {
	// The deadline bounds a real RPC round trip, so it runs on the
	// runtime's timers, not on h.clock (see the package doc).
	cctx, cancel := context.WithTimeout(ctx, h.interval)
	n, err := h.chain.BlockNumber(cctx)
	cancel()
	if ctx.Err() != nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err != nil {
		if h.mu.err == nil {
			h.mu.failSince = h.clock.Now()
		}
		h.mu.err = err
		h.up.Set(0)
		return
	}
	h.mu.err = nil
	h.up.Set(1)
	h.head.Set(float64(n))
}

// Healthy implements HealthChecker: the last read of the chain failed.
func (h *ChainHealth) Healthy() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.mu.err != nil {
		return fmt.Errorf("the chain endpoint %s is unreachable since %s (check it, or --chain.rpc): %w",
			h.endpoint, h.mu.failSince.UTC().Format(time.RFC3339), h.mu.err)
	}
	return nil
}

// Stop implements Service.
func (h *ChainHealth) Stop() error {
	if h.cancel == nil {
		return nil
	}
	h.cancel()
	<-h.done
	return nil
}

// overlayPeers is the overlay's readiness: a node told to join through
// bootstrap peers is not ready until it knows one.
type overlayPeers struct {
	contacts  func() int
	bootstrap bool
}

func (o overlayPeers) Ready() error {
	if o.bootstrap && o.contacts() == 0 {
		return errors.New("no overlay peers yet: the bootstrap peers did not answer (check --bootstrap and the network)")
	}
	return nil
}
