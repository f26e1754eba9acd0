package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/worker/schedule"
	"github.com/enigma-mpc/enigma/worker/script"
	"github.com/enigma-mpc/enigma/worker/wire"
)

// Pusher delivers row batches to persistence nodes. The node implements it
// over the overlay's authenticated QUIC connections; the receiving side
// checks the sender's node ID against the dataset's worker list.
type Pusher interface {
	// Push returns once node has stored the batch or recognised it as a
	// duplicate (same RunID and Seq); any error means "try again later".
	Push(ctx context.Context, node identity.NodeID, b *wire.Batch) error
}

// KeySource returns the provider's column keys for a dataset.
type KeySource func(datasetID common.Hash) (*colcrypt.Keys, error)

// JobDir is the directory under a worker directory whose files a dataset's
// script may read.
func JobDir(workerDir string, datasetID common.Hash) string {
	return filepath.Join(workerDir, "jobs", datasetID.Hex())
}

// KeysFileName is the name KeysFromDir looks for: <dir>/<dataset ID hex>.keys.
func KeysFileName(datasetID common.Hash) string { return datasetID.Hex() + ".keys" }

// KeysFromDir reads keys written by colcrypt.SaveKeys from dir.
func KeysFromDir(dir string) KeySource {
	return func(id common.Hash) (*colcrypt.Keys, error) {
		path := filepath.Join(dir, KeysFileName(id))
		k, err := colcrypt.LoadKeys(path)
		if err != nil {
			return nil, fmt.Errorf("column keys for dataset %s: %w (the provider gives its workers the keys; install them at %s)", id.Hex(), err, path)
		}
		return k, nil
	}
}

// RetryPolicy says how a failed run is retried: exponential backoff from
// InitialBackoff, capped at MaxBackoff, at most MaxAttempts attempts, and
// never past the job's next slot (that run brings fresher data).
type RetryPolicy struct {
	MaxAttempts    int
	InitialBackoff time.Duration
	MaxBackoff     time.Duration
}

// Config configures a Worker. Zero fields take defaults.
type Config struct {
	// NodeID is this worker's node ID; it goes into run IDs.
	NodeID identity.NodeID
	// Dir holds history.json and one directory per job (jobs/<dataset
	// ID>/) that its script may read. Empty: history in memory only and
	// scripts get no directory.
	Dir    string
	Pusher Pusher
	// Keys gives the column keys of datasets with encrypted columns.
	Keys KeySource
	// Sandbox carries the operator's script settings (HTTP allow-list,
	// limits, HTTP client); the worker fills in Dir and Logger, and Clock
	// if unset.
	Sandbox script.Config
	Retry   RetryPolicy
	// BatchRows and BatchBytes bound one batch (defaults 1000 rows, 1 MiB).
	BatchRows  int
	BatchBytes int
	// PushTimeout bounds one Push call (default 30 s).
	PushTimeout time.Duration
	// MaxConcurrentScripts bounds scripts running at once (default 1: the
	// sandbox's memory limit is measured on the shared heap).
	MaxConcurrentScripts int
	Clock                clock.Clock
	Logger               *slog.Logger
	// Registerer receives the worker's metrics (default: a private
	// registry).
	Registerer prometheus.Registerer
}

func (c Config) withDefaults() Config {
	if c.Retry.MaxAttempts == 0 {
		c.Retry.MaxAttempts = 5
	}
	if c.Retry.InitialBackoff == 0 {
		c.Retry.InitialBackoff = 30 * time.Second
	}
	if c.Retry.MaxBackoff == 0 {
		c.Retry.MaxBackoff = 15 * time.Minute
	}
	if c.BatchRows == 0 {
		c.BatchRows = 1000
	}
	c.BatchRows = min(c.BatchRows, wire.MaxBatchRows)
	if c.BatchBytes == 0 {
		c.BatchBytes = 1 << 20
	}
	if c.PushTimeout == 0 {
		c.PushTimeout = 30 * time.Second
	}
	if c.MaxConcurrentScripts == 0 {
		c.MaxConcurrentScripts = 1
	}
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Registerer == nil {
		c.Registerer = prometheus.NewRegistry()
	}
	return c
}

