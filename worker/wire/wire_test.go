package wire

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/signing"
)

func sampleBatch() *Batch {
	return &Batch{
		DatasetID:  common.HexToHash("0x11"),
		Version:    7,
		RunID:      NewRunID(common.HexToHash("0x11"), 7, -5, 9, identity.NodeID{1}),
		SlotMicros: -5,
		Seq:        1,
		Total:      3,
		Rows: []dataset.Row{
			{dataset.Int64(-42), dataset.Float64(math.Copysign(0, -1)), dataset.String(""), dataset.Null, dataset.Bool(true)},
			{dataset.Value{Kind: dataset.TypeTimestamp, Int: math.MinInt64}, dataset.Float64(math.NaN()), dataset.Bytes([]byte{0, 1, 2}), dataset.String("BTC"), dataset.Bool(false)},
		},
	}
}

func TestRoundTrip(t *testing.T) {
	b := sampleBatch()
	enc, err := Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(enc)
	if err != nil {
		t.Fatal(err)
	}
	if got.DatasetID != b.DatasetID || got.Version != b.Version || got.RunID != b.RunID ||
		got.SlotMicros != b.SlotMicros || got.Seq != b.Seq || got.Total != b.Total || len(got.Rows) != len(b.Rows) {
		t.Fatalf("header differs: %+v", got)
	}
	for i := range b.Rows {
		for j := range b.Rows[i] {
			if !got.Rows[i][j].Equal(b.Rows[i][j]) {
				t.Errorf("row %d col %d = %v, want %v", i, j, got.Rows[i][j], b.Rows[i][j])
			}
		}
	}
	if math.Float64bits(got.Rows[0][1].Float) != math.Float64bits(math.Copysign(0, -1)) {
		t.Error("-0 lost its sign bit on the wire")
	}
	again, err := Encode(got)
	if err != nil || !bytes.Equal(again, enc) {
		t.Fatalf("re-encoding differs (err %v)", err)
	}
}

func TestRunIDSeparatesEveryInput(t *testing.T) {
	base := NewRunID(common.HexToHash("0x1"), 1, 100, 200, identity.NodeID{1})
	variants := []RunID{
		NewRunID(common.HexToHash("0x2"), 1, 100, 200, identity.NodeID{1}),
		NewRunID(common.HexToHash("0x1"), 2, 100, 200, identity.NodeID{1}),
		NewRunID(common.HexToHash("0x1"), 1, 101, 200, identity.NodeID{1}),
		NewRunID(common.HexToHash("0x1"), 1, 100, 201, identity.NodeID{1}),
		NewRunID(common.HexToHash("0x1"), 1, 100, 200, identity.NodeID{2}),
	}
	for i, v := range variants {
		if v == base {
			t.Errorf("variant %d has the same run ID", i)
		}
	}
	if NewRunID(common.HexToHash("0x1"), 1, 100, 200, identity.NodeID{1}) != base {
		t.Error("run ID is not a function of its inputs")
	}
}

func TestEncodeRefusesBadShapes(t *testing.T) {
	cases := map[string]func(*Batch){
		"seq past total": func(b *Batch) { b.Seq = 3 },
		"zero total":     func(b *Batch) { b.Total, b.Seq = 0, 0 },
		"no rows":        func(b *Batch) { b.Rows = nil },
		"unknown kind":   func(b *Batch) { b.Rows[0][0].Kind = 99 },
		"too many rows": func(b *Batch) {
			b.Rows = make([]dataset.Row, MaxBatchRows+1)
			for i := range b.Rows {
				b.Rows[i] = dataset.Row{dataset.Int64(1)}
			}
		},
	}
	for name, mutate := range cases {
		b := sampleBatch()
		mutate(b)
		if _, err := Encode(b); err == nil {
			t.Errorf("%s: encoded", name)
		}
	}
}

func encodeWire(t *testing.T, w batchWire) []byte {
	t.Helper()
	b, err := signing.Encode(w)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func validWire() batchWire {
	return batchWire{Format: formatVersion, Seq: 0, Total: 1, Rows: [][]cellWire{{{Kind: uint8(dataset.TypeInt64), Int: 5}}}}
}

func TestDecodeRefusesNonCanonicalAndBadInput(t *testing.T) {
	if _, err := Decode(encodeWire(t, validWire())); err != nil {
		t.Fatalf("valid wire refused: %v", err)
	}
	cases := map[string]func(*batchWire){
		"format":            func(w *batchWire) { w.Format = 2 },
		"null with payload": func(w *batchWire) { w.Rows[0][0] = cellWire{Int: 1} },
		"int with bytes":    func(w *batchWire) { w.Rows[0][0].Bytes = []byte{1} },
		"float with int":    func(w *batchWire) { w.Rows[0][0] = cellWire{Kind: uint8(dataset.TypeFloat64), Int: 1} },
		"string with float": func(w *batchWire) { w.Rows[0][0] = cellWire{Kind: uint8(dataset.TypeString), Float: 1} },
		"bool of 2":         func(w *batchWire) { w.Rows[0][0] = cellWire{Kind: uint8(dataset.TypeBool), Int: 2} },
		"unknown kind":      func(w *batchWire) { w.Rows[0][0].Kind = 200 },
		"seq out of range":  func(w *batchWire) { w.Seq = 1 },
		"empty":             func(w *batchWire) { w.Rows = nil },
	}
	for name, mutate := range cases {
		w := validWire()
		mutate(&w)
		if _, err := Decode(encodeWire(t, w)); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
	good := encodeWire(t, validWire())
	if _, err := Decode(append(good, 0)); err == nil {
		t.Error("trailing byte accepted")
	}
	if _, err := Decode(good[:len(good)-1]); err == nil {
		t.Error("truncated batch accepted")
	}
	if _, err := Decode(make([]byte, MaxBatchSize+1)); err == nil || !strings.Contains(err.Error(), "row batch") {
		t.Errorf("oversized input: %v", err)
	}
}

func TestCheckAgainstSchema(t *testing.T) {
	s, err := dataset.ParseSchemaJSON([]byte(`{"columns": [{"name": "asset", "type": "string", "encryption": "det"}, {"name": "n", "type": "int64"}], "primary_key": ["asset"]}`))
	if err != nil {
		t.Fatal(err)
	}
	b := &Batch{Total: 1, Rows: []dataset.Row{{dataset.Bytes([]byte("ct")), dataset.Int64(1)}, {dataset.String("plain"), dataset.Int64(2)}}}
	err = b.Check(&s)
	rerr, ok := err.(*dataset.RowError)
	if !ok || rerr.Row != 2 || rerr.Column != "asset" {
		t.Fatalf("Check = %v, want row 2 column asset (plaintext in an encrypted column)", err)
	}
	b.Rows = b.Rows[:1]
	if err := b.Check(&s); err != nil {
		t.Fatal(err)
	}
}

// FuzzDecode: Decode never panics, and what it accepts re-encodes to the
// same bytes (one encoding per batch).
func FuzzDecode(f *testing.F) {
	enc, err := Encode(sampleBatch())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(enc)
	w := validWire()
	small, _ := signing.Encode(w)
	f.Add(small)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Decode(data)
		if err != nil {
			return
		}
		again, err := Encode(b)
		if err != nil {
			t.Fatalf("decoded batch does not re-encode: %v", err)
		}
		if !bytes.Equal(again, data) {
			t.Fatalf("decoded batch re-encodes differently:\n in %x\nout %x", data, again)
		}
	})
}
