package query

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/internal/keyenc"
	"github.com/enigma-mpc/enigma/query/sql"
)

var versionedPath = dataset.Path{Provider: common.HexToAddress("0xbb"), Name: "prices"}

func pricesSchemaT(t testing.TB) dataset.Schema {
	t.Helper()
	s, err := dataset.ParseSchemaJSON([]byte(pricesSchema))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ingestRun writes rows as one run of version v for slot, in batches of
// per rows.
func ingestRun(t testing.TB, s *Store, v uint64, run string, slot int64, rows []dataset.Row, per int) []IngestResult {
	t.Helper()
	var out []IngestResult
	total := (len(rows) + per - 1) / per
	for i := 0; i < total; i++ {
		end := min(len(rows), (i+1)*per)
		res, err := s.Ingest(Batch{Dataset: versionedPath.ID(), Version: v, RunID: run, Seq: uint64(i), Total: uint64(total), Slot: slot, Rows: rows[i*per : end]})
		if err != nil {
			t.Fatalf("ingest %s batch %d: %v", run, i, err)
		}
		out = append(out, res)
	}
	return out
}

func dayRows(n int, close float64) []dataset.Row {
	var rows []dataset.Row
	for d := range n {
		rows = append(rows, priceRow(int64(d), "BTC", close))
	}
	return rows
}

func count(t testing.TB, s *Store) int64 {
	t.Helper()
	return mustQuery(t, s, "SELECT COUNT(*) FROM "+versionedPath.String()).Rows[0][0].Int
}

// TestNewVersionServedOnlyOnceItsFirstRunLanded: the old version answers
// until the new version's first run is complete; the batch that completes
// it switches, and the old version's keys are gone.
func TestNewVersionServedOnlyOnceItsFirstRunLanded(t *testing.T) {
	fs := vfs.NewMem()
	s, err := Open("db", Options{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	schema := pricesSchemaT(t)
	v1, err := s.CreateVersion(versionedPath, 1, schema, []byte("record-1"))
	if err != nil {
		t.Fatal(err)
	}
	ingestRun(t, s, 1, "run-a", 100, dayRows(10, 1), 4)
	if got := count(t, s); got != 10 {
		t.Fatalf("version 1 serves %d rows, want 10", got)
	}

	// Version 2 drops the note column's nullability… any other schema.
	schema2 := schema
	schema2.Columns = append([]dataset.Column(nil), schema.Columns...)
	schema2.Columns[3].Name = "comment"
	if _, err := s.CreateVersion(versionedPath, 2, schema2, []byte("record-2")); err != nil {
		t.Fatal(err)
	}
	if tbl, _ := s.Table(versionedPath.ID()); tbl.Version != 1 || string(tbl.Record) != "record-1" {
		t.Fatalf("after creating version 2 the store serves version %d", tbl.Version)
	}
	// A query planned on version 1 now…
	st := mustParse(t, "SELECT COUNT(*) FROM prices")
	rows := dayRows(25, 2)
	for i := range 5 { // 5 of 7 batches
		r, err := s.Ingest(Batch{Dataset: versionedPath.ID(), Version: 2, RunID: "run-b", Seq: uint64(i), Total: 7, Slot: 100, Rows: rows[4*i : 4*i+4]})
		if err != nil || r.Switched {
			t.Fatalf("batch %d: switched %v, %v", i, r.Switched, err)
		}
	}
	if got := count(t, s); got != 10 {
		t.Fatalf("half of version 2's run landed and the store serves %d rows, want version 1's 10", got)
	}
	for i, b := range [][]dataset.Row{rows[20:24], rows[24:]} {
		r, err := s.Ingest(Batch{Dataset: versionedPath.ID(), Version: 2, RunID: "run-b", Seq: uint64(5 + i), Total: 7, Slot: 100, Rows: b})
		if err != nil {
			t.Fatal(err)
		}
		if r.Switched != (i == 1) {
			t.Fatalf("batch %d switched = %v", 5+i, r.Switched)
		}
	}
	if got := count(t, s); got != 25 {
		t.Fatalf("version 2 complete, the store serves %d rows, want 25", got)
	}
	// …and run after the switch is told so rather than reading a deleted range.
	if _, err := s.Run(context.Background(), "SELECT COUNT(*) FROM prices", st, v1, QueryOptions{}); !errors.Is(err, ErrTableReplaced) {
		t.Fatalf("a query on the replaced version: %v", err)
	}
	if vs := s.Versions(versionedPath.ID()); len(vs) != 1 || vs[0].Version != 2 {
		t.Fatalf("versions after the switch: %d", len(vs))
	}
	for _, p := range []byte{prefixCatalog, prefixRow, prefixIndex, prefixBatch, prefixNewest} {
		lo := append([]byte{p}, TableKey(versionedPath.ID(), 1).Bytes()...)
		it, _ := s.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: keyenc.PrefixEnd(lo)})
		if it.First() {
			t.Errorf("version 1 left keys under prefix %q", p)
		}
		it.Close()
	}
	// A late batch of version 1 is refused.
	if _, err := s.Ingest(Batch{Dataset: versionedPath.ID(), Version: 1, RunID: "run-c", Total: 1, Slot: 200, Rows: dayRows(1, 3)}); !errors.Is(err, ErrStaleVersion) {
		t.Fatalf("batch of the replaced version: %v", err)
	}
	if _, err := s.CreateVersion(versionedPath, 1, schema, nil); !errors.Is(err, ErrStaleVersion) {
		t.Fatalf("re-creating the replaced version: %v", err)
	}
	// A restart serves version 2.
	s = reopen(t, s, fs)
	if tbl, err := s.Table(versionedPath.ID()); err != nil || tbl.Version != 2 || string(tbl.Record) != "record-2" || tbl.Schema.Columns[3].Name != "comment" {
		t.Fatalf("after a restart: %+v %v", tbl, err)
	}
	if got := count(t, s); got != 25 {
		t.Fatalf("after a restart the store serves %d rows", got)
	}
}

func mustParse(t testing.TB, q string) *sql.Statement {
	t.Helper()
	st, err := sql.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestQueriesNeverSeeAMixOfVersions runs COUNT(*) queries while version 2's
// run lands batch by batch: every answer is version 1's count or version
// 2's, never anything between.
func TestQueriesNeverSeeAMixOfVersions(t *testing.T) {
	s := openMem(t)
	schema := pricesSchemaT(t)
	if _, err := s.CreateVersion(versionedPath, 1, schema, nil); err != nil {
		t.Fatal(err)
	}
	ingestRun(t, s, 1, "run-a", 100, dayRows(10, 1), 10)
	if _, err := s.CreateVersion(versionedPath, 2, schema, nil); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var seen sync.Map
	var bad atomic.Value
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				res, err := s.Query(context.Background(), "SELECT COUNT(*) FROM "+versionedPath.String(), QueryOptions{})
				if errors.Is(err, ErrTableReplaced) {
					continue
				}
				if err != nil {
					bad.Store(err.Error())
					return
				}
				n := res.Rows[0][0].Int
				seen.Store(n, true)
				if n != 10 && n != 40 {
					bad.Store(fmt.Sprintf("a query counted %d rows: neither version 1 (10) nor version 2 (40)", n))
				}
			}
		}()
	}
	ingestRun(t, s, 2, "run-b", 100, dayRows(40, 2), 3) // 14 batches
	stop.Store(true)
	wg.Wait()
	if b := bad.Load(); b != nil {
		t.Fatal(b)
	}
	if got := count(t, s); got != 40 {
		t.Fatalf("serves %d rows after version 2's run", got)
	}
}

