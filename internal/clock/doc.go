// Package clock is the one way shells (node, worker, overlay transport) read
// time, so tests and the simulator can drive it.
//
// Protocol cores never import this package: they see time only as ticks or as
// a `now` argument. Shells take a Clock in their config; production uses
// System, tests use a Simulated clock and call Advance.
//
// Invariants of Simulated:
//   - Now never goes backwards.
//   - Advance fires every timer whose deadline is at or before the new time,
//     in deadline order (ties in creation order), and sets Now to each
//     deadline as it fires, so a goroutine woken by a timer sees the time the
//     timer was due.
//   - A stopped timer never fires.
//   - A ticker fires at every multiple of its period that Advance passes;
//     a tick its receiver has not taken yet makes the next one drop, as
//     time.Ticker does.
package clock
