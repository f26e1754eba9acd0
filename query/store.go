package query

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/internal/keyenc"
	"github.com/enigma-mpc/enigma/signing"
)

// Key space (id is the 32-byte on-chain dataset ID):
//
//	'c' id                          catalog entry: path and schema
//	'r' id pk                       row (keyenc row codec)
//	'i' id ix pk-free-index-key pk  secondary index entry; value = pk
//	'b' id len(run) run seq         applied batch: content hash
//	'p' id len(run) run             batches applied of an unfinished run
//	'n' id                          schedule slot of the newest complete run
//	's' …                           the query server's state (state.go; laid out by query/access)
//	'v' dataset                     the table a dataset is served from (versions.go)
//
// Above, id is a table's storage key: the dataset ID for a table made
// without a metadata version (and for tables of stores written before
// versions), otherwise TableKey(dataset ID, version), so the versions of a
// dataset live side by side (versions.go).
const (
	prefixCatalog  = 'c'
	prefixRow      = 'r'
	prefixIndex    = 'i'
	prefixBatch    = 'b'
	prefixProgress = 'p'
	prefixNewest   = 'n'
	prefixServing  = 'v'
)

// Ingest bounds.
const (
	MaxBatchRows  = 1 << 16
	MaxRunIDBytes = 128
)

// Errors callers may test for.
var (
	ErrUnknownDataset = errors.New("unknown dataset")
	ErrSchemaMismatch = errors.New("dataset exists with a different schema")
	ErrBatchConflict  = errors.New("batch was already applied with different rows")
	ErrStaleRun       = errors.New("batch belongs to a run older than the newest complete run")
	// ErrUnknownVersion: a batch or request names a metadata version this
	// store has no table for (yet).
	ErrUnknownVersion = errors.New("unknown dataset version")
	// ErrStaleVersion: a version older than the one the store serves.
	ErrStaleVersion = errors.New("dataset version is older than the version served")
	// ErrTableReplaced: the table a query was planned on stopped being
	// served (a newer version took over) before the query read it.
	ErrTableReplaced = errors.New("the dataset version was replaced by a newer one")
)

// Options configure a Store.
type Options struct {
	// FS is the filesystem Pebble uses; nil means the real disk. Tests pass
	// vfs.NewMem().
	FS vfs.FS
	// Logger receives Pebble's and the store's logs; nil means slog.Default().
	Logger *slog.Logger
	// CacheBytes sizes Pebble's block cache; 0 means DefaultCacheBytes.
	CacheBytes int64

	// format is the format a new store is created with and an older one is
	// raised to; 0 means storeFormat (tests make stores of older binaries).
	format pebble.FormatMajorVersion
}

// DefaultCacheBytes is the block cache of a store: index range scans fetch
// rows in primary-key order at random, and Pebble's own default (8 MiB)
// makes most of those fetches decompress a block again.
const DefaultCacheBytes = 128 << 20

// memTableBytes is the size of a memtable, and memTableReservation what
// Pebble reserves for memtables in the block cache while no flush is
// pending: the live memtable and the one it keeps to recycle.
const (
	memTableBytes       = 32 << 20
	memTableReservation = 2 * memTableBytes
)

// storeFormat is the Pebble format the store writes. Its columnar blocks
// (sstable format v5 and up) hold a compacted table in about 20% less block
// cache than the row blocks of Pebble's default format, which matters most
// for encrypted tables, whose incompressible cells make them ~1.4× larger
// (docs/bench/query.md, "Columnar blocks and the whole cache"); v6 adds a checksum of each
// sstable's footer. It is pinned rather than pebble.FormatNewest, so that
// upgrading Pebble never changes the disk format unasked. Open raises a
// store written by an older binary to it; its old sstables are rewritten as
// compactions reach them (at once with CompactTable).
const storeFormat = pebble.FormatTableFormatV6

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.CacheBytes <= 0 {
		o.CacheBytes = DefaultCacheBytes
	}
	if o.format == 0 {
		o.format = storeFormat
	}
	return o
}

