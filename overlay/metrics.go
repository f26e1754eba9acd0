package overlay

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the overlay's Prometheus counters. One Metrics may be shared
// by a Host and its DHT.
type Metrics struct {
	// Rejected counts hostile or broken input and refusals by reason: frame,
	// tls, malformed, signature, puzzle, replay, stale, misaddressed, proto,
	// record; the per-peer limits handshakes, peer_conns, streams,
	// conn_buffer, request_size; one-way frames a protocol's handler
	// refused, frame_refused; refused STOREs store_publisher_quota,
	// store_full, store_not_responsible (and record for invalid ones).
	Rejected *prometheus.CounterVec
	// Calls counts outgoing calls by protocol and outcome (ok, error).
	Calls *prometheus.CounterVec
	// Served counts incoming requests by protocol and outcome.
	Served *prometheus.CounterVec
	// Sends counts Send calls (each one write to a one-way stream) by
	// protocol and outcome; Frames counts one-way frames by protocol and
	// direction (sent, received); StreamsOpened counts the one-way streams
	// this host opened, by protocol (more than one per peer: reconnects).
	Sends         *prometheus.CounterVec
	Frames        *prometheus.CounterVec
	StreamsOpened *prometheus.CounterVec
	// Connections counts connections established, by direction (dialled,
	// accepted): each is a TLS 1.3 handshake.
	Connections *prometheus.CounterVec
	// Lookups counts DHT lookups by kind (node, value) and outcome.
	Lookups *prometheus.CounterVec
	// StoreRecords and StoreBytes are the DHT records held, by kind
	// (certified, named), bytes as the quotas count them.
	StoreRecords *prometheus.GaugeVec
	StoreBytes   *prometheus.GaugeVec
	// StoreEvicted counts self-certifying records evicted for certified ones.
	StoreEvicted prometheus.Counter
}

// NewMetrics creates the counters and registers them with reg, if not nil.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		Rejected:      prometheus.NewCounterVec(prometheus.CounterOpts{Name: "overlay_rejected_total", Help: "Hostile or broken overlay input rejected, by reason."}, []string{"reason"}),
		Calls:         prometheus.NewCounterVec(prometheus.CounterOpts{Name: "overlay_calls_total", Help: "Outgoing overlay calls, by protocol and outcome."}, []string{"proto", "outcome"}),
		Served:        prometheus.NewCounterVec(prometheus.CounterOpts{Name: "overlay_served_total", Help: "Incoming overlay requests, by protocol and outcome."}, []string{"proto", "outcome"}),
		Sends:         prometheus.NewCounterVec(prometheus.CounterOpts{Name: "overlay_sends_total", Help: "Writes to one-way overlay streams (Send calls), by protocol and outcome."}, []string{"proto", "outcome"}),
		Frames:        prometheus.NewCounterVec(prometheus.CounterOpts{Name: "overlay_stream_frames_total", Help: "Frames of one-way overlay streams, by protocol and direction (sent, received)."}, []string{"proto", "direction"}),
		StreamsOpened: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "overlay_streams_opened_total", Help: "One-way overlay streams this node opened, by protocol (more than one per peer and protocol: reopened after a failure)."}, []string{"proto"}),
		Connections:   prometheus.NewCounterVec(prometheus.CounterOpts{Name: "overlay_connections_total", Help: "Overlay connections established (TLS 1.3 handshakes), by direction (dialled, accepted)."}, []string{"direction"}),
		Lookups:       prometheus.NewCounterVec(prometheus.CounterOpts{Name: "overlay_lookups_total", Help: "DHT lookups, by kind and outcome."}, []string{"kind", "outcome"}),
		StoreRecords:  prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "overlay_store_records", Help: "DHT records held, by kind (certified, named)."}, []string{"kind"}),
		StoreBytes:    prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "overlay_store_bytes", Help: "Bytes of DHT records held as the quotas count them (value + 256 per record), by kind."}, []string{"kind"}),
		StoreEvicted:  prometheus.NewCounter(prometheus.CounterOpts{Name: "overlay_store_evicted_total", Help: "Self-certifying DHT records evicted to make room for certified ones."}),
	}
	// Every documented reason is exposed from the start, at 0, so a
	// dashboard or an alert on overlay_rejected_total has a series to
	// read before the first hostile input (Prometheus shows no series of a
	// label never used).
	for _, reason := range RejectReasons {
		m.Rejected.WithLabelValues(reason)
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.Rejected, m.Calls, m.Served, m.Sends, m.Frames, m.StreamsOpened, m.Connections, m.Lookups, m.StoreRecords, m.StoreBytes, m.StoreEvicted} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

// RejectReasons are the reason labels of overlay_rejected_total (Metrics.Rejected).
var RejectReasons = []string{
	"frame", "tls", "malformed", "signature", "puzzle", "replay", "stale", "misaddressed", "proto", "record",
	"handshakes", "peer_conns", "streams", "conn_buffer", "request_size", "frame_refused",
	"store_publisher_quota", "store_full", "store_not_responsible",
}

func outcome(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}
