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
	intORE = dataset.Column{Name: "n", Type: dataset.TypeInt64, Encryption: dataset.EncOrderRevealing}
	tsORE  = dataset.Column{Name: "t", Type: dataset.TypeTimestamp, Encryption: dataset.EncOrderRevealing}
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
	if _, err := c.EncryptValue(dataset.Column{Name: "f", Type: dataset.TypeFloat64, Encryption: dataset.EncOrderRevealing}, dataset.Float64(1)); err == nil {
		t.Fatal("a float64 ore column encrypted")
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
