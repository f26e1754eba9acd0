package keyenc

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"testing"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/internal/randsrc"
)

func cmpFloat(a, b float64) int {
	switch {
	case math.IsNaN(a) && math.IsNaN(b):
		return 0
	case math.IsNaN(a):
		return 1
	case math.IsNaN(b):
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

func TestKeyOrderMatchesValueOrder(t *testing.T) {
	r := randsrc.New(1)
	ints := []int64{math.MinInt64, -1, 0, 1, math.MaxInt64}
	floats := []float64{math.Inf(-1), -1, math.Copysign(0, -1), 0, 1, math.Inf(1), math.NaN()}
	strs := [][]byte{{}, {0}, {0, 0}, {0, 1}, {1}, {0xff}, []byte("a"), []byte("a\x00b"), []byte("ab")}
	for range 200 {
		ints = append(ints, int64(r.Uint64()))
		floats = append(floats, r.NormFloat64()*1e9)
		s := make([]byte, r.IntN(4))
		for i := range s {
			s[i] = byte(r.IntN(3)) // small alphabet with 0x00 to stress escaping
		}
		strs = append(strs, s)
	}
	for _, a := range ints {
		for _, b := range ints {
			want := sign(int(cmp.Compare(a, b)))
			if got := bytes.Compare(AppendKey(nil, dataset.Int64(a)), AppendKey(nil, dataset.Int64(b))); got != want {
				t.Fatalf("ints %d, %d: key order %d", a, b, got)
			}
		}
	}
	for _, a := range floats {
		for _, b := range floats {
			if got := bytes.Compare(AppendKey(nil, dataset.Float64(a)), AppendKey(nil, dataset.Float64(b))); got != cmpFloat(a, b) {
				t.Fatalf("floats %g, %g: key order %d", a, b, got)
			}
		}
	}
	for _, a := range strs {
		for _, b := range strs {
			// Composite keys: the string then an int must order by the string first.
			ka := AppendKey(AppendKey(nil, dataset.Bytes(a)), dataset.Int64(5))
			kb := AppendKey(AppendKey(nil, dataset.Bytes(b)), dataset.Int64(-5))
			want := bytes.Compare(a, b)
			if want == 0 {
				want = 1
			}
			if got := bytes.Compare(ka, kb); got != want {
				t.Fatalf("bytes %x, %x: composite key order %d want %d", a, b, got, want)
			}
		}
	}
	if bytes.Compare(AppendKey(nil, dataset.Null), AppendKey(nil, dataset.Int64(math.MinInt64))) >= 0 {
		t.Fatal("NULL must sort first")
	}
}

func TestPrefixEnd(t *testing.T) {
	if got := PrefixEnd([]byte{1, 0xff}); !bytes.Equal(got, []byte{2}) {
		t.Fatalf("PrefixEnd = %x", got)
	}
	if PrefixEnd([]byte{0xff, 0xff}) != nil {
		t.Fatal("all-0xFF prefix has no end")
	}
}

func TestRowRoundTrip(t *testing.T) {
	row := dataset.Row{dataset.Null, dataset.Int64(-3), dataset.Float64(math.Inf(-1)), dataset.String("x\x00"), dataset.Bytes(nil), dataset.Bool(true), {Kind: dataset.TypeTimestamp, Int: 1 << 50}}
	enc := AppendRow(nil, row)
	enc = AppendRow(enc, dataset.Row{dataset.Int64(1)})
	got, rest, err := DecodeRow(enc, 16)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(got, row, dataset.Value.Equal) {
		t.Fatalf("got %v", got)
	}
	second, rest, err := DecodeRow(rest, 16)
	if err != nil || len(rest) != 0 || second[0].Int != 1 {
		t.Fatalf("second row: %v %v %x", second, err, rest)
	}
	if _, _, err := DecodeRow(enc, 3); err == nil {
		t.Fatal("row wider than maxCols accepted")
	}
	for i := range len(AppendRow(nil, row)) {
		if _, _, err := DecodeRow(enc[:i], 16); err == nil {
			t.Fatalf("row truncated to %d bytes accepted", i)
		}
	}
}

func FuzzDecodeRow(f *testing.F) {
	f.Add(AppendRow(nil, dataset.Row{dataset.Int64(1), dataset.String("a"), dataset.Float64(2)}))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, _, err := DecodeRow(b, 64)
		if err != nil {
			return
		}
		again, rest, err := DecodeRow(AppendRow(nil, r), 64)
		if err != nil || len(rest) != 0 || !slices.EqualFunc(again, r, dataset.Value.Equal) {
			t.Fatalf("re-encoding a decoded row changed it: %v %v", again, err)
		}
		for i, v := range r {
			kind, cell, err := Cell(b, len(r), i)
			if err != nil || kind != v.Kind || (kind == dataset.TypeString || kind == dataset.TypeBytes) && !bytes.Equal(cell, v.Bytes) {
				t.Fatalf("Cell(%d) = %d %x %v, the row has %v", i, kind, cell, err, v)
			}
		}
	})
}

