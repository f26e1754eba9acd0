// Package dataset holds the vocabulary every part of enigma shares about a
// dataset: its path (<provider address>/<name>), its on-chain ID, and its
// schema (typed columns, primary key, secondary indexes, per-column
// encryption).
//
// The ledger signs and certifies these types, the worker validates rows
// against them, and the query engine stores tables by them; keeping them here
// means the three agree by construction.
//
// Invariants of a Schema that passed Validate:
//   - 1..MaxColumns columns with unique names that pass ValidateIdentifier;
//   - a non-empty primary key of distinct, non-nullable columns;
//   - indexes name existing columns and have unique names;
//   - order-preserving encryption only on int64, float64 and timestamp
//     columns (the types whose order the scheme preserves).
package dataset
