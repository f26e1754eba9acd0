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

// benchBatch is a batch the size of the full-load benchmark's (2,048
// requests of 128 bytes from clients named as its clients are).
func benchBatch() Batch {
	reqs := make([]Request, 2048)
	for i := range reqs {
		reqs[i] = Request{Client: ClientID(fmt.Sprintf("bench-client-%d", i)), Timestamp: uint64(1000 + i), Payload: make([]byte, 128)}
	}
	return Batch{Requests: reqs}
}

// BenchmarkPrePrepareWire: one op is a 2,048-request pre-prepare encoded
// for three backups (the primary) or decoded (a backup), or its batch
// hashed; allocs/op and B/op are per pre-prepare.
func BenchmarkPrePrepareWire(b *testing.B) {
	batch := benchBatch()
	pp := &PrePrepare{View: 1, Seq: 7, Batch: batch, Sig: make([]byte, 64)}
	pp.BatchDigest = pp.Batch.Digest()
	msgs := make([]Message, 3)
	for i := range msgs {
		msgs[i] = Message{Type: MsgPrePrepare, From: 1, To: ReplicaID(i + 2), PrePrepare: pp}
	}
	enc, err := EncodeMessage(&msgs[0])
	if err != nil {
		b.Fatal(err)
	}
	b.Run("digest", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = batch.Digest()
		}
	})
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := EncodeMessages(msgs); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := DecodeMessage(enc); err != nil {
				b.Fatal(err)
			}
		}
	})
}
