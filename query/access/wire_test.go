package access

import (
	"slices"
	"testing"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/internal/keyenc"
	"github.com/enigma-mpc/enigma/signing"
)

// BenchmarkDecodePayload decodes a result of 10,000 rows (an int64 and a
// 24-byte order-preserving cell), as a subscriber's client does before
// decrypting it.
func BenchmarkDecodePayload(b *testing.B) {
	res := &query.Result{Columns: []query.ResultColumn{{Name: "id", Type: dataset.TypeInt64}, {Name: "price", Type: dataset.TypeFloat64, Encryption: dataset.EncOrderPreserving, Source: "price"}}}
	for i := range 10_000 {
		res.Rows = append(res.Rows, dataset.Row{dataset.Int64(int64(i)), dataset.Bytes(make([]byte, dataset.OrderPreservingCellBytes))})
	}
	payload, err := encodePayload(res, false, false)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := decodePayload(payload); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzDecodePayload: whatever a node sends as a result's plaintext, the
// client decodes it or refuses it without panicking, and a decoded result
// encodes back to a payload that decodes to the same rows. The seeds
// include a RowCount far beyond the rows sent, which must be refused
// without reserving room for it.
func FuzzDecodePayload(f *testing.F) {
	res := &query.Result{Columns: []query.ResultColumn{{Name: "id", Type: dataset.TypeInt64}, {Name: "s", Type: dataset.TypeString}}}
	for i := range 3 {
		res.Rows = append(res.Rows, dataset.Row{dataset.Int64(int64(i)), dataset.String("x\x00y")})
	}
	good, err := encodePayload(res, false, false)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	huge, err := signing.Encode(&Payload{Columns: []WireColumn{{Name: "id", Type: uint8(dataset.TypeInt64)}}, Rows: keyenc.AppendRow(nil, dataset.Row{dataset.Int64(1)}), RowCount: 1 << 60})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(huge)
	f.Fuzz(func(t *testing.T, b []byte) {
		got, _, err := decodePayload(b)
		if err != nil {
			return
		}
		again, err := encodePayload(got, false, true)
		if err != nil {
			t.Fatalf("re-encoding a decoded result: %v", err)
		}
		back, _, err := decodePayload(again)
		if err != nil || !slices.EqualFunc(back.Rows, got.Rows, func(a, b dataset.Row) bool { return slices.EqualFunc(a, b, dataset.Value.Equal) }) {
			t.Fatalf("a decoded result did not survive re-encoding: %v", err)
		}
	})
}
