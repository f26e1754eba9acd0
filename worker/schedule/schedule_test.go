package schedule

import (
	"strings"
	"testing"
	"time"
)

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func TestScheduleNextAcrossBoundaries(t *testing.T) {
	cases := []struct {
		spec  string
		after time.Time
		want  []time.Time
	}{
		{"daily", utc(2026, 2, 27, 22, 0), []time.Time{utc(2026, 2, 28, 0, 0), utc(2026, 3, 1, 0, 0), utc(2026, 3, 2, 0, 0)}},
		{"@midnight", utc(2028, 2, 28, 0, 0), []time.Time{utc(2028, 2, 29, 0, 0), utc(2028, 3, 1, 0, 0)}},
		{"30 23 * * *", utc(2026, 12, 31, 23, 30), []time.Time{utc(2027, 1, 1, 23, 30), utc(2027, 1, 2, 23, 30)}},
		{"hourly", utc(2026, 12, 31, 22, 59), []time.Time{utc(2026, 12, 31, 23, 0), utc(2027, 1, 1, 0, 0), utc(2027, 1, 1, 1, 0)}},
		{"0 */6 * * *", utc(2026, 5, 1, 19, 0), []time.Time{utc(2026, 5, 2, 0, 0), utc(2026, 5, 2, 6, 0)}},
		{"minutely", utc(2026, 5, 1, 23, 58), []time.Time{utc(2026, 5, 1, 23, 59), utc(2026, 5, 2, 0, 0)}},
		{"0 9 * * 1-5", utc(2026, 3, 6, 10, 0), []time.Time{utc(2026, 3, 9, 9, 0), utc(2026, 3, 10, 9, 0)}}, // Friday → Monday
		{"@every 90m", utc(2026, 5, 1, 23, 0), []time.Time{utc(2026, 5, 2, 0, 0), utc(2026, 5, 2, 1, 30)}},  // multiples of 90m since 1970
		{"monthly", utc(2026, 1, 31, 0, 0), []time.Time{utc(2026, 2, 1, 0, 0), utc(2026, 3, 1, 0, 0)}},
	}
	for _, tc := range cases {
		s, err := Parse(tc.spec)
		if err != nil {
			t.Fatalf("%q: %v", tc.spec, err)
		}
		at := tc.after
		for i, want := range tc.want {
			at = s.Next(at)
			if !at.Equal(want) {
				t.Errorf("%q: slot %d after %v = %v, want %v", tc.spec, i+1, tc.after, at, want)
				break
			}
		}
	}
	// A time in another zone is read as the same instant, slots stay UTC.
	s, _ := Parse("daily")
	tokyo := time.FixedZone("JST", 9*3600)
	if got := s.Next(time.Date(2026, 3, 1, 8, 0, 0, 0, tokyo)); !got.Equal(utc(2026, 3, 1, 0, 0)) {
		t.Errorf("Next from 08:00 JST = %v, want 2026-03-01T00:00Z", got)
	}
}

func TestParseScheduleRefusals(t *testing.T) {
	for spec, want := range map[string]string{
		"":                         "schedule",
		"every tuesday":            "5-field cron spec",
		"CRON_TZ=Asia/Tokyo daily": "time zones",
		"TZ=UTC 0 0 * * *":         "time zones",
		"0 0 30 2 *":               "never fires",
		"@every 10s":               "more often",
		"* * * * * *":              "schedule",
		"61 * * * *":               "schedule",
	} {
		if _, err := Parse(spec); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error mentioning %q", spec, err, want)
		}
	}
}

// TestIsSlot: a persistence node refuses batches for slots the dataset's
// schedule does not produce, so IsSlot must agree with Next exactly,
// @every included (whose slots must not depend on when a node asks).
func TestIsSlot(t *testing.T) {
	cases := []struct {
		spec    string
		slots   []time.Time
		noSlots []time.Time
	}{
		{"daily", []time.Time{utc(2026, 3, 1, 0, 0), utc(2100, 1, 1, 0, 0)},
			[]time.Time{utc(2026, 3, 1, 0, 1), utc(2026, 3, 1, 0, 0).Add(time.Microsecond), utc(2026, 3, 1, 0, 0).Add(-time.Second)}},
		{"30 23 * * *", []time.Time{utc(2026, 12, 31, 23, 30)}, []time.Time{utc(2026, 12, 31, 23, 0), utc(2026, 12, 31, 23, 31)}},
		{"0 9 * * 1-5", []time.Time{utc(2026, 3, 9, 9, 0)}, []time.Time{utc(2026, 3, 8, 9, 0)}}, // Monday yes, Sunday no
		{"@every 90m", []time.Time{utc(2026, 5, 2, 0, 0), utc(2026, 5, 2, 1, 30), time.Unix(0, 0), time.Unix(-5400, 0)},
			[]time.Time{utc(2026, 5, 2, 0, 30), utc(2026, 5, 2, 1, 30).Add(time.Second), time.Unix(-60, 0)}},
	}
	for _, tc := range cases {
		s, err := Parse(tc.spec)
		if err != nil {
			t.Fatalf("%q: %v", tc.spec, err)
		}
		for _, at := range tc.slots {
			if !s.IsSlot(at) {
				t.Errorf("%q: IsSlot(%v) = false, want true", tc.spec, at)
			}
		}
		for _, at := range tc.noSlots {
			if s.IsSlot(at) {
				t.Errorf("%q: IsSlot(%v) = true, want false", tc.spec, at)
			}
		}
	}
	// @every gives the same slots whatever time a node starts counting from.
	s, _ := Parse("@every 7m")
	a := s.Next(utc(2026, 5, 1, 12, 0).Add(13 * time.Second))
	b := s.Next(utc(2026, 5, 1, 12, 0).Add(2 * time.Minute))
	if !a.Equal(b) || a.Unix()%(7*60) != 0 {
		t.Errorf("@every 7m: Next from two start times = %v, %v; want one multiple of 7m since 1970", a, b)
	}
}
