package schedule

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/robfig/cron/v3"
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

// TestParseRefusesWhatTheGrammarRefuses: the grammar's own refusals are
// tested in package dataset; Parse passes them on.
func TestParseRefusesWhatTheGrammarRefuses(t *testing.T) {
	for _, spec := range []string{"0 0 30 2 *", "@every 10s", "TZ=UTC 0 0 * * *"} {
		_, want := dataset.ParseSchedule(spec)
		if _, err := Parse(spec); err == nil || want == nil || err.Error() != want.Error() {
			t.Errorf("%q: Parse says %v, the grammar %v", spec, err, want)
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

// TestGrammarAgreesWithRobfigCron compares the project's schedule grammar
// (dataset.ParseSchedule) with robfig/cron reading the same spec, over
// random specs: what the grammar accepts, cron accepts and gives the same
// slots; what cron accepts and fires, the grammar accepts — except the
// forms it refuses on purpose ("*-5", where cron ignores the "-5").
func TestGrammarAgreesWithRobfigCron(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	robfig := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
	maxes := [5]int{59, 23, 31, 12, 6}
	names := [5][]string{nil, nil, nil, {"jan", "FEB", "Mar", "dec"}, {"sun", "MON", "fri", "Sat"}}
	item := func(f int) string {
		v := func() string {
			if names[f] != nil && rng.IntN(4) == 0 {
				return names[f][rng.IntN(len(names[f]))]
			}
			return strconv.Itoa(rng.IntN(maxes[f] + 3)) // a few out of range
		}
		var s string
		switch rng.IntN(5) {
		case 0:
			s = "*"
		case 1:
			s = "?"
		case 2:
			s = v() + "-" + v()
		default:
			s = v()
		}
		if rng.IntN(4) == 0 {
			s += "/" + strconv.Itoa(rng.IntN(8)) // 0 is refused by both
		}
		return s
	}
	accepted, compared := 0, 0
	for range 20000 {
		var fields []string
		for f := range 5 {
			n := 1 + rng.IntN(2)
			var items []string
			for range n {
				items = append(items, item(f))
			}
			fields = append(fields, strings.Join(items, ","))
		}
		spec := strings.Join(fields, " ")
		ours, ourErr := dataset.ParseSchedule(spec)
		theirs, theirErr := robfig.Parse(spec)
		fires := theirErr == nil && !theirs.Next(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero()
		if ourErr != nil {
			if fires {
				t.Errorf("%q: cron reads it and it fires, the grammar refuses it: %v", spec, ourErr)
			}
			continue
		}
		accepted++
		if theirErr != nil {
			t.Errorf("%q: the grammar accepts it (plain form %q), cron refuses it: %v", spec, ours.Cron(), theirErr)
			continue
		}
		s, err := Parse(spec)
		if err != nil {
			t.Fatalf("%q: %v", spec, err)
		}
		at := time.Date(2026, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), 0, 0, time.UTC)
		for range 4 {
			a, b := s.Next(at), theirs.Next(at)
			if !a.Equal(b) {
				t.Errorf("%q (plain form %q): next slot after %v is %v, cron says %v", spec, ours.Cron(), at, a, b)
				break
			}
			at = a
		}
		compared++
	}
	if accepted < 2000 {
		t.Errorf("only %d of 20000 random specs were accepted; the generator tests too little", accepted)
	}
	t.Logf("%d specs accepted and their slots compared with cron's", compared)
}
