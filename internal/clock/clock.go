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
	// NewTicker returns a ticker that delivers the time every d (d > 0).
	// Like time.Ticker it drops the ticks a slow receiver misses, so the
	// period holds however long the receiver takes.
	NewTicker(d time.Duration) Ticker
}

// Ticker is a periodic timer, like time.Ticker.
type Ticker interface {
	C() <-chan time.Time
	// Stop ends the ticks (one sent just before may still be received).
	Stop()
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

// NewTicker wraps time.NewTicker.
func (System) NewTicker(d time.Duration) Ticker { return systemTicker{time.NewTicker(d)} }

type systemTimer struct{ t *time.Timer }

func (s systemTimer) C() <-chan time.Time { return s.t.C }
func (s systemTimer) Stop() bool          { return s.t.Stop() }

type systemTicker struct{ t *time.Ticker }

func (s systemTicker) C() <-chan time.Time { return s.t.C }
func (s systemTicker) Stop()               { s.t.Stop() }
