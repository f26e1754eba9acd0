package query

import (
	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/query/sql"
)

// What another row store (query/pgstore: PostgreSQL) needs of this engine
// when a persistence node keeps its rows there: the catalog, versions and
// batch bookkeeping stay in this store, the rows and the query execution
// go elsewhere, and queries are still bound (checked) here.

// Key is the table's storage key: the name its rows are kept under, in
// this store and in another backend.
func (t *Table) Key() common.Hash { return t.id }

// RowSink applies a batch's rows to another backend. It is called inside
// IngestElsewhere after the batch passed every check (schema, identity,
// stale runs and versions) and before the store records the batch, with
// the batch's content digest; it must apply the rows atomically and
// idempotently per (table, run, sequence number), because a crash after
// it returned and before the store recorded the batch makes the worker's
// retry call it again with the same digest.
type RowSink func(t *Table, b Batch, digest []byte) error

// IngestElsewhere is Ingest with the rows written by rows instead of to
// Pebble: identity, conflicts, run tracking and version switches are
// recorded here exactly as for Ingest.
func (s *Store) IngestElsewhere(b Batch, rows RowSink) (IngestResult, error) {
	return s.ingest(b, rows)
}

// ResultColumns binds a parsed statement that may read only table t, with
// every check Run makes (names, types, the rules of encrypted columns), and
// returns its output columns without reading a row. Another backend runs
// the statement only after this succeeded.
func (s *Store) ResultColumns(q string, st *sql.Statement, t *Table) ([]ResultColumn, error) {
	b := &binder{q: q, cat: singleTable{t}}
	p, err := b.bindSelect(st.Query, nil)
	if err != nil {
		return nil, err
	}
	return p.cols[:p.nOut], nil
}
