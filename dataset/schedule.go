package dataset

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// MinEvery is the shortest "@every" interval a schedule may use: the cron
// specs' own granularity.
const MinEvery = time.Minute

// Schedule is a parsed job schedule: when a dataset's curation runs. Every
// schedule is read in UTC.
//
// The grammar is the project's own, so that whether certified metadata is
// valid depends on no third party's parser (the workers compute slots with
// robfig/cron from Cron(), a form every cron parser reads alike):
//
//	schedule   = word | descriptor | fields
//	word       = "minutely" | "hourly" | "daily" | "weekly" | "monthly" | "yearly"   (any case)
//	descriptor = "@yearly" | "@annually" | "@monthly" | "@weekly" | "@daily" | "@midnight"
//	           | "@hourly" | "@every " duration   (Go syntax, at least 1m; whole seconds count)
//	fields     = minute hour day-of-month month day-of-week   (separated by spaces)
//	field      = item {"," item}
//	item       = ("*" | "?" | value ["-" value]) ["/" step]
//	value      = a number in the field's range, or a month (JAN–DEC) or weekday (SUN–SAT)
//	             name in those fields, any case; day-of-week is 0–6 (Sunday = 0)
//
// "a/n" means a, a+n, … up to the field's maximum. When both day fields are
// restricted a day matches either (cron's rule); a "*" or "?" in one of them
// leaves the other alone. A schedule must fire: "0 0 30 2 *" is refused.
type Schedule struct {
	// Every is the interval of an "@every" schedule in whole seconds (its
	// slots are the multiples of it since the Unix epoch), 0 otherwise.
	Every int64
	// Minute, Hour, Dom, Month and Dow have bit v set when value v is in
	// the field (Month: 1–12, Dom: 1–31, Dow: 0–6).
	Minute, Hour, Dom, Month, Dow uint64
	// DomAny and DowAny record a "*" or "?" in a day field.
	DomAny, DowAny bool
}

// scheduleWords are the plain-word schedules providers may write.
var scheduleWords = map[string]string{
	"minutely": "* * * * *",
	"hourly":   "0 * * * *",
	"daily":    "0 0 * * *",
	"weekly":   "0 0 * * 0",
	"monthly":  "0 0 1 * *",
	"yearly":   "0 0 1 1 *",
}

var scheduleDescriptors = map[string]string{
	"@yearly":   "0 0 1 1 *",
	"@annually": "0 0 1 1 *",
	"@monthly":  "0 0 1 * *",
	"@weekly":   "0 0 * * 0",
	"@daily":    "0 0 * * *",
	"@midnight": "0 0 * * *",
	"@hourly":   "0 * * * *",
}

type cronField struct {
	name     string
	min, max int
	names    map[string]int
}

