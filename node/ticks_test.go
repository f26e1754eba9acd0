package node

import (
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/internal/clock"
)

// fired reports whether c has delivered.
func fired(c <-chan time.Time) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// Without a promise the replica gets one tick per interval and one per
// wake-up at most: a shell that fell behind drops the rest.
func TestTicksDropWhatASlowShellMissed(t *testing.T) {
	clk := clock.NewSimulated(time.Unix(0, 0))
	tk := newTicks(clk, 10*time.Millisecond)
	w := tk.wake()
	clk.Advance(9 * time.Millisecond)
	if fired(w) || tk.due() != 0 {
		t.Fatal("a tick before its interval")
	}
	clk.Advance(time.Millisecond)
	if !fired(w) || tk.due() != 1 {
		t.Fatal("no tick after one interval")
	}
	clk.Advance(50 * time.Millisecond)
	if got := tk.due(); got != 1 {
		t.Fatalf("%d ticks delivered after five intervals unattended, want 1", got)
	}
	if fired(tk.wake()) || tk.due() != 0 {
		t.Fatal("the dropped ticks came back")
	}
}

// A replica that promised quiet ticks is woken at the first tick that may
// act, and gets the quiet ones with it; an event before that delivers the
// quiet ticks due so far.
func TestTicksSleepThroughAPromise(t *testing.T) {
	clk := clock.NewSimulated(time.Unix(0, 0))
	tk := newTicks(clk, 10*time.Millisecond)
	tk.promise(9)
	w := tk.wake()
	clk.Advance(35 * time.Millisecond)
	if fired(w) {
		t.Fatal("woken inside the quiet ticks")
	}
	if got := tk.due(); got != 3 {
		t.Fatalf("an event after 35 ms got %d ticks, want 3", got)
	}
	tk.promise(6) // what the replica promised after the event
	w = tk.wake()
	clk.Advance(64 * time.Millisecond) // to 99 ms: the tick at 100 may act
	if fired(w) {
		t.Fatal("woken before the tick that may act")
	}
	clk.Advance(time.Millisecond)
	if !fired(w) {
		t.Fatal("not woken for the tick that may act")
	}
	if got := tk.due(); got != 7 {
		t.Fatalf("woken at the deadline with %d ticks, want the 6 quiet ones and the one that may act", got)
	}
	tk.promise(5)
	clk.Advance(time.Second) // the shell was starved for a second
	if got := tk.due(); got != 6 {
		t.Fatalf("after a second starved, %d ticks; want the 5 quiet ones and one more", got)
	}
}
