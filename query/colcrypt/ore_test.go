package colcrypt

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/internal/randsrc"
)

var (
	intORE   = dataset.Column{Name: "n", Type: dataset.TypeInt64, Encryption: dataset.EncOrderRevealing}
	tsORE    = dataset.Column{Name: "t", Type: dataset.TypeTimestamp, Encryption: dataset.EncOrderRevealing}
	floatORE = dataset.Column{Name: "f", Type: dataset.TypeFloat64, Encryption: dataset.EncOrderRevealing}
)

func oreLeft(t testing.TB, c *Cipher, col dataset.Column, v int64) *ORELeft {
	t.Helper()
	ct, err := c.EncryptConstant(col, dataset.Value{Kind: col.Type, Int: v})
	if err != nil {
		t.Fatal(err)
	}
	if len(ct.Bytes) != ORELeftSize {
		t.Fatalf("left ciphertext is %d bytes, want %d", len(ct.Bytes), ORELeftSize)
	}
	l, err := ParseORELeft(ct.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func oreCell(t testing.TB, c *Cipher, col dataset.Column, v int64) []byte {
	t.Helper()
	ct := mustEncrypt(t, c, col, dataset.Value{Kind: col.Type, Int: v})
	if len(ct) != ORECellSize {
		t.Fatalf("cell is %d bytes, want %d", len(ct), ORECellSize)
	}
	return ct
}

// oreValues are extremes, neighbours and values that share long prefixes,
// so every block position decides some comparison.
func oreValues(r *randsrc.Rand) []int64 {
	vals := []int64{math.MinInt64, math.MinInt64 + 1, -1 << 32, -256, -255, -1, 0, 1, 255, 256, 257, 1 << 32, math.MaxInt64 - 1, math.MaxInt64}
	for range 40 {
		x := int64(r.Uint64())
		vals = append(vals, x, x^1, x^(1<<17), x^(1<<62), -x)
	}
	return vals
}

func TestORECompareGivesPlaintextOrder(t *testing.T) {
	c, _ := testCipher(t, 31)
	r := randsrc.New(32)
	vals := oreValues(r)
	cells := make([][]byte, len(vals))
	for i, y := range vals {
		cells[i] = oreCell(t, c, intORE, y)
		got, err := c.DecryptValue(intORE, dataset.Bytes(cells[i]))
		if err != nil || got.Int != y || got.Kind != dataset.TypeInt64 {
			t.Fatalf("decrypt %d: %v %v", y, got, err)
		}
	}
	for _, x := range vals {
		l := oreLeft(t, c, intORE, x)
		for j, y := range vals {
			n, err := l.Compare(cells[j])
			if err != nil {
				t.Fatal(err)
			}
			if want := cmp.Compare(x, y); n != want {
				t.Fatalf("compare(left %d, right %d) = %d, want %d", x, y, n, want)
			}
		}
	}
	// Timestamps map like int64s.
	l := oreLeft(t, c, tsORE, 1_700_000_000_000_000)
	if n, err := l.Compare(oreCell(t, c, tsORE, 1_700_000_000_000_001)); err != nil || n != -1 {
		t.Fatalf("timestamp compare = %d, %v; want -1", n, err)
	}
}

// oreFloatValues are the float64s at the edges of the order and of the
// image's blocks — ±0, ±Inf, NaNs of either sign, subnormals, the normal
// range's ends, neighbours — and random bit patterns, negatives included.
func oreFloatValues(r *randsrc.Rand) []float64 {
	vals := []float64{
		math.Copysign(0, -1), 0, math.Inf(1), math.Inf(-1), math.NaN(), math.Float64frombits(0xfff8_0000_0000_0001),
		math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 2 * math.SmallestNonzeroFloat64, 0x1p-1022, -0x1p-1022,
		math.Nextafter(0x1p-1022, 0), math.MaxFloat64, -math.MaxFloat64, 1, math.Nextafter(1, 2), -1, math.Nextafter(-1, -2),
		0.1, -0.1, 19.99, 20, 0x1p53, 0x1p53 + 2,
	}
	for range 30 {
		x := math.Float64frombits(r.Uint64())
		y := float64(r.IntN(2001)-1000) / 100 // prices to the cent
		vals = append(vals, x, -x, math.Nextafter(x, math.Inf(1)), y, math.Nextafter(y, 0))
	}
	return vals
}

// compareEngine is the engine's order of float64s (query's compareFloats):
// by value, -0 equal to +0, NaN after every number and equal to NaN.
func compareEngine(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an || bn:
		return cmp.Compare(btoi(an), btoi(bn))
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestOREFloatCompareGivesEngineOrder(t *testing.T) {
	c, _ := testCipher(t, 43)
	r := randsrc.New(44)
	vals := oreFloatValues(r)
	cells := make([][]byte, len(vals))
	for i, y := range vals {
		cell := mustEncrypt(t, c, floatORE, dataset.Float64(y))
		if len(cell) != ORECellSize {
			t.Fatalf("cell is %d bytes, want %d", len(cell), ORECellSize)
		}
		cells[i] = cell
		// The cell seals the value's own bits: -0 and NaN payloads too.
		got, err := c.DecryptValue(floatORE, dataset.Bytes(cell))
		if err != nil || got.Kind != dataset.TypeFloat64 || math.Float64bits(got.Float) != math.Float64bits(y) {
			t.Fatalf("decrypt %v (%#x): %v %v", y, math.Float64bits(y), got, err)
		}
	}
	for _, x := range vals {
		ct, err := c.EncryptConstant(floatORE, dataset.Float64(x))
		if err != nil {
			t.Fatal(err)
		}
		l, err := ParseORELeft(ct.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		for j, y := range vals {
			n, err := l.Compare(cells[j])
			if err != nil {
				t.Fatal(err)
			}
			if want := compareEngine(x, y); n != want {
				t.Fatalf("compare(left %v, right %v) = %d, want %d", x, y, n, want)
			}
		}
	}
	// Equal values give equal left ciphertexts, so -0's is +0's and every
	// NaN's is one.
	eq := func(a, b float64) bool {
		la, _ := c.EncryptConstant(floatORE, dataset.Float64(a))
		lb, _ := c.EncryptConstant(floatORE, dataset.Float64(b))
		return bytes.Equal(la.Bytes, lb.Bytes)
	}
	if !eq(math.Copysign(0, -1), 0) || !eq(math.NaN(), math.Float64frombits(0xfff8_0000_0000_0001)) || eq(0, math.SmallestNonzeroFloat64) {
		t.Fatal("left ciphertexts of -0 and +0, or of two NaNs, differ, or 0 and the smallest subnormal share one")
	}
}

func TestORECellsAreRandomized(t *testing.T) {
	c, _ := testCipher(t, 33)
	a, b := oreCell(t, c, intORE, 42), oreCell(t, c, intORE, 42)
	if bytes.Equal(a[:ORERightSize], b[:ORERightSize]) || bytes.Equal(a[ORERightSize:], b[ORERightSize:]) {
		t.Fatal("two cells of one value share their right ciphertext or sealed value")
	}
	// Trits of a right ciphertext are balanced whatever the value: count
	// the digit 0 over many cells of one value (each ~1/3).
	var zeros, all int
	for range 20 {
		cell := oreCell(t, c, intORE, 7)
		trits := cell[1+oreKeyIDSize+oreNonceSize : ORERightSize]
		for n := range oreTrits {
			if trits[n/5]/pow3[n%5]%3 == 0 {
				zeros++
			}
			all++
		}
	}
	if f := float64(zeros) / float64(all); f < 0.32 || f > 0.347 {
		t.Fatalf("share of zero trits %.4f, want about 1/3", f)
	}
}

func TestOREForeignConstantsAreRefused(t *testing.T) {
	c, keys := testCipher(t, 34)
	cell := oreCell(t, c, intORE, 5)
	other := intORE
	other.Name = "m"
	if _, err := oreLeft(t, c, other, 5).Compare(cell); !errors.Is(err, ErrOREKey) {
		t.Fatalf("left of another column: %v, want ErrOREKey", err)
	}
	c2, err := New(keys, common.HexToHash("0x02"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := oreLeft(t, c2, intORE, 5).Compare(cell); !errors.Is(err, ErrOREKey) {
		t.Fatalf("left of another dataset: %v, want ErrOREKey", err)
	}
	if _, err := c2.DecryptValue(intORE, dataset.Bytes(cell)); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("decrypt under another dataset: %v", err)
	}
	// A left ciphertext is no cell and a cell no left ciphertext.
	left, _ := c.EncryptConstant(intORE, dataset.Int64(5))
	if _, err := c.DecryptValue(intORE, left); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("decrypting a left ciphertext: %v", err)
	}
	if _, err := ParseORELeft(cell); err == nil {
		t.Fatal("a cell parsed as a left ciphertext")
	}
	strORE := dataset.Column{Name: "s", Type: dataset.TypeString, Encryption: dataset.EncOrderRevealing}
	if _, err := c.EncryptValue(strORE, dataset.String("a")); err == nil {
		t.Fatal("a string ore column encrypted")
	}
	if _, err := c.EncryptConstant(strORE, dataset.String("a")); err == nil {
		t.Fatal("a constant for a string ore column encrypted")
	}
	if _, err := c.EncryptConstant(floatORE, dataset.Int64(1)); err == nil {
		t.Fatal("an int64 constant encrypted for a float64 ore column (the query rewriter converts it first)")
	}
}

// TestORETamperingIsCaught shows the checks catching broken variants: a
// changed trit in the right ciphertext makes the cell fail to decrypt (the
// sealed value authenticates it), and the comparison reads exactly the
// slot the left ciphertext names (a broken slot changes the answer).
func TestORETamperingIsCaught(t *testing.T) {
	c, _ := testCipher(t, 35)
	cell := oreCell(t, c, intORE, 1000)
	l := oreLeft(t, c, intORE, 999)
	// Block 0 is equal for 999 and 1000 and decides nothing; flip its slot.
	n := int(l.h[0])
	bad := bytes.Clone(cell)
	at := 1 + oreKeyIDSize + oreNonceSize + n/5
	d := cell[at] / pow3[n%5] % 3
	bad[at] = cell[at] - d*pow3[n%5] + ((d+2)%3)*pow3[n%5] // block 0 now says "greater"
	if _, err := c.DecryptValue(intORE, dataset.Bytes(bad)); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("tampered cell decrypted: %v", err)
	}
	if got, _ := l.Compare(bad); got == -1 {
		t.Fatal("a flipped trit at the deciding slot left the answer unchanged")
	}
	if got, _ := l.Compare(cell); got != -1 {
		t.Fatalf("untampered compare = %d", got)
	}
}

// TestOREKnownAnswers pins left ciphertexts and a cell under a seeded nonce
// source: a querier on any platform must produce the bytes the worker's
// cells were made to meet.
func TestOREKnownAnswers(t *testing.T) {
	c, _ := testCipher(t, 36)
	c.SetRand(seededReader{randsrc.New(37)})
	h := sha256.New()
	for _, v := range []int64{math.MinInt64, -1, 0, 1, 1 << 40, math.MaxInt64} {
		l, _ := c.EncryptConstant(intORE, dataset.Int64(v))
		h.Write(l.Bytes)
		h.Write(oreCell(t, c, intORE, v))
	}
	const want = "fe836b4da96c8c1bd692b13a296de777a959cbe5a2b842a2eb6750816f70bdd7"
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Fatalf("ore known answers changed: %s", got)
	}
	// Float64 values go through their image; the pin covers the sign
	// flip, -0's folding and NaN's place.
	h.Reset()
	for _, v := range []float64{math.Inf(-1), -19.99, math.Copysign(0, -1), 0, math.SmallestNonzeroFloat64, 19.99, math.Inf(1), math.NaN()} {
		l, _ := c.EncryptConstant(floatORE, dataset.Float64(v))
		h.Write(l.Bytes)
		h.Write(mustEncrypt(t, c, floatORE, dataset.Float64(v)))
	}
	const wantFloat = "d041e17f7f97ad5040d5d54d1eb37862d0008dc4d7374637d44a5701cbb3d500"
	if got := hex.EncodeToString(h.Sum(nil)); got != wantFloat {
		t.Fatalf("ore float known answers changed: %s", got)
	}
}

func FuzzORECompare(f *testing.F) {
	c, _ := testCipher(f, 38)
	l, _ := c.EncryptConstant(intORE, dataset.Int64(3))
	cell := oreCell(f, c, intORE, 4)
	f.Add(l.Bytes, cell)
	f.Add(l.Bytes[:10], cell[:20])
	f.Add(cell[:ORELeftSize], l.Bytes)
	f.Fuzz(func(t *testing.T, left, cell []byte) {
		pl, err := ParseORELeft(left)
		if err != nil {
			return
		}
		n, err := pl.Compare(cell)
		if err == nil && (n < -1 || n > 1) {
			t.Fatalf("compare = %d", n)
		}
		_, _ = c.DecryptValue(intORE, dataset.Bytes(cell))
	})
}

func BenchmarkOREEncryptLeft(b *testing.B) {
	c, _ := testCipher(b, 39)
	for i := 0; b.Loop(); i++ {
		if _, err := c.EncryptConstant(intORE, dataset.Int64(int64(i)*7919)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOREEncryptRight(b *testing.B) {
	c, _ := testCipher(b, 40)
	for i := 0; b.Loop(); i++ {
		if _, err := c.EncryptValue(intORE, dataset.Int64(int64(i)*7919)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkORECompare(b *testing.B) {
	c, _ := testCipher(b, 41)
	cells := make([][]byte, 64)
	for i := range cells {
		cells[i] = oreCell(b, c, intORE, int64(i)*1_000_003)
	}
	l := oreLeft(b, c, intORE, 32_000_000)
	for i := 0; b.Loop(); i++ {
		if _, err := l.Compare(cells[i%len(cells)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOREDecrypt(b *testing.B) {
	c, _ := testCipher(b, 42)
	cell := dataset.Bytes(oreCell(b, c, intORE, 12345))
	for b.Loop() {
		if _, err := c.DecryptValue(intORE, cell); err != nil {
			b.Fatal(err)
		}
	}
}