// Store holds datasets' tables in one Pebble database.
type Store struct {
	db         *pebble.DB
	cache      *pebble.Cache
	cacheBytes int64 // Options.CacheBytes: the cache's room for blocks
	log        *slog.Logger

	// ingestMu serialises ingests: an upsert reads the old row to delete its
	// index entries, and two concurrent batches touching one key would leave
	// stale entries.
	ingestMu sync.Mutex

	// serveMu orders a switch of the served version against queries: a
	// query resolves its table and takes its snapshot under the read lock,
	// a switch (which deletes the replaced version) commits under the write
	// lock, so a query reads exactly one version, whole.
	serveMu sync.RWMutex

	mu struct {
		sync.Mutex
		// tables is the served table of each dataset; versions every table
		// of it, oldest version first.
		tables   map[common.Hash]*Table
		versions map[common.Hash][]*Table
	}
}

// Table is one version of a dataset's table: its path, schema and the
// metadata version it holds.
type Table struct {
	Path   dataset.Path
	Schema dataset.Schema
	// Version is the certified metadata version the table holds; 0 for a
	// table made without one (enigma query ingest, tests).
	Version uint64
	// Record is that version's certified ledger record as the node
	// received it (nil for version 0), so the node can show a client which
	// version it serves.
	Record  []byte
	id      common.Hash // storage key
	dataset common.Hash
	pk      []int   // schema positions of the primary key columns
	ixCols  [][]int // schema positions of each index's columns
	// ixSealed is, per index, how many order-preserving columns it has:
	// if any, its entries store the cells' seals (indexValue).
	ixSealed []int
}

// ID is the dataset's on-chain ID.
func (t *Table) ID() common.Hash { return t.dataset }

func newTable(path dataset.Path, s dataset.Schema) (*Table, error) {
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("dataset %s: %w", path, err)
	}
	id := path.ID()
	t := &Table{Path: path, Schema: s, id: id, dataset: id}
	for _, name := range s.PrimaryKey {
		t.pk = append(t.pk, s.ColumnIndex(name))
	}
	for _, ix := range s.Indexes {
		var cols []int
		sealed := 0
		for _, name := range ix.Columns {
			c := s.ColumnIndex(name)
			cols = append(cols, c)
			if s.Columns[c].Encryption == dataset.EncOrderPreserving {
				sealed++
			}
		}
		t.ixCols = append(t.ixCols, cols)
		t.ixSealed = append(t.ixSealed, sealed)
	}
	return t, nil
}

