package ledger_test

import (
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgertest"
)

// The benchmark ledger: 100,000 datasets registered in batches of 1,000.
const (
	benchBatches   = 100
	benchBatchSize = 1000
)

var bench struct {
	once    sync.Once
	err     error
	f       *ledgertest.Fixture
	batches []ledgertest.Batch
	l       *ledger.Ledger
	keys    []common.Hash
	cert    ledger.CheckpointCertificate
}

// benchLedger builds the 100,000-dataset workload and a ledger holding it,
// once per test binary run.
func benchLedger(b *testing.B) {
	bench.once.Do(func() {
		f, err := ledgertest.NewFixture(11, 4, 16)
		if err != nil {
			bench.err = err
			return
		}
		bench.f = f
		if bench.batches, bench.err = f.RegisterBatches("bench", benchBatches, benchBatchSize); bench.err != nil {
			return
		}
		bench.l = newLedger(b, f)
		for _, bt := range bench.batches {
			if _, _, err := bench.l.Apply(bench.l.Seq()+1, bt.Context, bt.Requests); err != nil {
				bench.err = err
				return
			}
		}
		for i := 0; i < benchBatches*benchBatchSize; i += 97 {
			p := i % len(f.Providers)
			bench.keys = append(bench.keys, f.Metadata(p, "bench-"+itoa(i), 1).ID())
		}
		bench.cert, bench.err = f.Certificate(bench.l.Seq(), bench.l.Root())
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}

// BenchmarkApply100k applies 100,000 registers (100 batches of 1,000) to a
// fresh in-memory ledger per iteration and reports records per second.
// Run with -benchtime=1x: one iteration is the whole ledger.
func BenchmarkApply100k(b *testing.B) {
	benchLedger(b)
	b.ResetTimer()
	var elapsed time.Duration
	for range b.N {
		l := newLedger(b, bench.f)
		start := time.Now()
		for _, bt := range bench.batches {
			if _, _, err := l.Apply(l.Seq()+1, bt.Context, bt.Requests); err != nil {
				b.Fatal(err)
			}
		}
		elapsed += time.Since(start)
		if l.Root() != bench.l.Root() {
			b.Fatal("benchmark ledgers diverged")
		}
	}
	b.ReportMetric(float64(b.N*benchBatches*benchBatchSize)/elapsed.Seconds(), "records/s")
}

// BenchmarkProve100k measures building a certified record in a ledger of
// 100,000 datasets and reports the proof and record sizes.
func BenchmarkProve100k(b *testing.B) {
	benchLedger(b)
	var proofBytes, recordBytes, nodes int
	b.ResetTimer()
	for i := range b.N {
		cr, err := bench.l.Certify(bench.keys[i%len(bench.keys)], bench.cert)
		if err != nil {
			b.Fatal(err)
		}
		if i < len(bench.keys) {
			enc, _ := cr.Encode()
			recordBytes += len(enc)
			nodes += len(cr.Proof)
			for _, n := range cr.Proof {
				proofBytes += len(n)
			}
		}
	}
	n := float64(min(b.N, len(bench.keys)))
	b.ReportMetric(float64(proofBytes)/n, "proof-bytes")
	b.ReportMetric(float64(nodes)/n, "proof-nodes")
	b.ReportMetric(float64(recordBytes)/n, "record-bytes")
}

// BenchmarkVerify100k measures Verify (certificate + proof + decode) of
// certified records from a ledger of 100,000 datasets.
func BenchmarkVerify100k(b *testing.B) {
	benchLedger(b)
	var records []*ledger.CertifiedRecord
	for _, k := range bench.keys[:256] {
		cr, err := bench.l.Certify(k, bench.cert)
		if err != nil {
			b.Fatal(err)
		}
		records = append(records, cr)
	}
	b.ResetTimer()
	for i := range b.N {
		if _, err := ledger.Verify(records[i%len(records)], bench.f.Set); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyProofOnly100k isolates the Merkle proof check.
func BenchmarkVerifyProofOnly100k(b *testing.B) {
	benchLedger(b)
	cr, err := bench.l.Certify(bench.keys[0], bench.cert)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := ledger.VerifyProof(cr.Certificate.StateRoot, cr.Key, cr.Proof); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckAndApply100k is a replica's whole per-request work: the
// pre-ordering CheckRequest of each request, then Apply of each batch.
// Run with -benchtime=1x.
func BenchmarkCheckAndApply100k(b *testing.B) {
	benchLedger(b)
	b.ResetTimer()
	var elapsed time.Duration
	for range b.N {
		l := newLedger(b, bench.f)
		start := time.Now()
		for _, bt := range bench.batches {
			for _, req := range bt.Requests {
				if err := l.CheckRequest(req); err != nil {
					b.Fatal(err)
				}
			}
			if _, _, err := l.Apply(l.Seq()+1, bt.Context, bt.Requests); err != nil {
				b.Fatal(err)
			}
		}
		elapsed += time.Since(start)
	}
	b.ReportMetric(float64(b.N*benchBatches*benchBatchSize)/elapsed.Seconds(), "records/s")
}
