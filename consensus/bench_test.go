package consensus

import (
	"fmt"
	"testing"

	"github.com/enigma-mpc/enigma/internal/procstat"
)

// BenchmarkCoreNormalCase drives 4 replicas directly (instant in-memory
// delivery, no network model) with real Ed25519 and no memoisation: one op
// is one batch of `batch` requests ordered, committed and executed by all
// four replicas (so CPU figures are for the whole cluster, in one process).
func BenchmarkCoreNormalCase(b *testing.B) {
	for _, batch := range []int{1, 16} {
		b.Run(fmt.Sprintf("n=4/batch=%d", batch), func(b *testing.B) {
			c := newCluster(b, 4, func(cfg *Config) {
				cfg.MaxBatchSize = batch
				cfg.BatchDelayTicks = 1
				cfg.CheckpointInterval = 64
				cfg.WindowSize = 128
			})
			b.ReportAllocs()
			cpu0 := procstat.CPU()
			ts := uint64(0)
			for i := 0; i < b.N; i++ {
				ts++
				for k := 0; k < batch; k++ {
					c.propose(req(fmt.Sprintf("c%d", k), ts, "payload"), 0)
				}
				c.tick(1)
				if got := c.executed(1); got != uint64(i+1) {
					b.Fatalf("executed %d batches after %d ops", got, i+1)
				}
				for j := range c.committed {
					c.committed[j] = c.committed[j][:0]
				}
				c.replies, c.sent = c.replies[:0], c.sent[:0]
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "requests/s")
			b.ReportMetric(float64(b.N*batch)/(procstat.CPU()-cpu0).Seconds(), "requests/cpu-s")
		})
	}
}