// Worker schedules curation jobs and pushes their rows. It implements the
// node's Service interface (Name, Start, Stop).
type Worker struct {
	cfg     Config
	log     *slog.Logger
	history *History
	metrics *metrics
	scripts chan struct{}
	loops   sync.WaitGroup

	mu struct {
		sync.Mutex
		// ctx is the lifetime of the job loops; nil until Start.
		ctx     context.Context
		cancel  context.CancelFunc
		stopped bool
		jobs    map[common.Hash]*entry
		// removed holds the entries of removed jobs whose loops may still
		// be ending.
		removed map[common.Hash]*entry
	}
}

// entry is one scheduled job and its loop.
type entry struct {
	job   Job
	sched schedule.Schedule
	dir   string
	// prev is the entry this one replaced; the loop waits for it to end so
	// two versions of a job never run at once.
	prev   *entry
	cancel context.CancelFunc
	done   chan struct{}
	cipher *colcrypt.Cipher
}

// New returns a worker with no jobs; Start runs them.
func New(cfg Config) (*Worker, error) {
	cfg = cfg.withDefaults()
	if cfg.Pusher == nil {
		return nil, errors.New("worker: no Pusher configured")
	}
	historyPath := ""
	if cfg.Dir != "" {
		if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
			return nil, fmt.Errorf("worker directory: %w", err)
		}
		historyPath = filepath.Join(cfg.Dir, HistoryFileName)
	}
	h, err := OpenHistory(historyPath)
	if err != nil {
		return nil, err
	}
	m, err := newMetrics(cfg.Registerer)
	if err != nil {
		return nil, fmt.Errorf("worker metrics: %w", err)
	}
	w := &Worker{cfg: cfg, log: cfg.Logger.With("service", "worker"), history: h, metrics: m,
		scripts: make(chan struct{}, cfg.MaxConcurrentScripts)}
	w.mu.jobs = make(map[common.Hash]*entry)
	w.mu.removed = make(map[common.Hash]*entry)
	// The job list on disk describes a running worker; this one has none yet.
	if err := h.clearJobs(); err != nil {
		return nil, err
	}
	return w, nil
}

// Name implements the node's Service.
func (w *Worker) Name() string { return "worker" }

// Start starts the loops of the jobs set so far, and of jobs set later.
func (w *Worker) Start(context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.mu.stopped || w.mu.ctx != nil {
		return errors.New("worker: already started or stopped")
	}
	w.mu.ctx, w.mu.cancel = context.WithCancel(context.Background())
	for _, e := range w.mu.jobs {
		w.startLocked(e)
	}
	return nil
}

// Stop cancels every job (a run in progress is recorded as cancelled and
// run again after restart) and waits for the loops to end.
func (w *Worker) Stop() error {
	w.mu.Lock()
	w.mu.stopped = true
	if w.mu.cancel != nil {
		w.mu.cancel()
	}
	w.mu.Unlock()
	w.loops.Wait()
	return nil
}

// History returns the run history.
func (w *Worker) History() *History { return w.history }

