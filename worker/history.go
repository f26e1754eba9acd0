package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// RunStatus is how a run ended.
type RunStatus string

// Run outcomes.
const (
	RunOK     RunStatus = "ok"
	RunFailed RunStatus = "failed"
	// RunCancelled: the worker stopped or a new job version replaced the
	// job mid-run. A cancelled slot is run again by the next loop.
	RunCancelled RunStatus = "cancelled"
)

// RunRecord is the outcome of one run (one schedule slot, all its attempts).
type RunRecord struct {
	Dataset   string    `json:"dataset"`
	DatasetID string    `json:"dataset_id"`
	Version   uint64    `json:"version"`
	RunID     string    `json:"run_id"`
	Slot      time.Time `json:"slot"`
	Started   time.Time `json:"started"`
	Finished  time.Time `json:"finished"`
	Attempts  int       `json:"attempts"`
	Rows      int       `json:"rows"`
	Batches   int       `json:"batches"`
	// NodesOK counts persistence nodes that acknowledged every batch.
	NodesOK    int       `json:"nodes_ok"`
	NodesTotal int       `json:"nodes_total"`
	Status     RunStatus `json:"status"`
	Error      string    `json:"error,omitempty"`
}

// Duration is how long the run took, retries included.
func (r RunRecord) Duration() time.Duration { return r.Finished.Sub(r.Started) }

// JobInfo describes a scheduled job for `enigma worker jobs`.
type JobInfo struct {
	Dataset          string    `json:"dataset"`
	DatasetID        string    `json:"dataset_id"`
	Version          uint64    `json:"version"`
	Schedule         string    `json:"schedule"`
	Dir              string    `json:"dir"`
	PersistenceNodes []string  `json:"persistence_nodes"`
	NextRun          time.Time `json:"next_run,omitzero"`
}

// HistoryFileName is the file under the worker directory that keeps jobs
// and run outcomes across restarts.
const HistoryFileName = "history.json"

// RunsKeptPerDataset bounds the history.
const RunsKeptPerDataset = 50

// HistoryFile is the on-disk form of the history.
type HistoryFile struct {
	Jobs []JobInfo   `json:"jobs"`
	Runs []RunRecord `json:"runs"`
}

// History keeps run outcomes in memory and, if it has a path, on disk
// (rewritten atomically after every change).
type History struct {
	path string
	mu   struct {
		sync.Mutex
		file     HistoryFile
		appended int
		// changed is closed and replaced on every append.
		changed chan struct{}
	}
}

// OpenHistory loads the history at path ("" keeps it in memory only).
func OpenHistory(path string) (*History, error) {
	h := &History{path: path}
	h.mu.changed = make(chan struct{})
	if path == "" {
		return h, nil
	}
	f, err := ReadHistory(path)
	if err != nil {
		return nil, err
	}
	h.mu.file = f
	return h, nil
}

// maxHistoryFile bounds the history file we are willing to read.
const maxHistoryFile = 64 << 20

// ReadHistory reads a history file; a missing file is an empty history.
func ReadHistory(path string) (HistoryFile, error) {
	var f HistoryFile
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("read worker history: %w", err)
	}
	if len(b) > maxHistoryFile {
		return f, fmt.Errorf("worker history %s is %d bytes, more than the %d this build reads; move it away to start afresh", path, len(b), maxHistoryFile)
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return f, fmt.Errorf("worker history %s is damaged: %w; move it away to start afresh", path, err)
	}
	return f, nil
}

// Runs returns the kept run records, oldest first.
func (h *History) Runs() []RunRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.mu.file.Runs)
}

// Jobs returns the jobs last recorded.
func (h *History) Jobs() []JobInfo {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.mu.file.Jobs)
}

// RunsOf returns the kept runs of one dataset, oldest first.
func (h *History) RunsOf(datasetID string) []RunRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []RunRecord
	for _, r := range h.mu.file.Runs {
		if r.DatasetID == datasetID {
			out = append(out, r)
		}
	}
	return out
}

// WaitForRuns blocks until at least n runs were recorded since the history
// was opened, or ctx ends.
func (h *History) WaitForRuns(ctx context.Context, n int) error {
	for {
		h.mu.Lock()
		if h.mu.appended >= n {
			h.mu.Unlock()
			return nil
		}
		changed := h.mu.changed
		h.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// lastSlot returns the slot of the latest run of the dataset's metadata
// version that was not cancelled. A new version has none: it runs at once
// for the latest slot, so an update is curated without waiting a period
// (and the persistence nodes, which keep serving the old version until the
// new one's first complete run, switch as soon as it lands).
func (h *History) lastSlot(datasetID string, version uint64) (time.Time, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var last time.Time
	found := false
	for _, r := range h.mu.file.Runs {
		if r.DatasetID == datasetID && r.Version == version && r.Status != RunCancelled && (!found || r.Slot.After(last)) {
			last, found = r.Slot, true
		}
	}
	return last, found
}

// Append records a run, as the worker does when one ends (for tools and
// tests that stand in for a worker).
func (h *History) Append(rec RunRecord) error { return h.append(rec) }

func (h *History) append(rec RunRecord) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	runs := append(h.mu.file.Runs, rec)
	// Trim the dataset's oldest runs beyond the bound.
	count := 0
	for _, r := range runs {
		if r.DatasetID == rec.DatasetID {
			count++
		}
	}
	if excess := count - RunsKeptPerDataset; excess > 0 {
		runs = slices.DeleteFunc(runs, func(r RunRecord) bool {
			if excess > 0 && r.DatasetID == rec.DatasetID {
				excess--
				return true
			}
			return false
		})
	}
	h.mu.file.Runs = runs
	h.mu.appended++
	close(h.mu.changed)
	h.mu.changed = make(chan struct{})
	return h.saveLocked()
}

func (h *History) setJob(info JobInfo) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	i := slices.IndexFunc(h.mu.file.Jobs, func(j JobInfo) bool { return j.DatasetID == info.DatasetID })
	if i < 0 {
		h.mu.file.Jobs = append(h.mu.file.Jobs, info)
	} else {
		h.mu.file.Jobs[i] = info
	}
	return h.saveLocked()
}

func (h *History) clearJobs() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.mu.file.Jobs = nil
	return h.saveLocked()
}

func (h *History) removeJob(datasetID string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.mu.file.Jobs = slices.DeleteFunc(h.mu.file.Jobs, func(j JobInfo) bool { return j.DatasetID == datasetID })
	return h.saveLocked()
}

// saveLocked writes the file atomically: a crash leaves the old or the new
// history, never a torn one.
func (h *History) saveLocked() error {
	if h.path == "" {
		return nil
	}
	b, err := json.MarshalIndent(h.mu.file, "", "  ")
	if err != nil {
		return fmt.Errorf("encode worker history: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(h.path), ".history-*.json")
	if err != nil {
		return fmt.Errorf("save worker history: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("save worker history: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("save worker history: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save worker history: %w", err)
	}
	if err := os.Rename(tmp.Name(), h.path); err != nil {
		return fmt.Errorf("save worker history: %w", err)
	}
	return nil
}
