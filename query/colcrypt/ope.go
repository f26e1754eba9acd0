package colcrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"sync"

	"github.com/enigma-mpc/enigma/dataset"
)

// Order-preserving encryption after Boldyreva, Chenette, Lee and O'Neill,
// "Order-Preserving Symmetric Encryption", EUROCRYPT 2009 (BCLO09),
// algorithm "Enc" with lazy sampling of a random order-preserving function.
//
// The plaintext domain is [0, 2^64) (values are first mapped to uint64 by an
// order-preserving map, see orderedUint64) and the range is [0, 2^96). A
// node of the recursion covers a domain interval [dl, dl+M) and a range
// interval [rl, rl+N) with N a power of two. Its range is split in half; the
// number k of domain points that fall into the lower half is drawn from the
// hypergeometric distribution HGD(N/2; M, N) with coins from a PRF of the
// node; the plaintext's side is recursed into. At a node with M = 1 the
// ciphertext is drawn uniformly from the node's range with coins from the
// PRF of the leaf.
//
// INVARIANT (order preservation): k is clamped into
// [max(0, M-N/2), min(M, N/2)], so each half's domain fits into its range;
// by induction the map is a strictly increasing injection whatever the
// sampler returns. Sampler accuracy affects only how close the function is
// to a uniformly random order-preserving function, never correctness.
//
// Sampler: because N/M stays about 2^32 along every path, HGD(N/2; M, N) is
// within total variation (M-1)/(N-1) ≈ 2^-32 of Binomial(M, 1/2). For
// M ≤ binomialExactMax we draw it exactly as the popcount of M coin bits;
// above, as M/2 + sqrt(M)/2·Z, where Z is the standardised popcount of 256
// coin bits smoothed by 32 uniform bits: a normal approximation whose
// 1/sqrt(n) Edgeworth term vanishes because fair coins are symmetric, so
// its CDF error is of order 1/256 (and the binomial it replaces is itself
// within the Berry–Esseen distance of that normal). All
// arithmetic is integer, so every platform computes the same ciphertext —
// a subscriber encrypting a query constant must match the worker bit for
// bit.
//
// PRF: AES-256 with a per-column key, applied in counter mode to the
// 16-byte node label tag || log2(N) || rl (12 bytes) || counter (2 bytes).
// The range interval identifies the node because the recursion is
// deterministic. The mask and pad of a cell's seal are the PRF at
// tagSeal || 0 || the range point || 0 (see cell).

const (
	opeRangeBits = 96
	// opePointSize is the byte length of a range point: big-endian, so
	// byte order is number order.
	opePointSize = opeRangeBits / 8

	binomialExactMax = 1024
	normalCoinBits   = 256

	tagInner = 1
	tagLeaf  = 2
	tagSeal  = 3 // the mask and pad of a cell's seal (see cell)
)

// u128 is an unsigned 128-bit integer; the range needs 96 bits and domain
// sizes reach 2^64.
type u128 struct{ hi, lo uint64 }

func (a u128) add(b u128) u128 {
	lo, carry := bits.Add64(a.lo, b.lo, 0)
	return u128{a.hi + b.hi + carry, lo}
}

func (a u128) sub(b u128) u128 {
	lo, borrow := bits.Sub64(a.lo, b.lo, 0)
	return u128{a.hi - b.hi - borrow, lo}
}

func (a u128) less(b u128) bool { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo) }

func pow2(n uint8) u128 {
	if n >= 64 {
		return u128{1 << (n - 64), 0}
	}
	return u128{0, 1 << n}
}

func minU128(a, b u128) u128 {
	if a.less(b) {
		return a
	}
	return b
}