// Open opens (creating if needed) the store in dir.
func Open(dir string, opts Options) (*Store, error) {
	opts = opts.withDefaults()
	po := &pebble.Options{FS: opts.FS, Logger: pebbleLogger{opts.Logger}, FormatMajorVersion: opts.format}
	// Bloom filters make the read-before-write of upserts cheap when the key
	// is new, which is the common case of ingest.
	po.Levels[0].FilterPolicy = bloom.FilterPolicy(10)
	// A batch of MaxBatchRows rows is a few MiB; with Pebble's 4 MiB default
	// memtable such batches are applied as separately sorted "flushable"
	// batches, which costs more than inserting into a larger memtable.
	po.MemTableSize = memTableBytes
	// Pebble reserves the memory of its memtables in the block cache: the
	// live one and the one it keeps to recycle. Left inside CacheBytes, the
	// two 32 MiB memtables took half of the default cache from blocks (a
	// 1,000,000-row encrypted table missed on 855 blocks per 1% range
	// query; docs/bench/query.md, "Columnar blocks and the whole cache"), so
	// the cache is made that much larger and CacheBytes is all for blocks.
	// The store keeps its own reference to the cache (the database holds
	// another), for CacheStats; Close releases it.
	po.Cache = pebble.NewCache(opts.CacheBytes + memTableReservation)
	db, err := pebble.Open(dir, po)
	if err != nil {
		po.Cache.Unref()
		return nil, fmt.Errorf("open query store in %s: %w", dir, err)
	}
	s := &Store{db: db, cache: po.Cache, cacheBytes: opts.CacheBytes, log: opts.Logger}
	s.mu.tables = make(map[common.Hash]*Table)
	s.mu.versions = make(map[common.Hash][]*Table)
	if err := s.loadCatalog(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// CacheStats is the state of a store's block cache: what an operator sizes
// Options.CacheBytes by (docs/OPERATIONS.md, "Tune").
type CacheStats struct {
	// Capacity is the cache's configured size; Bytes what it holds.
	Capacity, Bytes int64
	// Hits and Misses count block reads since Open served from the cache
	// and from the disk (the operating system's page cache at best, then
	// decompressed again).
	Hits, Misses int64
}

// CacheStats reports the block cache's state.
func (s *Store) CacheStats() CacheStats {
	m := s.cache.Metrics()
	return CacheStats{Capacity: s.cacheBytes, Bytes: m.Size, Hits: m.Hits, Misses: m.Misses}
}

// Flush writes the memtable to sstables, so later reads come from disk
// blocks rather than memory (operators use it before a backup; tests use it
// to read both ways).
func (s *Store) Flush() error { return s.db.Flush() }

// CompactTable compacts the table's rows and index entries into Pebble's
// bottom level. A bulk load leaves them in overlapping files across levels,
// which Pebble keeps compacting in the background for minutes; until then a
// point read merges several levels and the background work competes with
// queries. An operator calls it once a large ingest is complete (`enigma
// query ingest` does); it blocks until the compaction is done.
func (s *Store) CompactTable(ctx context.Context, t *Table) error {
	for _, p := range [][]byte{rowPrefix(t.id), append([]byte{prefixIndex}, t.id[:]...)} {
		if err := s.db.Compact(ctx, p, keyenc.PrefixEnd(p), true); err != nil {
			return fmt.Errorf("compact dataset %s: %w (the data is intact; retry, or leave it to background compaction)", t.Path, err)
		}
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	err := s.db.Close()
	s.cache.Unref()
	return err
}

// catalogEntry describes one table. Entries of tables without a metadata
// version end after Schema, as stores before versions wrote them.
type catalogEntry struct {
	Version     uint // format, 1
	Path        dataset.Path
	Schema      dataset.Schema
	MetaVersion uint64 `rlp:"optional"`
	Record      []byte `rlp:"optional"`
}

const maxCatalogEntry = 1 << 20

func (s *Store) loadCatalog() error {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte{prefixCatalog}, UpperBound: []byte{prefixCatalog + 1}})
	if err != nil {
		return fmt.Errorf("read dataset catalog: %w", err)
	}
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		var e catalogEntry
		if err := signing.Decode(it.Value(), &e, maxCatalogEntry); err != nil {
			return fmt.Errorf("dataset catalog entry %x is corrupt: %w", it.Key(), err)
		}
		if len(it.Key()) != 1+common.HashLength {
			return fmt.Errorf("dataset catalog key %x is malformed", it.Key())
		}
		t, err := newTable(e.Path, e.Schema)
		if err != nil {
			return fmt.Errorf("dataset catalog: %w", err)
		}
		t.id = common.BytesToHash(it.Key()[1:])
		t.Version, t.Record = e.MetaVersion, bytes.Clone(e.Record)
		s.addTableLocked(t)
	}
	if err := it.Error(); err != nil {
		return err
	}
	return s.loadServing()
}

