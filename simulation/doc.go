// Package simulation is the deterministic simulator for enigma's consensus
// engine: many replicas and clients in one process, running the real
// consensus core against a virtual clock and a seeded network model. One
// seed reproduces one run bit for bit; a failing seed is a one-line bug
// report (`enigma sim consensus --seed S … --trace`).
//
// What a run contains, all drawn from the seed (Options.Seed):
//   - the network: per-link delays, loss, duplication, reordering and
//     partitions (one replica isolated, split brain, asymmetric) until a
//     global stabilisation time (GST), after which the network is reliable;
//   - faults: up to f Byzantine replicas (silent, equivocating primary,
//     forged and tampered messages, replays, lying view changes, Twins —
//     two copies of one replica with the same key), and crashes of honest
//     replicas that restart from their write-ahead log, losing the write in
//     flight when they crashed;
//   - clients that submit requests one at a time and retransmit.
//
// A Byzantine replica runs the real engine with its real key; the simulator
// rewrites what it sends. The transport authenticates senders, so a
// Byzantine replica can lie in what it signs but not about who it is.
//
// Checkers (checker.go) judge only honest replicas: agreement (one batch per
// sequence number), state (one state digest per sequence number and per
// stable checkpoint), integrity (a request executes at most once), validity
// (only submitted requests execute), no honest equivocation (also across
// restarts), and liveness (after GST, with at most f faulty, every client
// request commits within a bound). Protocol bugs (consensus.Bug) exist to
// prove the checkers fail when the protocol is wrong.
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
