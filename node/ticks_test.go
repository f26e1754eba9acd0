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
	if q, act := tk.due(); fired(w) || q != 0 || act {
		t.Fatal("a tick before its interval")
	}
	clk.Advance(time.Millisecond)
	if q, act := tk.due(); !fired(w) || q != 0 || !act {
		t.Fatal("no tick after one interval")
	}
	clk.Advance(50 * time.Millisecond)
	if q, act := tk.due(); q != 0 || !act {
		t.Fatalf("after five intervals unattended: %d quiet ticks and act %v, want one tick", q, act)
	}
	if q, act := tk.due(); fired(tk.wake()) || q != 0 || act {
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
	if q, act := tk.due(); q != 3 || act {
		t.Fatalf("an event after 35 ms got %d quiet ticks and act %v, want 3 quiet ones", q, act)
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
	if q, act := tk.due(); q != 6 || !act {
		t.Fatalf("woken at the deadline with %d quiet ticks and act %v, want the 6 quiet ones and the one that may act", q, act)
	}
	tk.promise(5)
	clk.Advance(time.Second) // the shell was starved for a second
	if q, act := tk.due(); q != 5 || !act {
		t.Fatalf("after a second starved, %d quiet ticks and act %v; want the 5 quiet ones and one more", q, act)
	}
}
