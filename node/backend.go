package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/pgstore"
	"github.com/enigma-mpc/enigma/query/sql"
)

// Backend is where the persistence role keeps a dataset's rows and runs
// its checked queries. The role's query.Store always holds the catalog,
// the versions, batch identities and the query server's state; the
// backend holds the rows. Two implement it: the Pebble engine (the
// default, rows in the same store) and PostgreSQL ([persistence] backend
// = "postgres": rows in tables of the operator's database, queries bound
// by the engine and run there as parameterised statements).
type Backend interface {
	access.Engine
	// Ingest applies a worker's batch, idempotently per (run, sequence).
	Ingest(b query.Batch) (query.IngestResult, error)
	// Created is told of a table the store created (a new version).
	Created(t *query.Table) error
	// Dropped is told that versions of dataset id were dropped (replaced
	// or no longer named): the backend drops their rows.
	Dropped(id common.Hash) error
	// Stats reports on every version of a dataset, rows counted up to max.
	Stats(id common.Hash, max uint64) ([]query.TableStats, error)
	// HasRun says whether a versioned table may be served: a complete run
	// landed, or its rows are a provider's own relation.
	HasRun(t *query.Table) bool
	// External reports whether the dataset is served from a provider's
	// own relation (no worker, no runs).
	External(id common.Hash) bool
	// Close releases the backend (not the store).
	Close() error
}

// Backend names of [persistence] backend.
const (
	BackendPebble   = "pebble"
	BackendPostgres = "postgres"
)

// PostgresDSNEnv is the environment variable that gives a persistence
// node its PostgreSQL DSN when the configuration file does not (the DSN
// holds the database password: keep it out of command lines).
const PostgresDSNEnv = "ENIGMA_POSTGRES_DSN"

// pebbleBackend is the embedded engine: rows in the role's Pebble store.
type pebbleBackend struct{ store *query.Store }

func (b pebbleBackend) Run(ctx context.Context, q string, st *sql.Statement, t *query.Table, opts query.QueryOptions) (*query.Result, error) {
	return b.store.Run(ctx, q, st, t, opts)
}

// RunTables answers a request that joins datasets (the PostgreSQL backend
// does not: it translates queries of one table).
func (b pebbleBackend) RunTables(ctx context.Context, q string, st *sql.Statement, ts []*query.Table, opts query.QueryOptions) (*query.Result, error) {
	return b.store.RunTables(ctx, q, st, ts, opts)
}
func (b pebbleBackend) Ingest(batch query.Batch) (query.IngestResult, error) {
	return b.store.Ingest(batch)
}
func (pebbleBackend) Created(*query.Table) error { return nil }
func (pebbleBackend) Dropped(common.Hash) error  { return nil }
func (b pebbleBackend) Stats(id common.Hash, max uint64) ([]query.TableStats, error) {
	return b.store.Stats(id, max)
}
func (pebbleBackend) Close() error                 { return nil }
func (b pebbleBackend) HasRun(t *query.Table) bool { return b.store.HasRun(t) }
func (pebbleBackend) External(common.Hash) bool    { return false }

// postgresBackend keeps rows in PostgreSQL (query/pgstore).
type postgresBackend struct {
	store *query.Store
	pg    *pgstore.Store
	log   *slog.Logger
	// external maps datasets served from a provider's own relation.
	external map[common.Hash]*pgstore.External
	// createMu serialises table creation: the catalog's goroutine and a
	// push may create one table at once, and two concurrent CREATE TABLE
	// IF NOT EXISTS of one name can collide in PostgreSQL's catalog.
	createMu sync.Mutex
}

// pgTimeout bounds one ingest or maintenance statement.
const pgTimeout = time.Minute

// openPostgres connects, creates the tables of every version the store
// holds and drops tables of versions it no longer holds (a crash between
// a version switch and the drop leaves one).
func openPostgres(store *query.Store, dsn string, external map[common.Hash]*pgstore.External, log *slog.Logger) (*postgresBackend, error) {
	if dsn == "" {
		return nil, fmt.Errorf("[persistence] backend = %q needs a DSN: set postgres_dsn in config.toml or %s in the node's environment", BackendPostgres, PostgresDSNEnv)
	}
	ctx, cancel := context.WithTimeout(context.Background(), pgTimeout)
	defer cancel()
	pg, err := pgstore.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	b := &postgresBackend{store: store, pg: pg, log: log, external: external}
	for _, t := range store.Tables() {
		for _, v := range store.Versions(t.ID()) {
			if err := b.create(ctx, v); err != nil {
				pg.Close()
				return nil, err
			}
		}
	}
	if err := b.reconcile(ctx); err != nil {
		pg.Close()
		return nil, err
	}
	return b, nil
}

