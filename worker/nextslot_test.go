package worker

import (
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/worker/schedule"
)

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func TestNextSlotCatchUpPolicy(t *testing.T) {
	daily, _ := schedule.Parse("daily")
	now := utc(2026, 3, 5, 12, 0)
	cases := []struct {
		name     string
		last     time.Time
		hasLast  bool
		wantSlot time.Time
		wantDue  bool
	}{
		{"never ran: run now for today's slot", time.Time{}, false, utc(2026, 3, 5, 0, 0), true},
		{"up to date: wait for tomorrow", utc(2026, 3, 5, 0, 0), true, utc(2026, 3, 6, 0, 0), false},
		{"one missed: run it now", utc(2026, 3, 4, 0, 0), true, utc(2026, 3, 5, 0, 0), true},
		{"four missed: one run for the latest", utc(2026, 3, 1, 0, 0), true, utc(2026, 3, 5, 0, 0), true},
		{"a year missed: one run for the latest", utc(2025, 3, 1, 0, 0), true, utc(2026, 3, 5, 0, 0), true},
	}
	for _, tc := range cases {
		slot, due, ok := nextSlot(daily, tc.last, tc.hasLast, now)
		if !ok || !slot.Equal(tc.wantSlot) || due != tc.wantDue {
			t.Errorf("%s: slot %v due %v ok %v; want %v due %v", tc.name, slot, due, ok, tc.wantSlot, tc.wantDue)
		}
	}
	minutely, _ := schedule.Parse("minutely")
	if slot, due, _ := nextSlot(minutely, utc(2026, 1, 1, 0, 0), true, now); !due || !slot.Equal(now) {
		t.Errorf("minutely after two months down: slot %v due %v, want %v now", slot, due, now)
	}
	yearly, _ := schedule.Parse("yearly")
	if slot, due, _ := nextSlot(yearly, time.Time{}, false, now); !due || !slot.Equal(utc(2026, 1, 1, 0, 0)) {
		t.Errorf("yearly, never ran: slot %v due %v", slot, due)
	}
}
