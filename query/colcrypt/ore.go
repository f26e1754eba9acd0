package colcrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Order-revealing encryption after Lewi and Wu, "Order-Revealing
// Encryption: New Constructions, Applications, and Lower Bounds" (CCS
// 2016), the small-domain left/right scheme extended to 64-bit values by
// blocks (their section 4). The value is a 64-bit image whose unsigned
// order is the column's order (oreImage in colcrypt.go: int64, float64 or
// timestamp); it is split into oreBlocks blocks of oreBlockBits bits,
// big-endian, so the first differing block decides the order.
//
// Keys per column: k1 (the PRF F), k2 (the keyed permutations π), a value
// key for the AEAD that lets the subscriber decrypt, and a public key ID.
//
// Left ciphertext of x (made by the querier for a constant; deterministic):
// for each block i, with p = x's first i blocks and π_i the permutation of
// [256] keyed by F(k2, i || p):
//
//	h_i = π_i(x_i),   u_i = F(k1, i || p || h_i)
//
// Right ciphertext of y (stored; randomized): a fresh 128-bit nonce r and,
// for each block i and each slot j of [256], with p = y's first i blocks,
//
//	v_ij = cmp(π_i⁻¹(j), y_i) + H(F(k1, i || p || j), r)  mod 3
//
// where cmp is 0 (equal), 1 (less) or 2 (greater). Comparing left(x) with
// right(y): at the first block i where v_{i,h_i} − H(u_i, r) ≠ 0 (mod 3),
// that difference is cmp(x_i, y_i) — it is the order of x and y, because
// their prefixes agree up to i, so u_i is exactly the key the right
// ciphertext used for slot h_i. If every block gives 0, x = y. Where the
// prefixes differ the keys differ, and H gives a uniformly random trit:
// the comparison reads nothing past the first differing block.
//
// Security (Lewi–Wu, theorem 4.3 with the random oracle H): right
// ciphertexts alone are semantically secure; a left ciphertext compared
// with right ones reveals, per pair, the order and the index of the first
// differing block. Left ciphertexts are deterministic (equal constants give
// equal left ciphertexts), which only the querier's requests show.
//
// Instantiation: F is AES-256 on one 16-byte block; π_i is a Fisher–Yates
// shuffle of [256] driven by AES-256 under k2 in counter mode (a Feistel
// PRP on a small domain is weak, Bogatov et al. 2018); H(k, r) is the
// Even–Mansour cipher of the nonce r under the slot key k, π(r ⊕ k) ⊕ k,
// with π AES-128 under a fixed public key, reduced mod 3 from 64 bits
// (bias 2^-64). Even–Mansour is a PRF under the secret k in the
// ideal-permutation model; k stays secret until a left ciphertext reveals
// it, which is when Lewi–Wu's comparison needs H(k, ·) to be computable.
// (They model H as a random oracle.) A fixed-key π needs no key schedule
// per slot or per cell: a right ciphertext costs 2×2048 AES blocks, a
// comparison at most oreBlocks. Keying AES by the nonce instead costs a
// key schedule per comparison (≈4× slower scans); keying it by k, one
// per slot (≈4× slower encryption) — both measured.
//
// Stored cell (ORECellSize bytes): the right ciphertext (version, key ID,
// r, 2048 trits packed 5 per byte) followed by the value sealed with
// AES-256-GCM under the value key (nonce r[:12], associated data the right
// ciphertext; 8 bytes of value and a 16-byte tag). Right ciphertexts cannot
// be decrypted by design; the AEAD part is what the subscriber decrypts.
// The key ID lets a comparison refuse a left ciphertext of another column,
// dataset or key instead of giving a random answer; it is a hash of the
// column's keys and reveals nothing a column name does not.

const (
	oreBlocks    = 8
	oreBlockBits = 8
	oreDomain    = 1 << oreBlockBits
	oreVersion   = 1
	oreKeyIDSize = 8
	oreNonceSize = 16
	oreUSize     = 16
	oreTrits     = oreBlocks * oreDomain
	oreTritBytes = (oreTrits + 4) / 5
	oreValueSize = 8 + 16 // big-endian value, GCM tag

	// ORELeftSize is the byte length of a left ciphertext (a query
	// constant): version, key ID, and per block h_i and u_i.
	ORELeftSize = 1 + oreKeyIDSize + oreBlocks*(1+oreUSize)
	// ORERightSize is the byte length of a right ciphertext.
	ORERightSize = 1 + oreKeyIDSize + oreNonceSize + oreTritBytes
	// ORECellSize is the byte length of a stored ore cell: the right
	// ciphertext and the sealed value.
	ORECellSize = ORERightSize + oreValueSize
)