// CreateDataset registers a dataset's table. Creating an existing dataset
// with an identical schema is a no-op; a different schema is refused.
func (s *Store) CreateDataset(path dataset.Path, schema dataset.Schema) (*Table, error) {
	t, err := newTable(path, schema)
	if err != nil {
		return nil, err
	}
	s.ingestMu.Lock()
	defer s.ingestMu.Unlock()
	if old, err := s.Table(t.dataset); err == nil {
		if !sameSchema(&old.Schema, &schema) {
			return nil, fmt.Errorf("%w: %s (a schema changes with a new metadata version, which the persistence node stores beside the old one)", ErrSchemaMismatch, path)
		}
		return old, nil
	}
	enc, err := signing.Encode(catalogEntry{Version: 1, Path: path, Schema: schema})
	if err != nil {
		return nil, fmt.Errorf("encode catalog entry: %w", err)
	}
	if err := s.db.Set(catalogKey(t.id), enc, pebble.Sync); err != nil {
		return nil, fmt.Errorf("create dataset %s: %w", path, err)
	}
	s.mu.Lock()
	s.addTableLocked(t)
	s.mu.Unlock()
	return t, nil
}

func sameSchema(a, b *dataset.Schema) bool {
	x, _ := signing.Encode(a)
	y, _ := signing.Encode(b)
	return bytes.Equal(x, y)
}

// Table returns the table of a dataset ID.
func (s *Store) Table(id common.Hash) (*Table, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.mu.tables[id]
	if !ok {
		return nil, fmt.Errorf("%w %s on this node (is this a persistence node named in its metadata?)", ErrUnknownDataset, id.Hex())
	}
	return t, nil
}

// Tables lists the datasets, ordered by path.
func (s *Store) Tables() []*Table {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Table, 0, len(s.mu.tables))
	for _, t := range s.mu.tables {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b *Table) int {
		return bytes.Compare([]byte(a.Path.String()), []byte(b.Path.String()))
	})
	return out
}

// Resolve finds a dataset by its path "0x…/name" or, when only one dataset
// has it, by its bare name.
func (s *Store) Resolve(name string) (*Table, error) {
	if strings.Contains(name, "/") {
		if p, err := dataset.ParsePath(name); err == nil {
			return s.Table(p.ID())
		}
	}
	// Every query resolves its names: no sorted copy of the catalog here.
	var found *Table
	n := 0
	s.mu.Lock()
	for _, t := range s.mu.tables {
		if t.Path.Name == name {
			found, n = t, n+1
		}
	}
	s.mu.Unlock()
	switch n {
	case 0:
		return nil, fmt.Errorf("%w %q on this node (list them with enigma query datasets)", ErrUnknownDataset, name)
	case 1:
		return found, nil
	}
	return nil, fmt.Errorf("dataset name %q is ambiguous: %d providers use it; write the full path \"0x…/%s\"", name, n, name)
}

// Batch is one ingest unit, as a worker pushes it. Rows are stored rows:
// encrypted columns already hold ciphertext (colcrypt.Cipher.EncryptRow).
type Batch struct {
	Dataset common.Hash
	RunID   string // the curation job run that produced the rows
	Seq     uint64 // batch number within the run
	Rows    []dataset.Row
	// Total, when non-zero, is the number of batches in the run and Slot
	// the run's schedule slot (microseconds). The store then counts the
	// run's batches, remembers the slot of the newest complete run, and
	// refuses batches of runs with an older slot (ErrStaleRun), so a late
	// retry of an old run never overwrites fresher rows.
	Total uint64
	Slot  int64
	// Version is the metadata version the rows were curated under: they go
	// to that version's table (CreateVersion). 0 writes to the table the
	// dataset is served from (tables made without versions).
	Version uint64
}

// IngestResult says what an ingest did.
type IngestResult struct {
	// Applied is false when the batch had been applied before (a retry).
	Applied bool
	Rows    int
	// Switched: the batch completed the first run of a newer version,
	// which the store now serves (the older versions are gone).
	Switched bool
}

