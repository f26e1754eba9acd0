package clock

import "time"

// Clock reads the time and makes timers.
type Clock interface {
	Now() time.Time
	// NewTimer returns a timer that delivers the time on its channel once d
	// has passed.
	NewTimer(d time.Duration) Timer
	// After is a shorthand for NewTimer(d).C().
	After(d time.Duration) <-chan time.Time
}

// Timer is a one-shot timer, like time.Timer.
type Timer interface {
	C() <-chan time.Time
	// Stop prevents the timer from firing; it reports whether the call
	// stopped it (false if it had already fired or been stopped).
	Stop() bool
}

// System is the wall clock.
type System struct{}

// Now returns time.Now().
func (System) Now() time.Time { return time.Now() }

// NewTimer wraps time.NewTimer.
func (System) NewTimer(d time.Duration) Timer { return systemTimer{time.NewTimer(d)} }

// After wraps time.After.
func (System) After(d time.Duration) <-chan time.Time { return time.After(d) }

type systemTimer struct{ t *time.Timer }

func (s systemTimer) C() <-chan time.Time { return s.t.C }
func (s systemTimer) Stop() bool          { return s.t.Stop() }