// ErrOREKey means a left ciphertext and a stored cell belong to different
// columns or keys, so their comparison would be meaningless.
var ErrOREKey = errors.New("the constant was encrypted for another column or with other keys")

var pow3 = [5]uint8{1, 3, 9, 27, 81}

// oreCipher encrypts one column; it is safe for concurrent use.
type oreCipher struct {
	prf   cipher.Block // F under k1
	perm  cipher.Block // coins of π under k2
	value cipher.AEAD
	keyID [oreKeyIDSize]byte
}

// oreSubkey is HMAC-SHA256(master, label || purpose || dataset ID ||
// column): the dataset ID has a fixed length, so the input is unambiguous.
func oreSubkey(master []byte, datasetID []byte, column string, purpose byte) []byte {
	mac := hmac.New(sha256.New, master)
	mac.Write([]byte("enigma/colcrypt/ore/v1\x00"))
	mac.Write([]byte{purpose})
	mac.Write(datasetID)
	mac.Write([]byte(column))
	return mac.Sum(nil)
}

func newORECipher(master []byte, datasetID []byte, column string) (*oreCipher, error) {
	o := &oreCipher{}
	var err error
	if o.prf, err = aes.NewCipher(oreSubkey(master, datasetID, column, 1)); err != nil {
		return nil, fmt.Errorf("order-revealing key: %w", err)
	}
	if o.perm, err = aes.NewCipher(oreSubkey(master, datasetID, column, 2)); err != nil {
		return nil, fmt.Errorf("order-revealing key: %w", err)
	}
	vb, err := aes.NewCipher(oreSubkey(master, datasetID, column, 3))
	if err != nil {
		return nil, fmt.Errorf("order-revealing value key: %w", err)
	}
	if o.value, err = cipher.NewGCM(vb); err != nil {
		return nil, fmt.Errorf("order-revealing value key: %w", err)
	}
	copy(o.keyID[:], oreSubkey(master, datasetID, column, 4))
	return o, nil
}

// prefixBlock lays out i || the first i blocks of v || slot in one AES
// block; tag separates F from the permutation coins.
func prefixBlock(tag byte, i int, v uint64, slot byte) [16]byte {
	var in [16]byte
	in[0] = tag
	in[1] = byte(i)
	if i > 0 {
		binary.BigEndian.PutUint64(in[2:10], v&^(^uint64(0)>>(oreBlockBits*i)))
	}
	in[10] = slot
	return in
}

// block is v's i-th block, most significant first.
func block(v uint64, i int) byte { return byte(v >> (64 - oreBlockBits*(i+1))) }

// A cipher.Block's arguments escape to the heap, so an encryption
// allocates its AES blocks once: a permutation's coins (permScratch), and
// a stored cell's slots (slotScratch).
type permScratch struct {
	in, out [permCoinBlocks][aes.BlockSize]byte
}

type slotScratch struct {
	in, u, hash [oreDomain][aes.BlockSize]byte
}

// permCoinBlocks is how many blocks of coins a permutation draws up front:
// oreDomain-1 draws of 2 bytes in 32 blocks, and two for rejected draws.
const permCoinBlocks = (2*(oreDomain-1)+15)/16 + 2

// ctrBlocks computes the blocks E(label with counter first+k in its last
// two bytes) into out[k], their inputs (in) all written before the first
// block. Computed back to back the blocks overlap in the processor. One at
// a time, each input written just before its block, the input's 16-byte
// load waited for the stores to drain (they cannot be forwarded to it),
// and each block for the one before: a stored cell took 111 µs, now 58
// (BenchmarkOREEncryptRight).
func ctrBlocks(b cipher.Block, label [aes.BlockSize]byte, first uint16, in, out [][aes.BlockSize]byte) {
	for k := range in {
		in[k] = label
		binary.BigEndian.PutUint16(in[k][14:], first+uint16(k))
	}
	for k := range in {
		b.Encrypt(out[k][:], in[k][:])
	}
}

