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
// Invariants:
//   - Start either starts every service or stops those it started and
//     returns the error.
//   - Stop stops services in reverse start order, exactly once, and returns
//     every error it met (stopping continues past a failure so stores still
//     close).
package node
