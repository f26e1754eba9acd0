package colcrypt

import (
	"encoding/binary"
	"sync"
	"testing"

	"github.com/enigma-mpc/enigma/internal/randsrc"
)

// TestOPEMemoSameFunction checks that the memo of splits changes no
// ciphertext: a cipher whose memo has grown over thousands of clustered and
// scattered values encrypts each value as a fresh cipher (empty memo) of the
// same key does, and decrypts it back, also once the memo is full.
func TestOPEMemoSameFunction(t *testing.T) {
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(7 * i)
	}
	warm, err := newOPECipher(key)
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
		fresh, err := newOPECipher(key)
		if err != nil {
			t.Fatal(err)
		}
		want := fresh.encrypt(p)
		if got := warm.encrypt(p); got != want {
			t.Fatalf("encrypt(%d) with the memo = %x, without = %x", p, got, want)
		}
		if back, err := warm.decrypt(want[:]); err != nil || back != p {
			t.Fatalf("decrypt(encrypt(%d)) with the memo = %d, %v", p, back, err)
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
	if n := len(warm.memo.nodes); n > 2*300*opeMemoGrow { // two descents per check
		t.Fatalf("memo holds %d nodes, want it emptied when full and regrown by 600 descents", n)
	}
}

// TestOPEMemoLearnsRepeatedValues checks that a value decrypted again and
// again ends up with its whole descent remembered, even after the memo was
// filled by other values (a worker's ingest, then a subscriber's top-10
// query).
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
	ct := o.encrypt(1<<63 + 999)
	for range 64 {
		if p, err := o.decrypt(ct[:]); err != nil || p != 1<<63+999 {
			t.Fatalf("decrypt = %d, %v", p, err)
		}
	}
	m, rl, logN := u128{1, 0}, u128{}, uint8(opeRangeBits)
	c96 := u128{uint64(binary.BigEndian.Uint32(ct[:4])), binary.BigEndian.Uint64(ct[4:])}
	w := o.newWalk(true, c96)
	defer w.done()
	depth := 0
	for m != (u128{0, 1}) && w.found {
		k := w.split(m, logN, rl)
		mid := rl.add(pow2(logN - 1))
		if c96.less(mid) {
			m = k
			w.down(0)
		} else {
			m, rl = m.sub(k), mid
			w.down(1)
		}
		logN--
		depth++
	}
	if m != (u128{0, 1}) {
		t.Fatalf("after 64 decryptions the memo holds %d levels of the value's descent, not all", depth)
	}
}

// TestOPEMemoConcurrent decrypts from several goroutines at once while the
// memo grows (run with -race).
func TestOPEMemoConcurrent(t *testing.T) {
	c, _ := testCipher(t, 63)
	o, err := c.opeFor("n")
	if err != nil {
		t.Fatal(err)
	}
	const workers, each = 4, 200
	var cts [workers][each][OPECiphertextSize]byte
	for w := range workers {
		for i := range each {
			cts[w][i] = o.encrypt(uint64(w*each + i))
		}
	}
	fresh, err := testCipherOPE(t, 63)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				p, err := fresh.decrypt(cts[w][i][:])
				if err == nil && p != uint64(w*each+i) {
					err = errNotInImage
				}
				if err != nil {
					errs <- err
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

// FuzzOPEDecrypt feeds arbitrary bytes to the decryption, whose descent
// computes PRF blocks ahead from the ciphertext, and checks it against the
// encryption, which draws each node's blocks as it reaches it: a point
// decrypts to p exactly when p encrypts to it, and any other input is
// refused without a panic. Seeds near real ciphertexts put the fuzzer in
// the image, where a wrong block would show.
func FuzzOPEDecrypt(f *testing.F) {
	key := make([]byte, 32)
	o, err := newOPECipher(key)
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range []uint64{0, 1, 1000, 1<<63 + 12345, 0xc08f400000000000, ^uint64(0)} {
		ct := o.encrypt(p)
		f.Add(ct[:])
		ct[11] ^= 1
		f.Add(ct[:])
	}
	f.Add([]byte{})
	f.Add(make([]byte, 13))
	f.Fuzz(func(t *testing.T, ct []byte) {
		p, err := o.decrypt(ct)
		if err != nil {
			return
		}
		if back := o.encrypt(p); string(back[:]) != string(ct) {
			t.Fatalf("decrypt(%x) = %d, which encrypts to %x", ct, p, back)
		}
	})
}
