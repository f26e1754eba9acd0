package wire

import (
	"testing"

	"github.com/enigma-mpc/enigma/dataset"
)

// benchBatch is 1000 rows shaped like the crypto-daily example after
// encryption: a timestamp, a det ciphertext, 24-byte OPE cells and
// plaintext numbers.
func benchBatch() *Batch {
	b := &Batch{Total: 1, Rows: make([]dataset.Row, 1000)}
	for i := range b.Rows {
		b.Rows[i] = dataset.Row{
			{Kind: dataset.TypeTimestamp, Int: int64(i) * 86_400_000_000},
			dataset.Bytes(make([]byte, 19)), dataset.Float64(1.5), dataset.Float64(2.5), dataset.Float64(0.5),
			dataset.Bytes(make([]byte, dataset.OrderPreservingCellBytes)), dataset.Float64(-1.25), dataset.Bytes(make([]byte, dataset.OrderPreservingCellBytes)),
			dataset.Int64(int64(i)), dataset.Null, dataset.Bool(i%8 == 0),
		}
	}
	return b
}

func BenchmarkEncode1000Rows(b *testing.B) {
	batch := benchBatch()
	var size int
	for b.Loop() {
		enc, err := Encode(batch)
		if err != nil {
			b.Fatal(err)
		}
		size = len(enc)
	}
	b.ReportMetric(float64(size), "bytes/batch")
}

func BenchmarkDecode1000Rows(b *testing.B) {
	enc, err := Encode(benchBatch())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Decode(enc); err != nil {
			b.Fatal(err)
		}
	}
}