// A stored order-preserving cell is the range point followed by a 12-byte
// seal of the plaintext p. The column's PRF block at the point (label
// tagSeal || 0 || point || 0) gives the mask, its first 8 bytes, with which
// c = p XOR mask, and the pad, its bytes 8–11, of a 4-byte tag of c: the
// first 4 bytes of AES-256 under a second key of the column over
// (c || the point's first 8 bytes), XOR the pad. That is encrypt-then-MAC
// with a Wegman–Carter tag, a PRF in place of the universal hash and the
// point as the nonce: the point is unique to the value and the cell is a
// deterministic function of it, so no pad ever covers two c's, and the pad
// binds all 12 bytes of the point where the tag's own block holds 8. Both
// blocks depend on the cell alone, so decryption computes them side by side
// (the processor overlaps them: ~48 ns a cell against ~55 when the tag was
// AES over p, known only after the mask) and removes the mask once the tag
// checks — instead of BCLO09's descent of ~115 blocks. A changed cell, or a
// seal moved to another cell's point, is refused but with probability
// 2^-32, as BCLO09's own image check refused a changed point. Like the
// point, the seal is a deterministic function of the value, so it reveals
// only the equalities the point already shows (a subscriber who knows p
// learns the mask, not the pad: the two are separate bytes of a PRF
// block); and the cells' byte order stays the values' order, the points
// being distinct for distinct values. Twelve bytes, not a whole AES block,
// because a store keeps the seal in every row and in every index entry
// (query's keyPart): 16 would take the 1M-row benchmark table past the
// default block cache.
const (
	opeSealSize = 12
	// OPECellSize is the byte length of a stored order-preserving cell:
	// opePointSize + opeSealSize, as nodes check it.
	OPECellSize = dataset.OrderPreservingCellBytes
)

// A cell is its point and its seal, whatever the nodes check.
var _ [OPECellSize - opePointSize - opeSealSize]struct{} = [0]struct{}{}

// errBadSeal means a cell's seal does not open under this column's key at
// the cell's point.
var errBadSeal = errors.New("order-preserving cell does not open under this column's key")

// opeCipher encrypts one column; it is safe for concurrent use.
type opeCipher struct {
	block cipher.Block // the PRF of the descent
	seal  cipher.Block
	memo  opeMemo
}

func newOPECipher(key, sealKey []byte) (*opeCipher, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("order-preserving key: %w", err)
	}
	seal, err := aes.NewCipher(sealKey)
	if err != nil {
		return nil, fmt.Errorf("order-preserving seal key: %w", err)
	}
	return &opeCipher{block: b, seal: seal}, nil
}

// sealScratch holds a seal's two AES blocks: the PRF block at the point,
// then the tag's. A cipher.Block's arguments escape to the heap, so blocks
// on the stack would be allocated at every call: two allocations per cell
// opened, as costly as opening it. Who opens many cells keeps one.
type sealScratch [2][aes.BlockSize]byte

// cell encrypts p into a stored cell: its range point and the seal.
func (o *opeCipher) cell(p uint64) []byte {
	ct := o.encrypt(p)
	out := make([]byte, OPECellSize)
	copy(out, ct[:])
	scratch := new(sealScratch)
	padInput(ct[:], &scratch[0])
	o.block.Encrypt(scratch[0][:], scratch[0][:])
	binary.BigEndian.PutUint64(out[opePointSize:], p^binary.BigEndian.Uint64(scratch[0][:8]))
	tagInput(out, &scratch[1])
	o.seal.Encrypt(scratch[1][:], scratch[1][:])
	binary.BigEndian.PutUint32(out[opePointSize+8:], sealedTag(scratch))
	return out
}

// open decrypts a stored cell.
func (o *opeCipher) open(cell []byte, scratch *sealScratch) (uint64, error) {
	if err := checkCellSize(cell); err != nil {
		return 0, err
	}
	sealInputs(cell, scratch)
	o.block.Encrypt(scratch[0][:], scratch[0][:])
	o.seal.Encrypt(scratch[1][:], scratch[1][:])
	return unseal(cell, scratch)
}

// sealBatchSize is how many cells openBatch opens at once.
const sealBatchSize = 16

// sealBatch is a batch of cells to open and the scratch to open them in.
type sealBatch struct {
	n      int
	cells  [sealBatchSize][]byte
	blocks [sealBatchSize]sealScratch
}

// add queues a cell of the right size (checkCellSize) and reports whether
// the batch is full.
func (b *sealBatch) add(cell []byte) bool {
	b.cells[b.n] = cell
	sealInputs(cell, &b.blocks[b.n])
	b.n++
	return b.n == sealBatchSize
}

