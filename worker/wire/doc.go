// Package wire is the format of the row batches a worker pushes to a
// dataset's persistence nodes, shared by the sender (worker) and the
// receiver (the persistence node's ingest).
//
// A curation run produces rows; the worker encrypts their det/ope/ore columns
// (query/colcrypt), cuts them into batches of bounded size and sends every
// batch to every persistence node of the dataset over the overlay's
// authenticated QUIC connections. The connection already proves which node
// sent a batch, so batches carry no signature; the receiver checks the
// sender's node ID against the dataset's worker list and the rows against
// the schema (Batch.Check).
//
// Idempotency: a batch is identified by (RunID, Seq). RunID is derived from
// (dataset ID, metadata version, schedule slot, run start, worker node ID)
// by NewRunID, so a retried or duplicated batch carries the same identity
// and the receiver applies it at most once; Total tells it when a run is
// complete. Slot lets a receiver refuse batches from runs older than the
// newest run it has fully applied, so a late retry never overwrites fresher
// rows.
//
// Invariants:
//   - Decode accepts exactly the encodings Encode produces (one encoding per
//     batch: canonical RLP, cells whose unused fields are zero), refuses
//     anything longer than MaxBatchSize before looking at it, and never
//     panics.
//   - A decoded batch has Seq < Total, at least one row, and at most
//     MaxBatchRows rows.
//
// The package is pure: no clock, no I/O.
package wire
