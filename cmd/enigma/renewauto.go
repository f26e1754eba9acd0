package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/node"
)

// renewMetricsFlag is where 'subscriber renew --auto' serves /metrics,
// /healthz and /readyz, as a node does with --metrics.addr. Off by
// default; its variable is scoped (ENIGMA_SUBSCRIBER_RENEW_METRICS_ADDR),
// so a node's ENIGMA_METRICS_ADDR on the same host does not make both
// processes ask for one port.
var renewMetricsFlag = &cli.StringFlag{
	Name:  "metrics.addr",
	Usage: "with --auto: host:port for Prometheus /metrics (renewals, failures, the next renewal's time), /healthz and /readyz (empty: none)",
}

// deactivatedError is a renewal refused because the dataset takes no
// renewals any more: --auto stops on it, as no later try can succeed.
type deactivatedError struct{ path dataset.Path }

func (e deactivatedError) Error() string {
	return fmt.Sprintf("%s is deactivated: it takes no new subscriptions or renewals (access already paid runs to its end); nothing was sent", e.path)
}

// renewStatus is what the auto-renew loop shows: its metrics, and as a
// node service its health (the last check) and readiness (its progress).
type renewStatus struct {
	path                    dataset.Path
	lead                    time.Duration
	renewals                prometheus.Counter
	failures                *prometheus.CounterVec
	next, expiry, lastCheck prometheus.Gauge

	mu struct {
		sync.Mutex
		err       error
		failSince time.Time
		expiry    time.Time
		count     uint64
	}
}

// Failure stages: the label of enigma_renew_failures_total.
const (
	renewFailCheck = "check" // reading the subscription or the chain's time
	renewFailPay   = "renew" // the renewal itself (funds, simulation, transaction)
)

func newRenewStatus(p dataset.Path, lead time.Duration, reg prometheus.Registerer) (*renewStatus, error) {
	labels := prometheus.Labels{"dataset": p.String()}
	s := &renewStatus{path: p, lead: lead,
		renewals: prometheus.NewCounter(prometheus.CounterOpts{Name: "enigma_renew_renewals_total", ConstLabels: labels,
			Help: "Renewals 'subscriber renew --auto' paid."}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "enigma_renew_failures_total", ConstLabels: labels,
			Help: "Failed checks and renewals of 'subscriber renew --auto', by stage (check, renew); each is retried at the next poll."}, []string{"stage"}),
		next: prometheus.NewGauge(prometheus.GaugeOpts{Name: "enigma_renew_next_renewal_timestamp_seconds", ConstLabels: labels,
			Help: "When the next renewal is due: the subscription's end minus --lead (Unix seconds)."}),
		expiry: prometheus.NewGauge(prometheus.GaugeOpts{Name: "enigma_renew_subscription_expiry_timestamp_seconds", ConstLabels: labels,
			Help: "When the paid subscription ends, as last read from the chain (Unix seconds)."}),
		lastCheck: prometheus.NewGauge(prometheus.GaugeOpts{Name: "enigma_renew_last_check_timestamp_seconds", ConstLabels: labels,
			Help: "When the subscription was last read successfully (Unix seconds)."}),
	}
	for _, stage := range []string{renewFailCheck, renewFailPay} {
		s.failures.WithLabelValues(stage)
	}
	for _, c := range []prometheus.Collector{s.renewals, s.failures, s.next, s.expiry, s.lastCheck} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register renewal metrics: %w", err)
		}
	}
	return s, nil
}

// checked records a successful read: the subscription ends at expiry. A
// read clears an earlier failure only when no renewal is due: while one is
// due, the renewal's outcome decides the health.
func (s *renewStatus) checked(now time.Time, expiry uint64, due bool) {
	end := time.Unix(int64(expiry), 0)
	s.expiry.Set(float64(expiry))
	s.next.Set(float64(end.Add(-s.lead).Unix()))
	s.lastCheck.Set(float64(now.Unix()))
	s.mu.Lock()
	changed := !end.Equal(s.mu.expiry)
	s.mu.expiry = end
	if !due {
		s.mu.err = nil
	}
	s.mu.Unlock()
	if changed {
		slog.Info("subscription", "dataset", s.path, "ends", end.UTC().Format(time.RFC3339), "next_renewal", end.Add(-s.lead).UTC().Format(time.RFC3339))
	}
}

func (s *renewStatus) renewed() {
	s.renewals.Inc()
	s.mu.Lock()
	s.mu.count++
	s.mu.err = nil
	n := s.mu.count
	s.mu.Unlock()
	slog.Info("renewed", "dataset", s.path, "renewals", n)
}

func (s *renewStatus) failed(stage string, err error) {
	s.failures.WithLabelValues(stage).Inc()
	s.mu.Lock()
	if s.mu.err == nil {
		s.mu.failSince = time.Now()
	}
	s.mu.err = err
	s.mu.Unlock()
	slog.Error("auto-renew: "+stage+" failed; retrying at the next poll", "dataset", s.path, "err", err)
}

// Name, Start and Stop make the status a node service, so the node's
// metrics server serves it.
func (s *renewStatus) Name() string                { return "renew" }
func (s *renewStatus) Start(context.Context) error { return nil }
func (s *renewStatus) Stop() error                 { return nil }

// Healthy implements node.HealthChecker: the last check or renewal failed.
func (s *renewStatus) Healthy() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mu.err != nil {
		return fmt.Errorf("failing since %s (retried every --poll): %w", s.mu.failSince.UTC().Format(time.RFC3339), s.mu.err)
	}
	return nil
}

// Readiness implements node.ProgressReporter: when the subscription ends,
// when it is renewed next, and how many renewals were paid.
func (s *renewStatus) Readiness() node.RoleReadiness {
	s.mu.Lock()
	defer s.mu.Unlock()
	progress := map[string]uint64{"renewals": s.mu.count}
	if s.mu.expiry.IsZero() {
		return node.RoleReadiness{Detail: "the subscription was not read yet", Progress: progress}
	}
	progress["expiry_unix"] = uint64(max(0, s.mu.expiry.Unix()))
	progress["next_renewal_unix"] = uint64(max(0, s.mu.expiry.Add(-s.lead).Unix()))
	return node.RoleReadiness{Ready: s.mu.err == nil, Progress: progress,
		Detail: fmt.Sprintf("%s paid until %s; next renewal at %s; %d renewal(s) so far", s.path,
			s.mu.expiry.UTC().Format(time.RFC3339), s.mu.expiry.Add(-s.lead).UTC().Format(time.RFC3339), s.mu.count)}
}

// serveRenewMetrics starts the endpoint of --metrics.addr (nil when empty)
// with st's metrics, the process's and Go's, and /healthz and /readyz from
// st; without an address st still counts, into a registry nobody reads.
func serveRenewMetrics(ctx *cli.Context, st func(prometheus.Registerer) (*renewStatus, error)) (*renewStatus, *node.Node, error) {
	addr := ctx.String(renewMetricsFlag.Name)
	n := node.New(slog.Default())
	s, err := st(n.Registry())
	if err != nil {
		return nil, nil, err
	}
	if addr == "" {
		return s, nil, nil
	}
	n.Add(s)
	ms := node.NewMetricsServer(addr, n)
	n.Add(ms)
	if err := n.Start(ctx.Context); err != nil {
		return nil, nil, errors.Join(err, n.Stop())
	}
	fmt.Fprintf(ctx.App.Writer, "Metrics: http://%s/metrics\n", ms.Addr())
	return s, n, nil
}