// openBatch opens the queued cells into out (b.n values) and empties the
// batch; on error, bad is the first cell that does not open and out holds
// the ones before it. The AES blocks of all the cells are computed back to
// back, which the processor overlaps: ~19 ns a cell, against ~51 when each
// cell's two blocks wait for the previous cell's checks and for the stores
// of their own inputs, written just before (open).
func (o *opeCipher) openBatch(b *sealBatch, out *[sealBatchSize]uint64) (bad int, err error) {
	n := b.n
	b.n = 0
	for i := range n {
		o.block.Encrypt(b.blocks[i][0][:], b.blocks[i][0][:])
		o.seal.Encrypt(b.blocks[i][1][:], b.blocks[i][1][:])
	}
	for i := range n {
		if out[i], err = unseal(b.cells[i], &b.blocks[i]); err != nil {
			return i, err
		}
	}
	return -1, nil
}

func checkCellSize(cell []byte) error {
	if len(cell) != OPECellSize {
		return fmt.Errorf("order-preserving cell is %d bytes, want %d", len(cell), OPECellSize)
	}
	return nil
}

// sealInputs writes the inputs of a cell's two seal blocks into scratch.
func sealInputs(cell []byte, scratch *sealScratch) {
	padInput(cell[:opePointSize], &scratch[0])
	tagInput(cell, &scratch[1])
}

// padInput is the PRF input at a range point, whose block gives the mask
// of the value (its first 8 bytes) and the pad of its tag (bytes 8–11).
func padInput(point []byte, block *[aes.BlockSize]byte) {
	*block = [aes.BlockSize]byte{0: tagSeal}
	copy(block[2:2+opePointSize], point)
}

// tagInput is the input of a cell's tag block, AES under the seal key:
// the masked value c and the point's first 8 bytes.
func tagInput(cell []byte, block *[aes.BlockSize]byte) {
	copy(block[:8], cell[opePointSize:opePointSize+8])
	copy(block[8:], cell[:8])
}

// sealedTag is the tag of a cell from its two encrypted seal blocks.
func sealedTag(blocks *sealScratch) uint32 {
	return binary.BigEndian.Uint32(blocks[1][:4]) ^ binary.BigEndian.Uint32(blocks[0][8:12])
}

// unseal checks a cell's tag against its encrypted seal blocks and removes
// the mask.
func unseal(cell []byte, blocks *sealScratch) (uint64, error) {
	if subtle.ConstantTimeEq(int32(sealedTag(blocks)), int32(binary.BigEndian.Uint32(cell[opePointSize+8:]))) != 1 {
		return 0, errBadSeal
	}
	return binary.BigEndian.Uint64(cell[opePointSize:]) ^ binary.BigEndian.Uint64(blocks[0][:8]), nil
}

// opeMemo remembers the split (the lower half's domain count k) of the
// descent's nodes nearest the root, which the cells of a column share: every
// encryption (a worker's cells, a subscriber's query constants) walks from
// the root, and the first levels are the same for all of them, the next ones
// for values near each other (a time window, prices of one market). A node's split
// is a function of the key and the node alone, so a remembered split is the
// one the sampler would draw: the memo changes the time a descent takes,
// not one bit of its result (TestOPEMemoSameFunction, TestOPEKnownAnswers).
//
// It is a trie from the root, grown by the descents: each adds the first
// opeMemoGrow nodes it had to compute below the last one it found, so the
// memo holds the upper part of the tree the recent descents travelled, up
// to opeMemoMax nodes (16 bytes each, 1 MiB) per column; when full it is
// emptied and grows again from the root. A descent follows child indices
// in one array — a map keyed by node cost more than the three AES blocks it
// saved. The memo lives in the client's and the worker's Cipher, never on
// a node; what its timing could tell a local observer (whether a value lies
// in a well-travelled part of the order) the ciphertexts already tell.
type opeMemo struct {
	mu sync.RWMutex
	// nodes[0] is the root once a descent has added it; a child index
	// of 0 means "not remembered" (the root is nobody's child).
	nodes []memoNode
}

