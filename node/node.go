package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Service is one part of a running node (a role's shell, a store, the
// metrics endpoint).
type Service interface {
	// Name is used in logs and health reports.
	Name() string
	// Start brings the service up; it must not block past startup.
	Start(ctx context.Context) error
	// Stop shuts the service down and releases its resources.
	Stop() error
}

// HealthChecker is implemented by services that can report trouble.
type HealthChecker interface {
	Healthy() error
}

// Node runs a set of services.
type Node struct {
	log      *slog.Logger
	registry *prometheus.Registry

	mu struct {
		sync.Mutex
		services []Service
		started  []Service
		stopped  bool
	}
}

// New returns a node with an empty service list and a Prometheus registry
// that already carries the Go runtime and process collectors.
func New(log *slog.Logger) *Node {
	if log == nil {
		log = slog.Default()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return &Node{log: log, registry: reg}
}

// Registry is where services register their metrics.
func (n *Node) Registry() *prometheus.Registry { return n.registry }

// Add appends a service; services start in the order added.
func (n *Node) Add(s Service) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.mu.services = append(n.mu.services, s)
}

// Start starts every service in order. On failure it stops the ones it
// started and returns the error.
func (n *Node) Start(ctx context.Context) error {
	n.mu.Lock()
	services := append([]Service(nil), n.mu.services...)
	n.mu.Unlock()
	for _, s := range services {
		n.log.Info("starting", "service", s.Name())
		if err := s.Start(ctx); err != nil {
			startErr := fmt.Errorf("start %s: %w", s.Name(), err)
			return errors.Join(startErr, n.Stop())
		}
		n.mu.Lock()
		n.mu.started = append(n.mu.started, s)
		n.mu.Unlock()
	}
	return nil
}

// Stop stops the started services in reverse order, once.
func (n *Node) Stop() error {
	n.mu.Lock()
	if n.mu.stopped {
		n.mu.Unlock()
		return nil
	}
	n.mu.stopped = true
	started := n.mu.started
	n.mu.Unlock()
	var errs []error
	for i := len(started) - 1; i >= 0; i-- {
		s := started[i]
		n.log.Info("stopping", "service", s.Name())
		if err := s.Stop(); err != nil {
			n.log.Error("stop failed", "service", s.Name(), "err", err)
			errs = append(errs, fmt.Errorf("stop %s: %w", s.Name(), err))
		}
	}
	return errors.Join(errs...)
}

// Health reports the first unhealthy service, or nil.
func (n *Node) Health() error {
	n.mu.Lock()
	started := append([]Service(nil), n.mu.started...)
	stopped := n.mu.stopped
	n.mu.Unlock()
	if stopped {
		return errors.New("node is stopping")
	}
	for _, s := range started {
		if hc, ok := s.(HealthChecker); ok {
			if err := hc.Healthy(); err != nil {
				return fmt.Errorf("%s: %w", s.Name(), err)
			}
		}
	}
	return nil
}

// MetricsServer serves /metrics (Prometheus), /healthz (alive: every
// service healthy, the chain endpoint readable) and /readyz (healthy, and
// every service ready: the overlay knows a peer, the validator is caught
// up and in a view, the catalog has listed the datasets; a JSON Readiness
// with each role's progress, 200 when ready and 503 when not) for a node.
type MetricsServer struct {
	addr string
	node *Node
	srv  *http.Server
	ln   net.Listener
}

// NewMetricsServer returns the endpoint service for addr.
func NewMetricsServer(addr string, n *Node) *MetricsServer {
	return &MetricsServer{addr: addr, node: n}
}

// Name implements Service.
func (m *MetricsServer) Name() string { return "metrics" }

// Addr is the bound address, valid after Start.
func (m *MetricsServer) Addr() string { return m.ln.Addr().String() }

// Start implements Service.
func (m *MetricsServer) Start(context.Context) error {
	ln, err := net.Listen("tcp", m.addr)
	if err != nil {
		return fmt.Errorf("listen on %s (set --metrics.addr to a free address): %w", m.addr, err)
	}
	m.ln = ln
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(m.node.registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if err := m.node.Health(); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		r := m.node.Readiness()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if !r.Ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			m.node.log.Debug("write /readyz", "err", err)
		}
	})
	m.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := m.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.node.log.Error("metrics endpoint failed", "err", err)
		}
	}()
	return nil
}

// Stop implements Service.
func (m *MetricsServer) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return m.srv.Shutdown(ctx)
}
