package dataset

import (
	"strings"
	"testing"
)

func TestParseScheduleGrammar(t *testing.T) {
	for spec, cron := range map[string]string{
		"daily":            "0 0 * * *",
		"  Hourly ":        "0 * * * *",
		"@annually":        "0 0 1 1 *",
		"*/15 * * * *":     "0,15,30,45 * * * *",
		"5/20 1-3 * * *":   "5,25,45 1,2,3 * * *",
		"0 9 ? jan-MAR *":  "0 9 * 1,2,3 *",
		"0 0 1,15 * mon":   "0 0 1,15 * 1",
		"0 0 * * */1":      "0 0 * * *",
		"0 0 */1 * 1-5/2":  "0 0 * * 1,3,5",
		"0 0 1-31 * *":     "0 0 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31 * *",
		"0 0 29 2 *":       "0 0 29 2 *",
		"0 0 30 2 sun":     "0 0 30 2 0",
		"0 0 30 2,3 *":     "0 0 30 2,3 *",
		"00 07 * * SAT,0":  "0 7 * * 0,6",
		"59 23 31 12 6":    "59 23 31 12 6",
		"0 0 */2 */3 */2":  "0 0 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31 1,4,7,10 0,2,4,6",
		"@every 90m":       "",
		"@every 1m30.5s":   "",
		"minutely":         "* * * * *",
		"0 0 * * fri":      "0 0 * * 5",
		"0 0 ? * ?":        "0 0 * * *",
		"0,30 * * * 1-5/1": "0,30 * * * 1,2,3,4,5",
	} {
		s, err := ParseSchedule(spec)
		if err != nil {
			t.Errorf("%q: %v", spec, err)
			continue
		}
		if got := s.Cron(); got != cron {
			t.Errorf("%q: plain form %q, want %q", spec, got, cron)
		}
	}
	if s, _ := ParseSchedule("@every 1m30.5s"); s.Every != 90 {
		t.Errorf("@every 1m30.5s: every %d s, want 90 (whole seconds count)", s.Every)
	}
	for spec, want := range map[string]string{
		"":                         "0 fields",
		"every tuesday":            "2 fields",
		"CRON_TZ=Asia/Tokyo daily": "time zones",
		"TZ=UTC 0 0 * * *":         "time zones",
		"0 0 30 2 *":               "never fires",
		"0 0 31 4,6,9,11 *":        "never fires",
		"@every 10s":               "more often",
		"@every":                   "unknown descriptor",
		"@every x":                 "@every",
		"@fortnightly":             "unknown descriptor",
		"* * * * * *":              "6 fields",
		"61 * * * *":               "outside 0-59",
		"* 24 * * *":               "outside 0-23",
		"* * 0 * *":                "outside 1-31",
		"* * * 13 *":               "outside 1-12",
		"* * * * 7":                "outside 0-6",
		"5-1 * * * *":              "backwards",
		"*/0 * * * *":              "step",
		"*/-1 * * * *":             "step",
		"-5 * * * *":               "not a minute",
		"+5 * * * *":               "not a minute",
		"*-5 * * * *":              "not a minute",
		"1-2-3 * * * *":            "not a minute",
		"* * * foo *":              "not a month",
		"* * * * monday":           "not a day of week",
		"1,,2 * * * *":             "not a minute",
	} {
		if _, err := ParseSchedule(spec); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error mentioning %q", spec, err, want)
		}
	}
}

// FuzzParseSchedule: no spec panics the parser, and an accepted one means
// the same as its plain form.
func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{"daily", "*/15 1-3 * * *", "0 0 30 2 sun", "@every 90m", "0 9 ? jan-MAR 1-5/2", "5/20 * 1,15 * *"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := ParseSchedule(spec)
		if err != nil || s.Every > 0 {
			return
		}
		again, err := ParseSchedule(s.Cron())
		if err != nil {
			t.Fatalf("%q: its plain form %q is refused: %v", spec, s.Cron(), err)
		}
		if again != s {
			t.Fatalf("%q: plain form %q means %+v, not %+v", spec, s.Cron(), again, s)
		}
	})
}
