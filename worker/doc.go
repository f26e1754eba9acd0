// Package worker runs providers' curation jobs on a worker node: it
// schedules each job, runs its script in the sandbox (worker/script),
// encrypts the det/ope/ore columns with the provider's keys (query/colcrypt),
// and pushes the rows in batches (worker/wire) to every persistence node of
// the dataset through a Pusher the node supplies.
//
// Jobs come from the dataset's certified metadata; the node turns the
// ledger record into a Job and calls SetJob. A job with a higher version
// replaces the running one (its run in progress is cancelled and the new
// version starts when it has ended); equal or lower versions are ignored.
//
// Scheduling (worker/schedule): robfig/cron/v3 5-field specs, descriptors
// (@hourly, @daily, @every 90m …) and the words minutely, hourly, daily,
// weekly, monthly, yearly, all read in UTC, on the injected clock.
//
// Invariants and policies:
//   - A job never overlaps itself: one loop per job runs its slots one after
//     another, and a replacing version waits for the old loop to end.
//   - Catch-up: when slots were missed (the worker was down, or a run
//     outlasted the next slot), the job runs once, at once, for the latest
//     missed slot — never a burst of one run per missed slot. A job that
//     never ran runs at once for the latest slot at or before now. The last
//     slot run comes from the run history, which survives restarts.
//   - Retries: a failed attempt (script error, limit breach, missing keys,
//     a persistence node that did not acknowledge) is retried with
//     exponential backoff, at most RetryPolicy.MaxAttempts attempts and
//     never past the job's next slot. The script runs again only if it
//     failed; after a push failure the same batches go again, and only to
//     the nodes that are behind, from their first unacknowledged batch.
//   - Idempotency: a run's batches carry a RunID derived from (dataset,
//     version, slot, run start, worker node ID) and a batch number, equal
//     on every retry within the run, so a receiver applies each batch at
//     most once; a run started afresh after a restart has a new RunID, so
//     different rows never collide with an identity already applied.
//   - No plaintext of a det/ope/ore column leaves the worker: rows are
//     encrypted before they are cut into batches.
//   - Every run's outcome (slot, start, end, attempts, rows, batches, nodes
//     reached, status, error) is kept in <Dir>/history.json (written
//     atomically; RunsKeptPerDataset per dataset) and counted in Prometheus
//     series named enigma_worker_*. A run cancelled by Stop or a job
//     replacement is recorded as cancelled and does not count as done.
//   - Scripts run one at a time by default (MaxConcurrentScripts), because
//     the sandbox's memory limit is measured on the process heap.
package worker