// SetJob schedules job, or replaces the dataset's job if job.Version is
// higher than the scheduled one's. It reports whether the job was taken; an
// equal or older version is ignored. A run of the old version in progress
// is cancelled, and the new version starts once it has ended.
func (w *Worker) SetJob(job Job) (bool, error) {
	if err := job.Validate(); err != nil {
		return false, err
	}
	sched, err := schedule.Parse(job.Schedule)
	if err != nil {
		return false, err
	}
	id := job.Dataset.ID()
	dir := ""
	if w.cfg.Dir != "" {
		dir = JobDir(w.cfg.Dir, id)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return false, fmt.Errorf("job directory for %s: %w", job.Dataset, err)
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.mu.stopped {
		return false, errors.New("worker: stopped")
	}
	old := w.mu.jobs[id]
	if old != nil && old.job.Version >= job.Version {
		return false, nil
	}
	if old != nil && old.cancel != nil {
		old.cancel()
	}
	prev := old
	if prev == nil {
		prev = w.mu.removed[id]
	}
	delete(w.mu.removed, id)
	if prev != nil && prev.cancel == nil {
		prev = nil // never started: no loop to wait for
	}
	e := &entry{job: job, sched: sched, dir: dir, prev: prev, done: make(chan struct{})}
	w.mu.jobs[id] = e
	w.metrics.jobs.Set(float64(len(w.mu.jobs)))
	if w.mu.ctx != nil {
		w.startLocked(e)
	}
	w.log.Info("job scheduled", "dataset", job.Dataset, "version", job.Version, "schedule", sched)
	return true, w.history.setJob(w.jobInfo(e, time.Time{}))
}

// RemoveJob stops the dataset's job (after its current run is cancelled).
func (w *Worker) RemoveJob(id common.Hash) error {
	w.mu.Lock()
	e := w.mu.jobs[id]
	delete(w.mu.jobs, id)
	if e != nil && e.cancel != nil {
		e.cancel()
		// Kept so that a job set again for the dataset waits for this
		// loop to end.
		w.mu.removed[id] = e
	}
	w.metrics.jobs.Set(float64(len(w.mu.jobs)))
	w.mu.Unlock()
	if e == nil {
		return nil
	}
	return w.history.removeJob(id.Hex())
}

func (w *Worker) startLocked(e *entry) {
	ctx, cancel := context.WithCancel(w.mu.ctx)
	e.cancel = cancel
	w.loops.Add(1)
	go w.loop(ctx, e)
}

func (w *Worker) jobInfo(e *entry, next time.Time) JobInfo {
	nodes := make([]string, len(e.job.PersistenceNodes))
	for i, n := range e.job.PersistenceNodes {
		nodes[i] = n.String()
	}
	return JobInfo{
		Dataset: e.job.Dataset.String(), DatasetID: e.job.Dataset.ID().Hex(), Version: e.job.Version,
		Schedule: e.sched.String(), Dir: e.dir, PersistenceNodes: nodes, NextRun: next,
	}
}

// loop runs one job: wait for the slot, run it (with retries), repeat.
// Runs of a job are sequential by construction, so a job never overlaps
// itself; a run that outlasts its next slot is followed by one catch-up run.
func (w *Worker) loop(ctx context.Context, e *entry) {
	defer w.loops.Done()
	defer close(e.done)
	if e.prev != nil {
		select {
		case <-e.prev.done:
		case <-ctx.Done():
			return
		}
	}
	id := e.job.Dataset.ID().Hex()
	last, hasLast := w.history.lastSlot(id, e.job.Version)
	for {
		now := w.cfg.Clock.Now()
		slot, due, ok := nextSlot(e.sched, last, hasLast, now)
		if !ok {
			w.log.Warn("schedule has no further slots", "dataset", e.job.Dataset, "schedule", e.sched)
			<-ctx.Done()
			return
		}
		if !due {
			if err := w.history.setJob(w.jobInfo(e, slot)); err != nil {
				w.log.Error("record job", "dataset", e.job.Dataset, "err", err)
			}
			t := w.cfg.Clock.NewTimer(slot.Sub(now))
			select {
			case <-t.C():
			case <-ctx.Done():
				t.Stop()
				return
			}
		}
		rec := w.run(ctx, e, slot)
		if rec.Status == RunCancelled {
			return
		}
		last, hasLast = slot, true
	}
}

// nextSlot decides the next run. The catch-up policy: if slots were missed
// (downtime, or a run that outlasted its successor's slot), run once, now,
// for the latest missed slot — never once per missed slot. A job that never
// ran runs at once for the latest slot at or before now. ok is false if the
// schedule never fires again.
func nextSlot(s schedule.Schedule, last time.Time, hasLast bool, now time.Time) (slot time.Time, due, ok bool) {
	if !hasLast {
		if latest, found := s.LatestSlot(time.Time{}, now); found {
			return latest, true, true
		}
		next := s.Next(now)
		return next, false, !next.IsZero()
	}
	next := s.Next(last)
	if next.IsZero() {
		return time.Time{}, false, false
	}
	if next.After(now) {
		return next, false, true
	}
	latest, _ := s.LatestSlot(last, now)
	return latest, true, true
}

// run executes one slot: curate, encrypt, push to every persistence node,
// retrying failures; it records the outcome.
func (w *Worker) run(ctx context.Context, e *entry, slot time.Time) RunRecord {
	id := e.job.Dataset.ID()
	label := e.job.Dataset.String()
	started := w.cfg.Clock.Now()
	runID := wire.NewRunID(id, e.job.Version, slot.UnixMicro(), started.UnixMicro(), w.cfg.NodeID)
	rec := RunRecord{
		Dataset: label, DatasetID: id.Hex(), Version: e.job.Version, RunID: runID.String(),
		Slot: slot, Started: started, NodesTotal: len(e.job.PersistenceNodes),
	}
	log := w.log.With("dataset", label, "slot", slot.Format(time.RFC3339), "run", runID.String()[:16])
	log.Info("run started")

	var batches []*wire.Batch
	curated := false
	// progress[node] is how many batches node has acknowledged.
	progress := make(map[identity.NodeID]int, len(e.job.PersistenceNodes))
	backoff := w.cfg.Retry.InitialBackoff
	nextSlot := e.sched.Next(slot)
	for attempt := 1; ; attempt++ {
		rec.Attempts = attempt
		var err error
		if !curated {
			batches, rec.Rows, err = w.curate(ctx, e, slot, runID)
			curated = err == nil
			rec.Batches = len(batches)
		}
		if curated {
			err = w.pushAll(ctx, e, batches, progress)
		}
		if err == nil {
			rec.Status, rec.Error = RunOK, ""
			break
		}
		rec.Error = err.Error()
		if ctx.Err() != nil {
			rec.Status = RunCancelled
			break
		}
		if attempt >= w.cfg.Retry.MaxAttempts {
			rec.Status = RunFailed
			break
		}
		if wake := w.cfg.Clock.Now().Add(backoff); !nextSlot.IsZero() && !wake.Before(nextSlot) {
			rec.Status = RunFailed
			rec.Error += " (not retried: the next scheduled run comes first)"
			break
		}
		log.Warn("run attempt failed; retrying", "attempt", attempt, "backoff", backoff, "err", err)
		w.metrics.retries.WithLabelValues(label).Inc()
		t := w.cfg.Clock.NewTimer(backoff)
		select {
		case <-t.C():
		case <-ctx.Done():
			t.Stop()
			rec.Status = RunCancelled
		}
		if rec.Status == RunCancelled {
			break
		}
		backoff = min(2*backoff, w.cfg.Retry.MaxBackoff)
	}
	for _, n := range e.job.PersistenceNodes {
		if curated && progress[n] == len(batches) {
			rec.NodesOK++
		}
	}
	rec.Finished = w.cfg.Clock.Now()
	w.metrics.runs.WithLabelValues(label, string(rec.Status)).Inc()
	w.metrics.duration.WithLabelValues(label).Observe(rec.Duration().Seconds())
	switch rec.Status {
	case RunOK:
		w.metrics.rows.WithLabelValues(label).Add(float64(rec.Rows))
		w.metrics.lastSuccess.WithLabelValues(label).Set(float64(rec.Finished.Unix()))
		log.Info("run done", "rows", rec.Rows, "batches", rec.Batches, "attempts", rec.Attempts, "duration", rec.Duration())
	case RunFailed:
		log.Error("run failed", "attempts", rec.Attempts, "err", rec.Error)
	case RunCancelled:
		log.Info("run cancelled", "err", rec.Error)
	}
	if err := w.history.append(rec); err != nil {
		log.Error("record run", "err", err)
	}
	return rec
}

// curate runs the script, encrypts the rows and cuts them into batches.
func (w *Worker) curate(ctx context.Context, e *entry, slot time.Time, runID wire.RunID) ([]*wire.Batch, int, error) {
	select {
	case w.scripts <- struct{}{}:
	case <-ctx.Done():
		return nil, 0, ctx.Err()
	}
	defer func() { <-w.scripts }()
	cfg := w.cfg.Sandbox
	cfg.Dir = e.dir
	if cfg.Clock == nil {
		cfg.Clock = w.cfg.Clock
	}
	cfg.Logger = w.log.With("dataset", e.job.Dataset.String())
	res, err := script.Run(ctx, cfg, script.Input{
		Filename: e.job.scriptName(), Source: e.job.Script, Schema: &e.job.Schema,
		Dataset: e.job.Dataset.String(), Version: e.job.Version, ScheduledAt: slot,
	})
	if err != nil {
		return nil, 0, err
	}
	rows, err := w.encrypt(e, res.Rows)
	if err != nil {
		return nil, 0, err
	}
	batches, err := cutBatches(rows, w.cfg.BatchRows, w.cfg.BatchBytes, wire.Batch{
		DatasetID: e.job.Dataset.ID(), Version: e.job.Version, RunID: runID, SlotMicros: slot.UnixMicro(),
	})
	return batches, len(rows), err
}

// encrypt turns plaintext rows into stored rows with the provider's keys,
// so no plaintext of an encrypted column leaves the worker.
func (w *Worker) encrypt(e *entry, rows []dataset.Row) ([]dataset.Row, error) {
	if !e.job.Schema.HasEncryptedColumns() {
		return rows, nil
	}
	if e.cipher == nil {
		if w.cfg.Keys == nil {
			return nil, fmt.Errorf("dataset %s has encrypted columns but this worker has no column keys configured", e.job.Dataset)
		}
		keys, err := w.cfg.Keys(e.job.Dataset.ID())
		if err != nil {
			return nil, err
		}
		c, err := colcrypt.New(keys, e.job.Dataset.ID())
		if err != nil {
			return nil, err
		}
		e.cipher = c
	}
	out := make([]dataset.Row, len(rows))
	for i, r := range rows {
		enc, err := e.cipher.EncryptRow(&e.job.Schema, i+1, r)
		if err != nil {
			return nil, fmt.Errorf("encrypt rows: %w", err)
		}
		out[i] = enc
	}
	return out, nil
}

// cutBatches splits rows into batches of at most maxRows rows and about
// maxBytes bytes (a single larger row gets a batch of its own).
func cutBatches(rows []dataset.Row, maxRows, maxBytes int, header wire.Batch) ([]*wire.Batch, error) {
	var out []*wire.Batch
	start, size := 0, 0
	flush := func(end int) {
		b := header
		b.Rows = rows[start:end]
		out = append(out, &b)
		start, size = end, 0
	}
	for i, r := range rows {
		rs := rowSize(r)
		if i > start && (i-start >= maxRows || size+rs > maxBytes) {
			flush(i)
		}
		size += rs
	}
	if start < len(rows) {
		flush(len(rows))
	}
	if len(out) > int(^uint32(0)) {
		return nil, fmt.Errorf("run produced %d batches, more than a run can carry", len(out))
	}
	// Encoding each batch once here finds an oversized row before any push.
	for i, b := range out {
		b.Seq, b.Total = uint32(i), uint32(len(out))
		if _, err := wire.Encode(b); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// rowSize approximates a row's encoded size.
func rowSize(r dataset.Row) int {
	n := 4
	for _, v := range r {
		n += 12 + len(v.Bytes)
	}
	return n
}

// pushAll sends the batches each node has not acknowledged yet; it returns
// the joined errors of nodes that are still behind.
func (w *Worker) pushAll(ctx context.Context, e *entry, batches []*wire.Batch, progress map[identity.NodeID]int) error {
	var errs []error
	for _, node := range e.job.PersistenceNodes {
		for progress[node] < len(batches) {
			b := batches[progress[node]]
			pctx, cancel := context.WithTimeout(ctx, w.cfg.PushTimeout)
			err := w.cfg.Pusher.Push(pctx, node, b)
			cancel()
			if err != nil {
				w.metrics.pushErrors.WithLabelValues(e.job.Dataset.String()).Inc()
				errs = append(errs, fmt.Errorf("push batch %d/%d to persistence node %s: %w", b.Seq+1, b.Total, node.Short(), err))
				break
			}
			progress[node]++
		}
	}
	return errors.Join(errs...)
}

// Job returns the job scheduled for a dataset.
func (w *Worker) Job(id common.Hash) (Job, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	e, ok := w.mu.jobs[id]
	if !ok {
		return Job{}, false
	}
	return e.job, true
}

// Jobs returns the scheduled jobs, sorted by dataset.
func (w *Worker) Jobs() []JobInfo {
	jobs := w.history.Jobs()
	slices.SortFunc(jobs, func(a, b JobInfo) int { return strings.Compare(a.Dataset, b.Dataset) })
	return jobs
}
