package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Schedule says when a job runs. All schedules are read in UTC.
type Schedule struct {
	spec  string
	sched cron.Schedule
}

// scheduleWords are the plain-word schedules providers may write.
var scheduleWords = map[string]string{
	"minutely": "* * * * *",
	"hourly":   "@hourly",
	"daily":    "@daily",
	"weekly":   "@weekly",
	"monthly":  "@monthly",
	"yearly":   "@yearly",
}

// MinEvery is the shortest "@every" interval a schedule may use: the cron
// specs' own granularity.
const MinEvery = time.Minute

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Parse parses a 5-field cron spec ("30 0 * * *"), a descriptor
// (@hourly, @daily, @midnight, @weekly, @monthly, @yearly, @every 90m) or
// one of the words minutely, hourly, daily, weekly, monthly, yearly.
// Time-zone prefixes are refused: schedules are UTC so every worker agrees
// on the slots.
func Parse(spec string) (Schedule, error) {
	spec = strings.TrimSpace(spec)
	expr := spec
	if w, ok := scheduleWords[strings.ToLower(spec)]; ok {
		expr = w
	}
	if strings.HasPrefix(expr, "TZ=") || strings.HasPrefix(expr, "CRON_TZ=") {
		return Schedule{}, fmt.Errorf("schedule %q: time zones are not supported; write the spec in UTC", spec)
	}
	sched, err := cronParser.Parse(expr)
	if err != nil {
		return Schedule{}, fmt.Errorf("schedule %q: %w (use minutely, hourly, daily, a 5-field cron spec like \"30 0 * * *\" or @every 2h)", spec, err)
	}
	if every, ok := sched.(cron.ConstantDelaySchedule); ok {
		if every.Delay < MinEvery {
			return Schedule{}, fmt.Errorf("schedule %q: runs more often than every %s", spec, MinEvery)
		}
		// cron's own @every counts from whatever time it is given, so two
		// nodes would disagree on the slots; anchored, they agree.
		sched = anchoredEvery{secs: int64(every.Delay / time.Second)}
	}
	s := Schedule{spec: spec, sched: sched}
	// A spec such as "0 0 30 2 *" (30 February) parses but never fires.
	if s.Next(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return Schedule{}, fmt.Errorf("schedule %q never fires", spec)
	}
	return s, nil
}

// Check reports whether spec is a schedule workers accept; the ledger can
// use it so that certified metadata never names a schedule its workers
// refuse.
func Check(spec string) error {
	_, err := Parse(spec)
	return err
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
