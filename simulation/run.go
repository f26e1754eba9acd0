package simulation

import (
	"context"
	"fmt"
	"sync"
)

// Summary aggregates many runs.
type Summary struct {
	Runs        int       `json:"runs"`
	Requests    int       `json:"requests"`
	Committed   int       `json:"committed"`
	Batches     int       `json:"batches"`
	ViewChanges uint64    `json:"view_changes"`
	Transfers   int       `json:"state_transfers"`
	Restarts    int       `json:"restarts"`
	Duplicates  int       `json:"duplicates_skipped"`
	Violations  int       `json:"violations"`
	Failures    []*Result `json:"failures,omitempty"`
}

// Add folds one result into the summary.
func (s *Summary) Add(r *Result) {
	s.Runs++
	s.Requests += r.Requests
	s.Committed += r.Completed
	s.Batches += r.Batches
	s.ViewChanges += r.ViewChanges
	s.Transfers += r.Transfers
	s.Restarts += r.Restarts
	s.Duplicates += r.Duplicates
	if len(r.Violations) > 0 {
		s.Violations += len(r.Violations)
		s.Failures = append(s.Failures, r)
	}
}

// RunSeeds runs the seeds first … first+count-1 with base's other options on
// workers goroutines (each run is independent and deterministic, so the
// outcome does not depend on scheduling). progress, if set, is called after
// each run, in seed order.
func RunSeeds(ctx context.Context, base Options, first uint64, count, workers int, progress func(done int, r *Result)) (*Summary, error) {
	if workers < 1 {
		workers = 1
	}
	results := make([]*Result, count)
	errs := make([]error, count)
	ready := make([]chan struct{}, count)
	for i := range ready {
		ready[i] = make(chan struct{})
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				o := base
				o.Seed = first + uint64(i)
				o.Trace = nil
				results[i], errs[i] = Run(o)
				close(ready[i])
			}
		}()
	}
	go func() {
		defer close(next)
		for i := 0; i < count; i++ {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	sum := &Summary{}
	var err error
	for i := 0; i < count; i++ {
		select {
		case <-ready[i]:
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			break
		}
		if errs[i] != nil {
			err = fmt.Errorf("seed %d: %w", first+uint64(i), errs[i])
			break
		}
		sum.Add(results[i])
		if progress != nil {
			progress(i+1, results[i])
		}
	}
	wg.Wait()
	return sum, err
}
