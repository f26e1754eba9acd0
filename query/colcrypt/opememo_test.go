package colcrypt

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"github.com/enigma-mpc/enigma/internal/randsrc"
)

// TestOPEMemoSameFunction checks that the memo of splits changes no
// ciphertext: a cipher whose memo has grown over thousands of clustered and
// scattered values encrypts each value as a fresh cipher (empty memo) of the
// same key does, also once the memo is full.
func TestOPEMemoSameFunction(t *testing.T) {
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(7 * i)
	}
	warm, err := newOPECipher(key, key)
	if err != nil {
		t.Fatal(err)
	}
	r := randsrc.New(62)
	var values []uint64
	for i := range 3000 {
		switch i % 3 {
		case 0: // clustered: share a long prefix
			values = append(values, 1<<63+uint64(r.IntN(1<<20)))
		case 1: // scattered
			values = append(values, r.Uint64())
		default: // neighbours of an earlier value
			values = append(values, values[r.IntN(len(values))]+1)
		}
	}
	check := func(p uint64) {
		t.Helper()
		fresh, err := newOPECipher(key, key)
		if err != nil {
			t.Fatal(err)
		}
		want := fresh.encrypt(p)
		if got := warm.encrypt(p); got != want {
			t.Fatalf("encrypt(%d) with the memo = %x, without = %x", p, got, want)
		}
	}
	for _, p := range values {
		check(p)
	}
	if n := len(warm.memo.nodes); n == 0 || n > opeMemoMax {
		t.Fatalf("memo holds %d nodes after %d values, want 1 to %d", n, len(values), opeMemoMax)
	}
	// Fill it, let it start again, and check once more.
	for len(warm.memo.nodes)+opeMemoGrow <= opeMemoMax {
		warm.encrypt(r.Uint64())
	}
	for _, p := range values[:300] {
		check(p)
	}
	if n := len(warm.memo.nodes); n > 300*opeMemoGrow {
		t.Fatalf("memo holds %d nodes, want it emptied when full and regrown by 300 descents", n)
	}
}

// TestOPEMemoLearnsRepeatedValues checks that a value encrypted again and
// again (a query constant) ends up with its whole descent remembered, even
// after the memo was filled by other values (a worker's ingest).
func TestOPEMemoLearnsRepeatedValues(t *testing.T) {
	c, _ := testCipher(t, 64)
	o, err := c.opeFor("n")
	if err != nil {
		t.Fatal(err)
	}
	r := randsrc.New(64)
	for len(o.memo.nodes)+opeMemoGrow <= opeMemoMax {
		o.encrypt(r.Uint64())
	}
	const p = 1<<63 + 999
	for range 64 {
		o.encrypt(p)
	}
	dl, m, rl, logN := uint64(0), u128{1, 0}, u128{}, uint8(opeRangeBits)
	w := o.newWalk()
	defer w.done()
	depth := 0
	for m != (u128{0, 1}) && w.found {
		k := w.split(m, logN, rl)
		if (u128{0, p - dl}).less(k) {
			m = k
			w.down(0)
		} else {
			dl, m, rl = dl+k.lo, m.sub(k), rl.add(pow2(logN-1))
			w.down(1)
		}
		logN--
		depth++
	}
	if m != (u128{0, 1}) {
		t.Fatalf("after 64 encryptions the memo holds %d levels of the value's descent, not all", depth)
	}
}

// TestOPEMemoConcurrent encrypts from several goroutines at once while the
// memo grows (run with -race), each cell the one a fresh cipher makes.
func TestOPEMemoConcurrent(t *testing.T) {
	fresh, err := testCipherOPE(t, 63)
	if err != nil {
		t.Fatal(err)
	}
	const workers, each = 4, 200
	var want [workers][each][]byte
	for w := range workers {
		for i := range each {
			want[w][i] = fresh.cell(uint64(w*each + i))
		}
	}
	o, err := testCipherOPE(t, 63)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				p := uint64(w*each + i)
				if got := o.cell(p); !bytes.Equal(got, want[w][i]) {
					errs <- fmt.Errorf("cell(%d) = %x concurrently, %x alone", p, got, want[w][i])
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// testCipherOPE is the "n" column's cipher of testCipher(seed), with an
// empty memo.
func testCipherOPE(t *testing.T, seed uint64) (*opeCipher, error) {
	c, _ := testCipher(t, seed)
	return c.opeFor("n")
}

// FuzzOPEOpen feeds arbitrary bytes to a cell's decryption: it refuses
// them without a panic unless they are the cell of the value they open to.
// Seeds are real cells and cells one bit off.
func FuzzOPEOpen(f *testing.F) {
	key := make([]byte, 32)
	o, err := newOPECipher(key, key)
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range []uint64{0, 1, 1000, 1<<63 + 12345, 0xc08f400000000000, ^uint64(0)} {
		cell := o.cell(p)
		f.Add(bytes.Clone(cell))
		cell[3] ^= 1
		cell[7] ^= 1
		f.Add(cell)
	}
	f.Add([]byte{})
	f.Add(make([]byte, OPECellSize))
	f.Fuzz(func(t *testing.T, cell []byte) {
		p, err := o.open(cell, new(sealScratch))
		if err != nil {
			return
		}
		if back := o.cell(p); !bytes.Equal(back, cell) {
			t.Fatalf("open(%x) = %d, whose cell is %x", cell, p, back)
		}
	})
}
