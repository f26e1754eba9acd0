package clock

import (
	"context"
	"testing"
	"time"
)

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestSimulatedFiresInDeadlineOrder(t *testing.T) {
	c := NewSimulated(epoch)
	late := c.NewTimer(3 * time.Second)
	early := c.NewTimer(1 * time.Second)
	stopped := c.NewTimer(2 * time.Second)
	if !stopped.Stop() {
		t.Fatal("Stop on a pending timer returned false")
	}
	c.Advance(2 * time.Second)
	select {
	case got := <-early.C():
		if want := epoch.Add(time.Second); !got.Equal(want) {
			t.Fatalf("early timer delivered %v, want its deadline %v", got, want)
		}
	default:
		t.Fatal("early timer did not fire")
	}
	select {
	case <-late.C():
		t.Fatal("late timer fired before its deadline")
	default:
	}
	if got := c.Now(); !got.Equal(epoch.Add(2 * time.Second)) {
		t.Fatalf("Now = %v after Advance(2s)", got)
	}
	c.Advance(time.Second)
	if _, ok := <-late.C(); !ok {
		t.Fatal("late timer channel closed")
	}
	if c.PendingTimers() != 0 {
		t.Fatalf("PendingTimers = %d, want 0", c.PendingTimers())
	}
	if stopped.Stop() {
		t.Fatal("Stop on a stopped timer returned true")
	}
}

func TestWaitForTimersWakesWhenSleeperArrives(t *testing.T) {
	c := NewSimulated(epoch)
	done := make(chan time.Time)
	go func() { done <- <-c.After(time.Hour) }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.WaitForTimers(ctx, 1); err != nil {
		t.Fatalf("WaitForTimers: %v", err)
	}
	c.Advance(time.Hour)
	if got := <-done; !got.Equal(epoch.Add(time.Hour)) {
		t.Fatalf("sleeper woke at %v", got)
	}
}

func TestWaitForTimersHonoursContext(t *testing.T) {
	c := NewSimulated(epoch)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.WaitForTimers(ctx, 1); err == nil {
		t.Fatal("WaitForTimers returned nil with no timers and a cancelled context")
	}
}

func TestSimulatedTickerTicksEveryPeriodAndDropsMissedTicks(t *testing.T) {
	c := NewSimulated(epoch)
	tk := c.NewTicker(10 * time.Millisecond)
	c.Advance(9 * time.Millisecond)
	select {
	case got := <-tk.C():
		t.Fatalf("ticked at %v, before its period", got)
	default:
	}
	c.Advance(time.Millisecond)
	if got := <-tk.C(); !got.Equal(epoch.Add(10 * time.Millisecond)) {
		t.Fatalf("first tick at %v, want %v", got, epoch.Add(10*time.Millisecond))
	}
	// Three periods pass while nobody receives: one tick waits (the first
	// missed), the others drop, and the ticker is due again one period on.
	c.Advance(30 * time.Millisecond)
	if got := <-tk.C(); !got.Equal(epoch.Add(20 * time.Millisecond)) {
		t.Fatalf("waiting tick at %v, want the first missed one at %v", got, epoch.Add(20*time.Millisecond))
	}
	select {
	case got := <-tk.C():
		t.Fatalf("a second missed tick (%v) was kept", got)
	default:
	}
	if c.PendingTimers() != 1 {
		t.Fatalf("PendingTimers = %d, want the ticker", c.PendingTimers())
	}
	tk.Stop()
	c.Advance(time.Second)
	select {
	case got := <-tk.C():
		t.Fatalf("a stopped ticker ticked at %v", got)
	default:
	}
	if c.PendingTimers() != 0 {
		t.Fatalf("PendingTimers = %d after Stop, want 0", c.PendingTimers())
	}
}
