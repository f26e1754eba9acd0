package query

import (
	"errors"
	"fmt"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/query/internal/keyenc"
)

// TestCheckCatchesBrokenTables shows the checker fails on each kind of
// damage: a stale index entry, a missing index entry, a row under the wrong
// key.
func TestCheckCatchesBrokenTables(t *testing.T) {
	for name, damage := range map[string]func(s *Store, tbl *Table) error{
		"stale index entry": func(s *Store, tbl *Table) error {
			r := priceRow(1, "BTC", 777)
			pk := tbl.pkKey(r)
			return s.db.Set(tbl.indexKey(0, r, pk), pk, pebble.Sync)
		},
		"missing index entry": func(s *Store, tbl *Table) error {
			r := priceRow(1, "BTC", 10)
			return s.db.Delete(tbl.indexKey(0, r, tbl.pkKey(r)), pebble.Sync)
		},
		"row under the wrong key": func(s *Store, tbl *Table) error {
			r := priceRow(1, "BTC", 10)
			return s.db.Set(rowKey(tbl.id, tbl.pkKey(priceRow(9, "BTC", 0))), keyenc.AppendRow(nil, r), pebble.Sync)
		},
	} {
		t.Run(name, func(t *testing.T) {
			s := openMem(t)
			tbl := createPrices(t, s)
			if _, err := s.Ingest(Batch{Dataset: tbl.ID(), RunID: "r", Rows: []dataset.Row{priceRow(1, "BTC", 10), priceRow(2, "BTC", 11)}}); err != nil {
				t.Fatal(err)
			}
			if err := s.Check(tbl); err != nil {
				t.Fatalf("healthy table: %v", err)
			}
			if err := damage(s, tbl); err != nil {
				t.Fatal(err)
			}
			if err := s.Check(tbl); !errors.Is(err, ErrInconsistent) {
				t.Fatalf("damage not found: %v", err)
			}
		})
	}
}

// TestCrashKeepsAcknowledgedBatches ingests batches on a filesystem that
// can crash, takes a crash image after each acknowledged batch (keeping a
// random part of Pebble's unsynced background writes), reopens each image
// and checks that the table is consistent and holds every acknowledged row.
func TestCrashKeepsAcknowledgedBatches(t *testing.T) {
	r := randsrc.New(7)
	fs := vfs.NewCrashableMem()
	s, err := Open("db", Options{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	tbl := createPrices(t, s)
	const batches, perBatch = 12, 50
	type image struct {
		fs    *vfs.MemFS
		acked int // batches acknowledged before the crash
	}
	var images []image
	for b := range batches {
		var rows []dataset.Row
		for i := range perBatch {
			rows = append(rows, priceRow(int64(b*perBatch+i), "X", float64(r.IntN(100))))
		}
		if _, err := s.Ingest(Batch{Dataset: tbl.ID(), RunID: "run", Seq: uint64(b), Rows: rows}); err != nil {
			t.Fatal(err)
		}
		images = append(images, image{fs.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: r.IntN(100), RNG: r}), b + 1})
	}
	s.Close()
	for i, img := range images {
		t.Run(fmt.Sprint("crash", i), func(t *testing.T) {
			s, err := Open("db", Options{FS: img.fs})
			if err != nil {
				t.Fatalf("reopen after crash: %v", err)
			}
			defer s.Close()
			tbl, err := s.Table(tbl.ID())
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Check(tbl); err != nil {
				t.Fatal(err)
			}
			n, err := s.storedRowCount(tbl)
			if err != nil {
				t.Fatal(err)
			}
			// Ingest syncs before it returns, so every acknowledged batch survives.
			if n != img.acked*perBatch {
				t.Fatalf("%d rows after the crash, want %d (all %d acknowledged batches)", n, img.acked*perBatch, img.acked)
			}
		})
	}
}

func (s *Store) storedRowCount(t *Table) (int, error) {
	prefix := rowPrefix(t.id)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: keyenc.PrefixEnd(prefix)})
	if err != nil {
		return 0, err
	}
	defer it.Close()
	n := 0
	for it.First(); it.Valid(); it.Next() {
		n++
	}
	return n, it.Error()
}
