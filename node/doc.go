// Package node is the composition root: it wires the roles a node runs
// (validator, overlay, worker, persistence) to real I/O — QUIC, Pebble, an
// Ethereum endpoint, a ticker — and owns the process lifecycle: start in
// dependency order, stop in reverse on SIGINT/SIGTERM, close every store.
//
// It contains no protocol logic; each role is a service built from a core
// package and its shell. It also holds what clients of those roles share:
// Submitter (ledger commands to the validators, coalesced per validator,
// each accepted on f+1 matching replies), the chain view nodes and clients
// verify against, and the benchmarks of the assembled system.
//
// Invariants:
//   - Start either starts every service or stops those it started and
//     returns the error.
//   - Stop stops services in reverse start order, exactly once, and returns
//     every error it met (stopping continues past a failure so stores still
//     close).
package node
