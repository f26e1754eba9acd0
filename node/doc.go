// Package node is the composition root: it wires the roles a node runs
// (validator, overlay, worker, persistence) to real I/O — QUIC, Pebble, an
// Ethereum endpoint, a ticker — and owns the process lifecycle: start in
// dependency order, stop in reverse on SIGINT/SIGTERM, close every store.
//
// It contains no protocol logic; each role is a service built from a core
// package and its shell, and serves its protocols. What the roles' clients
// share with them lives below, so a client program links no node: the chain
// view (chain/chainview), the DHT records and overlay settings
// (overlay/records), ledger submission (ledger/ledgerclient), the info
// protocol and role names (nodeinfo), key delivery and grants
// (worker/workerkeys). It also holds the benchmarks of the assembled system.
//
// Time: everything in node that reads the time or waits for it does so
// through the one clock.Clock of Options.Clock (the system clock in
// production): the catalog's polls, the validator's ticks, epoch checks and
// leaving, the police's rounds, the chain endpoint's health polls, the
// worker's schedules and grant expiry, the persistence role's probe
// windows, caches, trial and push-slot checks and query timings, and the
// info protocol's request expiry. So a test drives them with a simulated
// clock instead of waiting, and a grant or a window expires when the test
// says. Two kinds of time stay real, on purpose: deadlines of real I/O
// (context.WithTimeout around a chain RPC, a QUIC call, a Postgres query),
// which bound round trips that take real time and must fire even when
// nobody advances a simulated clock; and the consensus benchmark's
// measurements, which are figures of real time. The overlay and the chain
// client keep the system clock, as their timers bound network round trips.
// internal/lint fails on any other use of time.Now, Since, Until, After,
// AfterFunc, NewTimer, NewTicker, Sleep or Tick here.
//
// Invariants:
//   - Start either starts every service or stops those it started and
//     returns the error.
//   - Stop stops services in reverse start order, exactly once, and returns
//     every error it met (stopping continues past a failure so stores still
//     close).
package node
