// Package schedule computes job schedules' slots: specs are parsed by the
// project's own grammar (dataset.ParseSchedule: 5-field cron specs,
// descriptors such as @hourly and @every 90m, and the words minutely,
// hourly, daily, weekly, monthly, yearly) and their slots computed by
// robfig/cron/v3 from the schedule's plain form.
//
// Invariants:
//   - Every schedule is read in UTC; time-zone prefixes are refused, so all
//     workers (and the ledger, through dataset.ParseSchedule) agree on the slots.
//   - A parsed schedule fires at least once (specs such as 30 February are
//     refused) and no more often than every MinEvery.
//   - Next(t) is strictly after t; LatestSlot(after, now) is in (after, now].
//   - "@every d" slots are the multiples of d since the Unix epoch, not
//     counted from some start time, so every node knows the same slots and
//     IsSlot(t) can tell whether a time is one of them.
//
// The package reads no clock: callers pass the times.
package schedule