// Ingest upserts a batch atomically. A batch is identified by (dataset, run
// ID, sequence number): re-sending it is a no-op, so retries never
// duplicate rows; sending different rows under the same identity is
// refused with ErrBatchConflict. Rows are checked against the schema
// (Schema.CheckStoredRow) before anything is written; the first bad row
// fails the whole batch with a *dataset.RowError naming row and column.
func (s *Store) Ingest(b Batch) (IngestResult, error) {
	return s.ingest(b, nil)
}

// ingest is Ingest; with rows set, the batch's rows go to rows (another
// backend's table) instead of Pebble, inside the same checks and
// bookkeeping (backend.go).
func (s *Store) ingest(b Batch, rows RowSink) (IngestResult, error) {
	t, err := s.ingestTable(b.Dataset, b.Version)
	if err != nil {
		return IngestResult{}, err
	}
	if len(b.RunID) == 0 || len(b.RunID) > MaxRunIDBytes {
		return IngestResult{}, fmt.Errorf("batch run ID is %d bytes, want 1..%d", len(b.RunID), MaxRunIDBytes)
	}
	if b.Total > 0 && b.Seq >= b.Total {
		return IngestResult{}, fmt.Errorf("batch %d of a run of %d batches: the sequence number must be below the total", b.Seq, b.Total)
	}
	if len(b.Rows) > MaxBatchRows {
		return IngestResult{}, fmt.Errorf("batch has %d rows, the limit is %d; split it", len(b.Rows), MaxBatchRows)
	}
	h := sha256.New()
	var enc []byte
	for i, r := range b.Rows {
		if err := t.Schema.CheckStoredRow(i, r); err != nil {
			return IngestResult{}, fmt.Errorf("batch %s/%d of %s: %w", b.RunID, b.Seq, t.Path, err)
		}
		enc = keyenc.AppendRow(enc[:0], r)
		h.Write(enc)
	}
	digest := h.Sum(nil)
	markKey := batchKey(t.id, b.RunID, b.Seq)

	s.ingestMu.Lock()
	defer s.ingestMu.Unlock()
	if !s.live(t) {
		return IngestResult{}, fmt.Errorf("%w: version %d of %s was dropped while the batch was checked", ErrStaleVersion, t.Version, t.Path)
	}
	if old, closer, err := s.db.Get(markKey); err == nil {
		same := bytes.Equal(old, digest)
		closer.Close()
		if !same {
			return IngestResult{}, fmt.Errorf("%w: %s run %q batch %d (number batches anew for a new run)", ErrBatchConflict, t.Path, b.RunID, b.Seq)
		}
		return IngestResult{Applied: false, Rows: len(b.Rows)}, nil
	} else if !errors.Is(err, pebble.ErrNotFound) {
		return IngestResult{}, fmt.Errorf("read batch marker: %w", err)
	}

	wb := s.db.NewBatch()
	defer wb.Close()
	var sw *versionSwitch
	if b.Total > 0 {
		if sw, err = s.trackRunLocked(t, wb, b); err != nil {
			return IngestResult{}, err
		}
	}
	// pending holds the rows this batch wrote so far, so a key repeated in
	// one batch replaces the earlier row's index entries too.
	pending := make(map[string]dataset.Row)
	if rows != nil {
		if err := rows(t, b, digest); err != nil {
			return IngestResult{}, err
		}
	} else {
		for _, r := range b.Rows {
			if err := s.upsertLocked(t, wb, pending, r); err != nil {
				return IngestResult{}, err
			}
		}
	}
	if err := wb.Set(markKey, digest, nil); err != nil {
		return IngestResult{}, err
	}
	if err := s.commitSwitch(wb, sw); err != nil {
		return IngestResult{}, fmt.Errorf("commit batch %s/%d of %s: %w", b.RunID, b.Seq, t.Path, err)
	}
	if sw != nil {
		s.log.Info("serving a new dataset version", "dataset", t.Path, "version", t.Version, "replaced", sw.replacedVersions())
	}
	return IngestResult{Applied: true, Rows: len(b.Rows), Switched: sw != nil}, nil
}