// permutation returns π_i for v's prefix of i blocks (perm[a] = π(a)) and
// its inverse, with its coins drawn into ps.
func (o *oreCipher) permutation(i int, v uint64, ps *permScratch) (perm, inv [oreDomain]byte) {
	label := prefixBlock(2, i, v, 0)
	coins := ps.out[:]
	drawn, used := uint16(0), len(coins)*aes.BlockSize
	next := func() uint16 {
		if used == len(coins)*aes.BlockSize {
			// The first draw, or (rarely) more rejections than
			// planned for.
			ctrBlocks(o.perm, label, drawn, ps.in[:], coins)
			drawn += permCoinBlocks
			used = 0
		}
		u := binary.BigEndian.Uint16(coins[used/aes.BlockSize][used%aes.BlockSize:])
		used += 2
		return u
	}
	for a := range perm {
		perm[a] = byte(a)
	}
	for t := oreDomain - 1; t > 0; t-- {
		n := uint32(t + 1)
		limit := 65536 - 65536%n // rejection keeps the draw uniform
		u := uint32(next())
		for u >= limit {
			u = uint32(next())
		}
		s := u % n
		perm[t], perm[s] = perm[s], perm[t]
	}
	for a, p := range perm {
		inv[p] = byte(a)
	}
	return perm, inv
}

// left is the left ciphertext of v.
func (o *oreCipher) left(v uint64) []byte {
	out := make([]byte, 0, ORELeftSize)
	out = append(out, oreVersion)
	out = append(out, o.keyID[:]...)
	ps := new(permScratch)
	for i := range oreBlocks {
		perm, _ := o.permutation(i, v, ps)
		h := perm[block(v, i)]
		ps.in[0] = prefixBlock(1, i, v, h)
		o.prf.Encrypt(ps.out[0][:], ps.in[0][:])
		out = append(out, h)
		out = append(out, ps.out[0][:]...)
	}
	return out
}

// orePerm is π of H: AES-128 under a public key (the SHA-256 of a label),
// the same for every column.
var orePerm = func() cipher.Block {
	k := sha256.Sum256([]byte("enigma/colcrypt/ore/hash/v1"))
	b, err := aes.NewCipher(k[:16])
	if err != nil {
		panic(err) // a 16-byte key always makes a cipher
	}
	return b
}()

// H(k, r) = (π(r ⊕ k) ⊕ k) mod 3 over the first 8 bytes is computed in
// three steps: π's input, by hashInput (or subtle.XORBytes), its output
// by orePerm, and the trit by hashTrit.
//
// hashInput writes π's input r ⊕ k, for blocks computed in a batch, whose
// stores have drained by the time AES loads them (a call of XORBytes would
// cost more).
func hashInput(in *[aes.BlockSize]byte, k, r []byte) {
	k0, k1 := binary.LittleEndian.Uint64(k[:8]), binary.LittleEndian.Uint64(k[8:16])
	binary.LittleEndian.PutUint64(in[:8], binary.LittleEndian.Uint64(r[:8])^k0)
	binary.LittleEndian.PutUint64(in[8:16], binary.LittleEndian.Uint64(r[8:16])^k1)
}

// hashTrit is H(k, r) from π's output.
func hashTrit(out, k []byte) uint8 {
	return uint8((binary.LittleEndian.Uint64(out[:8]) ^ binary.LittleEndian.Uint64(k[:8])) % 3)
}

func cmpTrit(a, b byte) uint8 {
	switch {
	case a < b:
		return 1
	case a > b:
		return 2
	}
	return 0
}

// right appends the stored cell of v (right ciphertext and sealed value)
// to dst, with the nonce drawn from rnd.
func (o *oreCipher) cell(rnd io.Reader, v uint64, plain []byte) ([]byte, error) {
	out := make([]byte, ORERightSize, ORECellSize)
	out[0] = oreVersion
	copy(out[1:], o.keyID[:])
	r := out[1+oreKeyIDSize : 1+oreKeyIDSize+oreNonceSize]
	if _, err := io.ReadFull(rnd, r); err != nil {
		return nil, fmt.Errorf("order-revealing nonce: %w", err)
	}
	trits := out[1+oreKeyIDSize+oreNonceSize:]
	ps, sc := new(permScratch), new(slotScratch)
	for i := range oreBlocks {
		_, inv := o.permutation(i, v, ps)
		yi := block(v, i)
		// u_j = F(prefix, j) for every slot j, then π(r ⊕ u_j) of H:
		// each round's inputs first, then its blocks back to back (see
		// ctrBlocks).
		in := prefixBlock(1, i, v, 0)
		for j := range oreDomain {
			in[10] = byte(j)
			sc.in[j] = in
		}
		for j := range oreDomain {
			o.prf.Encrypt(sc.u[j][:], sc.in[j][:])
		}
		for j := range oreDomain {
			hashInput(&sc.in[j], sc.u[j][:], r)
		}
		for j := range oreDomain {
			orePerm.Encrypt(sc.hash[j][:], sc.in[j][:])
		}
		for j := range oreDomain {
			t := (cmpTrit(inv[j], yi) + hashTrit(sc.hash[j][:], sc.u[j][:])) % 3
			n := i*oreDomain + j
			trits[n/5] += t * pow3[n%5]
		}
	}
	return o.value.Seal(out, r[:12], plain, out), nil
}

