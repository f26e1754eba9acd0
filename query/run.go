package query

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/internal/keyenc"
	"github.com/enigma-mpc/enigma/query/sql"
)

// Limits bound one query. Zero fields take the defaults of DefaultLimits.
type Limits struct {
	// MaxResultRows caps the rows returned; more set Result.Truncated.
	MaxResultRows int
	// MaxResultBytes caps the encoded size of the result; more is an error.
	MaxResultBytes int
	// MaxScanRows caps the rows read from storage; more is an error.
	MaxScanRows int64
	// MaxMemoryBytes caps rows held for sorting, groups held for
	// aggregation, joined rows and subquery results; more is an error.
	MaxMemoryBytes int
	// Timeout bounds the run time; the caller's context deadline applies
	// too.
	Timeout time.Duration
}

// DefaultLimits are the limits a persistence node applies when configured
// with zero values.
func DefaultLimits() Limits {
	return Limits{
		MaxResultRows:  100_000,
		MaxResultBytes: 32 << 20,
		MaxScanRows:    50_000_000,
		MaxMemoryBytes: 256 << 20,
		Timeout:        30 * time.Second,
	}
}

// WithDefaults fills every unset (zero or negative) limit from
// DefaultLimits; a backend outside the engine bounds its queries by it too.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits()
	if l.MaxResultRows <= 0 {
		l.MaxResultRows = d.MaxResultRows
	}
	if l.MaxResultBytes <= 0 {
		l.MaxResultBytes = d.MaxResultBytes
	}
	if l.MaxScanRows <= 0 {
		l.MaxScanRows = d.MaxScanRows
	}
	if l.MaxMemoryBytes <= 0 {
		l.MaxMemoryBytes = d.MaxMemoryBytes
	}
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	return l
}

// ErrLimit is returned (wrapped) when a query exceeds a limit.
var ErrLimit = errors.New("query limit exceeded")

// QueryOptions tune one query.
type QueryOptions struct {
	Limits Limits
	// NoIndexes forces full scans (used by tests to check that index
	// plans return what scans return).
	NoIndexes bool
}

// Result is a finished query.
type Result struct {
	Columns []ResultColumn
	Rows    []dataset.Row
	// Truncated is set when MaxResultRows cut the result short.
	Truncated bool
	// Scanned counts rows read from storage.
	Scanned int64
}

// Query parses, plans and runs q against the datasets it names (bare
// names or paths, resolved with Resolve). EXPLAIN queries return the plan,
// one line per row, without running it.
func (s *Store) Query(ctx context.Context, q string, opts QueryOptions) (*Result, error) {
	st, err := sql.Parse(q)
	if err != nil {
		return nil, err
	}
	return s.RunCatalog(ctx, q, st, storeCatalog{s}, opts)
}

// Run executes a parsed statement that may read only table t (a
// persistence node answering a request for one dataset): every name in
// FROM, in subqueries too, must denote t (a self-join is fine). q is the
// query text, for error positions.
func (s *Store) Run(ctx context.Context, q string, st *sql.Statement, t *Table, opts QueryOptions) (*Result, error) {
	return s.RunCatalog(ctx, q, st, singleTable{t}, opts)
}

// RunTables executes a parsed statement that may read only the tables ts
// (a persistence node answering a request that joins several datasets
// the subscriber may read): every name in FROM must denote one of them.
func (s *Store) RunTables(ctx context.Context, q string, st *sql.Statement, ts []*Table, opts QueryOptions) (*Result, error) {
	return s.RunCatalog(ctx, q, st, tableSet(ts), opts)
}