// runProgress is the value of a 'p' key.
type runProgress struct {
	Applied uint64
}

// trackRunLocked refuses stale runs and counts the batch towards its run;
// when the run completes it becomes the newest complete run (if it is).
func (s *Store) trackRunLocked(t *Table, wb *pebble.Batch, b Batch) (*versionSwitch, error) {
	newest, haveNewest, err := s.getInt64(newestKey(t.id))
	if err != nil {
		return nil, err
	}
	if haveNewest && b.Slot < newest {
		return nil, fmt.Errorf("%w: %s run %q is for slot %s, but the run for slot %s is complete; the batch was dropped",
			ErrStaleRun, t.Path, b.RunID, time.UnixMicro(b.Slot).UTC().Format(time.RFC3339), time.UnixMicro(newest).UTC().Format(time.RFC3339))
	}
	pk := progressKey(t.id, b.RunID)
	var prog runProgress
	if val, closer, err := s.db.Get(pk); err == nil {
		derr := signing.Decode(val, &prog, 64)
		closer.Close()
		if derr != nil {
			return nil, fmt.Errorf("run progress of %s: %w", t.Path, derr)
		}
	} else if !errors.Is(err, pebble.ErrNotFound) {
		return nil, fmt.Errorf("read run progress: %w", err)
	}
	prog.Applied++
	if prog.Applied < b.Total {
		enc, err := signing.Encode(&prog)
		if err != nil {
			return nil, err
		}
		return nil, wb.Set(pk, enc, nil)
	}
	if err := wb.Delete(pk, nil); err != nil {
		return nil, err
	}
	if !haveNewest || b.Slot > newest {
		if err := wb.Set(newestKey(t.id), binary.BigEndian.AppendUint64(nil, uint64(b.Slot)), nil); err != nil {
			return nil, err
		}
	}
	// The run is complete: a newer version than the served one takes over.
	return s.planSwitchLocked(t, wb)
}

func (s *Store) getInt64(key []byte) (int64, bool, error) {
	val, closer, err := s.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	defer closer.Close()
	if len(val) != 8 {
		return 0, false, fmt.Errorf("key %x holds %d bytes, want 8", key, len(val))
	}
	return int64(binary.BigEndian.Uint64(val)), true, nil
}

// upsertLocked writes one row and its index entries, removing the index
// entries of the row it replaces. It reads committed state, so ingestMu must
// be held.
func (s *Store) upsertLocked(t *Table, wb *pebble.Batch, pending map[string]dataset.Row, r dataset.Row) error {
	pk := t.pkKey(r)
	rk := rowKey(t.id, pk)
	if len(t.ixCols) > 0 {
		old, ok := pending[string(pk)]
		if !ok {
			val, closer, err := s.db.Get(rk)
			switch {
			case err == nil:
				old, _, err = keyenc.DecodeRow(bytes.Clone(val), len(t.Schema.Columns))
				closer.Close()
				if err != nil {
					return fmt.Errorf("stored row %x of %s: %w", rk, t.Path, err)
				}
				ok = true
			case !errors.Is(err, pebble.ErrNotFound):
				return fmt.Errorf("read row of %s: %w", t.Path, err)
			}
		}
		if ok {
			for ix := range t.ixCols {
				if err := wb.Delete(t.indexKey(ix, old, pk), nil); err != nil {
					return err
				}
			}
		}
		pending[string(pk)] = r
	}
	if err := wb.Set(rk, keyenc.AppendRow(nil, r), nil); err != nil {
		return err
	}
	for ix := range t.ixCols {
		if err := wb.Set(t.indexKey(ix, r, pk), t.indexValue(ix, r, pk), nil); err != nil {
			return err
		}
	}
	return nil
}