// open returns the sealed value of a stored cell.
func (o *oreCipher) open(cell []byte) ([]byte, error) {
	if len(cell) != ORECellSize || cell[0] != oreVersion {
		return nil, fmt.Errorf("an order-revealing cell is %d bytes of version %d, this one is %d bytes", ORECellSize, oreVersion, len(cell))
	}
	right := cell[:ORERightSize]
	r := right[1+oreKeyIDSize : 1+oreKeyIDSize+oreNonceSize]
	return o.value.Open(nil, r[:12], cell[ORERightSize:], right)
}

// ORELeft is a parsed left ciphertext, ready to compare with stored cells.
// Its comparisons are not safe for concurrent use: a query's plan, which
// holds it, runs on one goroutine.
type ORELeft struct {
	keyID [oreKeyIDSize]byte
	h     [oreBlocks]byte
	u     [oreBlocks][oreUSize]byte
	// hash holds π's input and output for two blocks of a comparison:
	// scratch kept here, as a cipher.Block's arguments escape.
	hash [2][2][aes.BlockSize]byte
}

// ParseORELeft parses a left ciphertext (a query constant for an ore
// column).
func ParseORELeft(b []byte) (*ORELeft, error) {
	if len(b) != ORELeftSize || b[0] != oreVersion {
		return nil, fmt.Errorf("not an order-revealing query constant: want %d bytes of version %d, got %d bytes (encrypt constants with the column keys: enigma subscriber query does this)", ORELeftSize, oreVersion, len(b))
	}
	l := &ORELeft{}
	copy(l.keyID[:], b[1:])
	b = b[1+oreKeyIDSize:]
	for i := range oreBlocks {
		l.h[i] = b[0]
		copy(l.u[i][:], b[1:1+oreUSize])
		b = b[1+oreUSize:]
	}
	return l, nil
}

// Compare compares the left ciphertext's value x with a stored cell's value
// y: -1 if x < y, 0 if equal, +1 if x > y. It fails with ErrOREKey if the
// cell is of another column or key, and if the cell is malformed.
func (l *ORELeft) Compare(cell []byte) (int, error) {
	if len(cell) < ORERightSize || cell[0] != oreVersion {
		return 0, fmt.Errorf("not an order-revealing cell: %d bytes, want %d of version %d", len(cell), ORECellSize, oreVersion)
	}
	if [oreKeyIDSize]byte(cell[1:1+oreKeyIDSize]) != l.keyID {
		return 0, ErrOREKey
	}
	r := cell[1+oreKeyIDSize : 1+oreKeyIDSize+oreNonceSize]
	trits := cell[1+oreKeyIDSize+oreNonceSize : ORERightSize]
	// Blocks are hashed two at a time, the second's AES overlapping the
	// first's: values near the constant share their leading blocks, and
	// for one that differs in its first block the second costs little.
	for i := 0; i < oreBlocks; i += 2 {
		for k := range 2 {
			// One 16-byte store of π's input, which AES's load is
			// forwarded from (two 8-byte stores would make it wait).
			subtle.XORBytes(l.hash[k][0][:], r[:aes.BlockSize], l.u[i+k][:])
		}
		for k := range 2 {
			orePerm.Encrypt(l.hash[k][1][:], l.hash[k][0][:])
		}
		for k := range 2 {
			n := (i+k)*oreDomain + int(l.h[i+k])
			t := trits[n/5] / pow3[n%5] % 3
			switch (t + 3 - hashTrit(l.hash[k][1][:], l.u[i+k][:])) % 3 {
			case 1:
				return -1, nil
			case 2:
				return 1, nil
			}
		}
	}
	return 0, nil
}
