// Package query is the persistence node's engine: datasets' tables in
// Pebble, idempotent batch ingest, and the binder, planner and executor of
// the query language of package query/sql (SQLite's SELECT).
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
// Queries (Store.Query, Store.Run, Store.RunTables, Store.RunCatalog) are parsed and bound
// (bind.go): names resolved to row positions (qualified names, aliases,
// correlated subqueries, ORDER BY aliases and numbers as SQLite resolves
// them), types checked — numbers never meet strings or bytes, such a
// comparison is refused rather than guessed — and the rules of encrypted
// columns enforced: deterministic columns answer =, !=, IN, grouping,
// DISTINCT and COUNT; order-preserving ones also ranges, ORDER BY, MIN and
// MAX; constants compared with them must be ciphertext (EncryptQuery makes
// it so on the client) or the same column (a self-join); no arithmetic or
// function runs on ciphertext. Values follow SQLite: integer division, NULL
// propagation and three-valued logic, division by zero is NULL; integer
// overflow is an error (ErrOverflow) where SQLite would return a float.
//
// Each stored table of a query block is read through its best access path
// (access.go): the primary key or the index that pins the most leading
// columns by equality (=, IN) and then a range (<, <=, >, >=, BETWEEN);
// otherwise the whole table. When ORDER BY follows a key's order, that key
// is read forwards or backwards and nothing is sorted. INVARIANT: the
// chosen ranges only narrow the rows read; every condition is evaluated on
// every row read, so any plan returns exactly what a full scan returns
// (metamorphic_test.go checks this against SQLite, the sqllogictest runner
// in query/slt for every query of its corpus).
//
// Execution (exec.go, join.go, agg.go, subquery.go) streams rows from one
// Pebble snapshot through the filter into the output, hash joins, a hash
// aggregation, a top-K heap (ORDER BY … LIMIT) or a sort buffer; an
// uncorrelated subquery runs once per statement. Limits bound the rows
// read, the memory held, the result's rows and bytes, and the run time.
// Store.Check verifies the storage invariant above.
package query
