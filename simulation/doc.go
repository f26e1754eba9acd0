// Package simulation is the deterministic simulator for enigma's consensus
// engine: many replicas and clients in one process, running the real
// consensus core against a virtual clock and a seeded network model. One
// seed reproduces one run bit for bit; a failing seed is a one-line bug
// report (`enigma sim consensus --seed S … --trace`). INVARIANT: nothing a
// run does depends on Go's map order or on goroutine timing: a crashed
// Pebble filesystem is cloned in name and offset order (crashClone), each
// file deciding on coins of its own, and a Pebble log keeps only its
// synced records, since how much of its unsynced tail Pebble's log writer
// had written by the crash depends on when that goroutine woke.
//
// Each replica runs as the validator node runs it: a consensus.Driver fed
// by a loop that folds queued events into one Ready, whose synced write
// takes virtual time; Options.Config selects the short intervals of
// ReplicaConfig ("small") or the node's own settings ("node").
//
// What a run contains, all drawn from the seed (Options.Seed):
//   - the network: per-link delays, loss, duplication, reordering, delays
//     beyond every timeout and partitions (one replica isolated, split
//     brain, asymmetric, non-transitive) until a global stabilisation time
//     (GST), after which the network is reliable; replicas' clocks run at
//     different rates; full outboxes drop;
//   - faults: up to f Byzantine replicas (silent, equivocating primary with
//     colluding backups, forged and tampered messages, replays from long
//     ago, lying view changes, Twins pairs, censoring primaries, stale and
//     forged state), and crashes of honest replicas (at a time, in a view
//     change, again during recovery) that restart from their write-ahead
//     log, losing the write in flight; failed writes; a log record
//     corrupted at rest, which the restart must refuse;
//   - clients that submit requests one at a time and retransmit.
//
// A Byzantine replica runs the real engine with its real key; the simulator
// rewrites what it sends. The transport authenticates senders, so a
// Byzantine replica can lie in what it signs but not about who it is.
//
// Checkers (checker.go, and convergence in sim.go) judge only honest
// replicas: agreement (one batch per sequence number), state (one state
// digest per sequence number and per stable checkpoint), integrity (a
// request executes at most once), validity (only submitted requests
// execute), no honest equivocation (also across restarts), durability (a
// replica restarted from its log still holds the prepared certificate behind
// every commit it sent), recovery, quiet ticks (a tick the replica promised
// would do nothing does nothing),
// liveness (every request of a correct client commits within a bound after
// the last fault healed) and convergence (within the same bound, every
// honest replica reaches the same sequence number and state). Protocol bugs
// (consensus.Bug, BugTrials) exist to prove the checkers fail when the
// protocol is wrong.
//
// The application is pluggable through consensus.Application and
// consensus.Verifier; KVApp, a key-value store with a hash chain and
// MAC-authenticated requests, is the default.
//
// Invariant: nothing in a run depends on wall-clock time, map iteration
// order or goroutine scheduling; RunSeeds runs seeds in parallel, but each
// run is sequential and self-contained. simulation is never imported by
// production code.
package simulation
