package ledgerdb_test

import (
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