type memoNode struct {
	k     uint64
	child [2]uint32 // lower, upper half
}

const (
	opeMemoMax  = 1 << 16
	opeMemoGrow = 4
)

// walk is one descent: its PRF stream and its use of the memo.
type walk struct {
	o     *opeCipher
	coins coins
	// found is true while every node so far was in the memo (and the
	// read lock is held); at is the current node's index then.
	found bool
	at    uint32
	// parent, side is where the first computed node hangs; add are the
	// computed nodes to remember, each the child (on its side) of the one
	// before.
	parent uint32
	side   uint8
	add    [opeMemoGrow]struct {
		k    uint64
		side uint8
	}
	nAdd int
	// adding is true while the current node is add[nAdd-1]; stopped once
	// a node could not be added, so add stays a chain.
	adding, stopped bool
}

// walks recycles descents: a walk's buffers escape through the
// cipher.Block interface, so each would be a heap allocation of ~0.5 KiB.
var walks = sync.Pool{New: func() any { return new(walk) }}

// newWalk starts a descent; the caller ends it with done.
func (o *opeCipher) newWalk() *walk {
	w := walks.Get().(*walk)
	w.o, w.coins, w.found, w.at = o, coins{block: o.block}, true, 0
	w.parent, w.side, w.nAdd, w.adding, w.stopped = 0, 0, 0, false, false
	o.memo.mu.RLock()
	if len(o.memo.nodes) == 0 {
		w.miss()
	}
	return w
}

func (w *walk) miss() {
	w.found = false
	w.parent, w.side = w.at, 2 // side 2: the root itself
	w.o.memo.mu.RUnlock()
}

// split returns the node's lower-half count, from the memo or the sampler.
func (w *walk) split(m u128, logN uint8, rl u128) u128 {
	if w.found {
		return u128{0, w.o.memo.nodes[w.at].k}
	}
	w.coins.reset(tagInner, logN, rl)
	k := lowerHalfCount(&w.coins, m, logN-1)
	w.adding = !w.stopped && w.nAdd < opeMemoGrow && k.hi == 0
	if w.adding {
		w.add[w.nAdd].k = k.lo
		w.nAdd++
	} else {
		w.stopped = true
	}
	return k
}

// down moves to the node's lower (0) or upper (1) half.
func (w *walk) down(side uint8) {
	if w.found {
		next := w.o.memo.nodes[w.at].child[side]
		if next == 0 {
			w.miss()
			w.side = side
			return
		}
		w.at = next
		return
	}
	if w.adding {
		w.add[w.nAdd-1].side = side
	}
}

// done releases the memo and adds the nodes this descent computed first.
// The path to the first one may have been added meanwhile by another
// descent, with the same splits; then nothing is added.
func (w *walk) done() {
	defer func() {
		w.o, w.coins = nil, coins{} // the pool must not keep a key alive
		walks.Put(w)
	}()
	if w.found {
		w.o.memo.mu.RUnlock()
		return
	}
	if w.nAdd == 0 {
		return
	}
	mm := &w.o.memo
	mm.mu.Lock()
	defer mm.mu.Unlock()
	if len(mm.nodes)+w.nAdd > opeMemoMax {
		// Full: start again from the root, so the memo follows what
		// the column's descents travel now (a worker's ingest fills it
		// with other values than a subscriber's results need).
		mm.nodes = mm.nodes[:0]
		return
	}
	n := w.nAdd
	var slot *uint32
	switch {
	case w.side == 2 && len(mm.nodes) == 0:
	case w.side == 2:
		return
	default:
		slot = &mm.nodes[w.parent].child[w.side]
		if *slot != 0 {
			return
		}
	}
	for i, a := range w.add[:n] {
		idx := uint32(len(mm.nodes))
		if slot != nil {
			*slot = idx
		}
		mm.nodes = append(mm.nodes, memoNode{k: a.k})
		if i+1 < n {
			slot = &mm.nodes[idx].child[a.side]
		}
	}
}

