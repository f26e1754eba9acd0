package pgstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/sql"
)

// Store holds two connection pools to the node's PostgreSQL database: one
// for ingest and maintenance, and one for queries whose sessions are
// read-only and plan every statement with its constants.
type Store struct {
	pool  *pgxpool.Pool
	reads *pgxpool.Pool
}

// batchesTable records every batch applied: the marker that makes a
// retried batch a no-op.
const batchesTable = "enigma_batches"

// Open connects to the database named by dsn (a libpq connection string
// or URL) and creates the batch markers' table if it is missing. The DSN
// holds a password: callers take it from the configuration file or the
// environment, never from a command line, and never log it.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's parse errors may quote the DSN, password included.
		return nil, errors.New("the PostgreSQL DSN does not parse: write it as postgres://user:password@host:port/database or as key=value pairs")
	}
	rcfg := cfg.Copy()
	// Every transaction of a query session is read-only, and each
	// statement is planned with its constants (a range's bounds, an IN
	// list) as the engine's planner sees them, not by a cached generic
	// plan. Set at connection, so a query is one round trip.
	rcfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	rcfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL at %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	reads, err := pgxpool.NewWithConfig(ctx, rcfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to PostgreSQL at %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	s := &Store{pool: pool, reads: reads}
	_, err = pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+batchesTable+` (
		tbl text NOT NULL, run text NOT NULL, seq bigint NOT NULL, digest bytea NOT NULL,
		PRIMARY KEY (tbl, run, seq))`)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("PostgreSQL at %s:%d: create %s (does the user own the database, or have CREATE on its schema?): %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, batchesTable, err)
	}
	return s, nil
}

// Close closes the pools.
func (s *Store) Close() {
	s.reads.Close()
	s.pool.Close()
}

// pgType is the column type of a schema column in PostgreSQL.
func pgType(c dataset.Column) string {
	switch pgKind(c) {
	case kindFloat:
		return "double precision"
	case kindBytes:
		return "bytea"
	}
	return "bigint"
}

func colList(cols []int) string {
	var names []string
	for _, j := range cols {
		names = append(names, colName(j))
	}
	return strings.Join(names, ", ")
}

func (s *Store) schemaCols(sc *dataset.Schema, names []string) []int {
	var out []int
	for _, n := range names {
		out = append(out, sc.ColumnIndex(n))
	}
	return out
}

