// Package pebblestore is the Pebble-backed write-ahead log of a PBFT
// replica: it implements consensus.Storage.
//
// Layout (all keys under a caller-chosen prefix, so the log can share a
// Pebble database with other subsystems):
//
//	prefix "h"              → HardState (RLP)
//	prefix "v"              → the replica's latest ViewChange (RLP)
//	prefix "s"              → the stable checkpoint with its snapshot (RLP)
//	prefix "e" <seq big-endian> → LogEntry (RLP) without its batches
//	prefix "b" <seq big-endian> <batch digest> → Batch (RLP)
//
// A log entry mentions its batch up to three times (the accepted
// pre-prepare, the prepared and the committed certificate) and is rewritten
// at each step, so batches are stored once each, by digest, and put back
// into their entries on Load, which checks them against the digest.
//
// Invariant: Save applies one Update as a single Pebble batch committed with
// Sync, so after Save returns the update survives a crash, and a crash
// during Save leaves either all of it or none of it. Load decodes strictly
// and reports corrupt records instead of guessing.
package pebblestore
