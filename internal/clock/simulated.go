package clock

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Simulated is a manually driven clock for tests. It is safe for concurrent
// use: test code advances it while the code under test waits on its timers.
type Simulated struct {
	mu struct {
		sync.Mutex
		now    time.Time
		seq    uint64
		timers []*simTimer
		// changed is closed and replaced whenever the set of pending timers
		// changes, so WaitForTimers can wait without polling.
		changed chan struct{}
	}
}

// NewSimulated returns a simulated clock that starts at start.
func NewSimulated(start time.Time) *Simulated {
	s := &Simulated{}
	s.mu.now = start
	s.mu.changed = make(chan struct{})
	return s
}

// Now returns the simulated time.
func (s *Simulated) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mu.now
}

// NewTimer schedules a timer d after the current simulated time. A timer with
// d <= 0 fires on the next Advance (including Advance(0)).
func (s *Simulated) NewTimer(d time.Duration) Timer {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mu.seq++
	t := &simTimer{clock: s, at: s.mu.now.Add(d), seq: s.mu.seq, ch: make(chan time.Time, 1)}
	s.mu.timers = append(s.mu.timers, t)
	s.notifyLocked()
	return t
}

// After is a shorthand for NewTimer(d).C().
func (s *Simulated) After(d time.Duration) <-chan time.Time { return s.NewTimer(d).C() }

// NewTicker schedules a ticker whose first tick is d after the current
// simulated time; it stays pending (PendingTimers counts it) until stopped.
func (s *Simulated) NewTicker(d time.Duration) Ticker {
	if d <= 0 {
		panic("clock: NewTicker with a non-positive period")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mu.seq++
	t := &simTimer{clock: s, at: s.mu.now.Add(d), seq: s.mu.seq, ch: make(chan time.Time, 1), period: d}
	s.mu.timers = append(s.mu.timers, t)
	s.notifyLocked()
	return simTicker{t}
}

// Advance moves the clock forward by d, firing due timers in deadline order.
func (s *Simulated) Advance(d time.Duration) {
	if d < 0 {
		panic("clock: Advance with a negative duration")
	}
	s.mu.Lock()
	target := s.mu.now.Add(d)
	s.mu.Unlock()
	s.AdvanceTo(target)
}

// AdvanceTo moves the clock to t (never backwards), firing due timers.
func (s *Simulated) AdvanceTo(t time.Time) {
	for {
		s.mu.Lock()
		next := s.nextDueLocked(t)
		if next == nil {
			if t.After(s.mu.now) {
				s.mu.now = t
			}
			s.mu.Unlock()
			return
		}
		if next.at.After(s.mu.now) {
			s.mu.now = next.at
		}
		now := s.mu.now
		if next.period > 0 {
			// A ticker stays pending, due one period later; a tick its
			// receiver has not taken yet makes this one drop.
			next.at = next.at.Add(next.period)
			s.mu.Unlock()
			select {
			case next.ch <- now:
			default:
			}
			continue
		}
		s.removeLocked(next)
		s.mu.Unlock()
		next.ch <- now
	}
}

// PendingTimers reports how many timers are waiting to fire.
func (s *Simulated) PendingTimers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.mu.timers)
}

// WaitForTimers blocks until at least n timers are pending or ctx ends. Tests
// use it to know that the code under test has gone to sleep before they
// advance the clock, instead of sleeping themselves.
func (s *Simulated) WaitForTimers(ctx context.Context, n int) error {
	for {
		s.mu.Lock()
		if len(s.mu.timers) >= n {
			s.mu.Unlock()
			return nil
		}
		changed := s.mu.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *Simulated) nextDueLocked(limit time.Time) *simTimer {
	if len(s.mu.timers) == 0 {
		return nil
	}
	sort.Slice(s.mu.timers, func(i, j int) bool {
		a, b := s.mu.timers[i], s.mu.timers[j]
		if !a.at.Equal(b.at) {
			return a.at.Before(b.at)
		}
		return a.seq < b.seq
	})
	if first := s.mu.timers[0]; !first.at.After(limit) {
		return first
	}
	return nil
}

func (s *Simulated) removeLocked(t *simTimer) bool {
	for i, p := range s.mu.timers {
		if p == t {
			s.mu.timers = append(s.mu.timers[:i], s.mu.timers[i+1:]...)
			s.notifyLocked()
			return true
		}
	}
	return false
}

func (s *Simulated) notifyLocked() {
	close(s.mu.changed)
	s.mu.changed = make(chan struct{})
}

// simTimer is a pending timer, or a ticker when period > 0.
type simTimer struct {
	clock  *Simulated
	at     time.Time
	seq    uint64
	ch     chan time.Time
	period time.Duration
}

func (t *simTimer) C() <-chan time.Time { return t.ch }

func (t *simTimer) Stop() bool {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	return t.clock.removeLocked(t)
}

// simTicker is a simTimer with a period, behind the Ticker interface.
type simTicker struct{ t *simTimer }

func (k simTicker) C() <-chan time.Time { return k.t.ch }
func (k simTicker) Stop()               { k.t.Stop() }
