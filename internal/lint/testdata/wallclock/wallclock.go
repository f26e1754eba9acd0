// Package wallclock is a fixture of the wall-clock check: a shell that
// reads package time's clock in every way the check must see, under an
// alias, beside uses it must let pass.
package wallclock

import (
	stdtime "time"
)

// deadline is a package-level use (a function value).
var deadline = stdtime.After

// Direct calls Now.
func Direct() stdtime.Time { return stdtime.Now() }

// Value takes Since as a value.
func Value() func(stdtime.Time) stdtime.Duration {
	since := stdtime.Since
	return since
}

type T struct{}

// Wait sleeps, in a method with a pointer receiver.
func (*T) Wait() { stdtime.Sleep(stdtime.Millisecond) }

// Measure is allowed, closures included.
func Measure(f func()) stdtime.Duration {
	start := stdtime.Now()
	run := func() { f(); _ = stdtime.NewTimer(stdtime.Second) }
	run()
	return stdtime.Since(start)
}

// Lazy is allowed without a reason.
func Lazy() <-chan stdtime.Time { return stdtime.Tick(stdtime.Second) }

// Types, constants and conversions read no clock.
func Pure(sec int64) stdtime.Time { return stdtime.Unix(sec, 0).Add(stdtime.Duration(sec)) }
