package worker

import (
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the worker's Prometheus series, labelled by dataset path.
type metrics struct {
	runs        *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	rows        *prometheus.CounterVec
	retries     *prometheus.CounterVec
	pushErrors  *prometheus.CounterVec
	lastSuccess *prometheus.GaugeVec
	jobs        prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "enigma_worker_runs_total",
			Help: "Curation runs by dataset and outcome (ok, failed, cancelled).",
		}, []string{"dataset", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "enigma_worker_run_duration_seconds",
			Help:    "Duration of curation runs, retries included.",
			Buckets: prometheus.ExponentialBuckets(0.01, 4, 10),
		}, []string{"dataset"}),
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "enigma_worker_rows_pushed_total",
			Help: "Rows of successful runs, counted once per run (not per persistence node).",
		}, []string{"dataset"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "enigma_worker_run_retries_total",
			Help: "Attempts beyond the first, after a failed script run or push.",
		}, []string{"dataset"}),
		pushErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "enigma_worker_push_errors_total",
			Help: "Batches a persistence node did not accept.",
		}, []string{"dataset"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "enigma_worker_last_success_timestamp_seconds",
			Help: "End of the dataset's last successful run, Unix seconds.",
		}, []string{"dataset"}),
		jobs: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "enigma_worker_jobs",
			Help: "Jobs scheduled on this worker.",
		}),
	}
	for _, c := range []prometheus.Collector{m.runs, m.duration, m.rows, m.retries, m.pushErrors, m.lastSuccess, m.jobs} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}
