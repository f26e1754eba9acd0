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
