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

// RoleReadiness is one service's part of /readyz: whether it can do its
// job, what it has done so far and, when it cannot, why and what to do.
type RoleReadiness struct {
	Ready bool `json:"ready"`
	// Detail says how far the service got ("executed seq 40 of 40 seen,
	// view 2") or, when it is not ready, why and what to do.
	Detail string `json:"detail"`
	// Progress holds the figures behind Detail, for scripts.
	Progress map[string]uint64 `json:"progress,omitempty"`
}

// ProgressReporter is implemented by services (the roles, the overlay,
// the chain endpoint) whose /readyz entry reports their progress.
type ProgressReporter interface {
	Readiness() RoleReadiness
}

// Readiness is the body of /readyz: the node is ready when it is healthy
// and every service reporting readiness is ready.
type Readiness struct {
	Ready bool `json:"ready"`
	// Reason is the first reason the node is not ready (empty when ready).
	Reason string `json:"reason,omitempty"`
	// Roles holds each reporting service's entry by name (validator,
	// worker, persistence, overlay, chain, …).
	Roles map[string]RoleReadiness `json:"roles"`
}

// Readiness reports, per service, whether the node can do its job: every
// service with a progress report or a readiness check gets an entry, and
// the first health problem or unready service, in start order, is the
// reason.
func (n *Node) Readiness() Readiness {
	out := Readiness{Ready: true, Roles: map[string]RoleReadiness{}}
	fail := func(reason string) {
		if out.Ready {
			out.Ready, out.Reason = false, reason
		}
	}
	if err := n.Health(); err != nil {
		fail(err.Error())
	}
	n.mu.Lock()
	started := append([]Service(nil), n.mu.started...)
	n.mu.Unlock()
	for _, s := range started {
		var r RoleReadiness
		switch c := s.(type) {
		case ProgressReporter:
			r = c.Readiness()
		case ReadinessChecker:
			r.Ready = true
			if err := c.Ready(); err != nil {
				r = RoleReadiness{Detail: err.Error()}
			}
		default:
			continue
		}
		out.Roles[s.Name()] = r
		if !r.Ready {
			fail(fmt.Sprintf("%s: %s", s.Name(), r.Detail))
		}
	}
	return out
}

// Ready reports why the node cannot serve yet, or nil: a health problem,
// or the first started service that is not ready.
func (n *Node) Ready() error {
	if r := n.Readiness(); !r.Ready {
		return errors.New(r.Reason)
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
		head      uint64
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
	h.mu.head = n
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

// Readiness implements ProgressReporter: the chain endpoint's last read.
func (h *ChainHealth) Readiness() RoleReadiness {
	if err := h.Healthy(); err != nil {
		return RoleReadiness{Detail: err.Error()}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return RoleReadiness{Ready: true, Detail: fmt.Sprintf("%s answers; head block %d", h.endpoint, h.mu.head),
		Progress: map[string]uint64{"head_block": h.mu.head}}
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

// Readiness implements ProgressReporter: the peers in the routing table.
func (o overlayPeers) Readiness() RoleReadiness {
	n := o.contacts()
	r := RoleReadiness{Ready: true, Detail: fmt.Sprintf("%d peers in the routing table", n), Progress: map[string]uint64{"peers": uint64(n)}}
	if o.bootstrap && n == 0 {
		r.Ready, r.Detail = false, "no overlay peers yet: the bootstrap peers did not answer (check --bootstrap and the network)"
	}
	return r
}