func TestDecodeColumnsInto(t *testing.T) {
	row := dataset.Row{dataset.Null, dataset.Int64(-300), dataset.Float64(2.5), dataset.String("x\x00"), dataset.Bytes(nil), dataset.Bool(true), {Kind: dataset.TypeTimestamp, Int: 1 << 50}}
	enc := AppendRow(nil, row)
	for want := range uint64(1) << len(row) {
		dst := make(dataset.Row, len(row))
		for i := range dst {
			dst[i] = dataset.String("untouched")
		}
		if err := DecodeColumnsInto(dst, enc, len(row), want); err != nil {
			t.Fatalf("want %b: %v", want, err)
		}
		for i := range row {
			if wanted := want&(1<<i) != 0; wanted && !dst[i].Equal(row[i]) || !wanted && string(dst[i].Bytes) != "untouched" {
				t.Fatalf("want %b: column %d = %v", want, i, dst[i])
			}
		}
	}
	if err := DecodeColumnsInto(make(dataset.Row, 8), enc, 8, 1); err == nil {
		t.Fatal("a row of 7 columns decoded as 8")
	}
	// Truncation inside or before a wanted column is refused.
	last := uint64(1) << (len(row) - 1)
	for i := range len(enc) {
		if err := DecodeColumnsInto(make(dataset.Row, len(row)), enc[:i], len(row), last); err == nil {
			t.Fatalf("row truncated to %d bytes accepted", i)
		}
	}
}

func TestRowSize(t *testing.T) {
	r := randsrc.New(3)
	for range 500 {
		row := dataset.Row{
			dataset.Null,
			dataset.Int64(int64(r.Uint64()) >> r.IntN(64)),
			dataset.Int64(-int64(r.Uint64() >> r.IntN(64))),
			dataset.Float64(r.NormFloat64()),
			dataset.Bytes(make([]byte, r.IntN(300))),
			dataset.Bool(r.IntN(2) == 0),
		}
		if got, want := RowSize(row), len(AppendRow(nil, row)); got != want {
			t.Fatalf("RowSize(%v) = %d, encoding has %d bytes", row, got, want)
		}
	}
}

func TestCell(t *testing.T) {
	row := dataset.Row{dataset.Null, dataset.Int64(-300), dataset.Float64(2.5), dataset.String("x\x00"), dataset.Bytes(nil), dataset.Bool(true)}
	enc := AppendRow(nil, row)
	for i, v := range row {
		kind, payload, err := Cell(enc, len(row), i)
		if err != nil || kind != v.Kind {
			t.Fatalf("column %d: kind %d, %v", i, kind, err)
		}
		if (kind == dataset.TypeString || kind == dataset.TypeBytes) && !bytes.Equal(payload, v.Bytes) {
			t.Fatalf("column %d: bytes %x, want %x", i, payload, v.Bytes)
		}
	}
	if _, _, err := Cell(enc, len(row)+1, 0); err == nil {
		t.Fatal("a row of 6 columns read as 7")
	}
	for i := range len(enc) {
		if _, _, err := Cell(enc[:i], len(row), len(row)-1); err == nil {
			t.Fatalf("row truncated to %d bytes accepted", i)
		}
	}
}

