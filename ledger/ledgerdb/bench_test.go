package ledgerdb_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerdb"
	"github.com/enigma-mpc/enigma/ledger/ledgertest"
)

// BenchmarkApplyPebble applies 20,000 registers in batches of 1,000 to a
// ledger in Pebble on disk, with the per-batch fsync production uses, and
// reports records per second. Run with -benchtime=1x.
func BenchmarkApplyPebble(b *testing.B) {
	f, err := ledgertest.NewFixture(11, 4, 16)
	if err != nil {
		b.Fatal(err)
	}
	batches, err := f.RegisterBatches("bench", 20, 1000)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var elapsed time.Duration
	for range b.N {
		db, err := ledgerdb.Open(b.TempDir(), ledger.Config{ChainID: f.ChainID})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for _, bt := range batches {
			if _, _, err := db.Apply(db.Seq()+1, bt.Context, bt.Requests); err != nil {
				b.Fatal(err)
			}
		}
		elapsed += time.Since(start)
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*20*1000)/elapsed.Seconds(), "records/s")
}

// BenchmarkCompact builds a ledger of 10,000 datasets, then updates 20 of
// them in each of 500 more batches (one version each), and compacts it
// keeping the last 256 sequences' states: it reports the database size
// before and after and the time the compaction takes. Run with
// -benchtime=1x.
func BenchmarkCompact(b *testing.B) {
	f, err := ledgertest.NewFixture(11, 4, 16)
	if err != nil {
		b.Fatal(err)
	}
	batches, err := f.RegisterBatches("bench", 10, 1000)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 500 {
		var reqs [][]byte
		for j := range 20 {
			n := (i*20 + j) % 10_000
			m := f.Metadata(n%16, fmt.Sprintf("bench-%d", n), uint64(2+(i*20+j)/10_000))
			req, err := f.Command(n%16, m)
			if err != nil {
				b.Fatal(err)
			}
			reqs = append(reqs, req)
		}
		bc, err := f.Context(reqs)
		if err != nil {
			b.Fatal(err)
		}
		batches = append(batches, ledgertest.Batch{Context: bc, Requests: reqs})
	}
	var elapsed time.Duration
	var rep ledgerdb.CompactReport
	for b.Loop() {
		b.StopTimer()
		dir := filepath.Join(b.TempDir(), "ledger")
		db, err := ledgerdb.Open(dir, ledger.Config{ChainID: f.ChainID, NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		for _, bt := range batches {
			if _, results, err := db.Apply(db.Seq()+1, bt.Context, bt.Requests); err != nil {
				b.Fatal(err)
			} else if slices.ContainsFunc(results, func(e error) bool { return e != nil }) {
				b.Fatalf("batch %d rejected: %v", db.Seq(), results)
			}
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if rep, err = ledgerdb.Compact(dir, ledger.Config{}, 256); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
	}
	b.ReportMetric(float64(rep.BytesBefore)/(1<<20), "MiB-before")
	b.ReportMetric(float64(rep.BytesAfter)/(1<<20), "MiB-after")
	b.ReportMetric(float64(rep.Nodes), "nodes")
	b.ReportMetric(elapsed.Seconds()/float64(b.N), "s/compaction")
}
