// Package pebblestore is the Pebble-backed write-ahead log of a PBFT
// replica: it implements consensus.Storage.
//
// Layout (all keys under a caller-chosen prefix, so the log can share a
// Pebble database with other subsystems; the prefixes of two logs in one
// database must not be prefixes of each other):
//
//	prefix "F"              → format version (uint64 RLP)
//	prefix "h"              → HardState (RLP)
//	prefix "v"              → the replica's latest ViewChange (RLP)
//	prefix "s"              → the stable checkpoint with its snapshot (RLP)
//	prefix "e" <seq big-endian> → LogEntry (RLP) without its batches
//	prefix "b" <seq big-endian> <batch digest> → Batch (RLP)
//
// Every value, the format record's included, is a record: the 4-byte
// big-endian CRC-32C (Castagnoli) of the record's key followed by its
// payload, then the payload (the RLP above). The key is in the checksum so
// that a value stored under another key fails it too.
//
// A log entry mentions its batch up to three times (the accepted
// pre-prepare, the prepared and the committed certificate) and is rewritten
// at each step, so batches are stored once each, by digest, and put back
// into their entries on Load, which checks them against the digest.
//
// Format versions. Format 1 (releases before the format record) stored the
// bare RLP, without a format record or checksums. Format 2 is the layout
// above. Open and New bring a log to format 2: an empty log gets the format
// record; a log with records but no format record is format 1 and is
// migrated in one synced batch (every record decoded the way format 1 was
// read, then rewritten with its checksum, and the format record set; a
// record that does not decode stops the migration with nothing written),
// which is logged at Info; a log in a newer format is refused
// (ErrNewerFormat: this binary is too old for it); a corrupt format record
// is left for Load to report, like any corrupt record. The format record keeps
// its key and encoding in every later format, so that any release can tell
// which format a log is in. A format-1 binary cannot: it takes the records
// of a format-2 log for corrupt ones (a checksum is not RLP), so downgrading
// needs the log removed.
//
// Invariants: Save applies one Update as a single Pebble batch, committed
// with Sync when asked, so after a synced Save returns the update survives
// a crash; an unsynced one may be lost, but only with every batch written
// after it (Pebble's write-ahead log is one sequence, and a sync, or the
// switch to a new log file, makes all of it up to there durable). A crash
// during Save (or during the migration) leaves either all of the update or
// none of it. Load never returns a record whose checksum fails: it checks every
// record of the log (the format record, and batches no entry refers to any
// more included), decodes strictly, and reports a corrupt record with an
// error wrapping ErrCorrupt that names its key and what the operator can do,
// instead of guessing.
package pebblestore