var cronFields = [5]cronField{
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day of month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: map[string]int{
		"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
		"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}},
	{name: "day of week", min: 0, max: 6, names: map[string]int{
		"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}},
}

const scheduleHelp = `use minutely, hourly, daily, weekly, monthly, yearly, a 5-field cron spec like "30 0 * * *" (minute hour day month weekday, UTC) or @every 2h`

// ParseSchedule parses spec by the grammar of Schedule.
func ParseSchedule(spec string) (Schedule, error) {
	s, err := parseSchedule(strings.TrimSpace(spec))
	if err != nil {
		return Schedule{}, fmt.Errorf("schedule %q: %w", spec, err)
	}
	return s, nil
}

func parseSchedule(spec string) (Schedule, error) {
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return Schedule{}, fmt.Errorf("time zones are not supported; write the spec in UTC")
	}
	if w, ok := scheduleWords[strings.ToLower(spec)]; ok {
		spec = w
	}
	if strings.HasPrefix(spec, "@") {
		if rest, ok := strings.CutPrefix(spec, "@every "); ok {
			d, err := time.ParseDuration(strings.TrimSpace(rest))
			if err != nil {
				return Schedule{}, fmt.Errorf("@every: %w", err)
			}
			if d < MinEvery {
				return Schedule{}, fmt.Errorf("runs more often than every %s", MinEvery)
			}
			return Schedule{Every: int64(d / time.Second)}, nil
		}
		expr, ok := scheduleDescriptors[strings.ToLower(spec)]
		if !ok {
			return Schedule{}, fmt.Errorf("unknown descriptor (%s)", scheduleHelp)
		}
		spec = expr
	}
	parts := strings.Fields(spec)
	if len(parts) != 5 {
		return Schedule{}, fmt.Errorf("%d fields, a cron spec has 5 (%s)", len(parts), scheduleHelp)
	}
	var masks [5]uint64
	var anyDay [5]bool
	for i, part := range parts {
		m, star, err := parseCronField(part, cronFields[i])
		if err != nil {
			return Schedule{}, fmt.Errorf("%s field %q: %w (%s)", cronFields[i].name, part, err, scheduleHelp)
		}
		masks[i], anyDay[i] = m, star
	}
	s := Schedule{Minute: masks[0], Hour: masks[1], Dom: masks[2], Month: masks[3], Dow: masks[4], DomAny: anyDay[2], DowAny: anyDay[4]}
	if !s.fires() {
		return Schedule{}, fmt.Errorf("never fires (no month has the days it names)")
	}
	return s, nil
}

// parseCronField returns the field's values as a bit mask, and whether it
// starts with "*" or "?" (cron's rule for the two day fields looks at that).
func parseCronField(field string, f cronField) (uint64, bool, error) {
	var mask uint64
	star := false
	for item := range strings.SplitSeq(field, ",") {
		rng, stepText, hasStep := strings.Cut(item, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepText)
			if err != nil || n <= 0 {
				return 0, false, fmt.Errorf("step %q is not a positive number", stepText)
			}
			step = n
		}
		lo, hi := f.min, f.max
		if rng == "*" || rng == "?" {
			// cron's rule: "*" and "*/1" leave the other day field alone.
			star = star || step == 1
		} else {
			loText, hiText, isRange := strings.Cut(rng, "-")
			var err error
			if lo, err = f.value(loText); err != nil {
				return 0, false, err
			}
			switch {
			case isRange:
				if hi, err = f.value(hiText); err != nil {
					return 0, false, err
				}
			case !hasStep:
				hi = lo // "a/n" runs to the maximum
			}
		}
		if lo > hi {
			return 0, false, fmt.Errorf("range %d-%d runs backwards", lo, hi)
		}
		for v := lo; v <= hi; v += step {
			mask |= 1 << v
		}
	}
	return mask, star, nil
}

func (f cronField) value(text string) (int, error) {
	if v, ok := f.names[strings.ToLower(text)]; ok {
		return v, nil
	}
	v, err := strconv.Atoi(text)
	if err != nil || strings.HasPrefix(text, "+") {
		return 0, fmt.Errorf("%q is not a %s", text, f.name)
	}
	if v < f.min || v > f.max {
		return 0, fmt.Errorf("%d is outside %d-%d", v, f.min, f.max)
	}
	return v, nil
}

// daysIn is the most days each month has (February in a leap year, which
// comes within any five years, the span schedules are searched over).
var daysIn = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// fires reports whether some day matches: a restricted weekday field always
// lets a day match, and otherwise a named day must exist in a named month.
func (s Schedule) fires() bool {
	if s.DomAny || !s.DowAny {
		return true
	}
	for m := 1; m <= 12; m++ {
		if s.Month&(1<<m) != 0 && s.Dom&(1<<(daysIn[m]+1)-1) != 0 {
			return true
		}
	}
	return false
}

// Cron returns the schedule as a 5-field spec of plain numbers, lists and
// "*" that any cron parser reads as this package does; "" for an "@every"
// schedule.
func (s Schedule) Cron() string {
	if s.Every > 0 {
		return ""
	}
	field := func(mask uint64, f cronField, star bool) string {
		if star {
			return "*"
		}
		var vs []string
		for mask != 0 {
			v := bits.TrailingZeros64(mask)
			vs = append(vs, strconv.Itoa(v))
			mask &^= 1 << v
		}
		return strings.Join(vs, ",")
	}
	minuteAll := s.Minute == fullMask(cronFields[0])
	hourAll := s.Hour == fullMask(cronFields[1])
	monthAll := s.Month == fullMask(cronFields[3])
	return strings.Join([]string{
		field(s.Minute, cronFields[0], minuteAll),
		field(s.Hour, cronFields[1], hourAll),
		field(s.Dom, cronFields[2], s.DomAny),
		field(s.Month, cronFields[3], monthAll),
		field(s.Dow, cronFields[4], s.DowAny),
	}, " ")
}

func fullMask(f cronField) uint64 {
	return (1<<(f.max+1) - 1) &^ (1<<f.min - 1)
}
