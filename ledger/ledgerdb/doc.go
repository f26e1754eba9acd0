// Package ledgerdb is the ledger's persistence shell: it opens the Pebble
// database under a node's data directory and runs the pure ledger core on
// it. The core sees only an ethdb.KeyValueStore; this package owns the files.
//
// Invariants:
//   - One process holds the database at a time (Pebble's directory lock);
//     a second Open fails with a clear error instead of corrupting it.
//   - After a crash, Open resumes at the last batch whose Apply returned:
//     the core writes trie nodes before the head and syncs the head before
//     Apply returns, and Pebble replays its write-ahead log on open.
//   - Compact never leaves a node without its ledger: the compacted copy is
//     synced beside the original and swapped in by renames, and Open
//     completes or undoes a swap a crash interrupted.
package ledgerdb