// RunCatalog executes a parsed statement whose names cat resolves.
func (s *Store) RunCatalog(ctx context.Context, q string, st *sql.Statement, cat Catalog, opts QueryOptions) (*Result, error) {
	b := &binder{q: q, cat: cat, noIndex: opts.NoIndexes}
	p, err := b.bindSelect(st.Query, nil)
	if err != nil {
		return nil, err
	}
	if st.Explain {
		res := &Result{Columns: []ResultColumn{{Name: "plan", Type: dataset.TypeString}}}
		for _, line := range p.explain() {
			res.Rows = append(res.Rows, dataset.Row{dataset.String(line)})
		}
		return res, nil
	}
	lim := opts.Limits.WithDefaults()
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	res := &Result{Columns: p.cols[:p.nOut]}
	if len(b.tables) > 1 {
		// Several datasets: name each encrypted column's, whose keys
		// decrypt it. (Only then: a path's checksummed text costs a
		// Keccak hash, which a point lookup would notice.)
		for j := range res.Columns {
			if t := p.types[j]; t.enc != dataset.EncNone && t.src != nil {
				res.Columns[j].Dataset = t.src.table.Path.String()
			}
		}
	}
	snap, err := s.snapshotTables(b.tables)
	if err != nil {
		return nil, err
	}
	defer snap.Close()
	ex := &executor{snap: snap, lim: lim, ctx: ctx, res: res, cache: map[*selectPlan]any{}}
	resultBytes := 0
	var arena rowArena
	err = ex.runSelect(p, nil, func(r dataset.Row) error {
		if len(res.Rows) >= lim.MaxResultRows {
			res.Truncated = true
			return errStop
		}
		r = arena.own(r)
		resultBytes += keyenc.RowSize(r)
		if resultBytes > lim.MaxResultBytes {
			return fmt.Errorf("%w: the result is larger than %d bytes; narrow the query or add a LIMIT", ErrLimit, lim.MaxResultBytes)
		}
		res.Rows = append(res.Rows, r)
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	return res, nil
}

// snapshotTables takes one Pebble snapshot for reading every table, or
// ErrTableReplaced when one of them is no longer served.
func (s *Store) snapshotTables(ts []*Table) (*pebble.Snapshot, error) {
	s.serveMu.RLock()
	defer s.serveMu.RUnlock()
	for _, t := range ts {
		if !s.live(t) {
			return nil, fmt.Errorf("%w: %s version %d", ErrTableReplaced, t.Path, t.Version)
		}
	}
	return s.db.NewSnapshot(), nil
}

// storeCatalog resolves names with Store.Resolve.
type storeCatalog struct{ s *Store }

func (c storeCatalog) Lookup(name string) (CatalogEntry, error) {
	t, err := c.s.Resolve(name)
	if err != nil {
		return CatalogEntry{}, err
	}
	return CatalogEntry{Table: t}, nil
}

// singleTable lets a query read one table only.
type singleTable struct{ t *Table }

func (c singleTable) Lookup(name string) (CatalogEntry, error) {
	if NamesTable(name, c.t) {
		return CatalogEntry{Table: c.t}, nil
	}
	return CatalogEntry{}, fmt.Errorf("this request may read only dataset %s; %q is another dataset (list every dataset a query joins in its request, or query each on its own)", c.t.Path, name)
}

// tableSet lets a query read the tables of a request only.
type tableSet []*Table

func (c tableSet) Lookup(name string) (CatalogEntry, error) {
	var found *Table
	for _, t := range c {
		if !NamesTable(name, t) {
			continue
		}
		if found != nil && found != t {
			return CatalogEntry{}, fmt.Errorf("%q names both %s and %s; write the dataset's full path (provider/name)", name, found.Path, t.Path)
		}
		found = t
	}
	if found == nil {
		names := make([]string, len(c))
		for i, t := range c {
			names[i] = t.Path.String()
		}
		return CatalogEntry{}, fmt.Errorf("this request may read only %s; %q is another dataset (list every dataset the query reads in the request)", strings.Join(names, " and "), name)
	}
	return CatalogEntry{Table: found}, nil
}

// NamesTable reports whether a name in FROM denotes t: its bare name or
// its path (the address in any case).
func NamesTable(name string, t *Table) bool {
	if name == t.Path.Name {
		return true
	}
	p, err := dataset.ParsePath(strings.TrimSpace(name))
	return err == nil && p == t.Path
}
