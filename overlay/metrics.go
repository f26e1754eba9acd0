package overlay

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the overlay's Prometheus counters. One Metrics may be shared
// by a Host and its Node.
type Metrics struct {
	// Rejected counts hostile or broken input by reason: frame, tls,
	// malformed, signature, puzzle, replay, stale, misaddressed, proto.
	Rejected *prometheus.CounterVec
	// Calls counts outgoing calls by protocol and outcome (ok, error).
	Calls *prometheus.CounterVec
	// Served counts incoming requests by protocol and outcome.
	Served *prometheus.CounterVec
	// Lookups counts DHT lookups by kind (node, value) and outcome.
	Lookups *prometheus.CounterVec
}

// NewMetrics creates the counters and registers them with reg, if not nil.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		Rejected: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "overlay_rejected_total", Help: "Hostile or broken overlay input rejected, by reason."}, []string{"reason"}),
		Calls:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "overlay_calls_total", Help: "Outgoing overlay calls, by protocol and outcome."}, []string{"proto", "outcome"}),
		Served:   prometheus.NewCounterVec(prometheus.CounterOpts{Name: "overlay_served_total", Help: "Incoming overlay requests, by protocol and outcome."}, []string{"proto", "outcome"}),
		Lookups:  prometheus.NewCounterVec(prometheus.CounterOpts{Name: "overlay_lookups_total", Help: "DHT lookups, by kind and outcome."}, []string{"kind", "outcome"}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.Rejected, m.Calls, m.Served, m.Lookups} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

func outcome(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}