func (b *postgresBackend) Run(ctx context.Context, q string, st *sql.Statement, t *query.Table, opts query.QueryOptions) (*query.Result, error) {
	cols, err := b.store.ResultColumns(q, st, t)
	if err != nil {
		return nil, err
	}
	return b.pg.RunOn(ctx, q, st, t, b.external[t.ID()], cols, opts.Limits.WithDefaults())
}

// create makes t's table, or checks a provider's relation for it.
func (b *postgresBackend) create(ctx context.Context, t *query.Table) error {
	b.createMu.Lock()
	defer b.createMu.Unlock()
	if rel := b.external[t.ID()]; rel != nil {
		return b.pg.CheckExternal(ctx, t, rel)
	}
	return b.pg.CreateTable(ctx, t)
}

func (b *postgresBackend) HasRun(t *query.Table) bool {
	return b.external[t.ID()] != nil || b.store.HasRun(t)
}

func (b *postgresBackend) External(id common.Hash) bool { return b.external[id] != nil }

func (b *postgresBackend) Ingest(batch query.Batch) (query.IngestResult, error) {
	if rel := b.external[batch.Dataset]; rel != nil {
		return query.IngestResult{}, fmt.Errorf("dataset %s is served from the provider's own PostgreSQL relation %s on this node, which takes no worker pushes", batch.Dataset.Hex(), rel)
	}
	ctx, cancel := context.WithTimeout(context.Background(), pgTimeout)
	defer cancel()
	res, err := b.store.IngestElsewhere(batch, func(t *query.Table, batch query.Batch, digest []byte) error {
		// The table is made when the version is created; a database that
		// was down then gets it now (IF NOT EXISTS).
		if err := b.create(ctx, t); err != nil {
			return err
		}
		return b.pg.Apply(ctx, t, batch, digest)
	})
	if err == nil && res.Switched {
		if err := b.reconcile(ctx); err != nil {
			b.log.Warn("drop the replaced version's PostgreSQL table (retried at the next start)", "err", err)
		}
	}
	return res, err
}

func (b *postgresBackend) Created(t *query.Table) error {
	ctx, cancel := context.WithTimeout(context.Background(), pgTimeout)
	defer cancel()
	if err := b.create(ctx, t); err != nil {
		return err
	}
	// Creating a version drops pending older ones from the store.
	return b.reconcile(ctx)
}

func (b *postgresBackend) Dropped(common.Hash) error {
	ctx, cancel := context.WithTimeout(context.Background(), pgTimeout)
	defer cancel()
	return b.reconcile(ctx)
}

// reconcile drops every PostgreSQL table of a version the store does not
// hold.
func (b *postgresBackend) reconcile(ctx context.Context) error {
	var keep []string
	for _, t := range b.store.Tables() {
		for _, v := range b.store.Versions(t.ID()) {
			keep = append(keep, pgstore.TableName(v))
		}
	}
	have, err := b.pg.Tables(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range have {
		if !slices.Contains(keep, name) {
			if err := b.pg.DropTable(ctx, name); err != nil {
				errs = append(errs, err)
				continue
			}
			b.log.Info("dropped the PostgreSQL table of a replaced or dropped dataset version", "table", name)
		}
	}
	return errors.Join(errs...)
}

func (b *postgresBackend) Stats(id common.Hash, max uint64) ([]query.TableStats, error) {
	// The store knows versions and runs; PostgreSQL holds the rows.
	stats, err := b.store.Stats(id, 0)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), pgTimeout)
	defer cancel()
	versions := b.store.Versions(id)
	for i := range stats {
		for _, t := range versions {
			if t.Version == stats[i].Version {
				if stats[i].Rows, stats[i].Capped, err = b.pg.CountRows(ctx, t, b.external[id], max); err != nil {
					return nil, err
				}
				stats[i].HasRun = stats[i].HasRun || b.external[id] != nil
			}
		}
	}
	return stats, nil
}

func (b *postgresBackend) Close() error {
	b.pg.Close()
	return nil
}

// postgresDSN is the DSN the configuration gives, else the environment's.
func postgresDSN(configured string) string {
	if configured != "" {
		return configured
	}
	return os.Getenv(PostgresDSNEnv)
}

// parseExternalTables reads [persistence] external_tables: dataset path →
// relation.
func parseExternalTables(m map[string]string) (map[common.Hash]*pgstore.External, error) {
	out := make(map[common.Hash]*pgstore.External, len(m))
	for path, rel := range m {
		p, err := dataset.ParsePath(path)
		if err != nil {
			return nil, fmt.Errorf("[persistence] external_tables: %w", err)
		}
		e, err := pgstore.ParseExternal(rel)
		if err != nil {
			return nil, fmt.Errorf("[persistence] external_tables for %s: %w", p, err)
		}
		out[p.ID()] = e
	}
	return out, nil
}