// TestOvertakenVersionIsDropped: a version that never completed a run is
// dropped when a newer one arrives; the served one stays.
func TestOvertakenVersionIsDropped(t *testing.T) {
	s := openMem(t)
	schema := pricesSchemaT(t)
	for v := uint64(1); v <= 3; v++ {
		if _, err := s.CreateVersion(versionedPath, v, schema, nil); err != nil {
			t.Fatal(err)
		}
		if v == 1 {
			ingestRun(t, s, 1, "run-1", 100, dayRows(3, 1), 3)
		}
		if v == 2 {
			// Half a run of version 2.
			if _, err := s.Ingest(Batch{Dataset: versionedPath.ID(), Version: 2, RunID: "run-2", Total: 2, Slot: 100, Rows: dayRows(2, 2)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var got []uint64
	for _, tbl := range s.Versions(versionedPath.ID()) {
		got = append(got, tbl.Version)
	}
	if fmt.Sprint(got) != "[1 3]" {
		t.Fatalf("versions kept: %v, want [1 3]", got)
	}
	if _, err := s.Ingest(Batch{Dataset: versionedPath.ID(), Version: 2, RunID: "run-2", Seq: 1, Total: 2, Slot: 100, Rows: dayRows(1, 2)}); !errors.Is(err, ErrUnknownVersion) {
		t.Fatalf("batch of the dropped version: %v", err)
	}
	if err := s.DropDataset(versionedPath.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Table(versionedPath.ID()); !errors.Is(err, ErrUnknownDataset) {
		t.Fatalf("after DropDataset: %v", err)
	}
}

// TestTableOfAnOlderStoreBecomesVersionOne: a table created without a
// version (stores before versions) is version 1 in place, rows kept.
func TestTableOfAnOlderStoreBecomesVersionOne(t *testing.T) {
	s := openMem(t)
	schema := pricesSchemaT(t)
	if _, err := s.CreateDataset(versionedPath, schema); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ingest(Batch{Dataset: versionedPath.ID(), RunID: "r", Rows: dayRows(4, 1)}); err != nil {
		t.Fatal(err)
	}
	tbl, err := s.CreateVersion(versionedPath, 1, schema, []byte("rec"))
	if err != nil {
		t.Fatal(err)
	}
	if tbl.Version != 1 || len(s.Versions(versionedPath.ID())) != 1 {
		t.Fatalf("adopted table: version %d, %d tables", tbl.Version, len(s.Versions(versionedPath.ID())))
	}
	if got := count(t, s); got != 4 {
		t.Fatalf("adopted table serves %d rows, want 4", got)
	}
	stats, err := s.Stats(versionedPath.ID(), 3)
	if err != nil || len(stats) != 1 || stats[0].Rows != 3 || !stats[0].Capped || !stats[0].Serving {
		t.Fatalf("stats: %+v %v", stats, err)
	}
}