func (t *Table) pkKey(r dataset.Row) []byte {
	var k []byte
	for _, c := range t.pk {
		k = keyenc.AppendKey(k, keyPart(t.Schema.Columns[c], r[c]))
	}
	return k
}

func (t *Table) indexKey(ix int, r dataset.Row, pk []byte) []byte {
	k := indexPrefix(t.id, ix)
	for _, c := range t.ixCols[ix] {
		k = keyenc.AppendKey(k, keyPart(t.Schema.Columns[c], r[c]))
	}
	return append(k, pk...)
}

// indexValue is what an entry of index ix stores beside its key. An index
// with order-preserving columns stores the rest of each such cell after its
// range point (the seal; the key holds the point only, keyPart), in the
// index's column order, NULLs skipped, so that a covering scan gives the
// cells back whole; its key already ends with the primary key (entryPK).
// Any other index stores the primary key, as stores always have.
func (t *Table) indexValue(ix int, r dataset.Row, pk []byte) []byte {
	if t.ixSealed[ix] == 0 {
		return pk
	}
	var v []byte
	for _, c := range t.ixCols[ix] {
		if t.Schema.Columns[c].Encryption == dataset.EncOrderPreserving && !r[c].IsNull() {
			v = append(v, r[c].Bytes[min(len(r[c].Bytes), dataset.OrderPreservingPointBytes):]...)
		}
	}
	return v
}

// entryPK is the primary key of the entry key/val of index ix: the value,
// or for an index with order-preserving columns the key's end, after the
// index's columns.
func (t *Table) entryPK(ix int, key, val []byte) ([]byte, error) {
	if t.ixSealed[ix] == 0 {
		return val, nil
	}
	b := key[indexPrefixLen:]
	for _, c := range t.ixCols[ix] {
		var err error
		if _, b, _, err = keyenc.DecodeKey(b, storedKind(t.Schema.Columns[c])); err != nil {
			return nil, fmt.Errorf("index %s of %s has a corrupt entry %x: %w", t.Schema.Indexes[ix].Name, t.Path, key, err)
		}
	}
	return b, nil
}

func catalogKey(id common.Hash) []byte { return append([]byte{prefixCatalog}, id[:]...) }

func rowPrefix(id common.Hash) []byte { return append([]byte{prefixRow}, id[:]...) }

func rowKey(id common.Hash, pk []byte) []byte { return append(rowPrefix(id), pk...) }

// indexPrefixLen is the length of every indexPrefix.
const indexPrefixLen = 1 + common.HashLength + 1

func indexPrefix(id common.Hash, ix int) []byte {
	return append(append([]byte{prefixIndex}, id[:]...), byte(ix))
}

func progressKey(id common.Hash, run string) []byte {
	k := append([]byte{prefixProgress}, id[:]...)
	k = binary.AppendUvarint(k, uint64(len(run)))
	return append(k, run...)
}

func newestKey(id common.Hash) []byte { return append([]byte{prefixNewest}, id[:]...) }

func batchKey(id common.Hash, run string, seq uint64) []byte {
	k := append([]byte{prefixBatch}, id[:]...)
	k = binary.AppendUvarint(k, uint64(len(run)))
	k = append(k, run...)
	return binary.BigEndian.AppendUint64(k, seq)
}

// pebbleLogger sends Pebble's logs to slog at debug level (they are about
// compactions and flushes, not about queries).
type pebbleLogger struct{ log *slog.Logger }

func (l pebbleLogger) Infof(format string, args ...any) {
	l.log.Debug(fmt.Sprintf(format, args...), "component", "pebble")
}

func (l pebbleLogger) Errorf(format string, args ...any) {
	l.log.Error(fmt.Sprintf(format, args...), "component", "pebble")
}

func (l pebbleLogger) Fatalf(format string, args ...any) {
	l.log.Error(fmt.Sprintf(format, args...), "component", "pebble")
	panic(fmt.Sprintf("pebble: "+format, args...))
}
