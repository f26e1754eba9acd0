// Package pgstore keeps a persistence node's rows in PostgreSQL and runs
// its subscribers' queries there, beside the embedded Pebble engine of
// package query (docs/arch/postgres.md).
//
// The node still owns every decision: package query keeps the catalog,
// the versions, and each batch's identity and run bookkeeping in its
// Pebble store (query.Store.IngestElsewhere) and binds every query
// (query.Store.ResultColumns: names, types, the rules of encrypted
// columns). This package only
//
//   - creates one table per dataset version, named from its storage key
//     (enigma_<hex>), with generated column names c0, c1, … and the
//     schema's primary key and indexes;
//   - applies a batch's rows with COPY into a temporary table and one
//     INSERT … ON CONFLICT, together with a marker row (table, run,
//     sequence number, content digest) in enigma_batches, in one
//     transaction, so a retried batch is applied once (Apply);
//   - writes a checked statement as parameterised PostgreSQL (Translate)
//     and runs it on read-only sessions, cancelled at the time limit
//     (Run).
//
// Encrypted columns are bytea: deterministic ciphertexts compare for
// equality, order-preserving ones are fixed-length big-endian numbers, so
// bytea's byte-wise order is the plaintext order and ranges, ORDER BY,
// MIN and MAX run inside PostgreSQL on ciphertext. Strings are bytea too,
// so they compare by bytes as in the engine (SQLite's BINARY collation)
// and any byte string fits.
package pgstore
