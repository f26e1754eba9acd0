package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/robfig/cron/v3"
)

// Schedule says when a job runs. All schedules are read in UTC.
type Schedule struct {
	spec  string
	sched cron.Schedule
}

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// Parse parses spec by the grammar of dataset.Schedule (the one the ledger
// checks certified metadata by) and computes its slots with robfig/cron
// from the schedule's plain form, so which specs are valid never depends on
// the cron library's version.
func Parse(spec string) (Schedule, error) {
	parsed, err := dataset.ParseSchedule(spec)
	if err != nil {
		return Schedule{}, err
	}
	spec = strings.TrimSpace(spec)
	if parsed.Every > 0 {
		return Schedule{spec: spec, sched: anchoredEvery{secs: parsed.Every}}, nil
	}
	sched, err := cronParser.Parse(parsed.Cron())
	if err != nil {
		return Schedule{}, fmt.Errorf("schedule %q: the cron library refused its plain form %q: %w", spec, parsed.Cron(), err)
	}
	return Schedule{spec: spec, sched: sched}, nil
}

// String returns the spec as written.
func (s Schedule) String() string { return s.spec }

// Next returns the first slot strictly after t, or the zero time if there is
// none within five years.
func (s Schedule) Next(t time.Time) time.Time {
	return s.sched.Next(t.UTC())
}

// IsSlot reports whether t is one of the schedule's slots: a whole UTC
// second that Next produces. A persistence node uses it to refuse a batch
// for a slot the dataset's certified schedule does not have.
func (s Schedule) IsSlot(t time.Time) bool {
	return s.Next(t.Add(-time.Nanosecond)).Equal(t)
}

// anchoredEvery is "@every d" with its slots at the multiples of d since
// the Unix epoch (1970-01-01T00:00:00Z), so every worker and persistence
// node computes the same slots whatever time they start from.
type anchoredEvery struct{ secs int64 }

func (e anchoredEvery) Next(t time.Time) time.Time {
	u := t.Unix() // seconds, rounded down, also before 1970
	k := u / e.secs
	if u%e.secs < 0 {
		k--
	}
	return time.Unix((k+1)*e.secs, 0).UTC()
}

// lookbackWindows are the spans LatestSlot searches, shortest first, so a
// frequent schedule is walked over an hour, not over a year.
var lookbackWindows = []time.Duration{time.Hour, 24 * time.Hour, 32 * 24 * time.Hour, 367 * 24 * time.Hour, 5 * 367 * 24 * time.Hour}

// LatestSlot returns the last slot in (after, now], if any.
func (s Schedule) LatestSlot(after, now time.Time) (time.Time, bool) {
	for _, w := range lookbackWindows {
		from := now.Add(-w)
		if from.Before(after) {
			from = after
		}
		var last time.Time
		for p := s.Next(from); !p.IsZero() && !p.After(now); p = s.Next(p) {
			last = p
		}
		if !last.IsZero() {
			return last, true
		}
		if !from.After(after) {
			return time.Time{}, false
		}
	}
	return time.Time{}, false
}
