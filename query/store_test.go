package query

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/internal/keyenc"
)

const pricesSchema = `{"columns": [
  {"name": "day", "type": "int64"},
  {"name": "asset", "type": "string"},
  {"name": "close", "type": "float64"},
  {"name": "note", "type": "string", "nullable": true}],
 "primary_key": ["day", "asset"],
 "indexes": [{"name": "by_close", "columns": ["close"]}]}`

func openMem(t testing.TB) *Store {
	t.Helper()
	s, err := Open("db", Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// reopen closes s and opens its store in fs again with the default
// options, as a restarted node does; the test's cleanup closes it.
func reopen(t testing.TB, s *Store, fs vfs.FS) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open("db", Options{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func createPrices(t testing.TB, s *Store) *Table {
	t.Helper()
	schema, err := dataset.ParseSchemaJSON([]byte(pricesSchema))
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := s.CreateDataset(dataset.Path{Provider: common.HexToAddress("0xaa"), Name: "prices"}, schema)
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

func priceRow(day int64, asset string, close float64) dataset.Row {
	return dataset.Row{dataset.Int64(day), dataset.String(asset), dataset.Float64(close), dataset.Null}
}

func mustQuery(t testing.TB, s *Store, q string) *Result {
	t.Helper()
	res, err := s.Query(context.Background(), q, QueryOptions{})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return res
}

func TestIngestIsIdempotentAndAtomic(t *testing.T) {
	s := openMem(t)
	tbl := createPrices(t, s)
	b := Batch{Dataset: tbl.ID(), RunID: "run-1", Seq: 0, Rows: []dataset.Row{priceRow(1, "BTC", 10), priceRow(1, "ETH", 5)}}
	res, err := s.Ingest(b)
	if err != nil || !res.Applied {
		t.Fatalf("first ingest: %+v %v", res, err)
	}
	res, err = s.Ingest(b)
	if err != nil || res.Applied {
		t.Fatalf("retry was applied again: %+v %v", res, err)
	}
	changed := b
	changed.Rows = []dataset.Row{priceRow(1, "BTC", 11)}
	if _, err := s.Ingest(changed); !errors.Is(err, ErrBatchConflict) {
		t.Fatalf("conflicting batch: %v", err)
	}
	// A bad row anywhere rejects the whole batch.
	bad := Batch{Dataset: tbl.ID(), RunID: "run-1", Seq: 1, Rows: []dataset.Row{priceRow(2, "BTC", 12), {dataset.Int64(2), dataset.Int64(3), dataset.Float64(1), dataset.Null}}}
	var re *dataset.RowError
	if _, err := s.Ingest(bad); !errors.As(err, &re) || re.Row != 1 || re.Column != "asset" {
		t.Fatalf("bad row: %v", err)
	}
	if n := mustQuery(t, s, "SELECT COUNT(*) FROM prices").Rows[0][0].Int; n != 2 {
		t.Fatalf("%d rows after a retry and a rejected batch, want 2", n)
	}
	// An upsert replaces the row and moves its index entry.
	if _, err := s.Ingest(Batch{Dataset: tbl.ID(), RunID: "run-2", Rows: []dataset.Row{priceRow(1, "BTC", 99)}}); err != nil {
		t.Fatal(err)
	}
	if got := mustQuery(t, s, "SELECT asset FROM prices WHERE close = 10"); len(got.Rows) != 0 {
		t.Fatalf("stale index entry: %v", got.Rows)
	}
	if got := mustQuery(t, s, "SELECT asset FROM prices WHERE close = 99"); len(got.Rows) != 1 {
		t.Fatalf("upserted row not found by index: %v", got.Rows)
	}
	if _, err := s.Ingest(Batch{Dataset: common.Hash{1}, RunID: "x"}); !errors.Is(err, ErrUnknownDataset) {
		t.Fatalf("unknown dataset: %v", err)
	}
}

func TestCreateDatasetRefusesSchemaChange(t *testing.T) {
	s := openMem(t)
	tbl := createPrices(t, s)
	if _, err := s.CreateDataset(tbl.Path, tbl.Schema); err != nil {
		t.Fatalf("same schema again: %v", err)
	}
	other := tbl.Schema
	other.Indexes = nil
	if _, err := s.CreateDataset(tbl.Path, other); !errors.Is(err, ErrSchemaMismatch) {
		t.Fatalf("changed schema: %v", err)
	}
}

func TestExplainShowsIndexUse(t *testing.T) {
	s := openMem(t)
	createPrices(t, s)
	cases := map[string]string{
		"EXPLAIN SELECT * FROM prices WHERE close > 5 AND close <= 7":        "index by_close (close), range on close",
		"EXPLAIN SELECT * FROM prices WHERE day = 3 AND asset IN ('a', 'b')": "primary key (day, asset), equality on day, asset, 2 span(s)",
		"EXPLAIN SELECT * FROM prices WHERE day BETWEEN 1 AND 4":             "primary key (day, asset), range on day",
		"EXPLAIN SELECT * FROM prices WHERE note = 'x'":                      "full table",
		"EXPLAIN SELECT * FROM prices WHERE close > 5 OR day = 1":            "full table",
	}
	for q, want := range cases {
		res := mustQuery(t, s, q)
		if !strings.Contains(res.Rows[0][0].String(), want) {
			t.Errorf("%s:\n got %q\nwant %q", q, res.Rows[0][0].String(), want)
		}
	}
}

func TestQueryLimits(t *testing.T) {
	s := openMem(t)
	tbl := createPrices(t, s)
	var rows []dataset.Row
	for i := range 1000 {
		rows = append(rows, priceRow(int64(i), "X", float64(i)))
	}
	if _, err := s.Ingest(Batch{Dataset: tbl.ID(), RunID: "r", Rows: rows}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := s.Query(ctx, "SELECT day FROM prices", QueryOptions{Limits: Limits{MaxResultRows: 10}})
	if err != nil || len(res.Rows) != 10 || !res.Truncated {
		t.Fatalf("row cap: %d rows, truncated=%v, %v", len(res.Rows), res.Truncated, err)
	}
	if _, err := s.Query(ctx, "SELECT day FROM prices", QueryOptions{Limits: Limits{MaxResultBytes: 100}}); !errors.Is(err, ErrLimit) {
		t.Fatalf("byte cap: %v", err)
	}
	if _, err := s.Query(ctx, "SELECT COUNT(*) FROM prices", QueryOptions{Limits: Limits{MaxScanRows: 999}}); !errors.Is(err, ErrLimit) {
		t.Fatalf("scan cap: %v", err)
	}
	if _, err := s.Query(ctx, "SELECT day FROM prices ORDER BY asset DESC, close", QueryOptions{Limits: Limits{MaxMemoryBytes: 1000}}); !errors.Is(err, ErrLimit) {
		t.Fatalf("memory cap: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Query(cancelled, "SELECT COUNT(*) FROM prices", QueryOptions{}); !errors.Is(err, ErrLimit) {
		t.Fatalf("deadline: %v", err)
	}
	// An index range reads only the rows in range.
	res = mustQuery(t, s, "SELECT day FROM prices WHERE close >= 100 AND close < 110")
	if len(res.Rows) != 10 || res.Scanned != 10 {
		t.Fatalf("index range returned %d rows after scanning %d, want 10 and 10", len(res.Rows), res.Scanned)
	}
}

func TestCompileErrors(t *testing.T) {
	s := openMem(t)
	createPrices(t, s)
	cases := map[string]string{
		"SELECT nope FROM prices":                              "unknown column",
		"SELECT * FROM nothere":                                "unknown dataset",
		"SELECT day FROM prices WHERE asset > 3":               "cannot compare",
		"SELECT SUM(asset) FROM prices":                        "needs an int64 or float64",
		"SELECT day, COUNT(*) FROM prices":                     "must appear in GROUP BY",
		"SELECT asset FROM prices GROUP BY asset ORDER BY day": "must appear in GROUP BY",
		"SELECT day FROM prices WHERE asset":                   "not a condition",
	}
	for q, want := range cases {
		_, err := s.Query(context.Background(), q, QueryOptions{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error containing %q", q, err, want)
		}
	}
}

func TestIngestWorkerBatch(t *testing.T) {
	s := openMem(t)
	tbl := createPrices(t, s)
	push := func(run byte, slot int64, seq, total uint32, close float64) (IngestResult, error) {
		return s.Ingest(Batch{Dataset: tbl.ID(), RunID: fmt.Sprintf("run-%d", run), Slot: slot, Seq: uint64(seq), Total: uint64(total),
			Rows: []dataset.Row{priceRow(int64(seq), "BTC", close)}})
	}
	// Run 1 (slot 100) sends batch 0 of 2; run 2 (slot 200) completes.
	if res, err := push(1, 100, 0, 2, 1); err != nil || !res.Applied {
		t.Fatalf("run 1 batch 0: %v %v", res, err)
	}
	if res, err := push(1, 100, 0, 2, 1); err != nil || res.Applied {
		t.Fatalf("retry of run 1 batch 0 applied again: %v %v", res, err)
	}
	for seq := range uint32(2) {
		if _, err := push(2, 200, seq, 2, 2); err != nil {
			t.Fatalf("run 2 batch %d: %v", seq, err)
		}
	}
	// A late batch of the older run must not overwrite run 2's rows.
	if _, err := push(1, 100, 1, 2, 1); !errors.Is(err, ErrStaleRun) {
		t.Fatalf("stale batch: %v", err)
	}
	if got := mustQuery(t, s, "SELECT close FROM prices WHERE day = 1"); got.Rows[0][0].Float != 2 {
		t.Fatalf("run 2's row was overwritten: %v", got.Rows)
	}
	// A newer run is still accepted, and a batch number past the total is refused.
	if _, err := push(3, 300, 0, 1, 3); err != nil {
		t.Fatalf("newer run: %v", err)
	}
	if _, err := push(4, 400, 2, 2, 3); err == nil {
		t.Fatal("batch number past the total accepted")
	}
}

// TestResultsOwnTheirBytes reads rows through a tiny block cache, so Pebble
// recycles block buffers while a query still holds rows in its sort buffer,
// group table and result. Every returned string must still be the one
// ingested.
func TestResultsOwnTheirBytes(t *testing.T) {
	s, err := Open("db", Options{FS: vfs.NewMem(), CacheBytes: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tbl := createPrices(t, s)
	var rows []dataset.Row
	note := func(i int) string { return strings.Repeat(string(rune('a'+i%26)), 100) + fmt.Sprint(i) }
	for i := range 20_000 {
		r := priceRow(int64(i), fmt.Sprintf("A%05d", i), float64(i))
		r[3] = dataset.String(note(i))
		rows = append(rows, r)
	}
	if _, err := s.Ingest(Batch{Dataset: tbl.ID(), RunID: "r", Rows: rows}); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"SELECT day, asset, note FROM prices ORDER BY close DESC",
		"SELECT day, asset, note FROM prices WHERE close >= 0",
		"SELECT day, asset, note FROM prices",
	} {
		res := mustQuery(t, s, q)
		if len(res.Rows) != len(rows) {
			t.Fatalf("%s: %d rows", q, len(res.Rows))
		}
		for _, r := range res.Rows {
			i := int(r[0].Int)
			if string(r[1].Bytes) != fmt.Sprintf("A%05d", i) || string(r[2].Bytes) != note(i) {
				t.Fatalf("%s: row %d came back as %q %q: its bytes were overwritten", q, i, r[1].Bytes, r[2].Bytes[:10])
			}
		}
	}
	res := mustQuery(t, s, "SELECT MIN(note), MAX(asset) FROM prices")
	if got := string(res.Rows[0][0].Bytes); got != note(0) {
		t.Fatalf("MIN(note) = %.12q…, want %.12q…", got, note(0))
	}
	if got := string(res.Rows[0][1].Bytes); got != "A19999" {
		t.Fatalf("MAX(asset) = %q", got)
	}
	res = mustQuery(t, s, "SELECT asset, COUNT(*) FROM prices GROUP BY asset")
	for _, r := range res.Rows {
		if !strings.HasPrefix(string(r[0].Bytes), "A") || len(r[0].Bytes) != 6 {
			t.Fatalf("group key %q was overwritten", r[0].Bytes)
		}
	}
}

// TestOrderByLimitHoldsOnlyTheTop checks that ORDER BY … LIMIT keeps
// LIMIT+OFFSET rows, not every match: a memory limit far below the table's
// size still lets it run, and it returns what the full sort returns.
func TestOrderByLimitHoldsOnlyTheTop(t *testing.T) {
	s := openMem(t)
	tbl := createPrices(t, s)
	var rows []dataset.Row
	for i := range 5000 {
		rows = append(rows, priceRow(int64(i), "X", float64((i*7919)%1000))) // many ties
	}
	if _, err := s.Ingest(Batch{Dataset: tbl.ID(), RunID: "r", Rows: rows}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	full, err := s.Query(ctx, "SELECT day, close FROM prices ORDER BY close DESC", QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	top, err := s.Query(ctx, "SELECT day, close FROM prices ORDER BY close DESC LIMIT 20 OFFSET 7", QueryOptions{Limits: Limits{MaxMemoryBytes: 20_000}})
	if err != nil {
		t.Fatalf("top-k under a small memory limit: %v", err)
	}
	for i, r := range top.Rows {
		if want := full.Rows[i+7]; r[0].Int != want[0].Int {
			t.Fatalf("row %d: day %d, the full sort has %d", i, r[0].Int, want[0].Int)
		}
	}
	if len(top.Rows) != 20 {
		t.Fatalf("%d rows", len(top.Rows))
	}
}

func TestOrderByReadsIndexOrder(t *testing.T) {
	s := openMem(t)
	tbl := createPrices(t, s)
	var rows []dataset.Row
	for i := range 500 {
		rows = append(rows, priceRow(int64(i), "X", float64((i*37)%101)))
	}
	if _, err := s.Ingest(Batch{Dataset: tbl.ID(), RunID: "r", Rows: rows}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, q := range []string{
		"SELECT day, close FROM prices ORDER BY close DESC, day DESC LIMIT 7",
		"SELECT day, close FROM prices WHERE close > 50 ORDER BY close LIMIT 5",
		"SELECT day, asset FROM prices ORDER BY day DESC LIMIT 4 OFFSET 2",
	} {
		plan := mustQuery(t, s, "EXPLAIN "+q)
		if !strings.Contains(fmt.Sprint(plan.Rows), "no sort") {
			t.Errorf("%s does not read in key order:\n%v", q, plan.Rows)
		}
		got := mustQuery(t, s, q)
		want, err := s.Query(ctx, q, QueryOptions{NoIndexes: true})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got.Rows) != fmt.Sprint(want.Rows) {
			t.Fatalf("%s:\nkey order %v\nsorted    %v", q, got.Rows, want.Rows)
		}
		if limit := 7; got.Scanned > int64(limit+2) {
			t.Errorf("%s read %d rows; LIMIT should stop the ordered scan early", q, got.Scanned)
		}
	}
}

// TestCompactTableSettlesTheTable loads a table in batches left in the
// memtable, compacts it, and finds its keys in one level of the tree below
// level 0, answering as before and passing Check.
func TestCompactTableSettlesTheTable(t *testing.T) {
	s := openMem(t)
	tbl := createPrices(t, s)
	for seq := range uint64(4) {
		var rows []dataset.Row
		for i := range 1000 {
			day := int64(i)*4 + int64(seq) // each batch spans the whole key range
			rows = append(rows, priceRow(day, fmt.Sprintf("A%d", day%7), float64(day%997)))
		}
		if _, err := s.Ingest(Batch{Dataset: tbl.ID(), RunID: "r", Seq: seq, Rows: rows}); err != nil {
			t.Fatal(err)
		}
	}
	levels := func() []int {
		var holding []int
		for _, p := range [][]byte{rowPrefix(tbl.id), indexPrefix(tbl.id, 0)} {
			ls, err := s.db.SSTables(pebble.WithKeyRangeFilter(p, keyenc.PrefixEnd(p)))
			if err != nil {
				t.Fatal(err)
			}
			for l, files := range ls {
				if len(files) > 0 && !slices.Contains(holding, l) {
					holding = append(holding, l)
				}
			}
		}
		return holding
	}
	const q = "SELECT COUNT(*), SUM(day), MIN(asset) FROM prices WHERE close >= 100 AND close < 300"
	before := mustQuery(t, s, q).Rows
	// The rows are still in the memtable, where background compaction
	// cannot reach them (a flush would put them in level 0 and race it):
	// only CompactTable can bring them to one level below 0.
	if got := levels(); len(got) != 0 {
		t.Fatalf("before compacting, the table is in levels %v: the test no longer keeps it in the memtable", got)
	}
	if err := s.CompactTable(context.Background(), tbl); err != nil {
		t.Fatal(err)
	}
	if got := levels(); len(got) != 1 || got[0] == 0 {
		t.Fatalf("after compacting, the table is in levels %v, want one level below 0", got)
	}
	if got := mustQuery(t, s, q).Rows; fmt.Sprint(got) != fmt.Sprint(before) {
		t.Fatalf("after compacting: %v, want %v", got, before)
	}
	if err := s.Check(tbl); err != nil {
		t.Fatal(err)
	}
}

// A store written in Pebble's default format (every store before
// storeFormat) opens in storeFormat and answers as before, from its old
// sstables and after CompactTable.
func TestOpenRaisesAnOlderStoreFormat(t *testing.T) {
	fs := vfs.NewMem()
	s, err := Open("db", Options{FS: fs, format: pebble.FormatFlushableIngest})
	if err != nil {
		t.Fatal(err)
	}
	tbl := createPrices(t, s)
	var rows []dataset.Row
	for i := range 2000 {
		rows = append(rows, priceRow(int64(i), fmt.Sprintf("A%d", i%7), float64(i%997)))
	}
	if _, err := s.Ingest(Batch{Dataset: tbl.ID(), RunID: "r", Rows: rows}); err != nil {
		t.Fatal(err)
	}
	if err := s.CompactTable(context.Background(), tbl); err != nil {
		t.Fatal(err)
	}
	const q = "SELECT COUNT(*), SUM(day), MIN(asset), MAX(close) FROM prices WHERE close >= 100 AND close < 300"
	before := mustQuery(t, s, q).Rows
	s = reopen(t, s, fs)
	if got := s.db.FormatMajorVersion(); got != storeFormat {
		t.Fatalf("reopened store has format %s, want %s", got, storeFormat)
	}
	tbl, err = s.Table(tbl.ID())
	if err != nil {
		t.Fatal(err)
	}
	if got := mustQuery(t, s, q).Rows; fmt.Sprint(got) != fmt.Sprint(before) {
		t.Fatalf("after the upgrade: %v, want %v", got, before)
	}
	if err := s.CompactTable(context.Background(), tbl); err != nil {
		t.Fatal(err)
	}
	if got := mustQuery(t, s, q).Rows; fmt.Sprint(got) != fmt.Sprint(before) {
		t.Fatalf("after rewriting the tables: %v, want %v", got, before)
	}
	if err := s.Check(tbl); err != nil {
		t.Fatal(err)
	}
}

// The block cache holds CacheBytes of blocks beside Pebble's memtables,
// and CacheStats reports its capacity and the block reads that hit once a
// query's blocks are cached.
func TestCacheHoldsCacheBytesOfBlocks(t *testing.T) {
	s, err := Open("db", Options{FS: vfs.NewMem(), CacheBytes: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tbl := createPrices(t, s)
	for seq := range uint64(10) { // about 3 MiB of blocks
		var rows []dataset.Row
		for i := range 10_000 {
			day := int64(seq)*10_000 + int64(i)
			rows = append(rows, priceRow(day, fmt.Sprintf("A%d", day%7), float64(day%997)))
		}
		if _, err := s.Ingest(Batch{Dataset: tbl.ID(), RunID: "r", Seq: seq, Rows: rows}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CompactTable(context.Background(), tbl); err != nil { // rows to sstables, read through the cache
		t.Fatal(err)
	}
	const q = "SELECT SUM(close), MAX(asset) FROM prices"
	mustQuery(t, s, q)
	first := s.CacheStats()
	mustQuery(t, s, q)
	second := s.CacheStats()
	if first.Capacity != 8<<20 || first.Bytes < 2<<20 {
		t.Fatalf("after a scan, the cache holds %d bytes of %d, want the table's (2 MiB or more) of %d", first.Bytes, first.Capacity, 8<<20)
	}
	if second.Hits <= first.Hits || second.Misses != first.Misses {
		t.Fatalf("the same query again: hits %d → %d, misses %d → %d; want more hits and no new miss", first.Hits, second.Hits, first.Misses, second.Misses)
	}
}