// CreateTable creates t's table and its indexes if they do not exist.
func (s *Store) CreateTable(ctx context.Context, t *query.Table) error {
	name := TableName(t)
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS %s (", name)
	for j, c := range t.Schema.Columns {
		fmt.Fprintf(&b, "%s %s", colName(j), pgType(c))
		if !c.Nullable {
			b.WriteString(" NOT NULL")
		}
		b.WriteString(", ")
	}
	fmt.Fprintf(&b, "PRIMARY KEY (%s))", colList(s.schemaCols(&t.Schema, t.Schema.PrimaryKey)))
	stmts := []string{b.String()}
	for i, ix := range t.Schema.Indexes {
		stmts = append(stmts, fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s_i%d ON %s (%s)", name, i, name, colList(s.schemaCols(&t.Schema, ix.Columns))))
	}
	for _, st := range stmts {
		if _, err := s.pool.Exec(ctx, st); err != nil {
			return fmt.Errorf("PostgreSQL: create the table of %s version %d: %w", t.Path, t.Version, err)
		}
	}
	return nil
}

// DropTable drops the table stored under name (TableName) and its batch
// markers.
func (s *Store) DropTable(ctx context.Context, name string) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("PostgreSQL: drop %s: %w", name, err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("PostgreSQL: drop %s: %w", name, err)
	}
	if _, err := tx.Exec(ctx, "DELETE FROM "+batchesTable+" WHERE tbl = $1", name); err != nil {
		return fmt.Errorf("PostgreSQL: drop the batch markers of %s: %w", name, err)
	}
	return tx.Commit(ctx)
}

// Tables lists the tables this package made (enigma_<hex>).
func (s *Store) Tables(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'enigma\_%' AND tablename <> $1 ORDER BY tablename`, batchesTable)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL: list tables: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// Apply upserts a batch's rows into t's table, once: in one transaction
// it looks for the batch's marker (same digest: nothing to do; another
// digest: query.ErrBatchConflict), copies the rows into a temporary table
// (COPY), upserts them (a key repeated in the batch: its last row wins, as
// on Pebble) and records the marker. It is a query.RowSink.
func (s *Store) Apply(ctx context.Context, t *query.Table, b query.Batch, digest []byte) error {
	name := TableName(t)
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("PostgreSQL: begin the batch of %s: %w", t.Path, err)
	}
	defer tx.Rollback(ctx)
	var old []byte
	err = tx.QueryRow(ctx, "SELECT digest FROM "+batchesTable+" WHERE tbl = $1 AND run = $2 AND seq = $3 FOR UPDATE", name, b.RunID, int64(b.Seq)).Scan(&old)
	switch {
	case err == nil:
		if !bytes.Equal(old, digest) {
			return fmt.Errorf("%w: %s run %q batch %d (PostgreSQL holds other rows under it)", query.ErrBatchConflict, t.Path, b.RunID, b.Seq)
		}
		return tx.Commit(ctx)
	case !errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("PostgreSQL: read the marker of batch %s/%d of %s: %w", b.RunID, b.Seq, t.Path, err)
	}
	if len(b.Rows) > 0 {
		if err := s.upsert(ctx, tx, t, name, b.Rows); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, "INSERT INTO "+batchesTable+" (tbl, run, seq, digest) VALUES ($1, $2, $3, $4)", name, b.RunID, int64(b.Seq), digest); err != nil {
		return fmt.Errorf("PostgreSQL: record batch %s/%d of %s: %w", b.RunID, b.Seq, t.Path, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("PostgreSQL: commit batch %s/%d of %s: %w", b.RunID, b.Seq, t.Path, err)
	}
	return nil
}

func (s *Store) upsert(ctx context.Context, tx pgx.Tx, t *query.Table, name string, rows []dataset.Row) error {
	cols := t.Schema.Columns
	var def strings.Builder
	def.WriteString("CREATE TEMP TABLE enigma_stage (n bigint")
	copyCols := []string{"n"}
	all := make([]int, len(cols))
	for j, c := range cols {
		fmt.Fprintf(&def, ", %s %s", colName(j), pgType(c))
		copyCols = append(copyCols, colName(j))
		all[j] = j
	}
	def.WriteString(") ON COMMIT DROP")
	if _, err := tx.Exec(ctx, def.String()); err != nil {
		return fmt.Errorf("PostgreSQL: staging table for %s: %w", t.Path, err)
	}
	src := pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
		out := make([]any, 0, len(cols)+1)
		out = append(out, int64(i))
		for j, c := range cols {
			out = append(out, cell(c, rows[i][j]))
		}
		return out, nil
	})
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"enigma_stage"}, copyCols, src); err != nil {
		return fmt.Errorf("PostgreSQL: copy the rows of %s: %w", t.Path, err)
	}
	pk := colList(s.schemaCols(&t.Schema, t.Schema.PrimaryKey))
	var set []string
	for j := range cols {
		if !isPK(&t.Schema, j) {
			set = append(set, fmt.Sprintf("%s = EXCLUDED.%s", colName(j), colName(j)))
		}
	}
	onConflict := "DO NOTHING"
	if len(set) > 0 {
		onConflict = "DO UPDATE SET " + strings.Join(set, ", ")
	}
	ins := fmt.Sprintf("INSERT INTO %s (%s) SELECT DISTINCT ON (%s) %s FROM enigma_stage ORDER BY %s, n DESC ON CONFLICT (%s) %s",
		name, colList(all), pk, colList(all), pk, pk, onConflict)
	if _, err := tx.Exec(ctx, ins); err != nil {
		return fmt.Errorf("PostgreSQL: upsert the rows of %s: %w", t.Path, err)
	}
	return nil
}

func isPK(sc *dataset.Schema, j int) bool {
	for _, n := range sc.PrimaryKey {
		if sc.ColumnIndex(n) == j {
			return true
		}
	}
	return false
}

// cell is a stored value as its PostgreSQL column takes it.
func cell(c dataset.Column, v dataset.Value) any {
	if v.IsNull() {
		return nil
	}
	switch pgKind(c) {
	case kindFloat:
		return v.Float
	case kindBytes:
		if v.Bytes == nil {
			return []byte{} // an empty string is not NULL
		}
		return v.Bytes
	}
	return v.Int
}

// CountRows counts t's rows up to max (Capped: there are more), in rel
// when it is set.
func (s *Store) CountRows(ctx context.Context, t *query.Table, rel *External, max uint64) (n uint64, capped bool, err error) {
	var got int64
	name := TableName(t)
	if rel != nil {
		name = rel.Relation.Sanitize()
	}
	err = s.pool.QueryRow(ctx, fmt.Sprintf("SELECT count(*) FROM (SELECT 1 FROM %s LIMIT $1) AS s", name), int64(max)+1).Scan(&got)
	if err != nil {
		return 0, false, fmt.Errorf("PostgreSQL: count the rows of %s: %w", t.Path, err)
	}
	if uint64(got) > max {
		return max, true, nil
	}
	return uint64(got), false, nil
}

// Run runs a checked statement: cols are its output columns as
// query.Store.ResultColumns bound them. It runs on a read-only session
// and is cancelled at the limits' time; the result is capped at
// MaxResultRows (Truncated) and MaxResultBytes (an error). MaxScanRows and
// MaxMemoryBytes are PostgreSQL's to bound (the time limit, work_mem).
func (s *Store) Run(ctx context.Context, q string, st *sql.Statement, t *query.Table, cols []query.ResultColumn, lim query.Limits) (*query.Result, error) {
	return s.RunOn(ctx, q, st, t, nil, cols, lim)
}

// RunOn is Run over a provider's own relation (rel; nil: t's table).
func (s *Store) RunOn(ctx context.Context, q string, st *sql.Statement, t *query.Table, rel *External, cols []query.ResultColumn, lim query.Limits) (*query.Result, error) {
	ps, err := TranslateOn(q, st, t, rel, lim.MaxResultRows)
	if err != nil {
		return nil, err
	}
	if st.Explain {
		res := &query.Result{Columns: []query.ResultColumn{{Name: "plan", Type: dataset.TypeString}}}
		res.Rows = append(res.Rows, dataset.Row{dataset.String("PostgreSQL: " + ps.SQL)}, dataset.Row{dataset.String(fmt.Sprintf("with %d parameters", len(ps.Args)))})
		return res, nil
	}
	// The time limit is the context's: at its deadline pgx asks the
	// server to cancel the statement.
	qctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	rows, err := s.reads.Query(qctx, ps.SQL, ps.Args...)
	if err != nil {
		return nil, s.queryError(ctx, q, lim, err)
	}
	defer rows.Close()
	res := &query.Result{Columns: cols}
	resultBytes := 0
	for rows.Next() {
		if len(res.Rows) >= lim.MaxResultRows {
			res.Truncated = true
			break
		}
		vals, err := rows.Values()
		if err != nil {
			return nil, s.queryError(ctx, q, lim, err)
		}
		if len(vals) != len(cols) {
			return nil, fmt.Errorf("PostgreSQL returned %d columns, the query has %d", len(vals), len(cols))
		}
		r := make(dataset.Row, len(vals))
		for i, v := range vals {
			if r[i], err = fromPG(cols[i], v); err != nil {
				return nil, err
			}
			if r[i].Kind == dataset.TypeString || r[i].Kind == dataset.TypeBytes {
				resultBytes += len(r[i].Bytes)
			}
			resultBytes += 9
		}
		if resultBytes > lim.MaxResultBytes {
			return nil, fmt.Errorf("%w: the result is larger than %d bytes; narrow the query or add a LIMIT", query.ErrLimit, lim.MaxResultBytes)
		}
		res.Rows = append(res.Rows, r)
	}
	if err := rows.Err(); err != nil {
		return nil, s.queryError(ctx, q, lim, err)
	}
	return res, nil
}

// queryError says what a failed statement means for the subscriber; ctx
// is the caller's (its end is the caller's, not the time limit).
func (s *Store) queryError(ctx context.Context, q string, lim query.Limits, err error) error {
	if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: the query ran longer than %v", query.ErrLimit, lim.Timeout)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "42P01": // undefined_table: a newer version replaced it
			return fmt.Errorf("%w (PostgreSQL: %s)", query.ErrTableReplaced, pe.Message)
		case pe.Code == "57014" && ctx.Err() == nil: // query_canceled at the time limit
			return fmt.Errorf("%w: the query ran longer than %v", query.ErrLimit, lim.Timeout)
		case pe.Code == "22003": // numeric_value_out_of_range
			return fmt.Errorf("%w (PostgreSQL: %s)", query.ErrOverflow, pe.Message)
		case strings.HasPrefix(pe.Code, "42"): // syntax error or access rule violation
			return sql.ErrorAt(q, 0, "this node's PostgreSQL backend cannot run this query (%s); ask a node on the Pebble engine", pe.Message)
		}
		return fmt.Errorf("PostgreSQL: %s (SQLSTATE %s)", pe.Message, pe.Code)
	}
	return fmt.Errorf("PostgreSQL unavailable: %w", err)
}

// fromPG is a PostgreSQL value as the engine's result value of column c.
func fromPG(c query.ResultColumn, v any) (dataset.Value, error) {
	if v == nil {
		return dataset.Null, nil
	}
	switch x := v.(type) {
	case int64:
		switch {
		case c.Encryption != dataset.EncNone:
		case c.Type == dataset.TypeBool:
			return dataset.Bool(x != 0), nil
		case c.Type == dataset.TypeTimestamp:
			return dataset.Value{Kind: dataset.TypeTimestamp, Int: x}, nil
		default:
			return dataset.Int64(x), nil
		}
	case float64:
		return dataset.Float64(x), nil
	case []byte:
		if c.Encryption == dataset.EncNone && c.Type == dataset.TypeString {
			return dataset.String(string(x)), nil
		}
		return dataset.Bytes(x), nil
	}
	return dataset.Null, fmt.Errorf("PostgreSQL returned a %T for column %q", v, c.Name)
}