// coins is the PRF output stream of one node.
type coins struct {
	block cipher.Block
	label [16]byte
	ctr   uint16
	// buf holds the blocks drawn since reset; have of its bytes are
	// drawn, used of them consumed.
	buf        [coinBufBlocks * aes.BlockSize]byte
	have, used int
	in         [coinBufBlocks][aes.BlockSize]byte // the blocks' inputs
}

// coinBufBlocks is the most blocks a node uses: the popcount of
// binomialExactMax coins (lowerHalfCount).
const coinBufBlocks = binomialExactMax / 64 / 2

func (o *opeCipher) coinsFor(tag byte, logN uint8, rl u128) *coins {
	c := &coins{block: o.block}
	c.reset(tag, logN, rl)
	return c
}

// reset points the stream at another node, so one coins value (one
// allocation: its buffers escape through the cipher.Block interface) serves
// a whole encryption.
func (c *coins) reset(tag byte, logN uint8, rl u128) {
	c.label[0] = tag
	c.label[1] = logN
	binary.BigEndian.PutUint32(c.label[2:6], uint32(rl.hi))
	binary.BigEndian.PutUint64(c.label[6:14], rl.lo)
	c.ctr, c.have, c.used = 0, 0, 0
}

// draw computes the stream's next n blocks (as many as fit), blocks the
// node is known to use: their inputs first, then the blocks back to back,
// which the processor overlaps. Drawn one at a time as used, each block
// waited for the one before, and its input, the label with a new counter
// written just before, could not be forwarded from the store to AES's
// 16-byte load: a random price's descent took 4.9 µs, now 3.1
// (BenchmarkEncryptOPEConstant). It is ctrBlocks (ore.go) written out
// over a flat buffer: calling it instead cost the descent 3.1 → 3.4 µs.
func (c *coins) draw(n int) {
	n = min(n, (len(c.buf)-c.have)/aes.BlockSize)
	for i := range n {
		c.in[i] = c.label
		binary.BigEndian.PutUint16(c.in[i][14:], c.ctr+uint16(i))
	}
	for i := range n {
		c.block.Encrypt(c.buf[c.have+i*aes.BlockSize:], c.in[i][:])
	}
	c.ctr += uint16(n)
	c.have += n * aes.BlockSize
}

func (c *coins) uint64() uint64 {
	if c.used+8 > c.have {
		if c.have == len(c.buf) {
			c.have, c.used = 0, 0
		}
		c.draw(1)
	}
	v := binary.BigEndian.Uint64(c.buf[c.used:])
	c.used += 8
	return v
}

// popcount returns the number of one bits among n coin bits: a
// Binomial(n, 1/2) draw.
func (c *coins) popcount(n uint64) uint64 {
	var total uint64
	for ; n >= 64; n -= 64 {
		total += uint64(bits.OnesCount64(c.uint64()))
	}
	if n > 0 {
		total += uint64(bits.OnesCount64(c.uint64() & (1<<n - 1)))
	}
	return total
}

// isqrt returns floor(sqrt(m)) for m ≤ 2^64.
func isqrt(m u128) uint64 {
	if m.hi != 0 {
		return 1 << 32
	}
	r := uint64(math.Sqrt(float64(m.lo)))
	// Correct the float estimate so the result is exact everywhere.
	for r > 0 && (r > math.MaxUint32 || r*r > m.lo) {
		r--
	}
	for r < math.MaxUint32 && (r+1)*(r+1) <= m.lo {
		r++
	}
	return r
}