func TestDecodeKey(t *testing.T) {
	vals := []dataset.Value{
		dataset.Null, dataset.Int64(math.MinInt64), dataset.Int64(-1), dataset.Int64(0), dataset.Int64(math.MaxInt64),
		{Kind: dataset.TypeTimestamp, Int: -5}, dataset.Float64(math.Inf(-1)), dataset.Float64(-2.5), dataset.Float64(1e-300),
		dataset.Float64(math.Inf(1)), dataset.Bool(false), dataset.Bool(true), dataset.String(""), dataset.String("a\x00b\x00"),
		dataset.Bytes([]byte{0, 0xff, 0, 1}), dataset.Bytes(nil),
	}
	kinds := []dataset.ColumnType{dataset.TypeInt64, dataset.TypeString}
	for _, v := range vals {
		kind := v.Kind
		if v.IsNull() {
			kind = dataset.TypeFloat64
		}
		// A composite key: the value, then a string and an int.
		key := AppendKey(AppendKey(AppendKey(nil, v), dataset.String("k")), dataset.Int64(7))
		got, rest, exact, err := DecodeKey(key, kind)
		if err != nil || !exact || !got.Equal(v) {
			t.Fatalf("%v: got %v exact %v err %v", v, got, exact, err)
		}
		for i, want := range []dataset.Value{dataset.String("k"), dataset.Int64(7)} {
			if got, rest, _, err = DecodeKey(rest, kinds[(i+1)%2]); err != nil || !got.Equal(want) {
				t.Fatalf("after %v: part %d = %v, %v", v, i, got, err)
			}
		}
		if len(rest) != 0 {
			t.Fatalf("%v: %x left over", v, rest)
		}
		for i := range len(key) - len(AppendKey(AppendKey(nil, dataset.String("k")), dataset.Int64(7))) {
			if _, _, _, err := DecodeKey(key[:i], kind); err == nil && !v.IsNull() {
				t.Fatalf("%v: key truncated to %d bytes decoded", v, i)
			}
		}
	}
	for _, f := range []float64{0, math.Copysign(0, -1), math.NaN()} {
		if _, _, exact, err := DecodeKey(AppendKey(nil, dataset.Float64(f)), dataset.TypeFloat64); err != nil || exact {
			t.Fatalf("%g: exact %v, %v; the key cannot tell", f, exact, err)
		}
	}
}

// FuzzDecodeKey: a byte cell decoded from any key is exact and re-encodes
// to exactly the bytes it was read from, whether it took the path for cells
// without 0x00 or the one that undoes escapes; AppendKeyBytes appends the
// same bytes after what it is given, and refuses what DecodeKey refuses.
func FuzzDecodeKey(f *testing.F) {
	f.Add(AppendKey(nil, dataset.Bytes([]byte("a\x00b"))))
	f.Add(AppendKey(AppendKey(nil, dataset.Bytes(nil)), dataset.Int64(3)))
	f.Add([]byte{1, 'x', 0, 0xff, 0, 1, 7})
	f.Add([]byte{1, 'x', 0, 2, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		v, rest, exact, err := DecodeKey(b, dataset.TypeBytes)
		if err != nil {
			if _, _, _, err2 := AppendKeyBytes(nil, b); err2 == nil {
				t.Fatalf("AppendKeyBytes(%x) decoded what DecodeKey refused: %v", b, err)
			}
			return
		}
		if !exact || !v.IsNull() && v.Kind != dataset.TypeBytes {
			t.Fatalf("DecodeKey(%x) = %v, exact %v", b, v, exact)
		}
		if enc := AppendKey(nil, v); !bytes.Equal(enc, b[:len(b)-len(rest)]) {
			t.Fatalf("DecodeKey(%x) = %x, which encodes as %x", b, v.Bytes, enc)
		}
		prefix := []byte("seal")
		out, rest2, null, err := AppendKeyBytes(bytes.Clone(prefix), b)
		if err != nil || null != v.IsNull() || !bytes.Equal(out, append(prefix, v.Bytes...)) || len(rest2) != len(rest) {
			t.Fatalf("AppendKeyBytes(%x) = %x, rest %x, null %v, %v; DecodeKey gave %v, rest %x", b, out, rest2, null, err, v, rest)
		}
	})
}
