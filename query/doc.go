// Package query is the persistence node's engine: datasets' tables in
// Pebble, idempotent batch ingest, and a planner and executor for the query
// language of package query/sql.
//
// Storage. Every dataset is one table typed by its dataset.Schema, keyed by
// its on-chain ID. Rows live under 'r'+id+pk and each secondary index
// under 'i'+id+index+columns+pk, with the order-preserving key encoding of
// query/internal/keyenc, so primary-key and index ranges are Pebble
// iterator ranges. Encrypted columns are stored as their ciphertext bytes;
// order-preserving ciphertexts keep their order in keys.
//
// Ingest (Store.Ingest) applies a Batch atomically in one Pebble batch.
// INVARIANT: after any sequence of ingests, every row has exactly one entry
// in each index and every index entry points at a row whose indexed columns
// it encodes (upserts delete the replaced row's entries; ingests are
// serialised). A batch is identified by (dataset, run ID, sequence number)
// and its content hash is recorded with it, so a retry is a no-op and a
// conflicting reuse is refused.
//
// Queries (Store.Query) are parsed, compiled against the schema — type
// checks and the rules of encrypted columns: deterministic columns answer
// =, != and IN and GROUP BY; order-preserving ones also ranges, ORDER BY,
// MIN and MAX; constants for encrypted columns must be ciphertext — and
// planned: the primary key or the index that pins the most leading columns
// by equality (=, IN) and then a range (<, <=, >, >=, BETWEEN) is scanned;
// otherwise the whole table. When ORDER BY follows a key's order, that key
// is read forwards or backwards and nothing is sorted. INVARIANT: the chosen ranges only narrow the
// rows read; the whole WHERE is evaluated on every row, so any plan returns
// exactly what a full scan returns (metamorphic_test.go checks this, and
// compares with SQLite).
//
// Execution streams rows from one Pebble snapshot through the filter into
// the output, an aggregation hash table, a top-K heap (ORDER BY … LIMIT) or
// a sort buffer; Limits bound the rows read, the memory held, the result's
// rows and bytes, and the run time. Store.Check verifies the storage
// invariant above.
package query