// lowerHalfCount draws how many of the node's M domain points map into the
// lower half (of size 2^half) of its range, clamped to the feasible
// interval.
func lowerHalfCount(c *coins, m u128, half uint8) u128 {
	var k u128
	if m.hi == 0 && m.lo <= binomialExactMax {
		c.draw(int(m.lo+127) / 128)
		k = u128{0, c.popcount(m.lo)}
	} else {
		c.draw(3) // 256 coins for b, then u and odd
		// z is (B - 128 + U - 1/2) in units of 2^-32, B ~ Bin(256, 1/2)
		// with standard deviation 8, U uniform in [0, 1).
		b := int64(c.popcount(normalCoinBits))
		u := int64(c.uint64() >> 32)
		odd := m.lo&1 == 1 && c.uint64()&1 == 1
		b -= normalCoinBits / 2
		z := b<<32 + u - 1<<31
		neg := z < 0
		if neg {
			z = -z
		}
		// offset = z · sqrt(M)/2 / 8 / 2^32 = z · isqrt(M) / 2^36.
		hi, lo := bits.Mul64(uint64(z), isqrt(m))
		offset := u128{0, hi<<28 | lo>>36}
		mean := u128{m.hi >> 1, m.hi<<63 | m.lo>>1}
		if m.lo&1 == 1 && odd {
			mean = mean.add(u128{0, 1})
		}
		switch {
		case !neg:
			k = mean.add(offset)
		case offset.less(mean):
			k = mean.sub(offset)
		}
	}
	halfSize := pow2(half)
	upper := minU128(m, halfSize)
	if upper.less(k) {
		k = upper
	}
	if halfSize.less(m) {
		if lower := m.sub(halfSize); k.less(lower) {
			k = lower
		}
	}
	return k
}

// encrypt maps p to its ciphertext range point.
func (o *opeCipher) encrypt(p uint64) [opePointSize]byte {
	dl, m, rl, logN := uint64(0), u128{1, 0}, u128{}, uint8(opeRangeBits)
	w := o.newWalk()
	defer w.done()
	for m != (u128{0, 1}) {
		half := logN - 1
		k := w.split(m, logN, rl)
		if (u128{0, p - dl}).less(k) {
			m = k
			w.down(0)
		} else {
			dl += k.lo // k < m ≤ 2^64 here, and dl+k ≤ p fits.
			m = m.sub(k)
			rl = rl.add(pow2(half))
			w.down(1)
		}
		logN = half
	}
	return encodeRangePoint(o.leaf(&w.coins, logN, rl))
}

// leaf draws the ciphertext of a node's single plaintext uniformly from the
// node's range of size 2^logN.
func (o *opeCipher) leaf(c *coins, logN uint8, rl u128) u128 {
	c.reset(tagLeaf, logN, rl)
	r := u128{c.uint64(), c.uint64()}
	switch {
	case logN >= 64:
		r.hi &= 1<<(logN-64) - 1
	default:
		r.hi = 0
		r.lo &= 1<<logN - 1
	}
	return rl.add(r)
}

func encodeRangePoint(c u128) [opePointSize]byte {
	var out [opePointSize]byte
	binary.BigEndian.PutUint32(out[:4], uint32(c.hi))
	binary.BigEndian.PutUint64(out[4:], c.lo)
	return out
}

// nanImage is the image of every NaN: above +Inf's (0xFFF0…0), so NaN sorts
// after every number and equals every NaN, as the engine's comparator
// (query's compareFloats) and its key encoding order plaintext floats. It
// inverts to a NaN (0x7FFF…F).
const nanImage = ^uint64(0)

// orderedUint64 maps an int64, timestamp or float64 value to a uint64 whose
// unsigned order is the engine's order of the values: -0 maps like +0 (SQL
// compares them equal) and every NaN to nanImage.
func orderedUint64(t dataTypeKind, i int64, f float64) (uint64, error) {
	switch t {
	case kindInt:
		return uint64(i) ^ 1<<63, nil
	case kindFloat:
		if math.IsNaN(f) {
			return nanImage, nil
		}
		if f == 0 {
			f = 0 // folds -0 into +0
		}
		b := math.Float64bits(f)
		if b>>63 == 1 {
			return ^b, nil
		}
		return b | 1<<63, nil
	}
	return 0, fmt.Errorf("order-preserving encryption does not take kind %d", t)
}

// fromOrderedUint64 inverts orderedUint64.
func fromOrderedUint64(t dataTypeKind, u uint64) (int64, float64) {
	if t == kindInt {
		return int64(u ^ 1<<63), 0
	}
	if u>>63 == 1 {
		return 0, math.Float64frombits(u &^ (1 << 63))
	}
	return 0, math.Float64frombits(^u)
}

type dataTypeKind uint8

const (
	kindInt dataTypeKind = iota + 1
	kindFloat
)
